/**
 * The remote sources as administrators manage them (/espace-pro/admin/moissonnage): the add-a-source form
 * and its checks (the URL passes the webhook allow-list, WEBHOOK_ALLOW, as a channel's does), the list with
 * each source's last runs and their errors in words, and "run now". Each action writes its audit entry in
 * the same transaction as the change it records.
 */
import { z } from 'zod';
import { zodErrors, type FieldError } from '../domain/form-errors';
import {
  harvestRunsOf,
  harvestSourceById,
  harvestSourceList,
  insertHarvestSource,
  setHarvestSourceDisabled,
  updateHarvestSource,
  type HarvestRunRecord,
} from '../db/harvest';
import { nextRunAfterEdit } from '../domain/harvest';
import { organisationById } from '../db/register';
import { organisationChoices } from '../db/staff-admin';
import type { Translator } from '../i18n';
import { checkAllowedUrl, inTransaction, type AdminDeps, type Outcome } from './admin-outcome';
import { newHarvestSourceId, runHarvest, type HarvestDeps, type RunOutcome, type StoredErrors } from './harvest';
import type { HarvestError } from './harvest-table';

export { organisationChoices };

const harvestKey = (key: string) => `harvest:errors.${key}`;

const choice = <T extends readonly [string, ...string[]]>(values: T, message: string) =>
  z.preprocess((v) => (v === '' ? undefined : v), z.enum(values, { errorMap: () => ({ message }) }));

const trimmed = (v: unknown) => (typeof v === 'string' ? v.trim() : v);

/** What the add and the edit forms share: the file's address, its format, how often it is read. */
const sourceFields = {
  url: z.preprocess(trimmed, z.string({ required_error: 'url.required' }).min(1, 'url.required').max(2000, 'url.tooLong')),
  format: choice(['csv', 'json'] as const, 'format.required'),
  schedule: choice(['hourly', 'daily', 'weekly'] as const, 'schedule.required'),
};

/** The add-a-source form; `allow` is the webhook allow-list, `allowed` its patterns for the message. */
export function harvestSourceSchema(deps: Pick<AdminDeps, 'db'>, allow: (url: URL) => boolean, allowed: string[]) {
  return z
    .object({
      organisationId: z.preprocess(trimmed, z.string({ required_error: 'organisation.required' }).min(1, 'organisation.required')),
      ...sourceFields,
    })
    .superRefine((v, ctx) => {
      if (!organisationById(deps.db, v.organisationId)) ctx.addIssue({ code: 'custom', path: ['organisationId'], message: 'organisation.unknown' });
      checkAllowedUrl(v.url, ctx, allow, allowed);
    });
}

/** The edit form: the same checks, without the organisation (a source never moves to another one). */
export function harvestSourceEditSchema(allow: (url: URL) => boolean, allowed: string[]) {
  return z.object(sourceFields).superRefine((v, ctx) => checkAllowedUrl(v.url, ctx, allow, allowed));
}
export type HarvestSourceEdit = z.infer<ReturnType<typeof harvestSourceEditSchema>>;

export type HarvestSourceInput = z.infer<ReturnType<typeof harvestSourceSchema>>;

export function harvestFormErrors(error: z.ZodError): FieldError[] {
  return zodErrors(error, { key: (_field, message) => harvestKey(message), fallbackField: 'form', customParams: true });
}

/** Registers a source; its first run is due at once. */
export function createHarvestSource(deps: AdminDeps, actor: string, input: HarvestSourceInput): string {
  const nowIso = deps.now().toISOString();
  const id = newHarvestSourceId();
  return inTransaction(deps, (tx) => {
    insertHarvestSource(tx.db, { id, ...input, nextRunAt: nowIso, createdAt: nowIso, updatedAt: nowIso });
    tx.audit(
      actor,
      'harvest.source_create',
      { type: 'harvest_source', id },
      { organisation: input.organisationId, format: input.format, schedule: input.schedule },
    );
    return id;
  });
}

const missing = <T>(): Outcome<T> => ({ ok: false, errors: [{ field: 'source', key: harvestKey('source.missing') }] });

/**
 * Saves an administrator's edit of a source: its address, format and schedule, audited with the names of
 * the fields that changed (never their values). A new address is read at once, its old file's validators
 * dropped (domain/harvest.ts nextRunAfterEdit). Nothing changed: nothing written, nothing audited.
 */
export function updateHarvestSourceSettings(deps: AdminDeps, actor: string, id: string, input: HarvestSourceEdit): Outcome<'updated' | 'unchanged'> {
  return inTransaction(deps, (tx) => {
    const before = harvestSourceById(tx.db, id);
    if (!before) return missing();
    const changed = (['url', 'format', 'schedule'] as const).filter((f) => before[f] !== input[f]);
    if (changed.length === 0) return { ok: true, value: 'unchanged' };
    const now = tx.now();
    updateHarvestSource(tx.db, id, {
      ...input,
      nextRunAt: nextRunAfterEdit(before, input, now),
      updatedAt: now.toISOString(),
      resetValidators: before.url !== input.url,
    });
    tx.audit(actor, 'harvest.source_update', { type: 'harvest_source', id }, { organisation: before.organisationId, fields: changed.join(',') });
    return { ok: true, value: 'updated' };
  });
}

