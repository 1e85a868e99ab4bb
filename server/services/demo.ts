/**
 * Demonstration data for `npm start` on an empty database: the pilot register (server/db/seed) and a
 * delivery channel for each of its data controllers, so a demonstration request goes somewhere real
 * on this machine. Every channel kind is represented (DESIGN §7): the CNAM takes SNDS objections as a
 * daily batch file under DATA_DIR/cnam/outbox; AP-HP answers in the back office (portal); the Institut
 * Curie and the DREES by structured mail (written under DATA_DIR/mail without SMTP_URL); the INSERM by
 * a signed webhook to an address that does not exist, so its deliveries end in the dead-letter list,
 * as they would for an endpoint that was never set up. Addresses use the reserved `.example` domain.
 */
import { generateSecret } from '../../connectors/standard-webhooks';
import type { ChannelConfig } from '../../connectors/types';
import type { Runtime } from '../bootstrap';
import { channelsOf } from '../db/deliveries';
import { todayIn } from '../domain/deadlines';
import { translatorFor } from '../i18n';
import { projectControllers } from '../db/register';
import { addChannel } from './deliveries';
import { registerTableSchema, seedDemoRegister } from './register';

const DEMO_CHANNELS: Record<string, ChannelConfig> = {
  cnam: { kind: 'cnam', mode: 'batch' },
  'institut-curie': { kind: 'email', to: 'dpo@institut-curie.example' },
  drees: { kind: 'email', to: 'dpo@drees.example' },
  inserm: { kind: 'webhook', url: 'https://droits.inserm.example/webhooks/demandes', secrets: [] },
};

export function seedDemoData(runtime: Pick<Runtime, 'database' | 'i18n' | 'config' | 'cipher' | 'now'>) {
  const { database, i18n, config, cipher } = runtime;
  const now = runtime.now();
  const seeded = seedDemoRegister(database.db, registerTableSchema(translatorFor(i18n, 'fr'), config.publicUrl), now, todayIn(now));
  if (!seeded) return undefined;
  database.db.transaction(
    (tx) => {
      const deps = { db: tx as unknown as typeof database.db, cipher, now: runtime.now };
      for (const organisationId of ['cnam', ...projectControllers(deps.db)]) {
        if (channelsOf(deps.db, organisationId).length > 0) continue;
        const channel = DEMO_CHANNELS[organisationId] ?? { kind: 'portal', to: `dpo@${organisationId}.example` };
        addChannel(deps, organisationId, channel.kind === 'webhook' ? { ...channel, secrets: [generateSecret()] } : channel);
      }
    },
    { behavior: 'immediate' },
  );
  return seeded;
}
