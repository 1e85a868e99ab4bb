/**
 * The shape of a SQLite schema (tables, columns, primary keys, indexes, foreign keys), read two ways so
 * they can be compared: from a migrated database (sqlite_schema and PRAGMAs) and from drizzle table
 * objects (getTableConfig), the latter rendered the way drizzle-kit writes it into migrations (a
 * boolean default is `false`, a `.unique()` column gets the unique index `<table>_<column>_unique`).
 * Used by tests/db/migrations-drift.test.ts.
 */
import type Database from 'better-sqlite3';
import { is, SQL } from 'drizzle-orm';
import { getTableConfig, SQLiteColumn, SQLiteSyncDialect, SQLiteTable } from 'drizzle-orm/sqlite-core';

export type ColumnShape = { type: string; notNull: boolean; default: string | null };
export type IndexShape = { unique: boolean; columns: string[]; partial: boolean };
export type TableShape = {
  columns: Record<string, ColumnShape>;
  primaryKey: string[];
  autoIncrement: boolean;
  indexes: Record<string, IndexShape>;
  foreignKeys: string[];
};
export type SchemaShape = Record<string, TableShape>;

const dialect = new SQLiteSyncDialect();
const sqlText = (s: SQL) => dialect.sqlToQuery(s).sql;
const action = (a: string | undefined) => (a ?? 'no action').toUpperCase();
const fk = (from: string[], table: string, to: string[], onDelete: string | undefined, onUpdate: string | undefined) =>
  `(${from.join(', ')}) → ${table}(${to.join(', ')}) on delete ${action(onDelete)} on update ${action(onUpdate)}`;

/** A column default as drizzle-kit writes it after DEFAULT, which is what SQLite gives back as dflt_value. */
function renderDefault(column: SQLiteColumn): string | null {
  const value: unknown = column.default;
  if (value === undefined) return null;
  if (is(value, SQL)) return `(${sqlText(value)})`;
  if (typeof value === 'string') return `'${value.replaceAll("'", "''")}'`;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value === null) return 'null';
  if (typeof value === 'object') return `'${JSON.stringify(value).replaceAll("'", "''")}'`;
  throw new Error(`${column.name}: a default of type ${typeof value} this check does not know how to compare`);
}

/** The shape of every table exported by a drizzle schema module (server/db/schema.ts). */
export function schemaShapeOf(schemaModule: Record<string, unknown>): SchemaShape {
  const shape: SchemaShape = {};
  for (const value of Object.values(schemaModule)) {
    if (!is(value, SQLiteTable)) continue;
    const config = getTableConfig(value);
    const table: TableShape = { columns: {}, primaryKey: [], autoIncrement: false, indexes: {}, foreignKeys: [] };
    for (const column of config.columns) {
      table.columns[column.name] = { type: column.getSQLType().toLowerCase(), notNull: column.notNull, default: renderDefault(column) };
      if (column.primary) table.primaryKey = [column.name];
      if ((column as { autoIncrement?: boolean }).autoIncrement) table.autoIncrement = true;
      if (column.isUnique)
        table.indexes[column.uniqueName ?? `${config.name}_${column.name}_unique`] = { unique: true, columns: [column.name], partial: false };
    }
    for (const pk of config.primaryKeys) table.primaryKey = pk.columns.map((c) => c.name);
    for (const unique of config.uniqueConstraints) {
      const columns = unique.columns.map((c) => c.name);
      table.indexes[unique.name ?? `${config.name}_${columns.join('_')}_unique`] = { unique: true, columns, partial: false };
    }
    for (const index of config.indexes) {
      const { name, columns, unique, where } = index.config;
      table.indexes[name] = { unique, columns: columns.map((c) => (is(c, SQL) ? '(expression)' : c.name)), partial: where !== undefined };
    }
    for (const key of config.foreignKeys) {
      const ref = key.reference();
      table.foreignKeys.push(
        fk(
          ref.columns.map((c) => c.name),
          getTableConfig(ref.foreignTable).name,
          ref.foreignColumns.map((c) => c.name),
          key.onDelete,
          key.onUpdate,
        ),
      );
    }
    table.foreignKeys.sort();
    shape[config.name] = table;
  }
  return shape;
}

type TableListRow = { schema: string; name: string; type: 'table' | 'view' | 'shadow' | 'virtual' };

/**
 * The tables of a database, split into ordinary tables (with their shape), virtual tables (FTS5) with
 * their shadow tables, and whatever else sqlite_schema holds (views, triggers).
 */
