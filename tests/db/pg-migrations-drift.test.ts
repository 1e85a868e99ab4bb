/**
 * Migration drift on PostgreSQL (issue 16), as tests/db/migrations-drift.test.ts checks it on SQLite: the
 * database migrations-pg/ builds is the database server/db/pg/schema.ts describes. Two checks, each with
 * its proof that it fails on drift:
 * - a fresh database migrated as the service migrates it (openPostgres) has exactly the tables, columns
 *   (type, NOT NULL, identity), primary keys, indexes and foreign keys of schema.ts, plus what schema.ts
 *   cannot describe: the unaccent extension, the two text search configurations and the audit log's
 *   append-only triggers (migrations-pg/0001_search.sql, 0002_audit_append_only.sql);
 * - drizzle-kit, run with drizzle.config.pg.ts in a copy of the repository, finds nothing to generate.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import drizzleConfig from '../../drizzle.config.pg';
import { PG_MIGRATIONS_DIR } from '../../server/db/pg/client';
import * as schema from '../../server/db/pg/schema';
import { REPO_ROOT } from '../helpers/child-service';
import { copyOfRepository, generate, listing } from '../helpers/drizzle-kit';
import { databaseShapeOf, declaredShapeOf, diffPgShapes, type PgShape } from '../helpers/pg-schema-shape';
import { PG_HOOK_TIMEOUT_MS, testDatabase, type TestDatabase } from '../helpers/postgres-run';

const config = drizzleConfig as { schema: string; out: string };
const CONFIG_FILE = 'drizzle.config.pg.ts';
const PROBE = 'drift_probe';

/** Adds a nullable text column to the first table of the copy's schema; returns that table's name. */
function addProbeColumn(dir: string): string {
  const file = join(dir, config.schema);
  const source = readFileSync(file, 'utf8');
  const table = /pgTable\(\s*(['"`])(\w+)\1,\s*\{/.exec(source);
  if (!table) throw new Error(`no pgTable('name', { … }) found in ${config.schema}: the proof needs another way in`);
  const at = table.index + table[0].length;
  writeFileSync(
    file,
    `import { text as probeText } from 'drizzle-orm/pg-core';\n${source.slice(0, at)}\n  driftProbe: probeText('${PROBE}'),${source.slice(at)}`,
  );
  return table[2]!;
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('migrations-pg and server/db/pg/schema.ts', () => {
  let database: TestDatabase;
  let client: pg.Client;
  let migrated: PgShape;
  beforeAll(async () => {
    // A copy of the run's template, which openPostgres migrated as the service does at start.
    database = await testDatabase();
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
    migrated = await databaseShapeOf(client);
  }, PG_HOOK_TIMEOUT_MS);
  afterAll(async () => {
    await client?.end();
    await database?.drop();
  });

  it('the service migrates from the folder drizzle-kit writes to', () => {
    expect(resolve(PG_MIGRATIONS_DIR)).toBe(resolve(REPO_ROOT, config.out));
  });

  it('a fresh migrated database has exactly the tables, columns, keys and indexes of schema.ts', () => {
    const declared = declaredShapeOf(schema);
    expect(Object.keys(declared).length).toBeGreaterThan(20);
    expect(diffPgShapes(declared, migrated)).toEqual([]);
  });

  it('beyond them, only unaccent, the two search configurations and the audit log’s three triggers; drizzle’s list in its own schema', async () => {
    const extensions = await client.query<{ extname: string }>("SELECT extname FROM pg_extension WHERE extname <> 'plpgsql' ORDER BY 1");
    expect(extensions.rows.map((r) => r.extname)).toEqual(['unaccent']);
    const configs = await client.query<{ cfgname: string }>("SELECT cfgname FROM pg_ts_config WHERE cfgnamespace = 'public'::regnamespace ORDER BY 1");
    expect(configs.rows.map((r) => r.cfgname)).toEqual(['fr_unaccent', 'fr_unaccent_words']);
    const triggers = await client.query<{ tgname: string }>('SELECT tgname FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1');
    expect(triggers.rows.map((r) => r.tgname)).toEqual(['audit_log_no_delete', 'audit_log_no_truncate', 'audit_log_no_update']);
    const views = await client.query(
      "SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN ('v', 'm')",
    );
    expect(views.rowCount).toBe(0);
    const applied = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations');
    const journal = JSON.parse(readFileSync(join(PG_MIGRATIONS_DIR, 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] };
    expect(applied.rows[0]!.n).toBe(journal.entries.length);
  });

  it('drizzle-kit finds nothing to generate: the snapshots of migrations-pg/meta follow schema.ts', { timeout: 120_000 }, async () => {
    const dir = copyOfRepository(CONFIG_FILE, config.out);
    dirs.push(dir);
    const before = listing(join(dir, config.out));
    const run = await generate(dir, CONFIG_FILE);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain('No schema changes');
    expect(listing(join(dir, config.out))).toEqual(before);
  });

  it('proof: a copy of schema.ts with one more column fails both checks', { timeout: 120_000 }, async () => {
    const dir = copyOfRepository(CONFIG_FILE, config.out);
    dirs.push(dir);
    const table = addProbeColumn(dir);
    const edited = (await import(pathToFileURL(join(dir, config.schema)).href)) as Record<string, unknown>;
    expect(diffPgShapes(declaredShapeOf(edited), migrated)).toEqual([`${table}.${PROBE}: in schema.ts, not in the database`]);

    const before = listing(join(dir, config.out));
    const run = await generate(dir, CONFIG_FILE);
    expect(run.code, run.output).toBe(0);
    const sql = listing(join(dir, config.out)).filter((f) => !before.includes(f) && f.endsWith('_drift.sql'));
    expect(sql, run.output).toHaveLength(1);
    expect(readFileSync(join(dir, config.out, sql[0]!), 'utf8')).toContain(`ALTER TABLE "${table}" ADD COLUMN "${PROBE}" text;`);
  });
});
