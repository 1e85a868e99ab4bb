/**
 * Harvesting the registers other controllers publish: one run reads a source (a conditional GET through
 * connectors/harvest-fetch.ts), checks every row as an import does (services/harvest-table.ts), and in one
 * transaction upserts the organisation's projects with their origin, writes every change to the projects'
 * public history, marks the projects the source no longer lists (never deleting them) and records the run.
 * A run that fails (network, HTTP error, unreadable file, one invalid row) writes nothing but its own
 * record: the last good state stays published, and the administrators see each error's line and column.
 */
import { randomUUID } from 'node:crypto';
import type { i18n as I18n } from 'i18next';
import { fetchRegisterFile, type HarvestFetchResult } from '../../connectors/harvest-fetch';
import { allowList } from '../../connectors/webhook';
import type { Config } from '../config';
import type { Db } from '../db/client';
import {
  dueHarvestSources,
  finishHarvestSource,
  harvestedBySource,
  harvestSourceById,
  insertHarvestRun,
  leaseHarvestSource,
  markWithdrawn,
  projectOrigin,
  recordHarvested,
  type HarvestRunInsert,
  type HarvestSourceRecord,
} from '../db/harvest';
import { bumpEntitiesVersion, writeProject } from '../db/register';
import { insertProjectChanges, type ProjectChange } from '../db/register-editing';
import { todayIn } from '../domain/deadlines';
import { SCHEDULE_MS, WITHDRAWN_FIELD } from '../domain/harvest';
import type { ProjectRow } from '../domain/register-schema';
import type { TableSchema } from '../domain/table-schema';
import { translatorFor } from '../i18n';
import type { Logger } from '../logger';
import { harvestTable, withRegisteredEntities, type HarvestError } from './harvest-table';
import { registerTableSchema } from './register';

/** At most this many errors are kept per run (the count says how many there were). */
const MAX_KEPT_ERRORS = 500;

export type HarvestDeps = {
  db: Db;
  now: () => Date;
  /** The register's published Table Schema (services/register.ts registerTableSchema): the import's rules. */
  schema: TableSchema;
  /** The webhook allow-list (WEBHOOK_ALLOW, connectors/webhook.ts allowList). */
  allow: (url: URL) => boolean;
  timeoutMs?: number;
  maxBytes?: number;
  logger?: Logger;
};

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;

export type StoredErrors = { total: number; items: HarvestError[] };
export type RunOutcome = { outcome: 'applied' | 'not_modified' | 'failed'; failure?: string; runId: number };

/** The origin recorded in project_changes for what a source wrote. */
export const harvestOrigin = (sourceId: string) => `harvest:${sourceId}`;

export const newHarvestSourceId = () => randomUUID();

/**
 * Reads one source now, unless a run already holds it ('busy'), an administrator turned it off
 * ('disabled') or it does not exist ('missing'). Resolves once the run is recorded.
 */
export async function runHarvest(deps: HarvestDeps, sourceId: string, trigger: 'schedule' | 'admin'): Promise<RunOutcome | 'busy' | 'disabled' | 'missing'> {
  const source = harvestSourceById(deps.db, sourceId);
  if (!source) return 'missing';
  if (source.disabledAt) return 'disabled';
  const started = deps.now();
  const timeoutMs = deps.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // The lease outlasts the longest fetch and the write after it.
  if (!leaseHarvestSource(deps.db, source.id, started.toISOString(), new Date(started.getTime() + timeoutMs + 60_000).toISOString())) return 'busy';
  const base = { sourceId: source.id, trigger, startedAt: started.toISOString() } as const;
  try {
    const fetched = await fetchRegisterFile(source.url, {
      allow: deps.allow,
      timeoutMs,
      maxBytes: deps.maxBytes ?? DEFAULT_MAX_BYTES,
      etag: source.etag,
      lastModified: source.lastModified,
    });
    return deps.db.transaction((tx) => settle(tx, deps, source, fetched, base), { behavior: 'immediate' });
  } catch (err) {
    // Whatever went wrong inside the transaction was rolled back: only the failure is recorded.
    deps.logger?.error('harvest run failed', { name: (err as Error).name, message: (err as Error).message });
    return deps.db.transaction((tx) => record(tx, deps, source, { ...base, outcome: 'failed', failure: 'internal' }), { behavior: 'immediate' });
  }
}

type RunBase = Pick<HarvestRunInsert, 'sourceId' | 'trigger' | 'startedAt'>;

/** Ends the run and records it; `read` after a good read (its time and the file's validators). */
function record(
  tx: Db,
  deps: HarvestDeps,
  source: HarvestSourceRecord,
  run: RunBase & Omit<HarvestRunInsert, 'sourceId' | 'trigger' | 'startedAt' | 'finishedAt'>,
  read?: { etag?: string | null; lastModified?: string | null },
): RunOutcome {
  const finished = deps.now();
  const finishedAt = finished.toISOString();
  const next = new Date(finished.getTime() + SCHEDULE_MS[source.schedule]).toISOString();
  finishHarvestSource(tx, source.id, { nextRunAt: next, updatedAt: finishedAt, ...(read ? { read: { at: finishedAt, ...read } } : {}) });
  // The project pages show when the source was last read: the register's version moves with it.
  if (read) bumpEntitiesVersion(tx, finishedAt);
  const runId = insertHarvestRun(tx, { ...run, finishedAt });
  return { outcome: run.outcome, runId, ...(run.failure ? { failure: run.failure } : {}) };
}

