/**
 * Where a request goes, as the person's pages say it (server/domain/routing.ts): the bodies that answer,
 * who is told, on which sources and clock, with the due dates; before submitting (from the answers) and
 * after (from the requests one submission made).
 */
import type { Db } from '../db/client';
import { channelsOf } from '../db/deliveries';
import { organisationName, projectRouting, requestById, requestsOfGroup, type RequestRecord } from '../db/requests';
import type { Answers } from '../domain/rights-request';
import { routeNeedsNir, routeRequest, type RouteInput, type RouteLeg } from '../domain/routing';
import { datesOf, type ClockDates } from './request-clock';

type PlanDeps = { db: Db; now: () => Date };

/** One body that must answer, with the names a page shows: who answers, who is told, on which sources. */
export type PlannedLeg = RouteLeg & { answererName: string; notifiedNames: string[]; sources: { id: string; name: string }[] };

/**
 * Where a request goes and with what data (server/domain/routing.ts), from the scope answered: undefined
 * when the scope is incomplete (no project or organisation chosen, or one that no longer exists).
 */
export function planRoute(deps: Pick<PlanDeps, 'db'>, a: Pick<Answers, 'scope' | 'projectId' | 'organisationId'>): PlannedLeg[] | undefined {
  let input: RouteInput;
  let sourceNames = new Map<string, string>();
  if (a.scope === 'snds') input = { scope: 'snds' };
  else if (a.scope === 'responsable' && a.organisationId && organisationName(deps.db, a.organisationId))
    input = { scope: 'responsable', organisationId: a.organisationId };
  else if (a.scope === 'projet' && a.projectId) {
    const p = projectRouting(deps.db, a.projectId);
    if (!p) return undefined;
    sourceNames = new Map(p.sources.map((s) => [s.id, s.name]));
    input = { scope: 'projet', controllerId: p.controllerId, sources: p.sources };
  } else return undefined;
  const name = (id: string) => organisationName(deps.db, id) ?? id;
  return routeRequest(input).map((leg) => ({
    ...leg,
    answererName: name(leg.answerer),
    notifiedNames: leg.notified.map(name),
    sources: leg.sourceIds.map((id) => ({ id, name: sourceNames.get(id) ?? id })),
  }));
}

/** Whether the form must ask for the NIR: exactly when the route goes through the CNAM. */
export function asksNir(deps: Pick<PlanDeps, 'db'>, a: Pick<Answers, 'scope' | 'projectId' | 'organisationId'>): boolean {
  const legs = planRoute(deps, a);
  return legs ? routeNeedsNir(legs) : false;
}

/** One request of a submission, as the person's pages show it: who answers, on which clock, by when. */
export type RequestPart = {
  id: string;
  reference: string;
  part: string;
  clock: string;
  answererName: string;
  status: string;
  dates: ClockDates;
  sourceNames: string[];
};

/** The requests one submission made (one per body that answers), the first first. */
export function partsOf(deps: PlanDeps, request: RequestRecord): RequestPart[] {
  const sources = request.projectId ? new Map(projectRouting(deps.db, request.projectId)?.sources.map((s) => [s.id, s.name]) ?? []) : new Map<string, string>();
  return requestsOfGroup(deps.db, request).map((r) => ({
    id: r.id,
    reference: r.reference,
    part: r.part,
    clock: r.clock,
    answererName: r.organisationId ? (organisationName(deps.db, r.organisationId) ?? r.organisationId) : '',
    status: r.status,
    dates: datesOf(deps, r),
    sourceNames: (r.sourceIds ?? '')
      .split(';')
      .filter(Boolean)
      .map((id) => sources.get(id) ?? id),
  }));
}

/** A body that must answer, as the person's pages describe it (views/components/RoutePlan.tsx). */
export type RoutePart = {
  part: string;
  answererName: string;
  notifiedNames: string[];
  sourceNames: string[];
  clock: string;
  portal: boolean;
  reference?: string;
  due?: { date: string; estimated: boolean };
};

const usesPortal = (deps: Pick<PlanDeps, 'db'>, organisationId: string) => channelsOf(deps.db, organisationId).some((c) => c.enabled && c.kind === 'portal');

/** Before submitting: who will receive what, and the due dates as if received today. */
export function plannedParts(deps: PlanDeps, a: Pick<Answers, 'scope' | 'projectId' | 'organisationId'>): RoutePart[] {
  return (planRoute(deps, a) ?? []).map((leg) => {
    const dates = datesOf(deps, { organisationId: leg.answerer });
    return {
      part: leg.part,
      answererName: leg.answererName,
      notifiedNames: leg.notifiedNames,
      sourceNames: leg.sources.map((s) => s.name),
      clock: leg.clock,
      portal: usesPortal(deps, leg.answerer),
      due: { date: dates.due, estimated: true },
    };
  });
}

/** After submitting: each request of the submission, with its reference and its due date. */
export function submittedParts(deps: PlanDeps, request: RequestRecord): RoutePart[] {
  const controllerId = request.projectId ? projectRouting(deps.db, request.projectId)?.controllerId : undefined;
  return partsOf(deps, request).map((p) => {
    const r = requestById(deps.db, p.id)!;
    const notified =
      p.part === 'pseudonymised' && controllerId && controllerId !== r.organisationId ? [organisationName(deps.db, controllerId) ?? controllerId] : [];
    return {
      part: p.part,
      answererName: p.answererName,
      notifiedNames: notified,
      sourceNames: p.sourceNames,
      clock: p.clock,
      portal: r.organisationId ? usesPortal(deps, r.organisationId) : false,
      reference: p.reference,
      due: { date: p.dates.due, estimated: p.dates.estimated },
    };
  });
}
