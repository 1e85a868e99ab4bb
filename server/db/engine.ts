/**
 * What differs between the two engines (issue 16, DESIGN §11), one small interface per concern.
 * Services stay engine-neutral: they call these through the composition root, which picks the SQLite
 * implementations (./engine-sqlite.ts) or the PostgreSQL ones (./pg/engine.ts) from DATABASE_URL. Both
 * are checked against these types (`satisfies`) and tested on both engines. Everything else (plain
 * selects, inserts, updates) is written once in drizzle and only needs its handle to be awaited.
 *
 * The concerns:
 * - Full-text search (SearchConcern): FTS5 with stems computed in JavaScript on SQLite
 *   (./register-search.ts); a weighted tsvector, unaccent and PostgreSQL's French stemmer, GIN index and
 *   ts_rank on PostgreSQL (./pg/register-search.ts). tests/db/register-search-engines.test.ts.
 * - Leases (LeaseConcern): the delivery outbox and the mail outbox. On SQLite one UPDATE … RETURNING
 *   is atomic under the single writer; on PostgreSQL the due rows are chosen FOR UPDATE SKIP LOCKED
 *   (./pg/leases.ts), so concurrent workers skip each other's rows. tests/db/pg-concurrency.test.ts.
 * - The audit chain's append (AuditChainConcern): serialised by the single writer on SQLite
 *   (./audit-chain.ts), by pg_advisory_xact_lock on PostgreSQL (./pg/audit.ts), so two processes never
 *   fork the chain.
 * - Shared state (SharedStateConcern): rate limits and one-time secrets in the database, not in one
 *   process's memory (./rate-limits.ts, ./one-time-secrets.ts and their ./pg/ counterparts): one atomic
 *   upsert per attempt, one DELETE … RETURNING per taken secret. tests/db/shared-state.test.ts.
 * - Session setup: SQLite's pragmas (./client.ts: WAL, synchronous=FULL, foreign_keys, busy_timeout) are
 *   per connection; on PostgreSQL they have no counterpart to set (durability and foreign keys are the
 *   server's), and each pooled connection gets its application_name and an
 *   idle_in_transaction_session_timeout (./pg/client.ts), so a transaction left open cannot hold a lease
 *   or the audit chain's lock for ever. Migrations run under a session advisory lock (./pg/client.ts).
 * - Group commit (GroupCommitConcern): on SQLite writes arriving together share one commit and one fsync
 *   (./group-commit.ts); on PostgreSQL each unit gets its own transaction on a pooled connection and the
 *   server groups WAL flushes itself (./pg/group-commit.ts).
 *
 * Transactions, sync to async (the runner itself is server/db/transactions.ts, another change's): drizzle's
 * better-sqlite3 transaction is synchronous and cannot await, and on PostgreSQL everything inside a
 * transaction must go through its one pooled connection. The proposal: one runner,
 * `inTransaction(db, async (tx) => …)`, every query in it taking `tx`. On PostgreSQL it is drizzle's
 * `db.transaction`, which checks out one client from BEGIN to COMMIT. On SQLite there is one connection,
 * so two async transactions must never interleave on it: the runner holds a mutex (a promise queue)
 * from BEGIN IMMEDIATE to COMMIT or ROLLBACK, run by hand on the connection, and a write outside any
 * transaction waits for that mutex too. Network I/O still happens after the commit, never inside.
 */
import type { RegisterQuery } from './register';
import type { AuditRow, ChainEnd } from './audit-chain';
import type { MailRecord } from './mail-leases';
import type { DeliveryRecord } from './deliveries';
import type { AttemptInput } from './rate-limits';
import type { OneTimeSecret, StoredSecret } from './one-time-secrets';
import type { ProjectRow } from '../domain/register-schema';

/** SQLite answers at once; PostgreSQL answers with a promise. Callers await either. */
export type Awaitable<T> = T | Promise<T>;

export type SearchConcern<D> = {
  /** Puts one project's text in the index, replacing what was there, through the caller's transaction. */
  indexProject(db: D, row: ProjectRow): Awaitable<void>;
  /** The register's search: the total and the ids of the page asked for, in the order asked for. */
  searchProjectIds(db: D, query: RegisterQuery): Awaitable<{ total: number; ids: string[] }>;
};

export type LeaseConcern<D> = {
  /** Up to `limit` due delivery rows, leased to `owner` until `leaseUntilIso`; never a row another lease holds. */
  leaseDueDeliveries(db: D, owner: string, nowIso: string, leaseUntilIso: string, limit: number): Awaitable<DeliveryRecord[]>;
  /** The same for mails: a mail leased by one worker is not sent by another while the lease runs. */
  leaseDueMails(db: D, owner: string, nowIso: string, leaseUntilIso: string, limit: number): Awaitable<MailRecord[]>;
};

export type AuditChainConcern<D> = {
  /** Appends the entry `next` builds from the chain's end; appends from every process take turns. */
  appendAuditEntry(db: D, next: (last: ChainEnd) => AuditRow): Awaitable<AuditRow>;
};

export type SharedStateConcern<D> = {
  /** Counts one attempt and returns the count in its fixed window, the same on every process. */
  countAttempt(db: D, input: AttemptInput): Awaitable<number>;
  sweepRateLimits(db: D, beforeIso: string): Awaitable<number>;
  storeSecret(db: D, secret: OneTimeSecret): Awaitable<void>;
  /** The secret, once: removed as it is read, so two racing takers never both get it. */
  takeSecret(db: D, secretHash: string, purpose: string, nowIso: string): Awaitable<StoredSecret | undefined>;
  purgeExpiredSecrets(db: D, nowIso: string): Awaitable<number>;
};

/** Every concern, as one engine implements them over its handle type D. */
export type EngineConcerns<D> = { name: 'sqlite' | 'postgresql' } & SearchConcern<D> & LeaseConcern<D> & AuditChainConcern<D> & SharedStateConcern<D>;
