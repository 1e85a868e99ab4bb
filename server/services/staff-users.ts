/**
 * Staff users, as administrators see and change them: invite, change role, disable.
 * Invitations, role changes and disabling are server/services/staff.ts's (shared with the passkey
 * side and `npm run admin:invite`); this file adds the form schemas and the administrators' own rules,
 * and turns staff.ts's thrown refusals into returned outcomes.
 */
import { z } from 'zod';
import type { Db } from '../db/client';
import { organisationById } from '../db/register';
export { activeUserCount } from '../db/staff-admin';
import { allUsers, ROLES, userById, type Role, type UserRecord } from '../db/staff';
import { adminKey, fail, optionalText, type AdminDeps, type AdminError, type Outcome } from './admin-outcome';
import { changeStaffRole, disableStaff, inviteStaff, userEmail, type StaffRefusal, type StaffResult } from './staff';
import { organisationChoices } from './staff-organisations';

export type UserView = {
  id: string;
  /** Null when it cannot be decrypted (a retired key): the page says so rather than failing. */
  email: string | null;
  role: Role;
  organisationId: string | null;
  organisationName: string | null;
  createdAt: string;
  disabledAt: string | null;
};

function userView(deps: Pick<AdminDeps, 'db' | 'cipher'>, u: UserRecord, names: Map<string, string>): UserView {
  let email: string | null = null;
  try {
    email = userEmail(deps, u);
  } catch {
    email = null;
  }
  return {
    id: u.id,
    email,
    role: u.role,
    organisationId: u.organisationId,
    organisationName: u.organisationId ? (names.get(u.organisationId) ?? u.organisationId) : null,
    createdAt: u.createdAt,
    disabledAt: u.disabledAt,
  };
}

/** Staff e-mail addresses are shown to administrators (they are not requesters' identity data). */
export function userViews(deps: Pick<AdminDeps, 'db' | 'cipher'>): UserView[] {
  const names = new Map(organisationChoices(deps.db).map((o) => [o.id, o.name]));
  return allUsers(deps.db).map((u) => userView(deps, u, names));
}

export function userViewById(deps: Pick<AdminDeps, 'db' | 'cipher'>, id: string): UserView | undefined {
  const u = userById(deps.db, id);
  if (!u) return undefined;
  const org = u.organisationId ? organisationById(deps.db, u.organisationId) : undefined;
  return userView(deps, u, new Map(org ? [[org.id, org.name]] : []));
}

/** Role and organisation: a DPO belongs to one organisation; a CNAM agent to the CNAM; others to none. */
const roleFields = () => ({
  role: z.enum(ROLES, { errorMap: () => ({ message: 'role.required' }) }),
  organisationId: optionalText(80),
});
function checkOrganisation(db: Db) {
  return (v: { role: Role; organisationId?: string }, ctx: z.RefinementCtx) => {
    if (v.role !== 'dpo') return;
    if (!v.organisationId) ctx.addIssue({ code: 'custom', path: ['organisationId'], message: 'organisationId.required' });
    else if (!organisationById(db, v.organisationId)) ctx.addIssue({ code: 'custom', path: ['organisationId'], message: 'organisationId.unknown' });
  };
}
/** Only a DPO's choice of organisation counts: the CNAM role is the CNAM's (server/services/staff.ts). */
const organisationFor = (role: Role, organisationId: string | undefined) => (role === 'dpo' ? (organisationId ?? null) : null);

export function invitationSchema(db: Db) {
  return z
    .object({
      email: z.preprocess(
        (v) => (typeof v === 'string' ? v.trim() : v),
        z.string({ required_error: 'email.required' }).min(1, 'email.required').max(254, 'email.invalid').email('email.invalid'),
      ),
      ...roleFields(),
    })
    .superRefine(checkOrganisation(db));
}
export type InvitationInput = z.infer<ReturnType<typeof invitationSchema>>;

export function roleSchema(db: Db) {
  return z.object(roleFields()).superRefine(checkOrganisation(db));
}
export type RoleInput = z.infer<ReturnType<typeof roleSchema>>;

/** server/services/staff.ts refusals, as form errors. */
const STAFF_ERRORS: Record<StaffRefusal, AdminError> = {
  email_invalid: { field: 'email', key: adminKey('email.invalid') },
  email_taken: { field: 'email', key: adminKey('email.taken') },
  role_invalid: { field: 'role', key: adminKey('role.required') },
  organisation_required: { field: 'organisationId', key: adminKey('organisationId.required') },
  organisation_unknown: { field: 'organisationId', key: adminKey('organisationId.unknown') },
  user_unknown: { field: 'role', key: adminKey('user.unknown') },
  user_disabled: { field: 'role', key: adminKey('user.disabled') },
};

function staffOutcome<T>(result: StaffResult<T>, field?: string): Outcome<T> {
  if (result.ok) return result;
  const e = STAFF_ERRORS[result.code];
  return { ok: false, errors: [field ? { ...e, field } : e] };
}

const staffDeps = (deps: AdminDeps) => ({ db: deps.db, cipher: deps.cipher, index: deps.index, config: deps.config, now: deps.now });
const userIdOf = (actor: string) => (actor.startsWith('user:') ? actor.slice(5) : undefined);

/**
 * A single-use enrolment link (48 h), returned once: only the token's hash is stored
 * (server/services/staff.ts). Refused when the address already belongs to a member of staff.
 */
export function inviteUser(deps: AdminDeps, actor: string, input: InvitationInput): Outcome<{ url: string; expiresAt: string }> {
  const invited = inviteStaff(staffDeps(deps), {
    email: input.email,
    role: input.role,
    organisationId: organisationFor(input.role, input.organisationId),
    createdBy: userIdOf(actor),
  });
  return staffOutcome(invited.ok ? { ok: true, value: { url: invited.value.url, expiresAt: invited.value.expiresAt } } : invited);
}

/** Administrators never change their own role or disable themselves: the last one cannot lock everyone out. */
const isSelf = (actor: string, userId: string) => actor === `user:${userId}`;

export function changeUserRole(deps: AdminDeps, actor: string, userId: string, input: RoleInput): Outcome<null> {
  const user = userById(deps.db, userId);
  if (!user) return fail('role', 'user.unknown');
  if (isSelf(actor, userId)) return fail('role', 'role.self');
  if (user.disabledAt) return fail('role', 'user.disabled');
  const changed = changeStaffRole(staffDeps(deps), { userId, role: input.role, organisationId: organisationFor(input.role, input.organisationId), actor });
  return staffOutcome(changed.ok ? { ok: true, value: null } : changed);
}

/** Disables a user and ends every session they have, at once (server/services/staff.ts). */
export function disableStaffUser(deps: AdminDeps, actor: string, userId: string): Outcome<{ sessionsEnded: number }> {
  const user = userById(deps.db, userId);
  if (!user) return fail('disable', 'user.unknown');
  if (isSelf(actor, userId)) return fail('disable', 'disable.self');
  if (user.disabledAt) return fail('disable', 'user.disabled');
  const disabled = disableStaff(staffDeps(deps), { userId, actor });
  return staffOutcome(disabled.ok ? { ok: true, value: { sessionsEnded: disabled.value } } : disabled, 'disable');
}
