/**
 * Concurrency on PostgreSQL (issue 16): several processes on one database, each with a pool of its own
 * (here, several pools in one test process: each is its own set of server connections, as another
 * process's would be). Leases of the delivery outbox and the mail outbox never give one row to two
 * workers, and a worker never waits for rows another is leasing (SKIP LOCKED); two appends to the audit
 * chain never fork it (pg_advisory_xact_lock).
 */
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, type PgDb, type PgHandle } from '../../server/db/pg/client';
import { appendAuditEntry, AUDIT_CHAIN_LOCK, type PgAuditRow } from '../../server/db/pg/audit';
import { leaseDueDeliveries, leaseDueMails } from '../../server/db/pg/leases';
import { auditLog, deliveries, mailOutbox, rightsRequests } from '../../server/db/pg/schema';
import type { ChainEnd } from '../../server/db/audit-chain';
import { PG_HOOK_TIMEOUT_MS, testDatabase, type TestDatabase } from '../helpers/postgres-run';
import { waitFor } from '../helpers/wait';

const ROWS = 120;
const WORKERS = 4;
const NOW = '2026-12-03T10:00:00.000Z';
const LEASE_UNTIL = '2026-12-03T10:05:00.000Z';

let database: TestDatabase;
const pools: PgHandle[] = [];
const worker = (i: number) => pools[i]!.db;

beforeAll(async () => {
  database = await testDatabase();
  for (let i = 0; i < WORKERS; i++) pools.push(await openPostgres(database.url, { migrate: false, max: 3, applicationName: `worker-${i}` }));
  const db = worker(0);
  await db
    .insert(rightsRequests)
    .values({ id: 'r1', reference: 'REF-1', kind: 'opposition', scope: 'snds', onBehalf: 'self', lang: 'fr', status: 'recue', createdAt: NOW });
}, PG_HOOK_TIMEOUT_MS);
afterAll(async () => {
  for (const pool of pools) await pool.close();
  await database?.drop();
});

type Leaser = (db: PgDb, owner: string, nowIso: string, untilIso: string, limit: number) => Promise<{ id: string }[]>;

