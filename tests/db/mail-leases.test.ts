/**
 * The mail outbox's lease on SQLite (issue 16, server/db/mail-leases.ts), as PostgreSQL's is tested in
 * tests/db/pg-concurrency.test.ts: a leased mail is not leased again while its lease runs, a mail sent
 * or dead is never leased, and a lease that ran out (its worker died) is taken again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase, type DbHandle } from '../../server/db/client';
import { leaseDueMails } from '../../server/db/mail-leases';
import { mailOutbox } from '../../server/db/schema';

const NOW = '2026-12-03T10:00:00.000Z';
let dir: string;
let handle: DbHandle;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sante-droits-mail-leases-'));
  handle = openDatabase(join(dir, 'service.sqlite'));
  const row = (id: string, extra: Partial<typeof mailOutbox.$inferInsert> = {}) => ({
    id,
    template: 't',
    varsEnc: 'x',
    createdAt: NOW,
    nextAttemptAt: NOW,
    ...extra,
  });
  handle.db
    .insert(mailOutbox)
    .values([
      row('m1'),
      row('m2'),
      row('m3'),
      row('sent', { sentAt: NOW }),
      row('dead', { deadAt: NOW }),
      row('later', { nextAttemptAt: '2026-12-03T11:00:00.000Z' }),
    ])
    .run();
});
afterAll(() => {
  handle.close();
  rmSync(dir, { recursive: true, force: true });
});

it('leases each due mail to one worker while its lease runs, then again once it ran out', () => {
  const first = leaseDueMails(handle.db, 'a', NOW, '2026-12-03T10:05:00.000Z', 2).map((m) => m.id);
  const second = leaseDueMails(handle.db, 'b', NOW, '2026-12-03T10:05:00.000Z', 10).map((m) => m.id);
  expect(first).toHaveLength(2);
  expect([...first, ...second].sort()).toEqual(['m1', 'm2', 'm3']);
  expect(leaseDueMails(handle.db, 'c', NOW, '2026-12-03T10:05:00.000Z', 10)).toEqual([]);
  const retaken = leaseDueMails(handle.db, 'c', '2026-12-03T10:06:00.000Z', '2026-12-03T10:11:00.000Z', 10);
  expect(retaken.map((m) => m.id).sort()).toEqual(['m1', 'm2', 'm3']);
  expect(retaken.every((m) => m.leaseOwner === 'c' && m.leaseUntil === '2026-12-03T10:11:00.000Z')).toBe(true);
});
