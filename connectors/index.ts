/**
 * Creates every connector once, from config, for the delivery worker. The CNAM channel has
 * two modes: its HTTPS API is signed like a webhook, its batch mode writes daily files.
 */
import { join } from 'node:path';
import type { i18n as I18n } from 'i18next';
import { createCnamBatchConnector } from './cnam-batch';
import { createEmailConnector } from './email';
import type { Mailer } from './mail';
import { createPortalConnector } from './portal';
import type { ChannelKind, Connector } from './types';
import { allowList, createWebhookConnector } from './webhook';

export type ConnectorOptions = {
  mailer: Mailer;
  i18n: I18n;
  publicUrl: URL;
  dataDir: string;
  webhookAllow: string[];
  webhookTimeoutMs: number;
  cnamBatchKey: Buffer;
  now: () => Date;
  /** Demonstration mode: webhooks may also go to this URL prefix, the service's own demonstration receiver. */
  demoReceiverPrefix?: string;
};

export type Connectors = Record<ChannelKind, Connector>;

export function createConnectors(o: ConnectorOptions): Connectors {
  const mail = { mailer: o.mailer, i18n: o.i18n, host: o.publicUrl.hostname, publicUrl: o.publicUrl.origin };
  const listed = allowList(o.webhookAllow);
  const demo = o.demoReceiverPrefix;
  // The demonstration receiver is allowed by its exact path on the service's own origin, nothing wider.
  const allow = (url: URL) => listed(url) || (demo !== undefined && url.href.startsWith(demo) && url.search === '' && url.hash === '');
  const webhook = createWebhookConnector({ allow, timeoutMs: o.webhookTimeoutMs, now: o.now });
  const batch = createCnamBatchConnector({ dir: join(o.dataDir, 'cnam'), signingKey: o.cnamBatchKey, now: o.now });
  return {
    email: createEmailConnector(mail),
    portal: createPortalConnector(mail),
    webhook,
    cnam: {
      kind: 'cnam',
      deliver: (delivery, channel) =>
        channel.kind === 'cnam' && channel.mode === 'batch' ? batch.deliver(delivery, channel) : webhook.deliver(delivery, channel),
      collectUpdates: batch.collectUpdates,
    },
  };
}
