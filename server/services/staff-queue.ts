/**
 * The back office's queue of rights requests: one page of a DPO's, the CNAM's or an
 * administrator's requests under typed filters (parsed from the query string by
 * server/routes/staff/queue-params.ts), and the same list as a CSV export.
 */
import { allOrganisations, organisationName } from '../db/requests';
import { exportBatch, queueCount, queueKeys, queueRecords, type QueueFilter, type QueueRecord } from '../db/staff-requests';
import { addDays, daysBetween, todayIn } from '../domain/deadlines';
import { OPEN_STATUSES, STATUSES, type Kind, type Status } from '../domain/rights-request';
import { datesOf } from './request-clock';
import type { StaffDeps, StaffScope } from './staff-scope';

/** What staff may see: everything once confirmed. */
export const STAFF_STATUSES: readonly Status[] = STATUSES.filter((s) => s !== 'a_confirmer');
/** `a_traiter` (to handle, the default), `toutes` (all), or one status. */
export const STATUS_FILTERS = ['a_traiter', 'toutes', ...STAFF_STATUSES] as const;
export const DUE_FILTERS = ['en_retard', 'moins_de_5_jours', 'sous_7_jours'] as const;
export type DueFilter = (typeof DUE_FILTERS)[number];

export const PAGE_SIZE = 20;
/**
 * Counting stops here: past it the page says "more than 1,000" and offers the first 50 pages. Exact
 * counts of a large organisation's backlog would cost more than the whole page may take (under 10 ms with a million requests);
 * filters and the CSV export reach the rest.
 */
export const COUNT_CAP = 1000;

export type QueueParams = {
  statut: (typeof STATUS_FILTERS)[number];
  type?: Kind;
  echeance?: DueFilter;
  /** Administrators only. */
  organisation?: string;
  /** A reference typed in the queue's search: that request, whatever its status. */
  reference?: string;
  page: number;
  /** Parameters whose value was not understood: shown as errors, then left out. */
  invalid: ('statut' | 'type' | 'echeance' | 'organisation' | 'reference' | 'page')[];
};

/** The database filter for a scope and parameters; undefined when nothing can match. */
function filterFor(scope: StaffScope, p: QueueParams, today: string): QueueFilter | undefined {
  if (!scope) return undefined;
  // A reference names one request: found whatever its status.
  let statuses: readonly Status[] = p.reference
    ? STAFF_STATUSES
    : p.statut === 'a_traiter'
      ? OPEN_STATUSES
      : p.statut === 'toutes'
        ? STAFF_STATUSES
        : [p.statut];
  let due: QueueFilter['due'];
  if (p.echeance) {
    // Being late only means something while an answer is awaited.
    statuses = statuses.filter((s) => OPEN_STATUSES.includes(s));
    due =
      p.echeance === 'en_retard'
        ? { to: addDays(today, -1) }
        : p.echeance === 'moins_de_5_jours'
          ? { from: today, to: addDays(today, 4) }
          : { from: today, to: addDays(today, 6) };
  }
  if (statuses.length === 0) return undefined;
  return { organisationId: scope.organisationId ?? p.organisation, statuses, kind: p.type, due, reference: p.reference };
}

export type QueueItem = QueueRecord & {
  /** The date the answer is due now: the extended one once extended. */
  due: string | null;
  /** Before receipt: the due date if it were received today. */
  estimatedDue: string | null;
  extended: boolean;
  /** Days until `due` (negative: overdue); null once answered or before the request is delivered. */
  daysLeft: number | null;
};

export type Queue = { params: QueueParams; items: QueueItem[]; total: number; capped: boolean; pages: number; today: string };

const OPEN = new Set<string>(OPEN_STATUSES);

export function staffQueue(deps: Pick<StaffDeps, 'db' | 'now'>, scope: StaffScope, params: QueueParams): Queue {
  const today = todayIn(deps.now());
  const filter = filterFor(scope, params, today);
  if (!filter) return { params, items: [], total: 0, capped: false, pages: 1, today };
  const counted = queueCount(deps.db, filter, COUNT_CAP);
  const total = Math.min(counted, COUNT_CAP);
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const offset = (params.page - 1) * PAGE_SIZE;
  const keys = offset < total ? queueKeys(deps.db, filter, offset + PAGE_SIZE).slice(offset) : [];
  const records = queueRecords(
    deps.db,
    keys.map((k) => k.rid),
  );
  const items = records.map((r) => {
    const due = r.answerDueOn;
    // Not received yet: the date it would have if received today, marked as an estimate (request-clock.ts).
    const estimatedDue = due ? null : datesOf(deps, { organisationId: r.organisationId ?? null }).due;
    return { ...r, due, estimatedDue, extended: r.extendedAt !== null, daysLeft: due && OPEN.has(r.status) ? daysBetween(today, due) : null };
  });
  return { params, items, total, capped: counted > COUNT_CAP, pages, today };
}

/* ---------- CSV export ---------- */

/** No NIR, no name, no address: what a spreadsheet of the workload needs, nothing that identifies. */
export const CSV_COLUMNS = [
  'reference',
  'kind',
  'scope',
  'project_id',
  'organisation',
  'status',
  'received_on',
  'due_on',
  'extended_due_on',
  'days_left',
] as const;

/**
 * Every request of the queue's filters, all pages, in batches (so a long export never holds the whole
 * list), sorted by the date the answer is due now; the first-month and extended dates have their columns.
 */
export function* exportRows(deps: Pick<StaffDeps, 'db' | 'now'>, scope: StaffScope, params: QueueParams, batch = 2000): Generator<string[]> {
  const today = todayIn(deps.now());
  const filter = filterFor(scope, params, today);
  if (!filter) return;
  let after: { dueOn: string | null; rid: number } | null = null;
  for (;;) {
    const rows = exportBatch(deps.db, filter, after, batch);
    for (const r of rows) {
      const due = r.answerDueOn;
      yield [
        r.reference,
        r.kind,
        r.scope,
        r.projectId ?? '',
        r.organisationId ?? '',
        r.status,
        r.receivedOn ?? '',
        r.dueOn ?? '',
        r.extendedDueOn ?? '',
        due && OPEN.has(r.status) ? String(daysBetween(today, due)) : '',
      ];
    }
    if (rows.length < batch) return;
    const last = rows.at(-1)!;
    after = { dueOn: last.answerDueOn, rid: last.rid };
  }
}

/** What the queue page names: the scope's organisation, and for an administrator every organisation to filter on. */
export function queueContext(
  deps: Pick<StaffDeps, 'db'>,
  scope: StaffScope,
  role: string,
): { organisationName?: string; organisations?: { id: string; name: string }[] } {
  const organisation = scope?.organisationId ? (organisationName(deps.db, scope.organisationId) ?? scope.organisationId) : undefined;
  return { ...(organisation ? { organisationName: organisation } : {}), ...(role === 'admin' ? { organisations: allOrganisations(deps.db) } : {}) };
}
