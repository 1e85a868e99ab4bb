/**
 * Signing in to and out of the back office, and what the home page says to whoever is
 * signed in. Plain functions: the route parses the form, calls one of these, and only sets or clears
 * the cookie with the id returned here (server/auth/sessions.ts). The audit log records every outcome
 * with a hash of the credential id, never the browser's response.
 */
import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { closeSession, openSession } from '../auth/sessions';
import { claimedAccount, credentialIdHash, finishAuthentication, startAuthentication } from '../auth/webauthn';
import { deliveryTrouble } from '../db/deliveries';
import type { UserRecord } from '../db/staff';
import { appendAudit, auditKey } from './audit';
import { passkeyCount } from './staff-passkeys';
import type { StaffPasskeyDeps } from './staff-passkeys';

export type StaffSessionDeps = Pick<StaffPasskeyDeps, 'db' | 'config' | 'now'>;

/** A fresh authentication challenge for the sign-in page. */
export function signInCeremony(deps: StaffSessionDeps): Promise<{ challengeId: string; options: PublicKeyCredentialRequestOptionsJSON }> {
  return startAuthentication(deps);
}

/** The account a sign-in response claims (its credential's owner), for rate limiting per account. */
export const accountClaimed = (deps: Pick<StaffSessionDeps, 'db'>, response: string) => claimedAccount(deps, response);

export type SignInResult = { ok: true; userId: string; sessionId: string } | { ok: false };

/** Verifies a passkey and opens a new session; the id the browser had before is dropped. */
export async function signIn(deps: StaffSessionDeps, input: { challengeId: string; response: string; previousSessionId?: string }): Promise<SignInResult> {
  const key = auditKey(deps.config.sessionSecret);
  const result = await finishAuthentication(deps, { challengeId: input.challengeId, response: input.response });
  if (!result.ok) {
    appendAudit(
      deps.db,
      key,
      {
        actor: result.userId ? `user:${result.userId}` : 'anonymous',
        action: 'signin.failed',
        ...(result.credentialIdHash ? { targetType: 'credential', targetId: result.credentialIdHash } : {}),
        detail: { reason: result.reason },
      },
      deps.now(),
    );
    return { ok: false };
  }
  // A new session id at every sign-in; whatever id the browser had before is dropped.
  const sessionId = openSession(deps.db, result.user.id, deps.now(), input.previousSessionId);
  appendAudit(
    deps.db,
    key,
    { actor: `user:${result.user.id}`, action: 'signin', targetType: 'credential', targetId: credentialIdHash(result.credentialId) },
    deps.now(),
  );
  return { ok: true, userId: result.user.id, sessionId };
}

/** Ends the browser's session; logged when someone was signed in. */
export function signOut(deps: StaffSessionDeps, input: { sessionId?: string; userId?: string }): void {
  closeSession(deps.db, input.sessionId);
  if (input.userId) appendAudit(deps.db, auditKey(deps.config.sessionSecret), { actor: `user:${input.userId}`, action: 'signout' }, deps.now());
}

/**
 * The back office home: how many passkeys the person has, and deliveries in trouble: every one for an
 * administrator, those of their organisation for a DPO or the CNAM.
 */
export function staffHome(
  deps: Pick<StaffSessionDeps, 'db'>,
  user: Pick<UserRecord, 'id' | 'role' | 'organisationId'>,
): { passkeyCount: number; trouble?: { dead: number; retrying: number } } {
  const { role, organisationId } = user;
  const trouble =
    role === 'admin' ? deliveryTrouble(deps.db) : (role === 'dpo' || role === 'cnam') && organisationId ? deliveryTrouble(deps.db, organisationId) : undefined;
  return { passkeyCount: passkeyCount(deps, user.id), ...(trouble ? { trouble } : {}) };
}
