/**
 * Building a request history on a controlled clock for the public figures' tests: each step goes
 * through the code the service runs (insertRequest, the confirmation's update, startClock on delivery,
 * applyRecipientUpdate for the organisation's answers, deleteRequest for an unconfirmed one), so the
 * aggregates are kept exactly as in production. And a checker that no published table lets one derive
 * a suppressed count.
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { Db } from '../../server/db/client';
import { deleteRequest, insertRequest, requestById, updateRequest } from '../../server/db/requests';
import { organisations } from '../../server/db/schema';
import type { Kind } from '../../server/domain/rights-request';
import type { Cell, PublicFigures } from '../../server/domain/statistics-types';
import { startClock } from '../../server/services/request-clock';
import { applyRecipientUpdate } from '../../server/services/status-updates';
import type { TestApp } from './app';

export type Clock = { now: Date };

export function addOrganisation(db: Db, id: string, name: string): void {
  db.insert(organisations).values({ id, name, createdAt: '2025-01-01T00:00:00Z', updatedAt: '2025-01-01T00:00:00Z' }).onConflictDoNothing().run();
}

export type Step =
  | { at: string; do: 'deliver' }
  | { at: string; do: 'extend' }
  | { at: string; do: 'answer' }
  | { at: string; do: 'refuse'; code: string }
  | { at: string; do: 'withdraw' }
  | { at: string; do: 'expire' };

/**
 * One request: submitted at `created`, confirmed at the same instant unless it expires, then each step
 * at its instant. The SNDS scope starts its clock at confirmation, others at delivery.
 */
export function history(
  t: TestApp,
  clock: Clock,
  r: { org: string; kind: Kind; created: string; steps: Step[]; /** Left unconfirmed. */ unconfirmed?: boolean },
): string {
  const db = t.deps.database.db;
  const id = randomUUID();
  const scope = r.org === 'cnam' ? 'snds' : 'responsable';
  clock.now = new Date(r.created);
  insertRequest(db, {
    id,
    reference: `T${id.slice(0, 8)}`,
    kind: r.kind,
    scope,
    organisationId: r.org,
    onBehalf: 'self',
    lang: 'fr',
    status: 'a_confirmer',
    createdAt: r.created,
  });
  const expires = r.unconfirmed === true || r.steps.some((s) => s.do === 'expire');
  if (!expires) {
    updateRequest(db, id, { status: 'recue', confirmedAt: r.created });
    if (scope === 'snds') startClock({ db, now: () => clock.now }, requestById(db, id)!);
  }
  for (const step of r.steps) {
    clock.now = new Date(step.at);
    const deps = { db, cipher: t.deps.cipher, config: t.deps.config, now: () => clock.now };
    const update = (type: 'extended' | 'answered' | 'refused', extra: Record<string, string> = {}) => {
      const out = applyRecipientUpdate(deps, r.org, { id: randomUUID(), request: id, type, message: 'Réponse.', ...extra } as never, 'test');
      if (!out.ok) throw new Error(`${type} refused: ${out.error}`);
    };
    if (step.do === 'deliver') {
      updateRequest(db, id, { status: 'transmise' });
      startClock({ db, now: () => clock.now }, requestById(db, id)!);
    } else if (step.do === 'extend') update('extended');
    else if (step.do === 'answer') update('answered', { outcome: 'granted' });
    else if (step.do === 'refuse') update('refused', { reason_code: step.code });
    else if (step.do === 'withdraw') updateRequest(db, id, { status: 'retiree', closedAt: step.at });
    else deleteRequest(db, id, step.at);
  }
  return id;
}

/** Repeats a request n times. */
export function many(n: number, t: TestApp, clock: Clock, r: Parameters<typeof history>[2]): void {
  for (let i = 0; i < n; i++) history(t, clock, r);
}

const isSuppressed = (c: Cell) => 'suppressed' in c;

/**
 * Every equation between published cells (a total and its parts) over a PublicFigures object: for none
 * may exactly one member be suppressed, or the total minus the others would give it. Returns the
 * number of equations checked.
 */
