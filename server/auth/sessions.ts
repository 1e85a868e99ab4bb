/**
 * Staff sessions: a random 256-bit id in a cookie, only its SHA-256 in the database, so a
 * copy of the database opens no session. A new id at every sign-in (no fixation), 30 minutes idle and
 * 12 hours absolute, deleted at sign-out, and all of a user's sessions end when the user is disabled.
 * Over https the cookie is `__Host-` prefixed (Secure, Path=/, no Domain), HttpOnly and SameSite=Lax.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import type { Db } from '../db/client';
import { deleteSession, insertSession, sessionByHash, touchSession, userById, type UserRecord } from '../db/staff';
import { cookie } from '../http';

export const IDLE_MINUTES = 30;
export const ABSOLUTE_HOURS = 12;

export const sessionCookieName = (secure: boolean) => (secure ? '__Host-session' : 'session');
const hashId = (id: string) => createHash('sha256').update(id).digest('hex');

export type StaffSession = { user: UserRecord; idHash: string };

/**
 * Opens a session for a person and returns its id (for the cookie); only its hash is stored.
 * A session id that existed before sign-in is dropped, never promoted: no session fixation.
 */
export function openSession(db: Db, userId: string, now: Date, previousId?: string): string {
  if (previousId) deleteSession(db, hashId(previousId));
  const id = randomBytes(32).toString('base64url');
  const nowIso = now.toISOString();
  insertSession(db, {
    idHash: hashId(id),
    userId,
    createdAt: nowIso,
    lastSeenAt: nowIso,
    expiresAt: new Date(now.getTime() + ABSOLUTE_HOURS * 3_600_000).toISOString(),
  });
  return id;
}

/** Ends the session behind an id, if there is one. */
export function closeSession(db: Db, id: string | undefined): void {
  if (id) deleteSession(db, hashId(id));
}

/** Gives the browser its session id, opened by openSession. */
export function setSessionCookie(c: Context, id: string, secure: boolean): void {
  setCookie(c, sessionCookieName(secure), id, { path: '/', httpOnly: true, secure, sameSite: 'Lax', maxAge: ABSOLUTE_HOURS * 3600 });
}

export function clearSessionCookie(c: Context, secure: boolean): void {
  deleteCookie(c, sessionCookieName(secure), { path: '/', secure });
}

/** The signed-in user, or undefined; an idle, expired or disabled session is deleted on the way. */
export function readSession(c: Context, db: Db, now: Date, secure: boolean): StaffSession | undefined {
  const id = cookie(c, sessionCookieName(secure));
  if (!id || !/^[A-Za-z0-9_-]{43}$/.test(id)) return undefined;
  const idHash = hashId(id);
  const session = sessionByHash(db, idHash);
  if (!session) return undefined;
  const nowIso = now.toISOString();
  const idleLimit = new Date(now.getTime() - IDLE_MINUTES * 60_000).toISOString();
  const user = userById(db, session.userId);
  if (session.expiresAt <= nowIso || session.lastSeenAt <= idleLimit || !user || user.disabledAt) {
    deleteSession(db, idHash);
    return undefined;
  }
  // Touch at most once a minute: a page view should not always write.
  if (now.getTime() - Date.parse(session.lastSeenAt) > 60_000) touchSession(db, idHash, nowIso);
  return { user, idHash };
}

export function currentSessionId(c: Context, secure: boolean): string | undefined {
  return cookie(c, sessionCookieName(secure));
}
