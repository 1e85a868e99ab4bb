/**
 * The administrators' back office (DESIGN §7-§8): organisations and their delivery channels (webhook
 * secrets shown once, rotation with an overlap), staff users (invite, change role, disable), the
 * dead-letter list, and the audit log page. Plain functions over deps; each action writes its audit
 * entry in the same transaction as the change it records.
 * Invitations, role changes and disabling are server/services/staff.ts's (shared with the passkey
 * side and `npm run admin:invite`); this file adds the form schemas and the administrators' own rules.
 */
import { count, desc, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { generateSecret } from '../../connectors/standard-webhooks';
import type { ChannelConfig } from '../../connectors/types';
import type { Config } from '../config';
import type { BlindIndex, FieldCipher } from '../crypto/fields';
import type { Db } from '../db/client';
import { channelById, channelsOf, deliveryById, type ChannelRecord } from '../db/deliveries';
import { organisationById, upsertOrganisation } from '../db/register';
import { deliveries, organisationChannels, organisations, rightsRequests, users } from '../db/schema';
import { allUsers, ROLES, userById, type Role } from '../db/staff';
import { auditEntries, verifyAudit, type AuditEntry, type AuditInput, type AuditVerification } from './audit';
import { addChannel, channelConfig, retryDelivery } from './deliveries';
import { changeRole, createInvitation, disableUser, StaffInputError, userEmail } from './staff';

/** Appends one audit entry (server/auth/guard.ts `auditFor`). */
type AuditFn = (actor: string, action: string, target?: { type: string; id: string }, detail?: AuditInput['detail']) => AuditEntry;

export type AdminDeps = {
  db: Db;
  cipher: FieldCipher;
  index: BlindIndex;
  config: Pick<Config, 'publicUrl' | 'sessionSecret'>;
  now: () => Date;
  audit: AuditFn;
};

/** A validation or state error, as the views show it: the field it belongs to and a locale key. */
export type AdminError = { field: string; key: string; params?: Record<string, string> };
export type Outcome<T> = { ok: true; value: T } | { ok: false; errors: AdminError[] };

const fail = <T>(field: string, key: string, params?: Record<string, string>): Outcome<T> => ({ ok: false, errors: [{ field, key, ...(params ? { params } : {}) }] });

/** Runs `fn` and its audit entry as one immediate transaction (no await inside: better-sqlite3 is synchronous). */
function inTransaction<T>(db: Db, fn: () => T): T {
  return db.transaction(() => fn(), { behavior: 'immediate' });
}

/** zod issues to the form's errors: the first issue per field, its message being the locale key. */
export function formErrors(error: z.ZodError): AdminError[] {
  const seen = new Set<string>();
  const errors: AdminError[] = [];
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? 'form');
    if (seen.has(field)) continue;
    seen.add(field);
    const params = issue.code === 'custom' ? (issue.params as Record<string, string> | undefined) : undefined;
    errors.push({ field, key: issue.message, ...(params ? { params } : {}) });
  }
  return errors;
}

/** Text fields: trimmed, and an empty field is absent. */
const optionalText = (max: number) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined), z.string().max(max, 'tooLong').optional());

/* ---------- Organisations ---------- */

export type OrganisationSummary = { id: string; name: string; siren: string | null; channels: number; enabledChannels: number };

export function organisationSummaries(db: Db, page: number, pageSize: number): { total: number; rows: OrganisationSummary[] } {
  const total = db.select({ n: count() }).from(organisations).get()?.n ?? 0;
  const rows = db
    .select({
      id: organisations.id,
      name: organisations.name,
      siren: organisations.siren,
      channels: sql<number>`(select count(*) from ${organisationChannels} where ${organisationChannels.organisationId} = ${organisations.id})`,
      enabledChannels: sql<number>`(select count(*) from ${organisationChannels} where ${organisationChannels.organisationId} = ${organisations.id} and ${organisationChannels.enabled} = 1)`,
    })
    .from(organisations)
    .orderBy(organisations.name)
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .all();
  return { total, rows };
}

export function organisationChoices(db: Db): { id: string; name: string }[] {
  return db.select({ id: organisations.id, name: organisations.name }).from(organisations).orderBy(organisations.name).all();
}