function storedErrors(errors: HarvestError[]): string {
  const kept: StoredErrors = { total: errors.length, items: errors.slice(0, MAX_KEPT_ERRORS) };
  return JSON.stringify(kept);
}

function settle(tx: Db, deps: HarvestDeps, source: HarvestSourceRecord, fetched: HarvestFetchResult, base: RunBase): RunOutcome {
  if (fetched.kind === 'not_modified') return record(tx, deps, source, { ...base, outcome: 'not_modified', httpStatus: 304 }, {});
  if (fetched.kind === 'failed') {
    const errors = fetched.detail ? storedErrors([{ line: 0, column: '', code: 'connection', value: fetched.detail }]) : null;
    return record(tx, deps, source, { ...base, outcome: 'failed', failure: fetched.failure, httpStatus: fetched.status ?? null, errors });
  }
  const table = harvestTable(tx, deps.schema, source.format, fetched.body, source.organisationId);
  if (!table.ok) return record(tx, deps, source, { ...base, outcome: 'failed', failure: table.failure, httpStatus: 200, errors: storedErrors(table.errors) });
  const counts = applyRows(tx, deps, source, table.rows);
  return record(tx, deps, source, { ...base, outcome: 'applied', httpStatus: 200, ...counts }, { etag: fetched.etag, lastModified: fetched.lastModified });
}

/**
 * Writes the source's rows as an import does (writeProject: every change into the public history), records
 * their origin, and marks the projects it published before and lists no more. Inside the run's transaction.
 */
function applyRows(tx: Db, deps: HarvestDeps, source: HarvestSourceRecord, rows: ProjectRow[]) {
  const now = deps.now();
  const changedAt = now.toISOString();
  const today = todayIn(now);
  const origin = harvestOrigin(source.id);
  const counts = { created: 0, updated: 0, unchanged: 0, withdrawn: 0 };
  const before = new Map(harvestedBySource(tx, source.id).map((p) => [p.projectId, p.withdrawnSince]));
  const history: ProjectChange[] = [];
  for (const row of rows) {
    counts[writeProject(tx, withRegisteredEntities(tx, row), { origin, changedAt, today })] += 1;
    recordHarvested(tx, row.id!, source.id, changedAt);
    const since = before.get(row.id!);
    if (since) history.push({ projectId: row.id!, field: WITHDRAWN_FIELD, oldValue: since, newValue: null, changedAt, origin });
    before.delete(row.id!);
  }
  for (const [projectId, since] of before) {
    if (since) continue;
    markWithdrawn(tx, projectId, today);
    history.push({ projectId, field: WITHDRAWN_FIELD, oldValue: null, newValue: today, changedAt, origin });
    counts.withdrawn += 1;
  }
  insertProjectChanges(tx, history);
  return counts;
}

/** Reads every source that is due, one after the other; what the worker runs. */
export async function runDueHarvests(deps: HarvestDeps, limit = 20): Promise<{ applied: number; notModified: number; failed: number }> {
  const report = { applied: 0, notModified: 0, failed: 0 };
  for (const source of dueHarvestSources(deps.db, deps.now().toISOString(), limit)) {
    const run = await runHarvest(deps, source.id, 'schedule');
    if (run === 'busy' || run === 'disabled' || run === 'missing') continue;
    if (run.outcome === 'applied') report.applied += 1;
    else if (run.outcome === 'not_modified') report.notModified += 1;
    else report.failed += 1;
  }
  return report;
}

/**
 * The harvest's dependencies from the service's parts: the register's Table Schema as published (French
 * titles; only its rules matter here) and the webhook allow-list over WEBHOOK_ALLOW.
 */
export function createHarvestDeps(parts: {
  db: Db;
  now: () => Date;
  i18n: I18n;
  config: Pick<Config, 'publicUrl' | 'webhookAllow'>;
  logger?: Logger;
}): HarvestDeps {
  return {
    db: parts.db,
    now: parts.now,
    schema: registerTableSchema(translatorFor(parts.i18n, 'fr'), parts.config.publicUrl),
    allow: allowList(parts.config.webhookAllow),
    ...(parts.logger ? { logger: parts.logger } : {}),
  };
}

export type ProjectOrigin = NonNullable<ReturnType<typeof projectOrigin>>;

/** Where a harvested project comes from (its source's organisation, file and last good read), or undefined. */
export const projectHarvestOrigin = (db: Db, projectId: string): ProjectOrigin | undefined => projectOrigin(db, projectId);
