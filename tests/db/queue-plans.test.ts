/**
 * The back-office queue is read in due order from an index, never sorted: EXPLAIN QUERY PLAN of the
 * SQL the queue functions run (captured from drizzle), for an administrator (every organisation), a
 * DPO's organisation and one status. With no statistics gathered (a new database), so the plans hold
 * whatever the data; tests/bench/queue-plans.ts prints the same plans on a million requests.
 */
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPEN_STATUSES } from '../../server/domain/rights-request';
import { CNAM_ID } from '../../server/domain/routing';
import { queueKeys, type QueueFilter } from '../../server/db/staff-requests';
import * as schema from '../../server/db/schema';
import { makeTestApp, type TestApp } from '../helpers/app';

let t: TestApp;
beforeAll(() => {
  t = makeTestApp();
});
afterAll(() => t.close());

function planOf(filter: QueueFilter): string[] {
  const captured: { sql: string; params: unknown[] }[] = [];
  const db = drizzle(t.deps.database.sqlite, { schema, logger: { logQuery: (sql, params) => captured.push({ sql, params }) } });
  queueKeys(db, filter, 20);
  const { sql, params } = captured[0]!;
  return t.deps.database.sqlite
    .prepare(`EXPLAIN QUERY PLAN ${sql}`)
    .all(...params)
    .map((r) => (r as { detail: string }).detail);
}

describe('the queue order comes from an index', () => {
  it.each<[string, QueueFilter, RegExp]>([
    ['an administrator, the default queue', { statuses: OPEN_STATUSES }, /USING INDEX rights_requests_open_due_idx/],
    [
      'an administrator, the default queue of one kind and due within a week',
      { statuses: OPEN_STATUSES, kind: 'acces', due: { to: '2026-12-09' } },
      /rights_requests_open_due_idx/,
    ],
    ['the CNAM, the default queue', { organisationId: CNAM_ID, statuses: OPEN_STATUSES }, /USING INDEX rights_requests_open_queue_idx \(organisation_id=\?/],
    ['a controller, one status', { organisationId: 'hopital-x', statuses: ['repondue'] }, /rights_requests_org_idx \(organisation_id=\? AND status=\?/],
    ['an administrator, one status', { statuses: ['refusee'] }, /rights_requests_status_idx \(status=\?/],
  ])('%s', (_label, filter, index) => {
    const plan = planOf(filter);
    expect(plan.join('\n')).toMatch(index);
    expect(plan.join('\n')).not.toMatch(/TEMP B-TREE FOR ORDER BY/);
  });
});
