/**
 * Group commit: writes that arrive together share one durable commit.
 *
 * With synchronous=FULL every commit waits for the disk (fsync) before it returns, and on this
 * service's hardware that wait is the largest single cost of a submission. Submissions that reach the
 * database in the same turn of the event loop are run one after another inside a single IMMEDIATE
 * transaction, each in its own savepoint, and committed once. Each caller's promise settles only after
 * that commit returned, so an answer still means "durably stored"; a write that throws is
 * rolled back to its savepoint alone and its caller gets the error, the others commit. The batch runs
 * synchronously from BEGIN to COMMIT, so no other code can interleave on the connection.
 */
import type Database from 'better-sqlite3';

type Pending = { work: () => unknown; resolve: (value: unknown) => void; reject: (error: unknown) => void };

export type GroupCommit = <T>(work: () => T) => Promise<T>;

export function createGroupCommit(sqlite: Database.Database, options: { maxBatch?: number } = {}): GroupCommit & { batches: () => number[] } {
  const maxBatch = options.maxBatch ?? 200;
  let queue: Pending[] = [];
  let scheduled = false;
  const sizes: number[] = [];
  const begin = sqlite.prepare('BEGIN IMMEDIATE');
  const commit = sqlite.prepare('COMMIT');
  const savepoint = sqlite.prepare('SAVEPOINT group_item');
  const release = sqlite.prepare('RELEASE group_item');
  const rollbackTo = sqlite.prepare('ROLLBACK TO group_item');

  function flush() {
    scheduled = false;
    const batch = queue.splice(0, maxBatch);
    if (queue.length > 0) schedule();
    if (batch.length === 0) return;
    if (sizes.length < 10_000) sizes.push(batch.length);
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      begin.run();
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    for (const item of batch) {
      savepoint.run();
      try {
        const value = item.work();
        release.run();
        outcomes.push({ ok: true, value });
      } catch (error) {
        rollbackTo.run();
        release.run();
        outcomes.push({ ok: false, error });
      }
    }
    try {
      commit.run();
    } catch (error) {
      if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
      for (const item of batch) item.reject(error);
      return;
    }
    batch.forEach((item, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    });
  }

  function schedule() {
    scheduled = true;
    setImmediate(flush);
  }

  const run = <T>(work: () => T): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!scheduled) schedule();
    });
  return Object.assign(run, { batches: () => sizes });
}