export function expectNoDerivableCell(f: PublicFigures): number {
  const eqs: { name: string; cells: Cell[] }[] = [];
  const eq = (name: string, total: Cell, parts: Cell[]) => eqs.push({ name, cells: [total, ...parts] });
  eq(
    'received/kind',
    f.totals.received,
    f.byKind.map((b) => b.count),
  );
  eq(
    'received/scope',
    f.totals.received,
    f.byScope.map((b) => b.count),
  );
  eq(
    'received/status',
    f.totals.received,
    f.byStatus.map((b) => b.count),
  );
  eq(
    'received/organisation',
    f.totals.received,
    f.byOrganisation.map((b) => b.count),
  );
  eq(
    'received/months',
    f.totals.received,
    f.monthly.map((m) => m.received),
  );
  eq(
    'confirmed/months',
    f.totals.confirmed,
    f.monthly.map((m) => m.confirmed),
  );
  eq(
    'neverConfirmed/months',
    f.totals.neverConfirmed,
    f.monthly.map((m) => m.neverConfirmed),
  );
  eq(
    'withdrawn/months',
    f.totals.withdrawn,
    f.monthly.map((m) => m.withdrawn),
  );
  const monthKeys = ['received', 'confirmed', 'neverConfirmed', 'withdrawn', 'answered', 'answeredOnTime', 'answeredLate', 'openPastDue'] as const;
  f.monthly.forEach((m, i) => {
    for (const k of monthKeys)
      eq(
        `${m.month}.${k}/organisations`,
        m[k],
        f.organisations.map((o) => o.monthly[i]![k]),
      );
  });
  const levels = [
    { name: 'all', answers: f.answers, received: f.totals.received, monthly: f.monthly },
    ...f.organisations.map((o) => ({ name: o.id, answers: o.answers, received: o.received, monthly: o.monthly })),
  ];
  for (const l of levels) {
    eq(`${l.name}.answered/onTime+late`, l.answers.answered, [l.answers.onTime, l.answers.late]);
    eq(
      `${l.name}.answered/months`,
      l.answers.answered,
      l.monthly.map((m) => m.answered),
    );
    eq(
      `${l.name}.onTime/months`,
      l.answers.onTime,
      l.monthly.map((m) => m.answeredOnTime),
    );
    eq(
      `${l.name}.late/months`,
      l.answers.late,
      l.monthly.map((m) => m.answeredLate),
    );
    eq(
      `${l.name}.received/months`,
      l.received,
      l.monthly.map((m) => m.received),
    );
    for (const m of l.monthly) eq(`${l.name}.${m.month}.answered/onTime+late`, m.answered, [m.answeredOnTime, m.answeredLate]);
  }
  for (const k of ['answered', 'onTime', 'late', 'openPastDue', 'extensions', 'extensionsToldInTime'] as const)
    eq(
      `answers.${k}/organisations`,
      f.answers[k],
      f.organisations.map((o) => o.answers[k]),
    );
  for (const r of f.answers.refusals)
    eq(
      `refusals.${r.code}/organisations`,
      r.count,
      f.organisations.map((o) => o.answers.refusals.find((x) => x.code === r.code)?.count ?? { value: 0 }),
    );
  for (const e of eqs) {
    const hidden = e.cells.filter(isSuppressed).length;
    expect(hidden, `${e.name}: a suppressed count is the total minus the visible cells`).not.toBe(1);
    // And the visible cells add up (the totals are consistent across tables).
    if (hidden === 0) {
      const [total, ...parts] = e.cells as { value: number }[];
      expect(
        parts.reduce((s, c) => s + c.value, 0),
        `${e.name}: parts add up to the total`,
      ).toBe(total!.value);
    }
  }
  return eqs.length;
}

/** Every count of a PublicFigures object by a stable name (the same name in every kind's figures). */
function cellsOf(f: PublicFigures): Map<string, Cell> {
  const out = new Map<string, Cell>();
  const monthKeys = ['received', 'confirmed', 'neverConfirmed', 'withdrawn', 'answered', 'answeredOnTime', 'answeredLate', 'openPastDue'] as const;
  const answerKeys = ['answered', 'onTime', 'late', 'openPastDue', 'extensions', 'extensionsToldInTime'] as const;
  const levels = [
    { id: '*', received: f.totals.received, answers: f.answers, monthly: f.monthly },
    ...f.organisations.map((o) => ({ id: o.id, received: o.received, answers: o.answers, monthly: o.monthly })),
  ];
  for (const l of levels) {
    out.set(`${l.id}.received`, l.received);
    for (const k of answerKeys) out.set(`${l.id}.${k}`, l.answers[k]);
    for (const r of l.answers.refusals) out.set(`${l.id}.refused.${r.code}`, r.count);
    for (const m of l.monthly) for (const k of monthKeys) out.set(`${l.id}.${m.month}.${k}`, m[k]);
  }
  for (const k of ['confirmed', 'neverConfirmed', 'withdrawn'] as const) out.set(`*.${k}`, f.totals[k]);
  for (const b of f.byScope) out.set(`scope.${b.key}`, b.count);
  for (const b of f.byStatus) out.set(`status.${b.key}`, b.count);
  return out;
}

/**
 * The figures of all kinds beside those of each kind: every count of all kinds is the sum of the same
 * count over the kinds, so exactly one suppressed among them would reveal it. Returns the sums checked.
 */
export function expectNoDerivableAcrossKinds(all: PublicFigures, byKind: PublicFigures[]): number {
  const total = cellsOf(all);
  const parts = byKind.map(cellsOf);
  let checked = 0;
  for (const [name, cell] of total) {
    const cells = [cell, ...parts.map((p) => p.get(name) ?? { value: 0 })];
    const hidden = cells.filter(isSuppressed).length;
    expect(hidden, `${name}: the kinds' figures reveal a suppressed count`).not.toBe(1);
    if (hidden === 0)
      expect(
        cells.slice(1).reduce((s, c) => s + (c as { value: number }).value, 0),
        `${name}: kinds add up`,
      ).toBe((cell as { value: number }).value);
    checked += 1;
  }
  return checked;
}