/**
 * Turns a source off (it is no longer read, on schedule or on demand; what it published stays) or on again
 * (read at once), audited. Asking for the state it is already in changes nothing.
 */
export function setHarvestSourceEnabled(deps: AdminDeps, actor: string, id: string, enabled: boolean): Outcome<'disabled' | 'enabled' | 'unchanged'> {
  return inTransaction(deps, (tx) => {
    const source = harvestSourceById(tx.db, id);
    if (!source) return missing();
    if (enabled === !source.disabledAt) return { ok: true, value: 'unchanged' };
    const nowIso = tx.now().toISOString();
    setHarvestSourceDisabled(tx.db, id, enabled ? { disabledAt: null, nextRunAt: nowIso, updatedAt: nowIso } : { disabledAt: nowIso, updatedAt: nowIso });
    tx.audit(actor, enabled ? 'harvest.source_enable' : 'harvest.source_disable', { type: 'harvest_source', id }, { organisation: source.organisationId });
    return { ok: true, value: enabled ? 'enabled' : 'disabled' };
  });
}

/** The edit form's values: the source as stored, or undefined when there is none. */
export function harvestSourceForm(db: AdminDeps['db'], id: string) {
  const source = harvestSourceById(db, id);
  if (!source) return undefined;
  const organisation = organisationById(db, source.organisationId);
  return {
    id: source.id,
    organisationName: organisation?.name ?? source.organisationId,
    disabledAt: source.disabledAt,
    values: { url: source.url, format: source.format, schedule: source.schedule },
  };
}

/** "Run now": recorded in the audit log, then the run itself; resolves once it is recorded. */
export async function runHarvestNow(deps: AdminDeps, harvest: HarvestDeps, actor: string, sourceId: string): Promise<Outcome<RunOutcome>> {
  const source = harvestSourceById(deps.db, sourceId);
  if (!source) return missing();
  if (source.disabledAt) return { ok: false, errors: [{ field: 'source', key: harvestKey('source.disabled') }] };
  inTransaction(deps, (tx) => tx.audit(actor, 'harvest.run_now', { type: 'harvest_source', id: source.id }, { organisation: source.organisationId }));
  const run = await runHarvest(harvest, source.id, 'admin');
  if (run === 'busy') return { ok: false, errors: [{ field: 'source', key: harvestKey('source.busy') }] };
  if (run === 'disabled') return { ok: false, errors: [{ field: 'source', key: harvestKey('source.disabled') }] };
  if (run === 'missing') return missing();
  return { ok: true, value: run };
}

export type HarvestErrorView = { line: number; column: string; message: string };
export type HarvestRunView = {
  id: number;
  trigger: 'schedule' | 'admin';
  startedAt: string;
  finishedAt: string;
  outcome: HarvestRunRecord['outcome'];
  /** The failure in words, when the run failed. */
  failure: string | null;
  httpStatus: number | null;
  counts: { created: number; updated: number; unchanged: number; withdrawn: number };
  errors: HarvestErrorView[];
  /** How many errors the file had (only the first ones are kept). */
  errorTotal: number;
};
export type HarvestSourceView = {
  id: string;
  organisationId: string;
  organisationName: string;
  url: string;
  format: 'csv' | 'json';
  schedule: 'hourly' | 'daily' | 'weekly';
  lastReadAt: string | null;
  nextRunAt: string;
  /** When an administrator turned it off, or null while it is read. */
  disabledAt: string | null;
  runs: HarvestRunView[];
};

/** An error in the reader's language; the column named as in the register's schema. */
function errorView(tr: Translator, fields: Record<string, { title: string }>, e: HarvestError): HarvestErrorView {
  const column = e.column ? `${e.column} (${fields[e.column]?.title ?? e.column})` : '';
  return { line: e.line, column, message: tr.t(`harvest:rowErrors.${e.code}`, { value: e.value ?? '', expected: e.expected ?? '' }) };
}

function runView(tr: Translator, fields: Record<string, { title: string }>, run: HarvestRunRecord): HarvestRunView {
  const stored = run.errors ? (JSON.parse(run.errors) as StoredErrors) : { total: 0, items: [] };
  return {
    id: run.id,
    trigger: run.trigger,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    outcome: run.outcome,
    failure: run.failure ? tr.t(`harvest:failures.${run.failure}`, { status: run.httpStatus ?? '' }) : null,
    httpStatus: run.httpStatus,
    counts: { created: run.created, updated: run.updated, unchanged: run.unchanged, withdrawn: run.withdrawn },
    errors: stored.items.map((e) => errorView(tr, fields, e)),
    errorTotal: stored.total,
  };
}

/** Every source with its latest runs (the first with its errors), for the administrators' page. */
export function harvestSourceViews(db: AdminDeps['db'], tr: Translator, runsPerSource = 5): HarvestSourceView[] {
  const fields = tr.doc<{ fields: Record<string, { title: string }> }>('register-fields').fields;
  return harvestSourceList(db).map(({ source, organisationName }) => ({
    id: source.id,
    organisationId: source.organisationId,
    organisationName,
    url: source.url,
    format: source.format,
    schedule: source.schedule,
    lastReadAt: source.lastReadAt,
    nextRunAt: source.nextRunAt,
    disabledAt: source.disabledAt,
    runs: harvestRunsOf(db, source.id, runsPerSource).map((r) => runView(tr, fields, r)),
  }));
}
