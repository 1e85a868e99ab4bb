/**
 * Migration drift (issue 12): the database that migrations/ builds is the database server/db/schema.ts
 * describes. Two checks, each with its proof that it fails on drift:
 * - a fresh database migrated as the service migrates it (openDatabase) has exactly the tables, columns,
 *   primary keys, indexes and foreign keys of schema.ts (drizzle's getTableConfig), plus what schema.ts
 *   cannot describe: the FTS5 tables of the custom migrations migrations/*register_search*.sql, and the
 *   audit log's append-only triggers;
 * - drizzle-kit, run in a copy of the repository, finds nothing to generate: the snapshots in
 *   migrations/meta follow schema.ts, so the next `npm run db:generate` writes only what a change adds.
 * The proof runs both on a copy of schema.ts with one more column, in a temporary directory.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import drizzleConfig from '../../drizzle.config';
import { MIGRATIONS_DIR, openDatabase, type DbHandle } from '../../server/db/client';
import * as schema from '../../server/db/schema';
import { REPO_ROOT } from '../helpers/child-service';
import { copyOfRepository, generate, listing } from '../helpers/drizzle-kit';
import { databaseShapeOf, diffShapes, schemaShapeOf, type SchemaShape } from '../helpers/schema-shape';

const config = drizzleConfig as { schema: string; out: string };
const OUT = resolve(REPO_ROOT, config.out);
/** drizzle's migrator keeps the list of applied migrations here. */
const MIGRATOR_TABLE = '__drizzle_migrations';
const PROBE = 'drift_probe';