async function seed(kind: 'deliveries' | 'mails', prefix: string, n: number): Promise<void> {
  const ids = Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(4, '0')}`);
  if (kind === 'deliveries')
    await worker(0)
      .insert(deliveries)
      .values(ids.map((id) => ({ id, requestId: 'r1', organisationId: 'org', status: 'pending' as const, nextAttemptAt: NOW, createdAt: NOW })));
  else
    await worker(0)
      .insert(mailOutbox)
      .values(ids.map((id) => ({ id, template: 'test', varsEnc: 'x', createdAt: NOW, nextAttemptAt: NOW })));
}

/** Every worker leasing batches of 7 at once until nothing is left: what each one got. */
async function drain(lease: Leaser): Promise<string[][]> {
  return Promise.all(
    pools.map(async (_, i) => {
      const got: string[] = [];
      for (;;) {
        const batch = await lease(worker(i), `worker-${i}`, NOW, LEASE_UNTIL, 7);
        if (batch.length === 0) return got;
        got.push(...batch.map((r) => r.id));
      }
    }),
  );
}

/** A transaction on worker 0 that leases and stays open (its rows locked) until `release` is called. */
function holdLease(lease: Leaser, limit: number) {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let leased: string[] | undefined;
  const done = worker(0).transaction(async (tx) => {
    leased = (await lease(tx, 'holder', NOW, LEASE_UNTIL, limit)).map((r) => r.id);
    await gate;
  });
  return { held: () => waitFor(() => leased, { what: 'the first lease' }), release, done };
}

/** `promise`, or a failure naming it if it has not settled within `ms` (a lock waited for would hang the test). */
function within<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, fail) => (timer = setTimeout(() => fail(new Error(`${what} did not return within ${ms} ms`)), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

describe.each([
  { name: 'delivery outbox', kind: 'deliveries' as const, lease: leaseDueDeliveries as Leaser },
  { name: 'mail outbox', kind: 'mails' as const, lease: leaseDueMails as Leaser },
])('leases of the $name', ({ kind, lease }) => {
  it(`${WORKERS} workers leasing at once share ${ROWS} rows: each row to exactly one of them`, async () => {
    await seed(kind, `${kind}-race`, ROWS);
    const got = await drain(lease);
    const all = got.flat();
    expect(all).toHaveLength(ROWS);
    expect(new Set(all).size).toBe(ROWS);
    expect(all.every((id) => id.startsWith(`${kind}-race`))).toBe(true);
  });

  it('a worker does not wait for rows another is leasing: it skips them and takes others', async () => {
    await seed(kind, `${kind}-skip`, 10);
    const holder = holdLease(lease, 4);
    const first = await holder.held();
    expect(first).toHaveLength(4);
    // The holder's transaction is still open, its rows locked: a second worker's lease returns at once.
    const second = (await within(15_000, lease(worker(1), 'worker-1', NOW, LEASE_UNTIL, 10), 'the second lease, while the first is open')).map((r) => r.id);
    holder.release();
    await holder.done;
    expect(second).toHaveLength(6);
    expect(second.filter((id) => first.includes(id))).toEqual([]);
    expect(await lease(worker(2), 'worker-2', NOW, LEASE_UNTIL, 10)).toEqual([]);
  });

  it('a lease that ran out is taken again (its worker died)', async () => {
    const later = '2026-12-03T10:06:00.000Z';
    const again = await lease(worker(3), 'worker-3', later, '2026-12-03T10:11:00.000Z', 1000);
    expect(again.length).toBeGreaterThanOrEqual(ROWS + 10);
  });
});

/** An entry as server/services/audit.ts builds it: a hash over the entry and its predecessor's hash. */
function nextEntry(action: string) {
  return (last: ChainEnd): PgAuditRow => {
    const entry = {
      seq: (last?.seq ?? 0) + 1,
      at: NOW,
      actor: 'system',
      action,
      targetType: null,
      targetId: null,
      detail: null,
      prevHash: last?.hash ?? '0'.repeat(64),
    };
    return { ...entry, hash: createHash('sha256').update(JSON.stringify(entry)).digest('hex') };
  };
}

async function chain(): Promise<PgAuditRow[]> {
  return worker(0).select().from(auditLog).orderBy(auditLog.seq);
}

describe('the audit chain', () => {
  it('two appends at once take turns: the second waits for the first to commit, then follows it', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let first: PgAuditRow | undefined;
    const firstDone = worker(0).transaction(async (tx) => {
      first = await appendAuditEntry(tx, nextEntry('first'));
      await gate;
    });
    await waitFor(() => first, { what: 'the first append' });
    const second = appendAuditEntry(worker(1), nextEntry('second'));
    // The second append waits on the chain's lock while the first transaction is open.
    await waitFor(
      async () => {
        const rows = await worker(2).execute<{ waiting: number }>(
          sql`SELECT count(*)::int AS waiting FROM pg_locks WHERE locktype = 'advisory' AND objid = ${AUDIT_CHAIN_LOCK} AND NOT granted`,
        );
        return rows.rows[0]!.waiting === 1;
      },
      { what: 'the second append waiting on the lock' },
    );
    release();
    await firstDone;
    const appended = await second;
    expect(appended.seq).toBe(first!.seq + 1);
    expect(appended.prevHash).toBe(first!.hash);
  });

  it(`${WORKERS} processes appending 15 entries each at once never fork it`, async () => {
    const before = (await chain()).length;
    await Promise.all(
      pools.map(async (_, i) => {
        for (let n = 0; n < 15; n++) await appendAuditEntry(worker(i), nextEntry(`w${i}-${n}`));
      }),
    );
    const rows = await chain();
    expect(rows).toHaveLength(before + WORKERS * 15);
    rows.forEach((row, i) => {
      expect(row.seq).toBe(i + 1);
      expect(row.prevHash).toBe(i === 0 ? '0'.repeat(64) : rows[i - 1]!.hash);
      const { hash, ...entry } = row;
      expect(hash).toBe(createHash('sha256').update(JSON.stringify(entry)).digest('hex'));
    });
  });

  it('proof: without the lock, two appends that read the same end fork it, and the second fails', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const read = (db: PgDb) =>
      db
        .select({ seq: auditLog.seq, hash: auditLog.hash })
        .from(auditLog)
        .orderBy(sql`${auditLog.seq} desc`)
        .limit(1);
    let firstRead: ChainEnd;
    const firstDone = worker(0).transaction(async (tx) => {
      [firstRead] = await read(tx);
      await gate;
      await tx.insert(auditLog).values(nextEntry('unlocked-1')(firstRead));
    });
    await waitFor(() => firstRead, { what: 'the first read' });
    const [secondRead] = await read(worker(1));
    expect(secondRead).toEqual(firstRead);
    release();
    await firstDone;
    await expect(worker(1).insert(auditLog).values(nextEntry('unlocked-2')(secondRead))).rejects.toThrow();
  });
});