export const organisationSchema = z.object({
  name: z.preprocess((v) => (typeof v === 'string' ? v.trim() : v), z.string({ required_error: 'name.required' }).min(1, 'name.required').max(200, 'name.tooLong')),
  id: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() !== '' ? v.trim().toLowerCase() : undefined),
    z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$/, 'id.invalid').optional(),
  ),
  siren: z.preprocess((v) => (typeof v === 'string' && v.trim() !== '' ? v.replace(/\s/g, '') : undefined), z.string().regex(/^[0-9]{9}$/, 'siren.invalid').optional()),
});
export type OrganisationInput = z.infer<typeof organisationSchema>;

/** An identifier from a name: lower case ASCII words joined by hyphens ("CHU de Lille" → "chu-de-lille"). */
function slugify(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
}

export function createOrganisation(deps: AdminDeps, actor: string, input: OrganisationInput): Outcome<string> {
  const id = input.id ?? slugify(input.name);
  if (!id) return fail('id', 'id.invalid');
  return inTransaction(deps.db, () => {
    if (organisationById(deps.db, id)) return fail<string>('id', 'id.taken', { id });
    upsertOrganisation(deps.db, { id, name: input.name, siren: input.siren ?? null }, deps.now().toISOString());
    deps.audit(actor, 'organisation.create', { type: 'organisation', id });
    return { ok: true, value: id };
  });
}

/* ---------- Channels ---------- */

/** What is stored: the connector's settings, plus when each secret was added (for the masked display). */
type StoredConfig = ChannelConfig & { secretsAddedAt?: string[] };

const channelContext = (id: string) => ({ table: 'organisation_channels', column: 'config_enc', rowId: id });

export type SecretView = { addedAt: string };
export type ChannelView = {
  id: string;
  kind: ChannelRecord['kind'];
  mode: 'api' | 'batch' | null;
  /** The mailbox (email, portal) or the endpoint (webhook, CNAM API); null for the CNAM batch. */
  destination: string | null;
  lang: string;
  enabled: boolean;
  disabledReason: string | null;
  createdAt: string;
  /** Masked: only when each secret was added, oldest first. Two during a rotation's overlap. */
  secrets: SecretView[];
};

function secretsOf(config: StoredConfig): string[] {
  return 'secrets' in config ? config.secrets : [];
}

export function channelView(deps: Pick<AdminDeps, 'cipher'>, channel: ChannelRecord): ChannelView {
  const config = channelConfig(deps, channel) as StoredConfig;
  const secrets = secretsOf(config);
  const dates = config.secretsAddedAt ?? [];
  return {
    id: channel.id,
    kind: channel.kind,
    mode: config.kind === 'cnam' ? config.mode : null,
    destination: 'to' in config ? config.to : 'url' in config ? config.url : null,
    lang: channel.lang,
    enabled: channel.enabled,
    disabledReason: channel.disabledReason,
    createdAt: channel.createdAt,
    secrets: secrets.map((_, i) => ({ addedAt: dates[i] ?? channel.createdAt })),
  };
}

export function channelViews(deps: Pick<AdminDeps, 'db' | 'cipher'>, organisationId: string): ChannelView[] {
  return channelsOf(deps.db, organisationId).map((c) => channelView(deps, c));
}

const CHANNEL_CHOICES = ['email', 'portal', 'webhook', 'cnam'] as const;

/**
 * The add-a-channel form. `allow` is the webhook allow-list (connectors/webhook.ts `allowList` over
 * WEBHOOK_ALLOW): a URL it refuses is an error here, not a delivery that fails later.
 */
