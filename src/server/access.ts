// Who may see which evidence, decided once per request from the user's role and grants. The
// answer is handed to the store's own queries (StoredSearch.datasets) and checked against every
// item before it leaves, so a route cannot show what the grants do not cover.
import type { Grant, Role, User, Viewer } from '../model/security.ts';
import { ApiError } from './errors.ts';

/** All datasets (admins), or the named ones. */
export type EvidenceScope = { kind: 'all' } | { kind: 'datasets'; datasets: readonly string[] };

const NO_EVIDENCE: Record<Exclude<Role, 'admin' | 'analyst'>, string> = {
  investigator: 'investigators see evidence through the cases they are granted (/cases), not whole datasets',
  auditor: 'auditors see the audit log, not the evidence',
  'privilege-reviewer': 'privilege reviewers see the withheld privileged messages through /privileged/review, not the other evidence',
  'campaign-officer': 'campaign officers work with campaigns (/campaigns) on the site datasets they are granted, not with the other evidence routes',
};

/** The evidence this user may see; a 403 for roles that see none. */
export function evidenceScope(user: User, grants: readonly Grant[]): EvidenceScope {
  if (user.role === 'admin') return { kind: 'all' };
  if (user.role === 'analyst') return { kind: 'datasets', datasets: [...new Set(grants.filter((g) => g.kind === 'dataset').map((g) => g.target))].sort() };
  throw new ApiError(403, 'forbidden', NO_EVIDENCE[user.role]);
}

export function mayRead(scope: EvidenceScope, dataset: string): boolean {
  return scope.kind === 'all' || scope.datasets.includes(dataset);
}

/** What the store's queries are limited to: undefined for all. */
export function allowedDatasets(scope: EvidenceScope): readonly string[] | undefined {
  return scope.kind === 'all' ? undefined : scope.datasets;
}

/**
 * A dataset named in a request. One the user may not read answers exactly like one that does not
 * exist, so grants do not reveal which datasets there are.
 */
export function requireReadable(scope: EvidenceScope, dataset: string, exists: boolean): void {
  if (!exists || !mayRead(scope, dataset)) throw new ApiError(404, 'not_found', `no dataset "${dataset}"`);
}

/**
 * The cases a user may work on: admins all (undefined), analysts the cases they opened or are
 * granted, investigators those they are granted; other roles none (403).
 */
export function caseScope(user: User, grants: readonly Grant[], openedBy: readonly { name: string; createdBy: string }[]): readonly string[] | undefined {
  if (user.role === 'admin') return undefined;
  if (user.role !== 'analyst' && user.role !== 'investigator') throw new ApiError(403, 'forbidden', `cases are open to analysts, investigators and admins; not to the role ${user.role}`);
  const granted = grants.filter((g) => g.kind === 'case').map((g) => g.target);
  const own = user.role === 'analyst' ? openedBy.filter((c) => c.createdBy === user.name).map((c) => c.name) : [];
  return [...new Set([...granted, ...own])].sort();
}

/**
 * The site datasets whose campaigns a user may run: admins all (undefined), campaign officers the
 * datasets they are granted; other roles none (403). A campaign lists people with their contact
 * details, so it is not open to analysts by their dataset grants alone.
 */
export function campaignScope(user: User, grants: readonly Grant[]): readonly string[] | undefined {
  if (user.role === 'admin') return undefined;
  if (user.role !== 'campaign-officer') throw new ApiError(403, 'forbidden', `campaigns are open to campaign officers and admins; not to the role ${user.role}`);
  return [...new Set(grants.filter((g) => g.kind === 'dataset').map((g) => g.target))].sort();
}

export function requireAuditor(user: User): void {
  if (user.role !== 'admin' && user.role !== 'auditor') throw new ApiError(403, 'forbidden', 'the audit log is open to auditors and admins only');
}

export function requireAdmin(user: User): void {
  if (user.role !== 'admin') throw new ApiError(403, 'forbidden', 'managing users and grants is open to admins only');
}

/** Who reads, for the store's legal-scope and privilege conditions (StoredSearch.viewer). */
export function viewerOf(user: User): Viewer {
  return { isAdmin: user.role === 'admin', mayReviewPrivilege: user.role === 'privilege-reviewer' };
}

/**
 * The datasets whose withheld messages a privilege reviewer may review: those they are granted.
 * Everyone else, admins included, is refused: privileged messages are withheld from all but
 * privilege reviewers (DESIGN.md "Security model").
 */
export function requirePrivilegeReviewer(user: User, grants: readonly Grant[]): string[] {
  if (user.role !== 'privilege-reviewer') throw new ApiError(403, 'forbidden', 'privileged messages are open to privilege reviewers only');
  return [...new Set(grants.filter((g) => g.kind === 'dataset').map((g) => g.target))].sort();
}
