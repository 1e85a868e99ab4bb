/**
 * The legal clock of a request: the one place that sets the day it was received and the due dates that
 * follow (GDPR art. 12(3): "within one month of receipt of the request", extendable by two further
 * months), computed by the deadline engine (Regulation 1182/71) with the calendar of the answering
 * organisation's place (art. 2 of the Regulation: the public holidays of the place).
 *
 * When the clock starts depends on the route (server/domain/routing.ts):
 * - `confirmation` (SNDS scope, a project's pseudonymised sources): the HDH, joint controller of the SNDS
 *   with the CNAM (Code de la santé publique R1461-3 I; GDPR art. 26(3)), receives it when the person
 *   confirms it; relaying it to the CNAM and the caisses never pushes the date back;
 * - `delivery` (a named controller, a project's identifying sources): the day the organisation's channel
 *   delivers it; for the portal, the day the person confirms it, since it is then in the organisation's
 *   own queue;
 * - and at the latest when the organisation acts on it: a DPO acknowledging a request whose receipt
 *   date is still unset has, by doing so, received it.
 */
import type { Db } from '../db/client';
import { organisationZone, updateRequest, type RequestRecord } from '../db/requests';
import { applicableDueDate, gdprDeadlines, todayIn } from '../domain/deadlines';
import { isZone, type Zone } from '../domain/holidays';

export type ClockDates = { received: string; due: string; extendedDue: string; estimated: boolean };

function zoneOf(db: Db, organisationId: string | null): Zone {
  const z = organisationZone(db, organisationId);
  return isZone(z) ? z : 'FR';
}

/** Sets the receipt day to today and the due dates it gives, unless already set; returns the dates. */
export function startClock(deps: { db: Db; now: () => Date }, request: RequestRecord): ClockDates {
  if (request.receivedOn && request.dueOn) return datesOf(deps, request);
  const today = todayIn(deps.now());
  const d = gdprDeadlines(today, zoneOf(deps.db, request.organisationId));
  const dates = { receivedOn: today, dueOn: d.due.due, extendedDueOn: d.extendedDue.due };
  const set = { ...dates, answerDueOn: applicableDueDate({ ...dates, extendedAt: request.extendedAt }) };
  updateRequest(deps.db, request.id, set);
  Object.assign(request, set);
  return { received: today, due: d.due.due, extendedDue: d.extendedDue.due, estimated: false };
}

/**
 * The request's dates; until it is received, the dates it would have if received today (pages say they
 * are estimates), computed with the same calendar.
 */
export function datesOf(
  deps: { db: Db; now: () => Date },
  request: Partial<Pick<RequestRecord, 'receivedOn' | 'dueOn' | 'extendedDueOn' | 'answerDueOn' | 'organisationId'>>,
): ClockDates {
  // `due`: the date that applies now, the extended one once extended (stored: answer_due_on).
  if (request.receivedOn && request.dueOn)
    return { received: request.receivedOn, due: request.answerDueOn ?? request.dueOn, extendedDue: request.extendedDueOn ?? request.dueOn, estimated: false };
  const today = todayIn(deps.now());
  const d = gdprDeadlines(today, zoneOf(deps.db, request.organisationId ?? null));
  return { received: today, due: d.due.due, extendedDue: d.extendedDue.due, estimated: true };
}
