/**
 * Staff accounts and signed-in browsers made directly in the database, as enrolment and sign-in would
 * leave them: the address encrypted with its one context, a session row whose id only the cookie knows.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { insertSession, insertUser, type Role } from '../../server/db/staff';
import { encryptUserEmail } from '../../server/services/staff';
import type { TestApp } from './app';
import { client } from './client';

export type Staff = { id: string; role: Role };

export function staffUser(t: TestApp, role: Role, organisationId: string | null, at: Date, email = `${role}-${randomUUID().slice(0, 8)}@example.org`): Staff {
  const id = randomUUID();
  insertUser(t.deps.database.db, {
    id,
    handle: randomBytes(16).toString('base64url'),
    emailEnc: encryptUserEmail(t.deps, id, email),
    emailIndex: t.deps.index.email(email),
    role,
    organisationId,
    createdAt: at.toISOString(),
  });
  return { id, role };
}

/** A browser signed in as this user, for 12 hours from `at`. */
export function signedIn(t: TestApp, user: { id: string }, at: Date) {
  const c = client(t);
  const sessionId = randomBytes(32).toString('base64url');
  const nowIso = at.toISOString();
  insertSession(t.deps.database.db, {
    idHash: createHash('sha256').update(sessionId).digest('hex'),
    userId: user.id,
    createdAt: nowIso,
    lastSeenAt: nowIso,
    expiresAt: new Date(at.getTime() + 12 * 3_600_000).toISOString(),
  });
  c.jar.set('session', sessionId);
  return c;
}
