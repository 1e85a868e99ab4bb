/**
 * Demonstration data for `npm start` on an empty database: the pilot register (server/db/seed) and a
 * delivery channel for each of its data controllers, so a demonstration request goes somewhere real
 * on this machine. Every channel kind is represented: the CNAM takes SNDS objections as a
 * daily batch file under DATA_DIR/cnam/outbox; AP-HP answers in the back office (portal); the Institut
 * Curie and the DREES by structured mail (written under DATA_DIR/mail without SMTP_URL); the INSERM by
 * a signed webhook to the service's own demonstration receiver (DATA_DIR/demo-webhooks), allowed by
 * its exact path. Every channel works on a fresh machine with no setting. Addresses use the reserved
 * `.example` domain.
 */
import { generateSecret } from '../../connectors/standard-webhooks';
import type { ChannelConfig } from '../../connectors/types';
import type { AppDeps } from '../context';
import { channelsOf } from '../db/deliveries';
import { todayIn } from '../domain/deadlines';
import { translatorFor } from '../i18n';
import { projectControllers } from '../db/register';
import { addChannel } from './channels';
import { registerTableSchema, seedDemoRegister } from './register';
import { seedStatisticsDemo } from './statistics-demo';
import { CNAM_ID } from '../domain/routing';

const DEMO_CHANNELS: Record<string, ChannelConfig> = {
  [CNAM_ID]: { kind: 'cnam', mode: 'batch' },
  'institut-curie': { kind: 'email', to: 'dpo@institut-curie.example' },
  drees: { kind: 'email', to: 'dpo@drees.example' },
};

/** The path of the demonstration webhook receiver (server/routes/demo-receiver.ts). */
export const DEMO_RECEIVER_PATH = '/demo/webhooks/';

/** Where demonstration webhooks go: on the service's own public URL. */
export const demoReceiverUrl = (publicUrl: URL, organisationId: string) =>
  new URL(`${DEMO_RECEIVER_PATH}${encodeURIComponent(organisationId)}`, publicUrl).href;

/** Reached by webhook: the service's own demonstration receiver (server/routes/demo-receiver.ts). */
const DEMO_WEBHOOKS = new Set(['inserm']);

/** Seeds the register and the demonstration channels on an empty register; undefined when it held projects already. */
export function seedDemoData(runtime: Pick<AppDeps, 'database' | 'i18n' | 'config' | 'cipher' | 'now'>) {
  const { database, i18n, config, cipher } = runtime;
  const now = runtime.now();
  const seeded = seedDemoRegister(database.db, registerTableSchema(translatorFor(i18n, 'fr'), config.publicUrl), now, todayIn(now));
  if (!seeded) return undefined;
  database.db.transaction(
    (tx) => {
      const deps = { db: tx, cipher, now: runtime.now };
      for (const organisationId of [CNAM_ID, ...projectControllers(deps.db)]) {
        if (channelsOf(deps.db, organisationId).length > 0) continue;
        const channel: ChannelConfig = DEMO_WEBHOOKS.has(organisationId)
          ? { kind: 'webhook', url: demoReceiverUrl(config.publicUrl, organisationId), secrets: [generateSecret()] }
          : (DEMO_CHANNELS[organisationId] ?? { kind: 'portal', to: `dpo@${organisationId}.example` });
        addChannel(deps, organisationId, channel);
      }
    },
    { behavior: 'immediate' },
  );
  // 24 months of synthetic history for the public figures, marked as demonstration (issue 13).
  seedStatisticsDemo({ db: database.db, now: runtime.now });
  return seeded;
}
