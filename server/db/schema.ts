/**
 * The database schema (drizzle, SQLite dialect). drizzle-kit generates migrations/ from this file:
 * `npm run db:generate`. A merged migration is never edited.
 */
import { sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** Facts about this installation: when demonstration data was seeded, the schema's own notes. */
export const meta = sqliteTable('meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: text('updated_at').notNull(),
});
