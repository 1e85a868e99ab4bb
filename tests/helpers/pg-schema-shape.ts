/**
 * A PostgreSQL database's tables as migrations-pg/ built them, next to the tables server/db/pg/schema.ts
 * declares (drizzle's getTableConfig), in one shape to compare (tests/db/pg-migrations-drift.test.ts):
 * per table, each column's type and NOT NULL, whether the database assigns it (identity), the primary
 * key, the indexes (by name, with their columns and uniqueness) and the foreign keys.
 */
import { getTableColumns, is, SQL, type Column } from 'drizzle-orm';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import type pg from 'pg';

export type PgColumnShape = { type: string; notNull: boolean; identity: boolean };
export type PgTableShape = { columns: Record<string, PgColumnShape>; primaryKey: string[]; indexes: string[]; foreignKeys: string[] };
export type PgShape = Record<string, PgTableShape>;

const fk = (columns: string[], table: string, targets: string[], onDelete: string, onUpdate: string) =>
  `(${columns.join(', ')}) → ${table}(${targets.join(', ')}) on delete ${onDelete} on update ${onUpdate}`;

/** What a schema module declares. Unique columns and constraints appear as the unique index PostgreSQL makes for them. */
export function declaredShapeOf(schemaModule: Record<string, unknown>): PgShape {
  const shape: PgShape = {};
  for (const value of Object.values(schemaModule)) {
    if (!is(value, PgTable)) continue;
    const config = getTableConfig(value);
    const table: PgTableShape = { columns: {}, primaryKey: [], indexes: [], foreignKeys: [] };
    for (const column of Object.values(getTableColumns(value)) as Column[]) {
      table.columns[column.name] = { type: column.getSQLType().toLowerCase(), notNull: column.notNull, identity: column.generatedIdentity !== undefined };
      if (column.primary) table.primaryKey = [column.name];
      if (column.isUnique) table.indexes.push(`unique index ${column.uniqueName ?? `${config.name}_${column.name}_unique`} (${column.name})`);
    }
    for (const pk of config.primaryKeys) table.primaryKey = pk.columns.map((c) => c.name);
    for (const unique of config.uniqueConstraints) table.indexes.push(`unique index ${unique.name ?? '?'} (${unique.columns.map((c) => c.name).join(', ')})`);
    for (const index of config.indexes) {
      const { name, columns, unique } = index.config;
      const on = columns.map((c) => (is(c, SQL) ? '(expression)' : (c as Column).name)).join(', ');
      table.indexes.push(`${unique ? 'unique ' : ''}index ${name} (${on})`);
    }
    for (const key of config.foreignKeys) {
      const ref = key.reference();
      table.foreignKeys.push(
        fk(
          ref.columns.map((c) => c.name),
          getTableConfig(ref.foreignTable).name,
          ref.foreignColumns.map((c) => c.name),
          key.onDelete ?? 'no action',
          key.onUpdate ?? 'no action',
        ),
      );
    }
    table.indexes.sort();
    table.foreignKeys.sort();
    shape[config.name] = table;
  }
  return shape;
}

const ACTIONS: Record<string, string> = { a: 'no action', r: 'restrict', c: 'cascade', n: 'set null', d: 'set default' };

/** What the database holds in its public schema (primary keys' own indexes left out: they are the primary key). */
export async function databaseShapeOf(client: pg.ClientBase): Promise<PgShape> {
  const shape: PgShape = {};
  const table = (name: string) => (shape[name] ??= { columns: {}, primaryKey: [], indexes: [], foreignKeys: [] });
  const columns = await client.query<{ t: string; c: string; type: string; not_null: boolean; identity: string }>(
    `SELECT c.relname AS t, a.attname AS c, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null, a.attidentity AS identity
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped ORDER BY c.relname, a.attnum`,
  );
  for (const r of columns.rows) table(r.t).columns[r.c] = { type: r.type, notNull: r.not_null, identity: r.identity !== '' };
  const constraints = await client.query<{
    t: string;
    type: string;
    cols: string[];
    target: string | null;
    target_cols: string[] | null;
    del: string;
    upd: string;
  }>(
    `SELECT c.relname AS t, k.contype AS type,
            ARRAY(SELECT attname FROM unnest(k.conkey) WITH ORDINALITY u(n, i) JOIN pg_attribute ON attrelid = k.conrelid AND attnum = u.n ORDER BY u.i)::text[] AS cols,
            f.relname AS target,
            ARRAY(SELECT attname FROM unnest(k.confkey) WITH ORDINALITY u(n, i) JOIN pg_attribute ON attrelid = k.confrelid AND attnum = u.n ORDER BY u.i)::text[] AS target_cols,
            k.confdeltype AS del, k.confupdtype AS upd
       FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_class f ON f.oid = k.confrelid
      WHERE n.nspname = 'public' AND k.contype IN ('p', 'f')`,
  );
  for (const r of constraints.rows) {
    if (r.type === 'p') table(r.t).primaryKey = r.cols;
    else table(r.t).foreignKeys.push(fk(r.cols, r.target!, r.target_cols!, ACTIONS[r.del]!, ACTIONS[r.upd]!));
  }
  const indexes = await client.query<{ t: string; name: string; uniq: boolean; cols: string[] }>(
    `SELECT c.relname AS t, i.relname AS name, x.indisunique AS uniq,
            ARRAY(SELECT CASE WHEN u.n = 0 THEN '(expression)' ELSE (SELECT attname FROM pg_attribute WHERE attrelid = x.indrelid AND attnum = u.n) END
                    FROM unnest(x.indkey::int2[]) WITH ORDINALITY u(n, o) ORDER BY u.o)::text[] AS cols
       FROM pg_index x JOIN pg_class c ON c.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND NOT x.indisprimary`,
  );
  for (const r of indexes.rows) table(r.t).indexes.push(`${r.uniq ? 'unique ' : ''}index ${r.name} (${r.cols.join(', ')})`);
  for (const t of Object.values(shape)) {
    t.indexes.sort();
    t.foreignKeys.sort();
  }
  return shape;
}

/** Every difference, one sentence each, as the SQLite drift test words them. */
export function diffPgShapes(declared: PgShape, database: PgShape): string[] {
  const out: string[] = [];
  const names = (a: object, b: object) => [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  for (const name of names(declared, database)) {
    const d = declared[name];
    const b = database[name];
    if (!d || !b) {
      out.push(`table ${name}: in ${d ? 'schema.ts, not in the database' : 'the database, not in schema.ts'}`);
      continue;
    }
    for (const column of names(d.columns, b.columns)) {
      const dc = d.columns[column];
      const bc = b.columns[column];
      if (!dc || !bc) out.push(`${name}.${column}: in ${dc ? 'schema.ts, not in the database' : 'the database, not in schema.ts'}`);
      else
        for (const key of ['type', 'notNull', 'identity'] as const)
          if (dc[key] !== bc[key]) out.push(`${name}.${column}: ${key} is ${JSON.stringify(dc[key])} in schema.ts, ${JSON.stringify(bc[key])} in the database`);
    }
    if (d.primaryKey.join() !== b.primaryKey.join())
      out.push(`${name}: primary key (${d.primaryKey.join(', ')}) in schema.ts, (${b.primaryKey.join(', ')}) in the database`);
    for (const kind of ['indexes', 'foreignKeys'] as const) {
      for (const item of d[kind].filter((i) => !b[kind].includes(i))) out.push(`${name}: ${item} in schema.ts, not in the database`);
      for (const item of b[kind].filter((i) => !d[kind].includes(i))) out.push(`${name}: ${item} in the database, not in schema.ts`);
    }
  }
  return out;
}
