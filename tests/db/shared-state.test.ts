/**
 * Rate limits and one-time secrets kept in the database (issue 16, DESIGN §11), one suite on both
 * engines through their engine concerns (server/db/engine-sqlite.ts, server/db/pg/engine.ts); then, on
 * PostgreSQL, what only several processes show: a limit reached through one holds on another, and two
 * processes racing for one secret never both get it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/client';
import type { SharedStateConcern } from '../../server/db/engine';
import { sqliteConcerns } from '../../server/db/engine-sqlite';
import { openPostgres, type PgHandle } from '../../server/db/pg/client';
import { pgConcerns } from '../../server/db/pg/engine';
import { PG_HOOK_TIMEOUT_MS, testDatabase, type TestDatabase } from '../helpers/postgres-run';

type Subject = { db: unknown; concerns: SharedStateConcern<unknown>; close: () => Promise<void> };

const ENGINES: { name: string; open: () => Promise<Subject> }[] = [
  {
    name: 'SQLite',
    open: async () => {
      const dir = mkdtempSync(join(tmpdir(), 'sante-droits-shared-state-'));
      const handle = openDatabase(join(dir, 'service.sqlite'));
      return {
        db: handle.db,
        concerns: sqliteConcerns as SharedStateConcern<unknown>,
        close: async () => {
          handle.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
  {
    name: 'PostgreSQL',
    open: async () => {
      const database = await testDatabase();
      const handle = await openPostgres(database.url, { migrate: false, max: 2 });
      return {
        db: handle.db,
        concerns: pgConcerns as SharedStateConcern<unknown>,
        close: async () => {
          await handle.close();
          await database.drop();
        },
      };
    },
  },
];

const at = (minutes: number) => new Date(Date.UTC(2026, 11, 3, 10, minutes)).toISOString();
/** One attempt at minute `minutes` in a ten-minute window. */
const attempt = (key: string, minutes: number, scope = 'tracking-link') => ({ scope, key, nowIso: at(minutes), windowStartedBy: at(minutes - 10) });

describe.each(ENGINES)('shared state on $name', (engine) => {
  let s: Subject;
  beforeAll(async () => {
    s = await engine.open();
  }, PG_HOOK_TIMEOUT_MS);
  afterAll(() => s?.close());

  describe('rate limits', () => {
    it('count attempts per scope and key within a fixed window, then start a new window', async () => {
      const count = (input: ReturnType<typeof attempt>) => s.concerns.countAttempt(s.db, input);
      expect(await count(attempt('ip-a', 0))).toBe(1);
      expect(await count(attempt('ip-a', 3))).toBe(2);
      expect(await count(attempt('ip-a', 9))).toBe(3);
      expect(await count(attempt('ip-b', 9))).toBe(1);
      expect(await count(attempt('ip-a', 9, 'staff-login'))).toBe(1);
      // The window opened at minute 0 has run out at minute 10: the count starts again.
      expect(await count(attempt('ip-a', 10))).toBe(1);
      expect(await count(attempt('ip-a', 19))).toBe(2);
      expect(await count(attempt('ip-a', 20))).toBe(1);
    });

    it('sweeps the windows that have run out, and only them', async () => {
      await s.concerns.countAttempt(s.db, attempt('old', 0));
      await s.concerns.countAttempt(s.db, attempt('recent', 30));
      expect(await s.concerns.sweepRateLimits(s.db, at(25))).toBeGreaterThanOrEqual(1);
      expect(await s.concerns.countAttempt(s.db, attempt('old', 31))).toBe(1);
      expect(await s.concerns.countAttempt(s.db, attempt('recent', 31))).toBe(2);
    });
  });

  describe('one-time secrets', () => {
    const secret = (hash: string, expiresMinute: number) => ({
      secretHash: hash,
      purpose: 'link',
      payloadEnc: `enc-${hash}`,
      createdAt: at(0),
      expiresAt: at(expiresMinute),
    });

    it('serve once: the first take returns the payload, the next finds nothing', async () => {
      await s.concerns.storeSecret(s.db, secret('h1', 30));
      expect(await s.concerns.takeSecret(s.db, 'h1', 'link', at(5))).toMatchObject({ secretHash: 'h1', payloadEnc: 'enc-h1' });
      expect(await s.concerns.takeSecret(s.db, 'h1', 'link', at(5))).toBeUndefined();
    });

    it('serve only their purpose, only before they expire', async () => {
      await s.concerns.storeSecret(s.db, secret('h2', 30));
      expect(await s.concerns.takeSecret(s.db, 'h2', 'other', at(5))).toBeUndefined();
      expect(await s.concerns.takeSecret(s.db, 'h2', 'link', at(30))).toBeUndefined();
      expect(await s.concerns.takeSecret(s.db, 'unknown', 'link', at(5))).toBeUndefined();
    });

    it('expired ones are purged, the others kept', async () => {
      await s.concerns.storeSecret(s.db, secret('h3', 40));
      expect(await s.concerns.purgeExpiredSecrets(s.db, at(35))).toBe(1);
      expect(await s.concerns.takeSecret(s.db, 'h3', 'link', at(36))).toMatchObject({ secretHash: 'h3' });
    });

    it('refuse a second secret under the same hash', async () => {
      await s.concerns.storeSecret(s.db, secret('h4', 30));
      await expect(Promise.resolve().then(() => s.concerns.storeSecret(s.db, secret('h4', 30)))).rejects.toThrow();
    });
  });
});

describe('shared state across PostgreSQL processes', () => {
  let database: TestDatabase;
  const processes: PgHandle[] = [];
  beforeAll(async () => {
    database = await testDatabase();
    for (let i = 0; i < 3; i++) processes.push(await openPostgres(database.url, { migrate: false, max: 4, applicationName: `web-${i}` }));
  }, PG_HOOK_TIMEOUT_MS);
  afterAll(async () => {
    for (const p of processes) await p.close();
    await database?.drop();
  });

  it('a limit reached through one process holds on the others, every attempt counted once', async () => {
    const counts = await Promise.all(Array.from({ length: 30 }, (_, i) => pgConcerns.countAttempt(processes[i % 3]!.db, attempt('ip-shared', 1))));
    expect(counts.sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    for (const p of processes) expect(await pgConcerns.countAttempt(p.db, attempt('ip-shared', 2))).toBeGreaterThan(30);
  });

  it('of processes racing for one secret, exactly one gets it', async () => {
    for (let round = 0; round < 10; round++) {
      const hash = `race-${round}`;
      await pgConcerns.storeSecret(processes[0]!.db, { secretHash: hash, purpose: 'link', payloadEnc: 'x', createdAt: at(0), expiresAt: at(30) });
      const takes = await Promise.all(processes.flatMap((p) => [p, p]).map((p) => pgConcerns.takeSecret(p.db, hash, 'link', at(1))));
      expect(takes.filter((t) => t !== undefined)).toHaveLength(1);
    }
  });
});
