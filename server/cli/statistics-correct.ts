/**
 * npm run statistics:correct -- --month 2026-01 --reason "Why the figures change" [--data-dir DIR]
 *
 * Publishes a correction of a frozen month of the public figures: a new version computed
 * from the counters as they are now, dated, with its reason; the earlier versions stay.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { openDatabase } from '../db/client';
import { correctMonth } from '../services/statistics';

const { values } = parseArgs({ options: { month: { type: 'string' }, reason: { type: 'string' }, 'data-dir': { type: 'string' } } });
const config = loadConfig({ ...process.env, ...(values['data-dir'] ? { DATA_DIR: values['data-dir'] } : {}) });
const database = openDatabase(join(config.dataDir, 'service.sqlite'));
const result = correctMonth({ db: database.db, now: () => new Date() }, values.month ?? '', values.reason ?? '');
database.close();
if (!result.ok) {
  console.error(`statistics:correct: ${result.error} (give --month YYYY-MM of a frozen month and --reason "...")`);
  process.exit(1);
}
console.log(`statistics:correct: ${values.month} is now version ${result.version}`);
