/**
 * Queries built once per database handle. drizzle builds the SQL text of a query on every call, and on
 * the submission path that building cost more than SQLite's own work; a prepared drizzle query keeps
 * its SQL and statement and takes values through placeholders (sql.placeholder).
 * Keyed by the handle: a transaction's handle gets its own, built on first use.
 */
import { getTableColumns, sql, type Placeholder } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Db } from './client';

const cache = new WeakMap<object, Map<string, unknown>>();

export function prepared<T>(db: Db, key: string, build: (db: Db) => T): T {
  let queries = cache.get(db);
  if (!queries) {
    queries = new Map();
    cache.set(db, queries);
  }
  let query = queries.get(key) as T | undefined;
  if (query === undefined) {
    query = build(db);
    queries.set(key, query);
  }
  return query;
}

/** A placeholder for every column of a table, named like its property: for prepared inserts. */
export function allPlaceholders<T extends SQLiteTable>(table: T): Record<keyof T['$inferInsert'], Placeholder> {
  return Object.fromEntries(Object.keys(getTableColumns(table)).map((name) => [name, sql.placeholder(name)])) as Record<keyof T['$inferInsert'], Placeholder>;
}

/** Every column of a table set to null, so a prepared insert gets a value for each placeholder. */
export function nullColumns<T extends SQLiteTable>(table: T): Record<keyof T['$inferInsert'], null> {
  return Object.fromEntries(Object.keys(getTableColumns(table)).map((name) => [name, null])) as Record<keyof T['$inferInsert'], null>;
}
