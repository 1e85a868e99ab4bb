/**
 * `npm run admin:invite -- --email someone@example.org` prints a single-use enrolment link (48 hours)
 * for an administrator: how the first admin gets in, and how an admin who lost every
 * passkey gets back in (for an address that already has an account, the link adds a passkey to it).
 * Bad input: a message on stderr and exit code 2.
 *
 * It reads the server's own configuration (server/config.ts, from the environment): run it with the
 * server's DATA_DIR (the same database), PUBLIC_URL (the address in the link), DATA_KEYS and INDEX_KEY (the
 * address is encrypted and indexed as the server reads it) and SESSION_SECRET (the audit log's key).
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '../config';
import { createBlindIndex, createFieldCipher } from '../crypto/fields';
import { openDatabase } from '../db/client';
import { userByEmailIndex } from '../db/staff';
import { createInvitation, INVITATION_HOURS, StaffInputError, validEmail } from '../services/staff';

const USAGE = 'Usage: npm run admin:invite -- --email someone@example.org\n';

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}`);
  process.exit(2);
}

let email: string | undefined;
try {
  const { values, positionals } = parseArgs({ options: { email: { type: 'string' } }, allowPositionals: true, strict: true });
  if (positionals.length > 0) fail(`Unexpected argument: ${positionals[0]}`);
  email = values.email;
} catch (err) {
  fail((err as Error).message);
}
if (!email) fail('The --email option is required.');
const address = validEmail(email);
if (!address) fail('This is not a valid e-mail address.');

const config = loadConfigOrExit();
if (!process.env.PUBLIC_URL) {
  process.stderr.write(
    `PUBLIC_URL is not set: the link below uses ${config.publicUrl.origin}. If the server has a PUBLIC_URL, run this command with the same one.\n`,
  );
}
const database = openDatabase(join(config.dataDir, 'service.sqlite'));
const index = createBlindIndex(config.indexKey);
const deps = { db: database.db, cipher: createFieldCipher(config.dataKeys), index, config, now: () => new Date() };
try {
  const existing = userByEmailIndex(database.db, index.email(address));
  if (existing?.disabledAt) fail('This address belongs to a disabled account: enable it from the administration pages first.');
  const { url, expiresAt } = createInvitation(deps, { email: address, role: 'admin', userId: existing?.id });
  const what = existing ? `adds a passkey to the existing ${existing.role} account` : 'creates an administrator account';
  process.stdout.write(`Single-use enrolment link (valid ${INVITATION_HOURS} hours, until ${expiresAt}); it ${what}:\n${url}\n`);
} catch (err) {
  if (err instanceof StaffInputError) fail(`Refused: ${err.code}.`);
  throw err;
} finally {
  database.close();
}
