/**
 * The PostgreSQL schema follows the SQLite one (issue 16): same tables, columns (with the same names in
 * code and the same JavaScript types), NOT NULL, defaults, keys, indexes and foreign keys, so a service
 * reads and writes the same values on either engine. A change to server/db/schema.ts fails here until
 * server/db/pg/schema.ts makes it too (then `npx drizzle-kit generate --config drizzle.config.pg.ts`).
 */
import { boolean, index as pgIndex, integer as pgInteger, pgTable, text as pgText } from 'drizzle-orm/pg-core';
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { describe, expect, it } from 'vitest';
import * as pgSchema from '../../server/db/pg/schema';
import * as sqliteSchema from '../../server/db/schema';
import { diffParity, parityShapeOf } from '../helpers/schema-parity';

/** Integers that need 64 bits on PostgreSQL: the WebAuthn signature counter is an unsigned 32-bit value. */
const WIDE = new Set(['credentials.counter']);
/** Only on PostgreSQL: the register's full-text index, a virtual table outside drizzle on SQLite. */
const PG_ONLY = ['projects_fts'];

describe('server/db/pg/schema.ts and server/db/schema.ts', () => {
  const sqlite = parityShapeOf(sqliteSchema, WIDE);
  const { [PG_ONLY[0]!]: fts, ...pg } = parityShapeOf(pgSchema);

  it('have the same tables, columns, types, keys and indexes', () => {
    expect(Object.keys(sqlite).length).toBeGreaterThan(20);
    expect(diffParity(sqlite, pg)).toEqual([]);
  });

  it('differ only by the PostgreSQL full-text index, one row per project', () => {
    expect(fts).toBeDefined();
    expect(fts!.foreignKeys).toEqual(['(project_id) → projects(id) on delete cascade on update no action']);
    expect(fts!.columns.document!.sqlType).toBe('tsvector');
    expect(fts!.indexes).toContain('index projects_fts_document_idx (document)');
    expect(sqlite.projects!.columns.search_rowid).toBeDefined();
  });
});

describe('the comparison itself', () => {
  it('names each kind of difference: table, column, JavaScript type, SQL type, NOT NULL, default, index, key', () => {
    const parentS = sqliteTable('parent', { id: text('id').primaryKey() });
    const childS = sqliteTable(
      'child',
      {
        id: integer('id').primaryKey({ autoIncrement: true }),
        parentId: text('parent_id').references(() => parentS.id, { onDelete: 'cascade' }),
        flag: integer('flag', { mode: 'boolean' }).notNull(),
        name: text('name').notNull().default('x'),
        count: integer('count').notNull(),
        gone: text('gone'),
      },
      (t) => [index('child_name_idx').on(t.name)],
    );
    const lostS = sqliteTable('lost', { id: text('id').primaryKey() });
    const parentP = pgTable('parent', { id: pgText('id').primaryKey() });
    const childP = pgTable(
      'child',
      {
        id: pgInteger('id').primaryKey(),
        parentId: pgText('parent_id').references(() => parentP.id),
        flag: pgInteger('flag').notNull(),
        name: pgText('name').default('y'),
        count: pgText('count').notNull(),
        extra: boolean('extra'),
      },
      (t) => [pgIndex('child_count_idx').on(t.count)],
    );
    expect(diffParity(parityShapeOf({ parentS, childS, lostS }), parityShapeOf({ parentP, childP }))).toEqual([
      'child.count: jsType is "number" on SQLite, "string" on PostgreSQL',
      'child.count: sqlType is "integer" on SQLite, "text" on PostgreSQL',
      'child.extra: only in PostgreSQL',
      'child.flag: jsType is "boolean" on SQLite, "number" on PostgreSQL',
      'child.flag: sqlType is "boolean" on SQLite, "integer" on PostgreSQL',
      'child.gone: only in SQLite',
      'child.id: generatedId is true on SQLite, false on PostgreSQL',
      'child.name: notNull is true on SQLite, false on PostgreSQL',
      'child.name: default is "\\"x\\"" on SQLite, "\\"y\\"" on PostgreSQL',
      'child: index child_name_idx (name) only on SQLite',
      'child: index child_count_idx (count) only on PostgreSQL',
      'child: (parent_id) → parent(id) on delete cascade on update no action only on SQLite',
      'child: (parent_id) → parent(id) on delete no action on update no action only on PostgreSQL',
      'table lost: only in SQLite',
    ]);
  });
});
