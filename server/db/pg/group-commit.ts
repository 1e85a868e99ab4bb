/**
 * Group commit on PostgreSQL (issue 16), the counterpart of ../group-commit.ts: nothing to batch in the
 * service. On SQLite one connection writes, and batching writes that arrive together into one commit
 * saves an fsync each. On PostgreSQL each unit runs in a transaction of its own on a pooled connection,
 * concurrently with the others, and the server itself shares one WAL flush among the commits that reach
 * it together (commit_delay and commit_siblings, PostgreSQL's own group commit). So each unit gets its
 * transaction, and its promise settles once that transaction has committed: the same promise as on SQLite.
 */
import type { PgDb } from './client';

export type PgGroupCommit = <T>(work: (tx: PgDb) => Promise<T>) => Promise<T>;

export function createPgGroupCommit(db: PgDb): PgGroupCommit {
  return (work) => db.transaction((tx) => work(tx));
}
