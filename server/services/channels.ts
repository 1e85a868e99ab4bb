/**
 * An organisation's delivery channels: their settings stored encrypted, webhook secrets
 * included, and the secrets its signed callbacks may use.
 */
import { randomUUID } from 'node:crypto';
import type { ChannelConfig } from '../../connectors/types';
import { channelConfigContext } from '../crypto/contexts';
import type { FieldCipher } from '../crypto/fields';
import type { Db } from '../db/client';
import { channelsOf, insertChannel, type ChannelRecord } from '../db/deliveries';
import { CNAM_ID } from '../domain/routing';

type ChannelDeps = { db: Db; cipher: FieldCipher; now: () => Date };

export function addChannel(deps: Pick<ChannelDeps, 'db' | 'cipher' | 'now'>, organisationId: string, config: ChannelConfig, lang: 'fr' | 'en' = 'fr'): string {
  const id = randomUUID();
  const now = deps.now().toISOString();
  insertChannel(deps.db, {
    id,
    organisationId,
    kind: config.kind,
    configEnc: deps.cipher.encrypt(JSON.stringify(config), channelConfigContext(id)),
    lang,
    enabled: true,
    createdAt: now,
    updatedAt: now,
  });
  return id;
}

export function channelConfig(deps: Pick<ChannelDeps, 'cipher'>, channel: ChannelRecord): ChannelConfig {
  return JSON.parse(deps.cipher.decrypt(channel.configEnc, channelConfigContext(channel.id))) as ChannelConfig;
}

/** Every webhook secret an organisation's enabled channels hold: callbacks are signed with one of them. */
export function callbackSecrets(deps: Pick<ChannelDeps, 'db' | 'cipher'>, organisationId: string): string[] {
  return channelsOf(deps.db, organisationId)
    .filter((c) => c.enabled && (c.kind === 'webhook' || c.kind === 'cnam'))
    .flatMap((c) => {
      const config = channelConfig(deps, c);
      return 'secrets' in config ? config.secrets : [];
    });
}

/** The settings of the CNAM's enabled batch channel, when it has one: where its acknowledgement files are read. */
export function cnamBatchChannel(deps: Pick<ChannelDeps, 'db' | 'cipher'>): Extract<ChannelConfig, { kind: 'cnam'; mode: 'batch' }> | undefined {
  return channelsOf(deps.db, CNAM_ID)
    .filter((c) => c.enabled && c.kind === 'cnam')
    .map((c) => channelConfig(deps, c))
    .find((c): c is Extract<ChannelConfig, { kind: 'cnam'; mode: 'batch' }> => c.kind === 'cnam' && c.mode === 'batch');
}
