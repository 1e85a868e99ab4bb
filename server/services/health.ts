/**
 * The service's health as GET /healthz reports it (server/routes/health.ts): a real read of the database.
 */
import { checkDatabase, type DbHandle } from '../db/client';

export type DatabaseHealth = ReturnType<typeof checkDatabase>;

/** Whether the database answers a query, and its journal mode. */
export function databaseHealth(database: Pick<DbHandle, 'sqlite'>): DatabaseHealth {
  return checkDatabase(database.sqlite);
}
