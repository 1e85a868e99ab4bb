/**
 * An organisation's delivery channels, as administrators manage them: webhook secrets
 * shown once, rotation with an overlap, turning a channel on or off.
 */
import { z } from 'zod';
import { generateSecret } from '../../connectors/standard-webhooks';
import type { ChannelConfig } from '../../connectors/types';
import { channelConfigContext } from '../crypto/contexts';
import type { Db } from '../db/client';
import { channelById, channelsOf, type ChannelRecord } from '../db/deliveries';
import { updateChannelConfig, updateChannelEnabled } from '../db/staff-admin';
import { addChannel, channelConfig } from './channels';
import { checkAllowedUrl, fail, inTransaction, optionalText, type AdminDeps, type Outcome } from './admin-outcome';
import { CNAM_ID } from '../domain/routing';

/** What is stored: the connector's settings, plus when each secret was added (for the masked display). */
type StoredConfig = ChannelConfig & { secretsAddedAt?: string[] };

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
        if (organisationId !== CNAM_ID) ctx.addIssue({ code: 'custom', path: ['kind'], message: 'kind.cnamOnly' });
        if (!v.mode) ctx.addIssue({ code: 'custom', path: ['mode'], message: 'mode.required' });
      }
      if (v.kind === 'webhook' || (v.kind === 'cnam' && v.mode === 'api')) {
        if (!v.url) {
          ctx.addIssue({ code: 'custom', path: ['url'], message: 'url.required' });
          return;
        }
        checkAllowedUrl(v.url, ctx, allow, allowed);
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
    config =
      input.kind === 'webhook'
        ? { kind: 'webhook', url: input.url!, secrets: [secret], secretsAddedAt: [nowIso] }
        : { kind: 'cnam', mode: 'api', url: input.url!, secrets: [secret], secretsAddedAt: [nowIso] };
  }
  const channelId = inTransaction(deps, (tx) => {
    const id = addChannel(tx, organisationId, config, input.lang);
    tx.audit(
      actor,
      'channel.create',
      { type: 'channel', id },
      { organisation: organisationId, kind: input.kind, mode: input.kind === 'cnam' ? (input.mode ?? null) : null, secret: secret !== null },
    );
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
  updateChannelConfig(deps.db, id, deps.cipher.encrypt(JSON.stringify(config), channelConfigContext(id)), nowIso);
}

/**
 * Adds a new secret beside the current one: during the overlap the webhook connector signs every
 * delivery with both (Standard Webhooks, "zero downtime secret rotation"), and callbacks signed with
 * either are accepted, so the receiver can switch when it likes. One overlap at a time.
 */
export function rotateSecret(deps: AdminDeps, actor: string, channel: ChannelRecord): Outcome<string> {
  // Read, check and write in one immediate transaction: two rotations at once cannot both pass the check.
  return inTransaction(deps, (tx) => {
    const current = channelById(tx.db, channel.id) ?? channel;
    const config = channelConfig(tx, current) as StoredConfig;
    if (!('secrets' in config)) return fail<string>('channel', 'channel.noSecret');
    if (config.secrets.length > 1) return fail<string>('channel', 'channel.overlapRunning');
    const nowIso = tx.now().toISOString();
    const secret = generateSecret();
    const dates = config.secrets.map((_, i) => config.secretsAddedAt?.[i] ?? current.createdAt);
    writeConfig(tx, current.id, { ...config, secrets: [...config.secrets, secret], secretsAddedAt: [...dates, nowIso] }, nowIso);
    tx.audit(actor, 'channel.secret_rotate', { type: 'channel', id: current.id }, { organisation: current.organisationId });
    return { ok: true, value: secret };
  });
}

/** Ends the overlap: only the newest secret is kept; deliveries carry one signature again. */
export function endOverlap(deps: AdminDeps, actor: string, channel: ChannelRecord): Outcome<null> {
  return inTransaction(deps, (tx) => {
    const current = channelById(tx.db, channel.id) ?? channel;
    const config = channelConfig(tx, current) as StoredConfig;
    if (!('secrets' in config) || config.secrets.length < 2) return fail<null>('channel', 'channel.noOverlap');
    const nowIso = tx.now().toISOString();
    const last = config.secrets.length - 1;
    writeConfig(tx, current.id, { ...config, secrets: [config.secrets[last]!], secretsAddedAt: [config.secretsAddedAt?.[last] ?? current.updatedAt] }, nowIso);
    tx.audit(actor, 'channel.secret_overlap_end', { type: 'channel', id: current.id }, { organisation: current.organisationId, removed: last });
    return { ok: true, value: null };
  });
}

/** The reason stored when an administrator turns a channel off (the pages show it in words). */
const DISABLED_BY_ADMIN = 'admin';

/** Turns a channel on (clearing why it was turned off, e.g. a webhook's 410 Gone) or off. */
export function setChannelEnabled(deps: AdminDeps, actor: string, channel: ChannelRecord, enabled: boolean): void {
  const nowIso = deps.now().toISOString();
  inTransaction(deps, (tx) => {
    updateChannelEnabled(tx.db, channel.id, enabled, enabled ? null : DISABLED_BY_ADMIN, nowIso);
    tx.audit(actor, enabled ? 'channel.enable' : 'channel.disable', { type: 'channel', id: channel.id }, { organisation: channel.organisationId });
  });
}
