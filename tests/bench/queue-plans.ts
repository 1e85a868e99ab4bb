/**
 * The back-office queue's query plans and times on a seeded database (`npm run seed:synthetic`): the
 * default queue (requests awaiting an answer) for an administrator (every organisation), for the CNAM
 * and for one controller, and one status. Run: npx tsx tests/bench/queue-plans.ts <database file>.
 * Prints each query's EXPLAIN QUERY PLAN and the median of 20 runs; a plan that sorts the big table
 * (`USE TEMP B-TREE FOR ORDER BY`) is marked.
 */
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { performance } from 'node:perf_hooks';
import { OPEN_STATUSES } from '../../server/domain/rights-request';
import { CNAM_ID } from '../../server/domain/routing';
import { queueCount, queueKeys, type QueueFilter } from '../../server/db/staff-requests';
import * as schema from '../../server/db/schema';

const file = process.argv[2];
if (!file) throw new Error('usage: tsx tests/bench/queue-plans.ts <database file>');
const sqlite = new Database(file, { readonly: true });
const captured: { sql: string; params: unknown[] }[] = [];
const db = drizzle(sqlite, { schema, logger: { logQuery: (sql, params) => captured.push({ sql, params }) } });
const requests = (sqlite.prepare('select count(*) n from rights_requests').get() as { n: number }).n;
const controller = (
  sqlite.prepare(`select organisation_id o, count(*) n from rights_requests where organisation_id != ? group by 1 order by 2 desc limit 1`).get(CNAM_ID) as {
    o: string;
  }
).o;
console.log(`rights_requests: ${requests} rows; controller with the most requests: ${controller}`);
const cases: [string, QueueFilter][] = [
  ['administrator, default queue (every organisation)', { statuses: OPEN_STATUSES }],
  ['CNAM, default queue', { organisationId: CNAM_ID, statuses: OPEN_STATUSES }],
  [`controller ${controller}, default queue`, { organisationId: controller, statuses: OPEN_STATUSES }],
  ['administrator, one status (repondue)', { statuses: ['repondue'] }],
];
const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
for (const [label, filter] of cases) {
  for (const [name, run] of [
    ['keys (first page of 20)', () => queueKeys(db, filter, 20)],
    ['count (capped at 1000)', () => queueCount(db, filter, 1000)],
  ] as const) {
    captured.length = 0;
    run();
    const { sql, params } = captured[0]!;
    const plan = sqlite
      .prepare(`EXPLAIN QUERY PLAN ${sql}`)
      .all(...(params as unknown[]))
      .map((r) => (r as { detail: string }).detail);
    const times: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t = performance.now();
      run();
      times.push(performance.now() - t);
    }
    const sorts = plan.some((d) => /TEMP B-TREE FOR ORDER BY/.test(d));
    console.log(`\n${label}: ${name}: median ${median(times).toFixed(2)} ms${sorts ? '  ** sorts the table **' : ''}`);
    for (const d of plan) console.log(`  ${d}`);
  }
}
