/**
 * Opens the SQLite database and applies migrations.
 *
 * WAL lets readers work while a write commits; synchronous=FULL makes every commit durable before it
 * returns (DESIGN §2: nothing a person submitted is lost, even on kill -9).
 */
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { fileURLToPath } from 'node:url';
import * as schema from './schema';

export type Db = BetterSQLite3Database<typeof schema>;
export type DbHandle = { db: Db; sqlite: Database.Database; close: () => void };

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations', import.meta.url));

export function openDatabase(file: string, options: { migrate?: boolean } = {}): DbHandle {
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = drizzle(sqlite, { schema });
  if (options.migrate !== false) migrate(db, { migrationsFolder: MIGRATIONS_DIR });
  return {
    db,
    sqlite,
    close: () => {
      if (sqlite.open) sqlite.close();
    },
  };
}

/** The database check behind /healthz: a real read through the same connection. */
export function checkDatabase(sqlite: Database.Database): { ok: boolean; journalMode?: string; error?: string } {
  try {
    const row = sqlite.prepare('select 1 as ok').get() as { ok: number };
    const journalMode = sqlite.pragma('journal_mode', { simple: true }) as string;
    return { ok: row.ok === 1, journalMode };
  } catch {
    return { ok: false, error: 'database unavailable' };
  }
}
