// Writes what a caller did to the append-only audit log. A route awaits it before answering, so
// no search or view is shown that the log does not hold.
import type { Context } from 'hono';
import type { AppEnv, ServerDeps } from './context.ts';

export async function recordAction(deps: ServerDeps, c: Context<AppEnv>, action: string, target: string | undefined, details: Record<string, unknown> = {}): Promise<void> {
  await deps.store.appendAudit({ actor: c.get('caller').user.name, action, ...(target === undefined ? {} : { target }), details });
}