/** The virtual tables the custom search migrations create, by name. */
function customVirtualTables(): { byFile: Record<string, string[]>; names: string[] } {
  const byFile: Record<string, string[]> = {};
  for (const file of readdirSync(OUT).filter((f) => f.endsWith('.sql'))) {
    const names = [...readFileSync(join(OUT, file), 'utf8').matchAll(/CREATE\s+VIRTUAL\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?[`"[]?(\w+)/gi)].map((m) => m[1]!);
    if (names.length) byFile[file] = names;
  }
  return { byFile, names: [...new Set(Object.values(byFile).flat())].sort() };
}

/** Adds a nullable text column to the first table of the copy's schema.ts; returns that table's name. */
function addProbeColumn(dir: string): string {
  const file = join(dir, config.schema);
  const source = readFileSync(file, 'utf8');
  const table = /sqliteTable\(\s*(['"`])(\w+)\1,\s*\{/.exec(source);
  if (!table) throw new Error(`no sqliteTable('name', { … }) found in ${config.schema}: the proof needs another way in`);
  const at = table.index + table[0].length;
  writeFileSync(
    file,
    `import { text as probeText } from 'drizzle-orm/sqlite-core';\n${source.slice(0, at)}\n  driftProbe: probeText('${PROBE}'),${source.slice(at)}`,
  );
  return table[2]!;
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('migrations and schema.ts', () => {
  let database: DbHandle;
  let migrated: ReturnType<typeof databaseShapeOf>;
  let ordinary: SchemaShape;
  beforeAll(() => {
    const dir = mkdtempSync(join(tmpdir(), 'sante-droits-drift-db-'));
    dirs.push(dir);
    database = openDatabase(join(dir, 'service.sqlite'));
    migrated = databaseShapeOf(database.sqlite);
    const { [MIGRATOR_TABLE]: bookkeeping, ...rest } = migrated.tables;
    expect(bookkeeping, `${MIGRATOR_TABLE}, drizzle's list of applied migrations`).toBeDefined();
    ordinary = rest;
  });
  afterAll(() => database?.close());

  it('the service migrates from the folder drizzle-kit writes to', () => {
    expect(resolve(MIGRATIONS_DIR)).toBe(OUT);
  });

  it('a fresh migrated database has exactly the tables, columns, keys and indexes of schema.ts', () => {
    const expected = schemaShapeOf(schema);
    expect(Object.keys(expected).length).toBeGreaterThan(10);
    expect(diffShapes(expected, ordinary)).toEqual([]);
  });

  it('beyond them, only the FTS5 tables of the register_search migrations and the audit log’s two triggers', () => {
    const custom = customVirtualTables();
    // The allowance is for those migrations alone: a virtual table created anywhere else is drift.
    expect(Object.keys(custom.byFile).filter((f) => !/register_search/.test(f))).toEqual([]);
    expect(custom.names).toEqual(['projects_fts']);
    expect(Object.keys(migrated.virtual).sort()).toEqual(custom.names);
    for (const name of custom.names) expect(migrated.virtual[name]!.length, `${name}'s shadow tables`).toBeGreaterThan(0);
    // Written by hand into 0008_back_office.sql: the audit log is append-only. A view or
    // another trigger, which schema.ts cannot describe either, is added here on purpose or not at all.
    expect(migrated.others.sort()).toEqual(['trigger audit_log_no_delete', 'trigger audit_log_no_update']);
  });

  it('drizzle-kit finds nothing to generate: the snapshots of migrations/meta follow schema.ts', { timeout: 120_000 }, async () => {
    const dir = copyOfRepository('drizzle.config.ts', config.out);
    dirs.push(dir);
    const before = listing(join(dir, config.out));
    const run = await generate(dir);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain('No schema changes');
    expect(listing(join(dir, config.out))).toEqual(before);
  });

  it('proof: a copy of schema.ts with one more column fails both checks', { timeout: 120_000 }, async () => {
    const dir = copyOfRepository('drizzle.config.ts', config.out);
    dirs.push(dir);
    const table = addProbeColumn(dir);

    const edited = (await import(pathToFileURL(join(dir, config.schema)).href)) as Record<string, unknown>;
    expect(diffShapes(schemaShapeOf(edited), ordinary)).toEqual([`${table}.${PROBE}: in schema.ts, not in the database`]);

    const before = listing(join(dir, config.out));
    const run = await generate(dir);
    expect(run.code, run.output).toBe(0);
    const added = listing(join(dir, config.out)).filter((f) => !before.includes(f));
    const sql = added.filter((f) => f.endsWith('_drift.sql'));
    expect(sql, run.output).toHaveLength(1);
    expect(readFileSync(join(dir, config.out, sql[0]!), 'utf8')).toContain(`ALTER TABLE \`${table}\` ADD \`${PROBE}\` text;`);
  });
});

describe('the comparison itself', () => {
  it('names each kind of difference: table, column, type, NOT NULL, default, primary key, index, foreign key', () => {
    const parent = sqliteTable('parent', { id: text('id').primaryKey() });
    const child = sqliteTable(
      'child',
      {
        id: integer('id').primaryKey({ autoIncrement: true }),
        parentId: text('parent_id').references(() => parent.id, { onDelete: 'cascade' }),
        name: text('name').notNull().default('x'),
        code: text('code').unique(),
        count: integer('count').notNull(),
        gone: text('gone'),
      },
      (t) => [index('child_name_idx').on(t.name)],
    );
    const lost = sqliteTable('lost', { id: text('id').primaryKey() });
    const sqlite = new Database(':memory:');
    try {
      sqlite.exec(`
        CREATE TABLE parent (id text PRIMARY KEY NOT NULL);
        CREATE TABLE child (id integer PRIMARY KEY NOT NULL, parent_id text REFERENCES parent(id), name text DEFAULT 'y', code text, count text NOT NULL, extra integer);
        CREATE UNIQUE INDEX child_code_unique ON child (code);
        CREATE INDEX child_count_idx ON child (count);
        CREATE TABLE stray (id text);
      `);
      expect(diffShapes(schemaShapeOf({ parent, child, lost }), databaseShapeOf(sqlite).tables)).toEqual([
        'child.count: type is "integer" in schema.ts, "text" in the database',
        'child.extra: in the database, not in schema.ts',
        'child.gone: in schema.ts, not in the database',
        'child.name: notNull is true in schema.ts, false in the database',
        'child.name: default is "\'x\'" in schema.ts, "\'y\'" in the database',
        'child: AUTOINCREMENT in schema.ts only',
        'index child_count_idx on child: in the database, not in schema.ts',
        'index child_name_idx on child: in schema.ts, not in the database',
        'child: foreign key (parent_id) → parent(id) on delete CASCADE on update NO ACTION in schema.ts, not in the database',
        'child: foreign key (parent_id) → parent(id) on delete NO ACTION on update NO ACTION in the database, not in schema.ts',
        'table lost: in schema.ts, not in the database',
        'table stray: in the database, not in schema.ts',
      ]);
    } finally {
      sqlite.close();
    }
  });
});