export function channelSchema(allow: (url: URL) => boolean, allowed: string[], organisationId: string) {
  return z
    .object({
      kind: z.enum(CHANNEL_CHOICES, { errorMap: () => ({ message: 'kind.required' }) }),
      address: optionalText(254),
      url: optionalText(2000),
      mode: z.preprocess((v) => (v === '' ? undefined : v), z.enum(['api', 'batch'], { errorMap: () => ({ message: 'mode.required' }) }).optional()),
      lang: z.enum(['fr', 'en'], { errorMap: () => ({ message: 'lang.required' }) }).default('fr'),
    })
    .superRefine((v, ctx) => {
      if (v.kind === 'email' || v.kind === 'portal') {
        if (!v.address) ctx.addIssue({ code: 'custom', path: ['address'], message: 'address.required' });
        else if (!z.string().email().safeParse(v.address).success) ctx.addIssue({ code: 'custom', path: ['address'], message: 'address.invalid' });
      }
      if (v.kind === 'cnam') {
        if (organisationId !== 'cnam') ctx.addIssue({ code: 'custom', path: ['kind'], message: 'kind.cnamOnly' });
        if (!v.mode) ctx.addIssue({ code: 'custom', path: ['mode'], message: 'mode.required' });
      }
      if (v.kind === 'webhook' || (v.kind === 'cnam' && v.mode === 'api')) {
        if (!v.url) {
          ctx.addIssue({ code: 'custom', path: ['url'], message: 'url.required' });
          return;
        }
        let url: URL;
        try {
          url = new URL(v.url);
        } catch {
          ctx.addIssue({ code: 'custom', path: ['url'], message: 'url.invalid' });
          return;
        }
        let ok = false;
        try {
          ok = (url.protocol === 'https:' || url.protocol === 'http:') && allow(url);
        } catch {
          ok = false;
        }
        if (!ok) ctx.addIssue({ code: 'custom', path: ['url'], message: allowed.length > 0 ? 'url.notAllowed' : 'url.noneAllowed', params: { allowed: allowed.join(', ') } });
      }
    });
}
export type ChannelInput = z.infer<ReturnType<typeof channelSchema>>;

/** Adds a channel; for a webhook or the CNAM API, returns the new secret: the only time it is ever shown. */
export function createChannel(deps: AdminDeps, actor: string, organisationId: string, input: ChannelInput): { channelId: string; secret: string | null } {
  const nowIso = deps.now().toISOString();
  let config: StoredConfig;
  let secret: string | null = null;
  if (input.kind === 'email' || input.kind === 'portal') config = { kind: input.kind, to: input.address! };
  else if (input.kind === 'cnam' && input.mode === 'batch') config = { kind: 'cnam', mode: 'batch' };
  else {
    secret = generateSecret();
    config = input.kind === 'webhook' ? { kind: 'webhook', url: input.url!, secrets: [secret], secretsAddedAt: [nowIso] } : { kind: 'cnam', mode: 'api', url: input.url!, secrets: [secret], secretsAddedAt: [nowIso] };
  }
  const channelId = inTransaction(deps.db, () => {
    const id = addChannel(deps, organisationId, config, input.lang);
    deps.audit(actor, 'channel.create', { type: 'channel', id }, { organisation: organisationId, kind: input.kind, mode: input.kind === 'cnam' ? (input.mode ?? null) : null, secret: secret !== null });
    return id;
  });
  return { channelId, secret };
}

/** The organisation's channel, or undefined (a channel id from another organisation is not found). */
export function channelOf(db: Db, organisationId: string, channelId: string): ChannelRecord | undefined {
  const channel = channelById(db, channelId);
  return channel?.organisationId === organisationId ? channel : undefined;
}

function writeConfig(deps: Pick<AdminDeps, 'db' | 'cipher'>, id: string, config: StoredConfig, nowIso: string) {
  deps.db.update(organisationChannels).set({ configEnc: deps.cipher.encrypt(JSON.stringify(config), channelContext(id)), updatedAt: nowIso }).where(eq(organisationChannels.id, id)).run();
}

/**
 * Adds a new secret beside the current one: during the overlap the webhook connector signs every
 * delivery with both (Standard Webhooks, "zero downtime secret rotation"), and callbacks signed with
 * either are accepted, so the receiver can switch when it likes. One overlap at a time.
 */
export function rotateSecret(deps: AdminDeps, actor: string, channel: ChannelRecord): Outcome<string> {
  // Read, check and write in one immediate transaction: two rotations at once cannot both pass the check.
  return inTransaction(deps.db, () => {
    const current = channelById(deps.db, channel.id) ?? channel;
    const config = channelConfig(deps, current) as StoredConfig;
    if (!('secrets' in config)) return fail<string>('channel', 'channel.noSecret');
    if (config.secrets.length > 1) return fail<string>('channel', 'channel.overlapRunning');
    const nowIso = deps.now().toISOString();
    const secret = generateSecret();
    const dates = config.secrets.map((_, i) => config.secretsAddedAt?.[i] ?? current.createdAt);
    writeConfig(deps, current.id, { ...config, secrets: [...config.secrets, secret], secretsAddedAt: [...dates, nowIso] }, nowIso);
    deps.audit(actor, 'channel.secret_rotate', { type: 'channel', id: current.id }, { organisation: current.organisationId });
    return { ok: true, value: secret };
  });
}

