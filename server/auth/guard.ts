/**
 * The back office's gate. `staffArea` reads the session on every /espace-pro request (and
 * who it is, for the header) and marks personal pages `no-store`; `requireRole` lets in the roles
 * named, sends a visitor who is not signed in to the sign-in page, and answers 404 to a signed-in user
 * without the role, logging the attempt in the audit log: the back office does not reveal what exists
 * to those who may not see it.
 */
import { HTTPException } from 'hono/http-exception';
import { factory, type AppDeps } from '../context';
import type { Role } from '../db/staff';
import { auditThrough } from '../services/audit';
import { signedInAs } from '../services/staff';
import { readSession } from './sessions';

export function staffArea(deps: Pick<AppDeps, 'database' | 'now' | 'config' | 'cipher'>) {
  const secure = deps.config.publicUrl.protocol === 'https:';
  return factory.createMiddleware(async (c, next) => {
    const session = readSession(c, deps.database.db, deps.now(), secure);
    if (session) {
      c.set('staff', session);
      // The header says who is signed in (views/layouts/Layout.tsx).
      c.set('staffWho', signedInAs({ db: deps.database.db, cipher: deps.cipher }, session.user));
    }
    c.header('Cache-Control', 'no-store');
    await next();
  });
}

/** Records a staff action or a refused access in the audit log. */
export function auditFor(deps: Pick<AppDeps, 'database' | 'now' | 'config'>) {
  return auditThrough(deps.database.db, deps.config.sessionSecret, deps.now);
}

export function requireRole(deps: Pick<AppDeps, 'database' | 'now' | 'config'>, roles: readonly Role[]) {
  const audit = auditFor(deps);
  return factory.createMiddleware(async (c, next) => {
    const staff = c.get('staff');
    if (!staff) {
      const back = c.req.method === 'GET' ? `?retour=${encodeURIComponent(c.req.path)}` : '';
      return c.redirect(`/espace-pro/connexion${back}`, 303);
    }
    if (!roles.includes(staff.user.role)) {
      audit(`user:${staff.user.id}`, 'access.refused', { type: 'path', id: c.req.path.slice(0, 200) }, { role: staff.user.role });
      throw new HTTPException(404, { message: 'Not found for this role' });
    }
    await next();
  });
}
