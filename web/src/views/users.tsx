// Users and grants for admins. A new or reset password is shown once, here, and never again: only
// its argon2id hash is stored.
import { type FormEvent, useState } from 'react';
import { api } from '../api.ts';
import { ROLES, type Role } from '../api-types.ts';
import { formatTime } from '../format.ts';
import { useT } from '../i18n.tsx';
import { ErrorNote, Loading, PageHeader, useAsync, useSession } from '../ui.tsx';

/** What a role is granted: analysts and privilege reviewers datasets, investigators cases. */
const GRANT_KIND: Partial<Record<Role, 'dataset' | 'case'>> = { analyst: 'dataset', 'privilege-reviewer': 'dataset', investigator: 'case' };

export function UsersView() {
  const t = useT();
  const { datasets } = useSession();
  const { data, error, loading, reload } = useAsync(() => api.users(), []);
  const hasInvestigators = (data?.users ?? []).some((u) => u.role === 'investigator');
  // cases are offered only when someone can be granted one; a server without cases just shows none
  const cases = useAsync(() => (hasInvestigators ? api.cases().catch(() => ({ cases: [] })) : Promise.resolve({ cases: [] })), [hasInvestigators]);
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('analyst');
  const [secret, setSecret] = useState<{ user: string; password: string } | undefined>(undefined);
  const [actionError, setActionError] = useState<unknown>(undefined);
  const [grantTarget, setGrantTarget] = useState<Record<string, string>>({});

  const act = async (work: () => Promise<void>) => {
    setActionError(undefined);
    try {
      await work();
      reload();
    } catch (failure) {
      setActionError(failure);
    }
  };

  const add = (event: FormEvent) => {
    event.preventDefault();
    void act(async () => {
      const created = await api.addUser(name.trim(), role);
      setSecret({ user: created.user.name, password: created.password });
      setName('');
    });
  };

  return (
    <div className="page">
      <PageHeader title={t('users.title')} />
      {secret ? (
        <div className="note note-ok secret" role="status">
          {t('users.password', { user: secret.user })} <code className="password" data-testid="one-time-password">{secret.password}</code>
          <span className="muted"> {t('users.once')}</span>
          <button type="button" className="link-button" onClick={() => setSecret(undefined)}>{t('close')}</button>
        </div>
      ) : null}
      <ErrorNote error={actionError} />
      <form className="filter-bar" onSubmit={add}>
        <input value={name} onChange={(e) => setName(e.target.value)} placeholder={t('users.name')} aria-label={t('users.name')} required pattern="[A-Za-z0-9._\-]{1,64}" />
        <select className="select" value={role} onChange={(e) => setRole(e.target.value as Role)} aria-label={t('users.role')}>
          {ROLES.map((r) => <option key={r} value={r}>{t(`role.${r}`)}</option>)}
        </select>
        <button type="submit" className="button button-primary">{t('users.add')}</button>
      </form>
      <ErrorNote error={error} />
      {loading && !data ? <Loading /> : null}
      <table className="table" data-testid="users">
        <thead><tr><th>{t('users.name')}</th><th>{t('users.role')}</th><th>{t('users.created')}</th><th>{t('col.status')}</th><th>{t('users.grants')}</th><th /></tr></thead>
        <tbody>
          {(data?.users ?? []).map((u) => (
            <tr key={u.name} className={u.disabled ? 'disabled' : undefined}>
              <td><strong>{u.name}</strong></td>
              <td>{t(`role.${u.role}`)}</td>
              <td className="nowrap">{formatTime(u.createdAt)}</td>
              <td>{u.disabled ? <span className="status status-dismissed">{t('users.disabled')}</span> : <span className="status status-complete">{t('users.active')}</span>}</td>
              <td>
                {u.grants.map((g) => (
                  <span key={`${g.kind}:${g.target}`} className="chip">
                    {g.kind === 'case' ? `${t('users.case')} ` : ''}{g.target}
                    <button type="button" className="chip-x" aria-label={t('users.revoke')} title={t('users.revoke')} onClick={() => void act(async () => { await api.revoke(u.name, g.kind, g.target); })}>×</button>
                  </span>
                ))}
                {GRANT_KIND[u.role] ? (
                  <span className="grant-form">
                    <select className="select select-small" value={grantTarget[u.name] ?? ''} onChange={(e) => setGrantTarget({ ...grantTarget, [u.name]: e.target.value })} aria-label={t(GRANT_KIND[u.role] === 'case' ? 'users.grantCase' : 'users.grantDataset')}>
                      <option value="">{t(GRANT_KIND[u.role] === 'case' ? 'users.grantCase' : 'users.grantDataset')}</option>
                      {(GRANT_KIND[u.role] === 'case' ? (cases.data?.cases ?? []).map((c) => c.name) : (datasets ?? []).map((d) => d.name))
                        .filter((target) => !u.grants.some((g) => g.kind === GRANT_KIND[u.role] && g.target === target))
                        .map((target) => <option key={target} value={target}>{target}</option>)}
                    </select>
                    <button type="button" className="button button-small" disabled={!grantTarget[u.name]} onClick={() => void act(async () => { await api.grant(u.name, GRANT_KIND[u.role]!, grantTarget[u.name]!); setGrantTarget({ ...grantTarget, [u.name]: '' }); })}>{t('users.grant')}</button>
                  </span>
                ) : null}
              </td>
              <td className="actions">
                <button type="button" className="button button-small" onClick={() => void act(async () => { const r = await api.resetPassword(u.name); setSecret({ user: r.user, password: r.password }); })}>{t('users.reset')}</button>
                <button type="button" className="button button-small" onClick={() => void act(async () => { await api.setDisabled(u.name, !u.disabled); })}>{u.disabled ? t('users.enable') : t('users.disable')}</button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