/** Ends the overlap: only the newest secret is kept; deliveries carry one signature again. */
export function endOverlap(deps: AdminDeps, actor: string, channel: ChannelRecord): Outcome<null> {
  return inTransaction(deps.db, () => {
    const current = channelById(deps.db, channel.id) ?? channel;
    const config = channelConfig(deps, current) as StoredConfig;
    if (!('secrets' in config) || config.secrets.length < 2) return fail<null>('channel', 'channel.noOverlap');
    const nowIso = deps.now().toISOString();
    const last = config.secrets.length - 1;
    writeConfig(deps, current.id, { ...config, secrets: [config.secrets[last]!], secretsAddedAt: [config.secretsAddedAt?.[last] ?? current.updatedAt] }, nowIso);
    deps.audit(actor, 'channel.secret_overlap_end', { type: 'channel', id: current.id }, { organisation: current.organisationId, removed: last });
    return { ok: true, value: null };
  });
}

/** The reason stored when an administrator turns a channel off (the pages show it in words). */
const DISABLED_BY_ADMIN = 'admin';

/** Turns a channel on (clearing why it was turned off, e.g. a webhook's 410 Gone) or off. */
export function setChannelEnabled(deps: AdminDeps, actor: string, channel: ChannelRecord, enabled: boolean): void {
  const nowIso = deps.now().toISOString();
  inTransaction(deps.db, () => {
    deps.db
      .update(organisationChannels)
      .set({ enabled, disabledReason: enabled ? null : DISABLED_BY_ADMIN, updatedAt: nowIso })
      .where(eq(organisationChannels.id, channel.id))
      .run();
    deps.audit(actor, enabled ? 'channel.enable' : 'channel.disable', { type: 'channel', id: channel.id }, { organisation: channel.organisationId });
  });
}

/* ---------- Users ---------- */

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