export function databaseShapeOf(sqlite: Database.Database): { tables: SchemaShape; virtual: Record<string, string[]>; others: string[] } {
  const list = (sqlite.pragma('table_list') as TableListRow[]).filter((t) => t.schema === 'main' && !t.name.startsWith('sqlite_'));
  const virtual: Record<string, string[]> = {};
  for (const t of list.filter((t) => t.type === 'virtual')) virtual[t.name] = [];
  const tables: SchemaShape = {};
  const others: string[] = [];
  for (const t of list) {
    if (t.type === 'virtual') continue;
    if (t.type === 'shadow') {
      const owner = Object.keys(virtual).find((v) => t.name.startsWith(`${v}_`));
      if (owner) virtual[owner]!.push(t.name);
      else others.push(`shadow table ${t.name} of no virtual table`);
      continue;
    }
    if (t.type !== 'table') {
      others.push(`${t.type} ${t.name}`);
      continue;
    }
    const q = (name: string) => `"${name.replaceAll('"', '""')}"`;
    const columns = sqlite.prepare(`PRAGMA table_xinfo(${q(t.name)})`).all() as {
      name: string;
      type: string;
      notnull: number;
      dflt_value: string | null;
      pk: number;
      hidden: number;
    }[];
    const created = (sqlite.prepare('SELECT sql FROM sqlite_schema WHERE type = ? AND name = ?').get('table', t.name) as { sql: string }).sql;
    const table: TableShape = {
      columns: Object.fromEntries(
        columns.filter((c) => c.hidden === 0).map((c) => [c.name, { type: c.type.toLowerCase(), notNull: c.notnull === 1, default: c.dflt_value }]),
      ),
      primaryKey: columns
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => c.name),
      autoIncrement: /\bAUTOINCREMENT\b/i.test(created),
      indexes: {},
      foreignKeys: [],
    };
    for (const index of sqlite.prepare(`PRAGMA index_list(${q(t.name)})`).all() as { name: string; unique: number; origin: string; partial: number }[]) {
      // The primary key's own index (origin pk) is the primary key, compared above.
      if (index.origin === 'pk') continue;
      const info = sqlite.prepare(`PRAGMA index_xinfo(${q(index.name)})`).all() as { name: string | null; key: number }[];
      table.indexes[index.name] = {
        unique: index.unique === 1,
        columns: info.filter((c) => c.key === 1).map((c) => c.name ?? '(expression)'),
        partial: index.partial === 1,
      };
    }
    const keys = sqlite.prepare(`PRAGMA foreign_key_list(${q(t.name)})`).all() as {
      id: number;
      seq: number;
      table: string;
      from: string;
      to: string;
      on_update: string;
      on_delete: string;
    }[];
    for (const id of [...new Set(keys.map((k) => k.id))]) {
      const parts = keys.filter((k) => k.id === id).sort((a, b) => a.seq - b.seq);
      table.foreignKeys.push(
        fk(
          parts.map((p) => p.from),
          parts[0]!.table,
          parts.map((p) => p.to),
          parts[0]!.on_delete,
          parts[0]!.on_update,
        ),
      );
    }
    table.foreignKeys.sort();
    tables[t.name] = table;
  }
  for (const row of sqlite.prepare("SELECT type, name FROM sqlite_schema WHERE type IN ('view', 'trigger')").all() as { type: string; name: string }[]) {
    if (!others.includes(`${row.type} ${row.name}`)) others.push(`${row.type} ${row.name}`);
  }
  return { tables, virtual, others };
}

/** Every difference between what schema.ts says and what the database has, one sentence each. */
export function diffShapes(schema: SchemaShape, database: SchemaShape): string[] {
  const out: string[] = [];
  const names = (a: object, b: object) => [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  for (const name of names(schema, database)) {
    const s = schema[name];
    const d = database[name];
    if (!d) {
      out.push(`table ${name}: in schema.ts, not in the database`);
      continue;
    }
    if (!s) {
      out.push(`table ${name}: in the database, not in schema.ts`);
      continue;
    }
    for (const column of names(s.columns, d.columns)) {
      const sc = s.columns[column];
      const dc = d.columns[column];
      if (!dc) out.push(`${name}.${column}: in schema.ts, not in the database`);
      else if (!sc) out.push(`${name}.${column}: in the database, not in schema.ts`);
      else
        for (const key of ['type', 'notNull', 'default'] as const)
          if (sc[key] !== dc[key]) out.push(`${name}.${column}: ${key} is ${JSON.stringify(sc[key])} in schema.ts, ${JSON.stringify(dc[key])} in the database`);
    }
    if (s.primaryKey.join() !== d.primaryKey.join())
      out.push(`${name}: primary key (${s.primaryKey.join(', ')}) in schema.ts, (${d.primaryKey.join(', ')}) in the database`);
    if (s.autoIncrement !== d.autoIncrement) out.push(`${name}: AUTOINCREMENT ${s.autoIncrement ? 'in schema.ts only' : 'in the database only'}`);
    for (const index of names(s.indexes, d.indexes)) {
      const si = s.indexes[index];
      const di = d.indexes[index];
      if (!di) out.push(`index ${index} on ${name}: in schema.ts, not in the database`);
      else if (!si) out.push(`index ${index} on ${name}: in the database, not in schema.ts`);
      else if (JSON.stringify(si) !== JSON.stringify(di))
        out.push(`index ${index} on ${name}: ${JSON.stringify(si)} in schema.ts, ${JSON.stringify(di)} in the database`);
    }
    for (const key of s.foreignKeys.filter((k) => !d.foreignKeys.includes(k))) out.push(`${name}: foreign key ${key} in schema.ts, not in the database`);
    for (const key of d.foreignKeys.filter((k) => !s.foreignKeys.includes(k))) out.push(`${name}: foreign key ${key} in the database, not in schema.ts`);
  }
  return out;
}
