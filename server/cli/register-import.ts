/**
 * npm run register:import -- FILE.csv [--lang en]
 *
 * Checks every row against the register's Table Schema and rules, reports each error by line and column
 * in plain words, and imports nothing if any row is wrong. Updates land in the public change history.
 * Exit codes: 0 imported, 1 refused (errors listed), 2 usage or unreadable file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { openDatabase } from '../db/client';
import { todayIn } from '../domain/deadlines';
import { createI18n, isLang, translatorFor } from '../i18n';
import { CsvFormatError, describeError, importRegisterRows, parseCsv, registerTableSchema } from '../services/register';

export function runImport(argv: string[], env: NodeJS.ProcessEnv, out: (line: string) => void): number {
  const { values, positionals } = parseArgs({ args: argv, options: { lang: { type: 'string', default: 'fr' } }, allowPositionals: true, strict: false });
  const lang = isLang(values.lang) ? values.lang : 'fr';
  const tr = translatorFor(createI18n(), lang);
  const file = positionals[0];
  if (!file) {
    out(tr.t('register:import.usage'));
    return 2;
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    out(tr.t('register:import.unreadable', { file }));
    return 2;
  }
  let table: { header: string[]; records: string[][] };
  try {
    table = parseCsv(text);
  } catch (err) {
    if (err instanceof CsvFormatError) {
      out(tr.t('register:import.notCsv', { reason: err.message }));
      return 1;
    }
    throw err;
  }
  const config = loadConfig(env);
  const database = openDatabase(join(config.dataDir, 'service.sqlite'));
  try {
    const now = new Date();
    const report = importRegisterRows(database.db, registerTableSchema(tr, config.publicUrl), table.header, table.records, {
      origin: 'import',
      now,
      today: todayIn(now),
    });
    if (report.errors.length > 0) {
      for (const e of report.errors) out(describeError(tr, e));
      out(tr.t('register:import.refused', { count: report.errors.length }));
      return 1;
    }
    out(tr.t('register:import.done', report));
    return 0;
  } finally {
    database.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = runImport(process.argv.slice(2), process.env, (line) => process.stdout.write(line + '\n'));
}
