/**
 * Opens the PostgreSQL engine (issue 16, DESIGN §11: `DATABASE_URL=postgres://…`) and applies its
 * migrations (migrations-pg/, generated from server/db/pg/schema.ts by drizzle.config.pg.ts).
 *
 * The driver is node-postgres (`pg`) with a Pool: the driver drizzle's node-postgres adapter is built on,
 * maintained, pure JavaScript (nothing to compile), and its pool checks one connection out for a whole
 * transaction, which is what a transaction needs: everything inside it goes through that connection
 * (drizzle's `db.transaction(async (tx) => …)` runs on the client it checked out).
 */
import pg from 'pg';
import { drizzle, type NodePgDatabase, type NodePgQueryResultHKT } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase } from 'drizzle-orm/pg-core';
import { fileURLToPath } from 'node:url';
import * as schema from './schema';

/** The handle every PostgreSQL query function takes: the pool's database or a transaction inside it. */
export type PgDb = PgDatabase<NodePgQueryResultHKT, typeof schema>;
/** The opened database itself (with `$client`, the pool). */
export type PgOpenedDb = NodePgDatabase<typeof schema>;
export type PgHandle = {
  db: PgOpenedDb;
  pool: pg.Pool;
  /** Waits for the connections in use to be released, then closes them all. */
  close: () => Promise<void>;
};

export const PG_MIGRATIONS_DIR = fileURLToPath(new URL('../../../migrations-pg', import.meta.url));

/**
 * Every process that starts (web processes and workers side by side) runs the migrations; this
 * session-level advisory lock makes them take turns, so each migration is applied once: the second
 * process finds it in drizzle's list of applied migrations. Any fixed number; it names this service.
 */
const MIGRATION_LOCK = 1_616_416_001;

export type OpenPostgresOptions = {
  /** Apply migrations-pg/ before returning (true by default, as the service does at start). */
  migrate?: boolean;
  /** Connections at most in the pool. */
  max?: number;
  /** Shown in pg_stat_activity, to tell the web processes from the workers. */
  applicationName?: string;
  /**
   * An idle connection that fails (the server restarted, a network cut) is reported here; without a
   * listener node-postgres would throw it out of the process. The pool replaces the connection.
   */
  onIdleError?: (error: Error) => void;
};

export async function openPostgres(url: string, options: OpenPostgresOptions = {}): Promise<PgHandle> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'sante-droits',
    // A transaction left open by a bug must not hold its locks (a lease, the audit chain) forever.
    idle_in_transaction_session_timeout: 60_000,
  });
  pool.on('error', (error) => options.onIdleError?.(error));
  try {
    if (options.migrate !== false) await migratePostgres(pool);
  } catch (error) {
    await pool.end();
    throw error;
  }
  return { db: drizzle({ client: pool, schema }), pool, close: () => pool.end() };
}

/** Applies migrations-pg/ on one connection, holding the migration lock while it does. */
export async function migratePostgres(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await migrate(drizzle({ client, schema }), { migrationsFolder: PG_MIGRATIONS_DIR });
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    client.release();
  }
}

/** The database check behind /healthz on PostgreSQL: a real round trip through the pool. */
export async function checkPostgres(pool: pg.Pool): Promise<{ ok: boolean; error?: string }> {
  try {
    const result = await pool.query<{ ok: number }>('select 1 as ok');
    return { ok: result.rows[0]?.ok === 1 };
  } catch {
    return { ok: false, error: 'database unavailable' };
  }
}
