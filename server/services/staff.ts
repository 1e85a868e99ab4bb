/**
 * Staff accounts: enrolment invitations, disabling a person, changing a role. Plain
 * functions over the database; no Hono context. Every change is written to the audit log in the same
 * transaction as the change itself.
 *
 * An invitation is a single-use link valid 48 hours. Its token (32 random bytes) appears only in the
 * link; the database keeps its SHA-256, so a copy of the database enrols no one. The invited address
 * is stored encrypted, bound to the invitation row.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { invitationEmailContext, userEmailContext } from '../crypto/contexts';
import { z } from 'zod';
import type { Config } from '../config';
import type { BlindIndex, FieldCipher } from '../crypto/fields';
import type { Db } from '../db/client';
import { organisationName } from '../db/requests';
import {
  deleteUserSessions,
  insertInvitation,
  ROLES,
  updateUser,
  userByEmailIndex,
  userById,
  type InvitationRecord,
  type Role,
  type UserRecord,
} from '../db/staff';
import { appendAudit, auditKey } from './audit';
import { CNAM_ID } from '../domain/routing';

export { ROLES, type Role } from '../db/staff';

export const INVITATION_HOURS = 48;

export type StaffDeps = {
  db: Db;
  cipher: FieldCipher;
  index: BlindIndex;
  config: Pick<Config, 'publicUrl' | 'sessionSecret'>;
  now: () => Date;
};

/** Why a staff change was refused; stable (admin pages map it to a message key). */
export type StaffRefusal =
  'email_invalid' | 'role_invalid' | 'organisation_required' | 'organisation_unknown' | 'email_taken' | 'user_unknown' | 'user_disabled';
/** What the staff account functions return: the value, or why it was refused. */
export type StaffResult<T> = { ok: true; value: T } | { ok: false; code: StaffRefusal };
const refused = (code: StaffRefusal): { ok: false; code: StaffRefusal } => ({ ok: false, code });

/**
 * A refusal as a thrown error, for the callers that want one: `npm run admin:invite` and tests. The
 * services use the returned results (inviteStaff, disableStaff, enableStaff, changeStaffRole).
 */
export class StaffInputError extends Error {
  override name = 'StaffInputError';
  constructor(
    readonly code: StaffRefusal,
    options?: { cause?: unknown },
  ) {
    super(`Staff input refused: ${code}`, options);
  }
}

function orThrow<T>(result: StaffResult<T>): T {
  if (!result.ok) throw new StaffInputError(result.code);
  return result.value;
}

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

const emailSchema = z.string().trim().min(3).max(254).email();

