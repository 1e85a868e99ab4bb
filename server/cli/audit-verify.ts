/**
 * `npm run audit:verify`: walks the audit log's hash chain and says whether it holds.
 * Exit 0 when every entry verifies; 1 at the first entry that does not, naming it: every entry from
 * there on cannot be trusted (an entry edited, deleted or forged without the chain key). Exit 2 when
 * there is no database to check.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfigOrExit } from '../config';
import { openDatabase } from '../db/client';
import { auditKey, verifyAudit } from '../services/audit';

const config = loadConfigOrExit();
const file = join(config.dataDir, 'service.sqlite');
if (!existsSync(file)) {
  process.stderr.write(`No database at ${file}: nothing to verify.\n`);
  process.exit(2);
}
// No migration: this command reads the file as it is, whatever has been done to it.
const database = openDatabase(file, { migrate: false });
let code = 0;
try {
  const result = verifyAudit(database.db, auditKey(config.sessionSecret));
  if (result.ok) {
    process.stdout.write(`Audit log intact: ${result.entries} ${result.entries === 1 ? 'entry' : 'entries'}.\n`);
  } else {
    process.stdout.write(`Audit log broken at entry #${result.brokenAt} (${result.reason}): entries from #${result.brokenAt} on cannot be trusted.\n`);
    code = 1;
  }
} catch (err) {
  process.stderr.write(`Cannot read the audit log: ${(err as Error).message}\n`);
  code = 2;
} finally {
  database.close();
}
process.exit(code);
