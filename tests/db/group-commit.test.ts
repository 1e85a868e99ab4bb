import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createGroupCommit } from '../../server/db/group-commit';

function open() {
  const file = join(mkdtempSync(join(tmpdir(), 'group-commit-')), 'db.sqlite');
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.exec('create table t (id integer primary key, v text not null unique)');
  return { sqlite, file };
}

describe('group commit', () => {
  it('commits writes that arrive together in one transaction, and each caller gets its own result', async () => {
    const { sqlite, file } = open();
    const commit = createGroupCommit(sqlite);
    const insert = sqlite.prepare('insert into t (v) values (?)');
    const ids = await Promise.all(Array.from({ length: 50 }, (_, i) => commit(() => Number(insert.run(`v${i}`).lastInsertRowid))));
    expect(new Set(ids).size).toBe(50);
    expect(commit.batches()).toEqual([50]);
    sqlite.close();
    // Durable: another connection reads every row.
    const again = new Database(file);
    expect((again.prepare('select count(*) as n from t').get() as { n: number }).n).toBe(50);
    again.close();
  });

  it('rolls back a failing write alone: the others commit and the caller gets the error', async () => {
    const { sqlite } = open();
    const commit = createGroupCommit(sqlite);
    const insert = sqlite.prepare('insert into t (v) values (?)');
    const results = await Promise.allSettled([
      commit(() => insert.run('a')),
      commit(() => {
        insert.run('b');
        insert.run('a'); // unique violation: 'b' must go too
      }),
      commit(() => insert.run('c')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((sqlite.prepare('select v from t order by v').all() as { v: string }[]).map((r) => r.v)).toEqual(['a', 'c']);
    expect(sqlite.inTransaction).toBe(false);
  });

  it('runs later writes in later batches, never holding the transaction open across turns', async () => {
    const { sqlite } = open();
    const commit = createGroupCommit(sqlite, { maxBatch: 4 });
    const insert = sqlite.prepare('insert into t (v) values (?)');
    await Promise.all(Array.from({ length: 10 }, (_, i) => commit(() => insert.run(`w${i}`))));
    expect(commit.batches()).toEqual([4, 4, 2]);
    await commit(() => insert.run('late'));
    expect(commit.batches()).toEqual([4, 4, 2, 1]);
    expect(sqlite.inTransaction).toBe(false);
  });
});