/** The e-mail address, trimmed, if it is one; undefined otherwise. */
export function validEmail(value: unknown): string | undefined {
  const parsed = emailSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** The organisation a role belongs to: a DPO needs theirs; the CNAM role is the CNAM's. */
function organisationFor(db: Db, role: Role, organisationId: string | null | undefined): StaffResult<string | null> {
  const id = role === 'cnam' ? (organisationId ?? CNAM_ID) : role === 'dpo' ? organisationId : null;
  if (role === 'dpo' && !id) return refused('organisation_required');
  if (id && !organisationName(db, id)) return refused('organisation_unknown');
  return { ok: true, value: id ?? null };
}

export type NewInvitation = { token: string; url: string; expiresAt: string };

/**
 * Creates a single-use enrolment link. Without `userId` the link creates a new person with `role`;
 * with `userId` it adds a passkey to that existing person (their role is unchanged), which is how a
 * person who lost every passkey gets back in. An address that already belongs to someone is refused
 * unless `userId` names them.
 */
export type InvitationRequest = { email: string; role: Role; organisationId?: string | null; createdBy?: string; userId?: string };

export function inviteStaff(deps: StaffDeps, input: InvitationRequest): StaffResult<NewInvitation> {
  const email = validEmail(input.email);
  if (!email) return refused('email_invalid');
  if (!ROLES.includes(input.role)) return refused('role_invalid');
  let role = input.role;
  let organisationId: string | null;
  if (input.userId) {
    const user = userById(deps.db, input.userId);
    if (!user) return refused('user_unknown');
    if (user.disabledAt) return refused('user_disabled');
    role = user.role;
    organisationId = user.organisationId;
  } else {
    if (userByEmailIndex(deps.db, deps.index.email(email))) return refused('email_taken');
    const organisation = organisationFor(deps.db, role, input.organisationId);
    if (!organisation.ok) return organisation;
    organisationId = organisation.value;
  }

  const token = randomBytes(32).toString('base64url');
  const tokenHash = hashToken(token);
  const now = deps.now();
  const expiresAt = new Date(now.getTime() + INVITATION_HOURS * 3_600_000).toISOString();
  const actor = input.createdBy ? `user:${input.createdBy}` : 'system';
  deps.db.transaction(
    (tx) => {
      insertInvitation(tx, {
        tokenHash,
        emailEnc: deps.cipher.encrypt(email, invitationEmailContext(tokenHash)),
        role,
        organisationId,
        userId: input.userId ?? null,
        createdBy: input.createdBy ?? null,
        createdAt: now.toISOString(),
        expiresAt,
      });
      appendAudit(
        tx,
        auditKey(deps.config.sessionSecret),
        {
          actor,
          action: 'invitation.create',
          targetType: 'invitation',
          targetId: tokenHash.slice(0, 16),
          detail: { role, forExistingUser: !!input.userId, expiresAt },
        },
        now,
      );
    },
    { behavior: 'immediate' },
  );
  return { ok: true, value: { token, url: `${deps.config.publicUrl.origin}/espace-pro/invitation/${token}`, expiresAt } };
}

/** inviteStaff, throwing StaffInputError on a refusal. */
export const createInvitation = (deps: StaffDeps, input: InvitationRequest): NewInvitation => orThrow(inviteStaff(deps, input));

/** The address an invitation was sent to. */
export function invitationEmail(deps: Pick<StaffDeps, 'cipher'>, invitation: InvitationRecord): string {
  return deps.cipher.decrypt(invitation.emailEnc, invitationEmailContext(invitation.tokenHash));
}

/** Encrypts a person's address for the users table (bound to their row). */
export function encryptUserEmail(deps: Pick<StaffDeps, 'cipher'>, userId: string, email: string): string {
  return deps.cipher.encrypt(email, userEmailContext(userId));
}

/** A person's address, decrypted (for the admin pages and for the authenticator's account name). */
export function userEmail(deps: Pick<StaffDeps, 'cipher'>, user: Pick<UserRecord, 'id' | 'emailEnc'>): string {
  return deps.cipher.decrypt(user.emailEnc, userEmailContext(user.id));
}

/**
 * Who is signed in, as the back office's header says it to that person: their address and, for a DPO,
 * their organisation's name. An address that cannot be decrypted (a retired key) is left out rather than
 * closing every page of the back office to its owner.
 */
export function signedInAs(
  deps: Pick<StaffDeps, 'db' | 'cipher'>,
  user: Pick<UserRecord, 'id' | 'emailEnc' | 'role' | 'organisationId'>,
): { email?: string; organisationName?: string } {
  let email: string | undefined;
  try {
    email = userEmail(deps, user);
  } catch {
    email = undefined;
  }
  const organisation = user.role === 'dpo' && user.organisationId ? (organisationName(deps.db, user.organisationId) ?? user.organisationId) : undefined;
  return { ...(email ? { email } : {}), ...(organisation ? { organisationName: organisation } : {}) };
}

/** A new, random user handle for WebAuthn: 32 bytes, tied to nothing about the person (W3C WebAuthn §14.6.1). */
export const newUserHandle = () => randomBytes(32).toString('base64url');
export const newUserId = () => randomUUID();

/**
 * Disables a person: they can no longer sign in, and every session they have ends now. Returns the
 * number of sessions ended. Disabling someone already disabled changes nothing and is not logged again.
 */
export function disableStaff(deps: Pick<StaffDeps, 'db' | 'config' | 'now'>, input: { userId: string; actor: string }): StaffResult<number> {
  const now = deps.now();
  return deps.db.transaction(
    (tx): StaffResult<number> => {
      const user = userById(tx, input.userId);
      if (!user) return refused('user_unknown');
      if (user.disabledAt) return { ok: true, value: 0 };
      updateUser(tx, user.id, { disabledAt: now.toISOString() });
      const ended = deleteUserSessions(tx, user.id);
      appendAudit(
        tx,
        auditKey(deps.config.sessionSecret),
        { actor: input.actor, action: 'user.disable', targetType: 'user', targetId: user.id, detail: { sessionsEnded: ended } },
        now,
      );
      return { ok: true, value: ended };
    },
    { behavior: 'immediate' },
  );
}

/** disableStaff, throwing StaffInputError on a refusal. */
export const disableUser = (deps: Pick<StaffDeps, 'db' | 'config' | 'now'>, input: { userId: string; actor: string }): number =>
  orThrow(disableStaff(deps, input));

/** Lets a disabled person sign in again with the passkeys they still have. */
export function enableStaff(deps: Pick<StaffDeps, 'db' | 'config' | 'now'>, input: { userId: string; actor: string }): StaffResult<null> {
  const now = deps.now();
  return deps.db.transaction(
    (tx): StaffResult<null> => {
      const user = userById(tx, input.userId);
      if (!user) return refused('user_unknown');
      if (!user.disabledAt) return { ok: true, value: null };
      updateUser(tx, user.id, { disabledAt: null });
      appendAudit(tx, auditKey(deps.config.sessionSecret), { actor: input.actor, action: 'user.enable', targetType: 'user', targetId: user.id }, now);
      return { ok: true, value: null };
    },
    { behavior: 'immediate' },
  );
}

/** enableStaff, throwing StaffInputError on a refusal. */
export const enableUser = (deps: Pick<StaffDeps, 'db' | 'config' | 'now'>, input: { userId: string; actor: string }): void => {
  orThrow(enableStaff(deps, input));
};

/**
 * Changes a person's role (and organisation, for a DPO). Sessions are read afresh on each request, so
 * the new role applies from the next page on.
 */
export type RoleChange = { userId: string; role: Role; organisationId?: string | null; actor: string };

export function changeStaffRole(deps: Pick<StaffDeps, 'db' | 'config' | 'now'>, input: RoleChange): StaffResult<UserRecord> {
  if (!ROLES.includes(input.role)) return refused('role_invalid');
  const now = deps.now();
  return deps.db.transaction(
    (tx): StaffResult<UserRecord> => {
      const user = userById(tx, input.userId);
      if (!user) return refused('user_unknown');
      const organisation = organisationFor(tx, input.role, input.organisationId);
      if (!organisation.ok) return organisation;
      const organisationId = organisation.value;
      updateUser(tx, user.id, { role: input.role, organisationId });
      appendAudit(
        tx,
        auditKey(deps.config.sessionSecret),
        { actor: input.actor, action: 'user.role', targetType: 'user', targetId: user.id, detail: { from: user.role, to: input.role, organisationId } },
        now,
      );
      return { ok: true, value: { ...user, role: input.role, organisationId } };
    },
    { behavior: 'immediate' },
  );
}

/** changeStaffRole, throwing StaffInputError on a refusal. */
export const changeRole = (deps: Pick<StaffDeps, 'db' | 'config' | 'now'>, input: RoleChange): UserRecord => orThrow(changeStaffRole(deps, input));
