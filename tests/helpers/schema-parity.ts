/**
 * The two schemas side by side (issue 16): server/db/schema.ts (SQLite) and server/db/pg/schema.ts
 * (PostgreSQL) read through drizzle's getTableConfig, each table and column rendered in one neutral
 * shape, then compared. What services see must be the same on both engines: the tables, each column's
 * JavaScript name and type, NOT NULL, default, keys, indexes and foreign keys. Used by
 * tests/db/pg-schema-parity.test.ts.
 */
import { getTableColumns, is, SQL, type Column } from 'drizzle-orm';
import { getTableConfig as pgConfig, PgDialect, PgTable } from 'drizzle-orm/pg-core';
import { getTableConfig as sqliteConfig, SQLiteSyncDialect, SQLiteTable } from 'drizzle-orm/sqlite-core';

export type ColumnParity = {
  key: string;
  /** What drizzle reads back: string, number, boolean… (drizzle's `dataType`). */
  jsType: string;
  /** The SQL type, SQLite's mapped to what PostgreSQL is expected to use (see `expectedPgType`). */
  sqlType: string;
  notNull: boolean;
  primary: boolean;
  unique: boolean;
  default: string | null;
  enumValues: string[] | null;
  /** SQLite AUTOINCREMENT, PostgreSQL identity: an id the database assigns. */
  generatedId: boolean;
};
export type TableParity = {
  columns: Record<string, ColumnParity>;
  primaryKey: string[];
  indexes: string[];
  foreignKeys: string[];
};
export type SchemaParity = Record<string, TableParity>;

/**
 * The PostgreSQL type a SQLite column is expected to have, by its JavaScript type: an integer read as a
 * boolean is `boolean`; `wide` names the integers that need 64 bits (`table.column`).
 */
export function expectedPgType(table: string, column: Column, wide: ReadonlySet<string>): string {
  const type = column.getSQLType().toLowerCase();
  if (type === 'integer' && column.dataType === 'boolean') return 'boolean';
  if (type === 'integer' && wide.has(`${table}.${column.name}`)) return 'bigint';
  return type;
}

const render = {
  sqlite: (s: SQL) => new SQLiteSyncDialect().sqlToQuery(s).sql,
  pg: (s: SQL) => new PgDialect().sqlToQuery(s).sql,
};

function renderDefault(value: unknown, sqlText: (s: SQL) => string): string | null {
  if (value === undefined) return null;
  if (is(value, SQL)) return `(${sqlText(value)})`;
  return JSON.stringify(value);
}

type AnyConfig = ReturnType<typeof sqliteConfig> | ReturnType<typeof pgConfig>;

function tableShape(config: AnyConfig, table: SQLiteTable | PgTable, dialect: 'sqlite' | 'pg', wide: ReadonlySet<string>): TableParity {
  const sqlText = render[dialect];
  const keys = new Map(Object.entries(getTableColumns(table)).map(([key, column]) => [column.name, key]));
  const shape: TableParity = { columns: {}, primaryKey: [], indexes: [], foreignKeys: [] };
  for (const column of config.columns as Column[]) {
    shape.columns[column.name] = {
      key: keys.get(column.name) ?? '?',
      jsType: column.dataType,
      sqlType: dialect === 'sqlite' ? expectedPgType(config.name, column, wide) : column.getSQLType().toLowerCase(),
      notNull: column.notNull,
      primary: column.primary,
      unique: column.isUnique,
      default: renderDefault(column.default, sqlText),
      enumValues: column.enumValues?.length ? [...column.enumValues] : null,
      generatedId: dialect === 'sqlite' ? (column as { autoIncrement?: boolean }).autoIncrement === true : column.generatedIdentity !== undefined,
    };
    if (column.primary) shape.primaryKey = [column.name];
  }
  for (const pk of config.primaryKeys) shape.primaryKey = pk.columns.map((c) => c.name);
  for (const unique of config.uniqueConstraints) shape.indexes.push(`unique (${unique.columns.map((c) => c.name).join(', ')})`);
  for (const index of config.indexes) {
    const { name, columns, unique, where } = index.config;
    const on = columns.map((c) => (is(c, SQL) ? `(${sqlText(c)})` : (c as Column).name)).join(', ');
    shape.indexes.push(`${unique ? 'unique ' : ''}index ${name} (${on})${where ? ` where ${sqlText(where)}` : ''}`);
  }
  for (const key of config.foreignKeys) {
    const ref = key.reference();
    const target = is(ref.foreignTable, PgTable) ? pgConfig(ref.foreignTable).name : sqliteConfig(ref.foreignTable as SQLiteTable).name;
    shape.foreignKeys.push(
      `(${ref.columns.map((c) => c.name).join(', ')}) → ${target}(${ref.foreignColumns.map((c) => c.name).join(', ')}) on delete ${key.onDelete ?? 'no action'} on update ${key.onUpdate ?? 'no action'}`,
    );
  }
  shape.indexes.sort();
  shape.foreignKeys.sort();
  return shape;
}

/** Every table a schema module exports, by table name, in the neutral shape. */
export function parityShapeOf(schemaModule: Record<string, unknown>, wide: ReadonlySet<string> = new Set()): SchemaParity {
  const shape: SchemaParity = {};
  for (const value of Object.values(schemaModule)) {
    if (is(value, SQLiteTable)) {
      const config = sqliteConfig(value);
      shape[config.name] = tableShape(config, value, 'sqlite', wide);
    } else if (is(value, PgTable)) {
      const config = pgConfig(value);
      shape[config.name] = tableShape(config, value, 'pg', wide);
    }
  }
  return shape;
}

/** Every difference between the SQLite shape and the PostgreSQL one, one sentence each. */
export function diffParity(sqlite: SchemaParity, pg: SchemaParity): string[] {
  const out: string[] = [];
  const names = (a: object, b: object) => [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  for (const name of names(sqlite, pg)) {
    const s = sqlite[name];
    const p = pg[name];
    if (!s || !p) {
      out.push(`table ${name}: only in ${s ? 'SQLite' : 'PostgreSQL'}`);
      continue;
    }
    for (const column of names(s.columns, p.columns)) {
      const sc = s.columns[column];
      const pc = p.columns[column];
      if (!sc || !pc) {
        out.push(`${name}.${column}: only in ${sc ? 'SQLite' : 'PostgreSQL'}`);
        continue;
      }
      for (const key of Object.keys(sc) as (keyof ColumnParity)[])
        if (JSON.stringify(sc[key]) !== JSON.stringify(pc[key]))
          out.push(`${name}.${column}: ${key} is ${JSON.stringify(sc[key])} on SQLite, ${JSON.stringify(pc[key])} on PostgreSQL`);
    }
    if (s.primaryKey.join() !== p.primaryKey.join())
      out.push(`${name}: primary key (${s.primaryKey.join(', ')}) on SQLite, (${p.primaryKey.join(', ')}) on PostgreSQL`);
    for (const kind of ['indexes', 'foreignKeys'] as const) {
      for (const item of s[kind].filter((i) => !p[kind].includes(i))) out.push(`${name}: ${item} only on SQLite`);
      for (const item of p[kind].filter((i) => !s[kind].includes(i))) out.push(`${name}: ${item} only on PostgreSQL`);
    }
  }
  return out;
}
