/**
 * `npm run deliveries:retry -- <delivery id> [...]` puts dead deliveries back in the queue;
 * `--all` retries every dead one; with no argument, lists them. The running worker picks them up.
 */
import { join } from 'node:path';
import { loadConfig } from '../config';
import { openDatabase } from '../db/client';
import { deadDeliveries } from '../db/deliveries';
import { retryDelivery } from '../services/delivery-attempts';

const args = process.argv.slice(2);
const config = loadConfig();
const database = openDatabase(join(config.dataDir, 'service.sqlite'));
const deps = { db: database.db, now: () => new Date() };
const dead = deadDeliveries(database.db);
if (args.length === 0) {
  if (dead.length === 0) process.stdout.write('No dead delivery.\n');
  for (const d of dead) process.stdout.write(`${d.id}  ${d.organisationId}  attempts ${d.attempts}  ${d.deadAt}  ${d.lastError ?? ''}\n`);
} else {
  const ids = args.includes('--all') ? dead.map((d) => d.id) : args;
  let failed = 0;
  for (const id of ids) {
    if (retryDelivery(deps, id)) process.stdout.write(`${id}: back in the queue\n`);
    else {
      failed += 1;
      process.stdout.write(`${id}: not a dead delivery\n`);
    }
  }
  process.exitCode = failed > 0 ? 1 : 0;
}
database.close();
