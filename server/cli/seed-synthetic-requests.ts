/**
 * Synthetic rights requests for benchmarks only (`npm run seed:synthetic -- --requests 1000000`): 24
 * months of requests to the CNAM and the register's controllers, with their facts and the monthly
 * counters of the public figures, written fast: plain prepared statements, one transaction per batch
 * of 10,000, the counters summed in memory and written once. The histories come from the same
 * generator as the demonstration figures (services/statistics-demo.ts). No identity: the columns that
 * hold one stay empty; references start with `S`.
 */
import type { DbHandle } from '../db/client';
import { projectControllers } from '../db/register';
import { bumpStatisticsVersion } from '../db/statistics';
import { todayIn } from '../domain/deadlines';
import { contributions, addMonths, type RequestFacts } from '../domain/statistics';
import { CNAM_ID } from '../domain/routing';
import { demoFacts } from '../services/statistics-demo';

function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const REQUEST_COLUMNS = [
  'id',
  'reference',
  'kind',
  'scope',
  'organisation_id',
  'part',
  'clock',
  'on_behalf',
  'lang',
  'status',
  'created_at',
  'confirmed_at',
  'received_on',
  'due_on',
  'extended_due_on',
  'extended_at',
  'answer_due_on',
  'closed_at',
];
const FACT_COLUMNS = [
  'request_id',
  'organisation_id',
  'kind',
  'scope',
  'status',
  'created_at',
  'confirmed_at',
  'received_on',
  'due_on',
  'extended_due_on',
  'extended_at',
  'answer_due_on',
  'answered_at',
  'answer_type',
  'refusal_code',
  'withdrawn_at',
  'expired_at',
];
const insertSql = (table: string, columns: string[]) => `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;

/**
 * Writes `count` synthetic requests received over the 24 months before `now` (and the facts of those
 * deleted unconfirmed, which have no row any more). Returns the number of request rows written.
 */
export function seedSyntheticRequests(database: Pick<DbHandle, 'db' | 'sqlite'>, count: number, now: Date, seed = 7): number {
  const { db, sqlite } = database;
  const today = todayIn(now);
  const first = addMonths(today.slice(0, 7), -24);
  const controllers = projectControllers(db).filter((o) => o !== CNAM_ID);
  const rnd = random(seed);
  const habits = new Map(
    [CNAM_ID, ...controllers].map((o, i) => [
      o,
      { perMonth: 0, late: i % 4 === 3 ? 0.35 : 0.05 + rnd() * 0.1, extended: 0.03 + rnd() * 0.07, refused: 0.03 + rnd() * 0.06 },
    ]),
  );
  const insertRequest = sqlite.prepare(insertSql('rights_requests', REQUEST_COLUMNS));
  const insertFacts = sqlite.prepare(insertSql('request_facts', FACT_COLUMNS));
  const counters = new Map<string, number>();
  const batch = 10_000;
  let rows = 0;
  for (let i = 0; rows < count;) {
    sqlite.transaction(() => {
      for (const end = i + batch; i < end && rows < count; i += 1) {
        // The CNAM answers for the whole SNDS: 60 % of the requests.
        const org = rnd() < 0.6 || controllers.length === 0 ? CNAM_ID : controllers[Math.floor(rnd() * controllers.length)]!;
        const month = addMonths(first, Math.floor(rnd() * 25));
        const f = demoFacts(`s-${i}`, org, month, habits.get(org)!, today, rnd);
        if (!f) continue;
        // A request never confirmed is deleted after 7 days: only its facts stay.
        if (!f.expiredAt) {
          rows += 1;
          insertRequest.run(...requestValues(f, i, org));
        }
        insertFacts.run(...factValues(f, org));
        for (const c of contributions(f as RequestFacts)) {
          const key = `${c.month}\u0000${c.organisation ?? org}\u0000${f.kind}\u0000${c.scope}\u0000${c.measure}`;
          counters.set(key, (counters.get(key) ?? 0) + 1);
        }
      }
    })();
  }
  writeCounters(database, counters);
  return rows;
}

type SyntheticFacts = NonNullable<ReturnType<typeof demoFacts>>;

/** A request row's values, in REQUEST_COLUMNS order. */
function requestValues(f: SyntheticFacts, i: number, org: string) {
  const closedAt = f.answeredAt ?? f.withdrawnAt;
  return [
    f.requestId,
    `S${i.toString(36).toUpperCase().padStart(8, '0')}`,
    f.kind,
    f.scope,
    org,
    org === CNAM_ID ? 'snds' : 'controller',
    org === CNAM_ID ? 'confirmation' : 'delivery',
    'self',
    'fr',
    f.status,
    f.createdAt,
    f.confirmedAt,
    f.receivedOn,
    f.dueOn,
    f.extendedDueOn,
    f.extendedAt,
    f.answerDueOn,
    closedAt,
  ];
}

/** A request_facts row's values, in FACT_COLUMNS order. */
function factValues(f: SyntheticFacts, org: string) {
  return [
    f.requestId,
    org,
    f.kind,
    f.scope,
    f.status,
    f.createdAt,
    f.confirmedAt,
    f.receivedOn,
    f.dueOn,
    f.extendedDueOn,
    f.extendedAt,
    f.answerDueOn,
    f.answeredAt,
    f.answerType,
    f.refusalCode,
    f.withdrawnAt,
    f.expiredAt,
  ];
}

/** Adds the monthly counters of the requests written. */
function writeCounters({ db, sqlite }: Pick<DbHandle, 'db' | 'sqlite'>, counters: Map<string, number>) {
  const addCounter = sqlite.prepare(
    'INSERT INTO statistics_counters (month, organisation_id, kind, scope, measure, value) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET value = value + excluded.value',
  );
  sqlite.transaction(() => {
    for (const [key, value] of counters) addCounter.run(...key.split('\u0000'), value);
    // The statistics' version moves with the counters, as every other write of them does.
    bumpStatisticsVersion(db);
  })();
}
