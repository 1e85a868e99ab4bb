import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/client';

const dir = mkdtempSync(join(tmpdir(), 'sante-droits-db-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('openDatabase', () => {
  it('opens SQLite durable and strict: WAL, synchronous=FULL, foreign keys, busy timeout', () => {
    const h = openDatabase(join(dir, 'a.sqlite'));
    expect(h.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(h.sqlite.pragma('synchronous', { simple: true })).toBe(2);
    expect(h.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(h.sqlite.pragma('busy_timeout', { simple: true })).toBe(5000);
    h.close();
  });

  it('applies the migrations at open, once', () => {
    const file = join(dir, 'b.sqlite');
    const first = openDatabase(file);
    const tables = first.sqlite.prepare("select name from sqlite_master where type = 'table' order by name").all() as { name: string }[];
    expect(tables.map((t) => t.name)).toContain('meta');
    const applied = (first.sqlite.prepare('select count(*) as n from __drizzle_migrations').get() as { n: number }).n;
    first.close();
    const again = openDatabase(file);
    expect((again.sqlite.prepare('select count(*) as n from __drizzle_migrations').get() as { n: number }).n).toBe(applied);
    again.close();
  });

  it('reuses prepared statements, and hands a reused one back in object mode', async () => {
    const h = openDatabase(join(dir, 'c.sqlite'));
    const { meta } = await import('../../server/db/schema');
    h.db.insert(meta).values({ key: 'k', value: 'v', updatedAt: 'now' }).run();
    // drizzle reads mapped rows through raw mode...
    expect(h.db.select({ value: meta.value }).from(meta).get()).toEqual({ value: 'v' });
    const sqlText = h.db.select({ value: meta.value }).from(meta).toSQL().sql;
    const a = h.sqlite.prepare(sqlText);
    // ...and the same statement prepared again answers objects, as a fresh one would.
    expect(a.get()).toEqual({ value: 'v' });
    expect(h.sqlite.prepare(sqlText)).toBe(a);
    h.close();
  });
});