function userView(deps: Pick<AdminDeps, 'db' | 'cipher'>, u: typeof users.$inferSelect, names: Map<string, string>): UserView {
  let email: string | null = null;
  try {
    email = userEmail(deps, u);
  } catch {
    email = null;
  }
  return { id: u.id, email, role: u.role, organisationId: u.organisationId, organisationName: u.organisationId ? (names.get(u.organisationId) ?? u.organisationId) : null, createdAt: u.createdAt, disabledAt: u.disabledAt };
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
  role: z.enum(ROLES as [Role, ...Role[]], { errorMap: () => ({ message: 'role.required' }) }),
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
      email: z.preprocess((v) => (typeof v === 'string' ? v.trim() : v), z.string({ required_error: 'email.required' }).min(1, 'email.required').max(254, 'email.invalid').email('email.invalid')),
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
const STAFF_ERRORS: Record<StaffInputError['code'], AdminError> = {
  email_invalid: { field: 'email', key: 'email.invalid' },
  email_taken: { field: 'email', key: 'email.taken' },
  role_invalid: { field: 'role', key: 'role.required' },
  organisation_required: { field: 'organisationId', key: 'organisationId.required' },
  organisation_unknown: { field: 'organisationId', key: 'organisationId.unknown' },
  user_unknown: { field: 'role', key: 'user.unknown' },
  user_disabled: { field: 'role', key: 'user.disabled' },
};

function staffOutcome<T>(fn: () => T, field?: string): Outcome<T> {
  try {
    return { ok: true, value: fn() };
  } catch (err) {
    if (!(err instanceof StaffInputError)) throw err;
    const e = STAFF_ERRORS[err.code];
    return { ok: false, errors: [field ? { ...e, field } : e] };
  }
}

const staffDeps = (deps: AdminDeps) => ({ db: deps.db, cipher: deps.cipher, index: deps.index, config: deps.config, now: deps.now });
const userIdOf = (actor: string) => (actor.startsWith('user:') ? actor.slice(5) : undefined);

/**
 * A single-use enrolment link (48 h), returned once: only the token's hash is stored
 * (server/services/staff.ts). Refused when the address already belongs to a member of staff.
 */
export function inviteUser(deps: AdminDeps, actor: string, input: InvitationInput): Outcome<{ url: string; expiresAt: string }> {
  return staffOutcome(() => {
    const { url, expiresAt } = createInvitation(staffDeps(deps), { email: input.email, role: input.role, organisationId: organisationFor(input.role, input.organisationId), createdBy: userIdOf(actor) });
    return { url, expiresAt };
  });
}

/** Administrators never change their own role or disable themselves: the last one cannot lock everyone out. */
const isSelf = (actor: string, userId: string) => actor === `user:${userId}`;

export function changeUserRole(deps: AdminDeps, actor: string, userId: string, input: RoleInput): Outcome<null> {
  const user = userById(deps.db, userId);
  if (!user) return fail('role', 'user.unknown');
  if (isSelf(actor, userId)) return fail('role', 'role.self');
  if (user.disabledAt) return fail('role', 'user.disabled');
  return staffOutcome(() => {
    changeRole(staffDeps(deps), { userId, role: input.role, organisationId: organisationFor(input.role, input.organisationId), actor });
    return null;
  });
}

/** Disables a user and ends every session they have, at once (server/services/staff.ts). */
export function disableStaffUser(deps: AdminDeps, actor: string, userId: string): Outcome<{ sessionsEnded: number }> {
  const user = userById(deps.db, userId);
  if (!user) return fail('disable', 'user.unknown');
  if (isSelf(actor, userId)) return fail('disable', 'disable.self');
  if (user.disabledAt) return fail('disable', 'user.disabled');
  return staffOutcome(() => ({ sessionsEnded: disableUser(staffDeps(deps), { userId, actor }) }), 'disable');
}

export function activeUserCount(db: Db): number {
  return db.select({ n: count() }).from(users).where(isNull(users.disabledAt)).get()?.n ?? 0;
}

/* ---------- Dead letters ---------- */

export type DeadLetter = {
  id: string;
  reference: string | null;
  organisationId: string;
  organisationName: string | null;
  channelKind: string | null;
  attempts: number;
  lastError: string | null;
  deadAt: string | null;
};

export function deadLetters(db: Db, page: number, pageSize: number): { total: number; rows: DeadLetter[] } {
  const total = db.select({ n: count() }).from(deliveries).where(eq(deliveries.status, 'dead')).get()?.n ?? 0;
  const rows = db
    .select({
      id: deliveries.id,
      reference: rightsRequests.reference,
      organisationId: deliveries.organisationId,
      organisationName: organisations.name,
      channelKind: organisationChannels.kind,
      attempts: deliveries.attempts,
      lastError: deliveries.lastError,
      deadAt: deliveries.deadAt,
    })
    .from(deliveries)
    .leftJoin(rightsRequests, eq(rightsRequests.id, deliveries.requestId))
    .leftJoin(organisations, eq(organisations.id, deliveries.organisationId))
    .leftJoin(organisationChannels, eq(organisationChannels.id, deliveries.channelId))
    .where(eq(deliveries.status, 'dead'))
    .orderBy(desc(deliveries.deadAt), desc(deliveries.id))
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .all();
  return { total, rows };
}

/** Puts a dead delivery back in the queue (the caller then kicks the worker). False if it was not dead. */
export function retryDeadLetter(deps: AdminDeps, actor: string, id: string): boolean {
  return inTransaction(deps.db, () => {
    const row = deliveryById(deps.db, id);
    if (!retryDelivery(deps, id)) return false;
    deps.audit(actor, 'delivery.retry', { type: 'delivery', id }, { organisation: row?.organisationId ?? null, attempts: row?.attempts ?? 0 });
    return true;
  });
}

/* ---------- The audit log ---------- */

/** One page of the log, the requested one or the last there is, and the whole chain's verification. */
export function auditLogPage(db: Db, key: Buffer, requested: number, pageSize: number): { total: number; page: number; pages: number; entries: AuditEntry[]; verification: AuditVerification } {
  const last = auditEntries(db, 1)[0];
  const total = last?.seq ?? 0;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(requested, pages);
  // Sequence numbers run 1..N without gaps while the chain holds: page p starts below N - (p-1)·size + 1.
  const before = total - (page - 1) * pageSize + 1;
  const entries = before > 1 ? auditEntries(db, pageSize, before) : [];
  return { total, page, pages, entries, verification: verifyAudit(db, key) };
}
