/**
 * A member of staff's passkeys: enrolment from an invitation (invitation → person →
 * credential), adding a passkey while signed in, renaming and revoking one. Plain functions over the
 * database: the route parses the form, calls one of these, then renders or redirects. The WebAuthn
 * ceremonies themselves are server/auth/webauthn.ts; every outcome is written to the audit log with a
 * hash of the credential id, never the browser's response, in the same transaction as the change.
 */
import type { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/server';
import type { Config } from '../config';
import type { Db } from '../db/client';
import {
  consumeInvitation,
  credentialById,
  credentialsOf,
  deleteCredential,
  deleteUserSessions,
  insertCredential,
  insertUser,
  renameCredential,
  usableInvitation,
  userByEmailIndex,
  userById,
  type CredentialRecord,
  type InvitationRecord,
  type UserRecord,
} from '../db/staff';
import { openSession } from '../auth/sessions';
import { credentialIdHash, finishRegistration, startRegistration } from '../auth/webauthn';
import { appendAudit, auditKey } from './audit';
import { encryptUserEmail, hashToken, invitationEmail, newUserHandle, newUserId, userEmail, type StaffDeps } from './staff';

export type StaffPasskeyDeps = Omit<StaffDeps, 'config'> & { config: Pick<Config, 'publicUrl' | 'sessionSecret' | 'webauthn'> };

const PASSKEY_NAME_MAX = 60;
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export type PasskeyNameError = 'nameRequired' | 'nameTooLong';

/** A passkey's name: required, 60 characters at most. */
export function checkPasskeyName(raw: string | undefined): { name: string; error?: PasskeyNameError } {
  const name = (raw ?? '').replace(/\s+/g, ' ').trim();
  if (!name) return { name, error: 'nameRequired' };
  if (name.length > PASSKEY_NAME_MAX) return { name, error: 'nameTooLong' };
  return { name };
}

export type RegistrationCeremony = { challengeId: string; options: PublicKeyCredentialCreationOptionsJSON };
export type Ceremony = { challengeId: string; response: string };

const audit = (deps: Pick<StaffPasskeyDeps, 'config'>, db: Db, now: Date, input: Parameters<typeof appendAudit>[2]) =>
  appendAudit(db, auditKey(deps.config.sessionSecret), input, now);

/* ---------- Enrolment from an invitation ---------- */

/** The invitation behind a token, if it can still be used (unused, within 48 h, its person active). */
export function invitationFor(deps: Pick<StaffPasskeyDeps, 'db' | 'now'>, token: string): InvitationRecord | undefined {
  if (!TOKEN.test(token)) return undefined;
  const invitation = usableInvitation(deps.db, hashToken(token), deps.now().toISOString());
  if (!invitation) return undefined;
  if (invitation.userId) {
    const user = userById(deps.db, invitation.userId);
    if (!user || user.disabledAt) return undefined;
  }
  return invitation;
}

/** What the invitation page shows, with a fresh registration challenge bound to the invitation. */
export async function invitationCeremony(deps: StaffPasskeyDeps, invitation: InvitationRecord): Promise<RegistrationCeremony & { existingUser: boolean }> {
  const email = invitationEmail(deps, invitation);
  const existing = invitation.userId ? userById(deps.db, invitation.userId) : undefined;
  // A new person gets a random handle now; it is kept with the challenge until the passkey is verified.
  const userHandle = existing?.handle ?? newUserHandle();
  const ceremony = await startRegistration(deps, {
    userHandle,
    userName: email,
    exclude: existing ? credentialsOf(deps.db, existing.id) : [],
    bind: { userId: existing?.id ?? userHandle, invitationHash: invitation.tokenHash },
  });
  return { ...ceremony, existingUser: !!existing };
}

export type EnrolmentResult = { ok: true; userId: string; sessionId: string } | { ok: false; reason: 'ceremony' | 'conflict' };

class EnrolmentConflict extends Error {
  override name = 'EnrolmentConflict';
}

/**
 * Uses an invitation: verifies the passkey, then in one transaction consumes the invitation, creates
 * the person (or finds the existing one), stores the credential and logs it. `conflict`: the invitation
 * was used in between, its person disabled, or the address taken meanwhile. On success the person is
 * signed in: a new session (the id the browser had before is dropped) whose id goes in the cookie.
 */
export async function enrolFromInvitation(
  deps: StaffPasskeyDeps,
  input: { invitation: InvitationRecord; name: string; previousSessionId?: string } & Ceremony,
): Promise<EnrolmentResult> {
  const { invitation, name } = input;
  const result = await finishRegistration(deps, { challengeId: input.challengeId, response: input.response, bind: { invitationHash: invitation.tokenHash } });
  if (!result.ok) {
    audit(deps, deps.db, deps.now(), {
      actor: invitation.userId ? `user:${invitation.userId}` : 'anonymous',
      action: 'enrol.failed',
      targetType: 'invitation',
      targetId: invitation.tokenHash.slice(0, 16),
      detail: { reason: result.reason, credential: result.credentialIdHash ?? null },
    });
    return { ok: false, reason: 'ceremony' };
  }
  const now = deps.now();
  const nowIso = now.toISOString();
  try {
    const userId = deps.db.transaction(
      (d) => {
        if (!consumeInvitation(d, invitation.tokenHash, nowIso)) throw new EnrolmentConflict('invitation already used');
        let id: string;
        if (invitation.userId) {
          const user = userById(d, invitation.userId);
          if (!user || user.disabledAt) throw new EnrolmentConflict('user disabled');
          id = user.id;
        } else {
          const email = invitationEmail(deps, invitation);
          const emailIndex = deps.index.email(email);
          if (userByEmailIndex(d, emailIndex)) throw new EnrolmentConflict('address taken');
          id = newUserId();
          insertUser(d, {
            id,
            handle: result.challenge.userId!,
            emailEnc: encryptUserEmail(deps, id, email),
            emailIndex,
            role: invitation.role,
            organisationId: invitation.organisationId,
            createdAt: nowIso,
          });
        }
        insertCredential(d, { ...result.credential, userId: id, name, createdAt: nowIso, lastUsedAt: null });
        audit(deps, d, now, {
          actor: `user:${id}`,
          action: 'enrol',
          targetType: 'credential',
          targetId: credentialIdHash(result.credential.id),
          detail: { invitation: invitation.tokenHash.slice(0, 16), newUser: !invitation.userId, role: invitation.role },
        });
        return id;
      },
      { behavior: 'immediate' },
    );
    return { ok: true, userId, sessionId: openSession(deps.db, userId, now, input.previousSessionId) };
  } catch (err) {
    if (err instanceof EnrolmentConflict) return { ok: false, reason: 'conflict' };
    throw err;
  }
}

/* ---------- A signed-in person's passkeys ---------- */

export type PasskeyListItem = Pick<CredentialRecord, 'id' | 'name' | 'createdAt' | 'lastUsedAt' | 'backedUp'>;

/** The person's passkeys and a registration challenge to add one more. */
export async function passkeysPage(deps: StaffPasskeyDeps, user: UserRecord): Promise<{ passkeys: PasskeyListItem[]; add: RegistrationCeremony }> {
  const passkeys = credentialsOf(deps.db, user.id);
  const add = await startRegistration(deps, { userHandle: user.handle, userName: userEmail(deps, user), exclude: passkeys, bind: { userId: user.id } });
  return { passkeys: passkeys.map((p) => ({ id: p.id, name: p.name, createdAt: p.createdAt, lastUsedAt: p.lastUsedAt, backedUp: p.backedUp })), add };
}

/** How many passkeys a person has (the back office home suggests a second one). */
export const passkeyCount = (deps: Pick<StaffPasskeyDeps, 'db'>, userId: string) => credentialsOf(deps.db, userId).length;

/** Adds a passkey for the signed-in person (a registration ceremony bound to them). */
export async function addPasskey(deps: StaffPasskeyDeps, input: { userId: string; name: string } & Ceremony): Promise<{ ok: boolean }> {
  const result = await finishRegistration(deps, { challengeId: input.challengeId, response: input.response, bind: { userId: input.userId } });
  const now = deps.now();
  if (!result.ok) {
    audit(deps, deps.db, now, {
      actor: `user:${input.userId}`,
      action: 'passkey.add.failed',
      ...(result.credentialIdHash ? { targetType: 'credential', targetId: result.credentialIdHash } : {}),
      detail: { reason: result.reason },
    });
    return { ok: false };
  }
  deps.db.transaction(
    (d) => {
      insertCredential(d, { ...result.credential, userId: input.userId, name: input.name, createdAt: now.toISOString(), lastUsedAt: null });
      audit(deps, d, now, { actor: `user:${input.userId}`, action: 'passkey.add', targetType: 'credential', targetId: credentialIdHash(result.credential.id) });
    },
    { behavior: 'immediate' },
  );
  return { ok: true };
}

/** The position of one of the person's passkeys in their list (the rename form's field), or -1. */
export const ownPasskeyIndex = (deps: Pick<StaffPasskeyDeps, 'db'>, userId: string, credentialId: string) =>
  credentialsOf(deps.db, userId).findIndex((p) => p.id === credentialId);

/** Renames one of the person's passkeys; false when it is not theirs. */
export function renamePasskey(deps: Pick<StaffPasskeyDeps, 'db' | 'config' | 'now'>, input: { userId: string; credentialId: string; name: string }): boolean {
  const now = deps.now();
  return deps.db.transaction(
    (d) => {
      if (renameCredential(d, input.userId, input.credentialId, input.name) === 0) return false;
      audit(deps, d, now, {
        actor: `user:${input.userId}`,
        action: 'passkey.rename',
        targetType: 'credential',
        targetId: credentialIdHash(input.credentialId),
      });
      return true;
    },
    { behavior: 'immediate' },
  );
}

/** One of the person's passkeys, or undefined: someone else's passkey does not exist for them. */
export function ownPasskey(
  deps: Pick<StaffPasskeyDeps, 'db'>,
  userId: string,
  credentialId: string | undefined,
): { passkey: CredentialRecord; isLast: boolean } | undefined {
  const passkey = credentialId ? credentialById(deps.db, credentialId) : undefined;
  if (!passkey || passkey.userId !== userId) return undefined;
  return { passkey, isLast: credentialsOf(deps.db, userId).length <= 1 };
}

export type RevocationResult = { ok: true; sessionId: string } | { ok: false; reason: 'unknown' | 'last'; passkey?: CredentialRecord };

/** Removes one of the person's passkeys, never their last one; this browser keeps a session, under a new id. */
export function revokePasskey(
  deps: Pick<StaffPasskeyDeps, 'db' | 'config' | 'now'>,
  input: { userId: string; credentialId: string | undefined },
): RevocationResult {
  const own = ownPasskey(deps, input.userId, input.credentialId);
  if (!own) return { ok: false, reason: 'unknown' };
  if (own.isLast) return { ok: false, reason: 'last', passkey: own.passkey };
  const now = deps.now();
  deps.db.transaction(
    (d) => {
      deleteCredential(d, input.userId, own.passkey.id);
      // A removed passkey may be a lost one: every session it could have opened ends with it.
      const ended = deleteUserSessions(d, input.userId);
      audit(deps, d, now, {
        actor: `user:${input.userId}`,
        action: 'passkey.revoke',
        targetType: 'credential',
        targetId: credentialIdHash(own.passkey.id),
        detail: { sessionsEnded: ended },
      });
    },
    { behavior: 'immediate' },
  );
  return { ok: true, sessionId: openSession(deps.db, input.userId, now) };
}
