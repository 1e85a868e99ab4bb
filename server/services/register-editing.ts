/**
 * Editing the register in the back office: the project, organisation and data-source forms turned into
 * records, checked, written, and every change put in the projects' public history. Over 300 lines: the
 * three forms share one checking and history pipeline; to split by entity next (issue 12).
 *
 * A project is checked by exactly the rules of the CSV import (validateRegisterTable: the published
 * Table Schema plus the row rules), on the row the form describes, and written by writeProject, so an
 * edit and an import cannot disagree. The form does not type the columns it can derive: the controller's
 * name and SIREN, the partners' and sources' names come from the organisations and sources chosen.
 * Renaming an organisation or a source changes those columns in every project that names it: the change
 * goes in each of those projects' history too.
 */
import { z } from 'zod';
import { zodErrors } from '../domain/form-errors';
import { ZONES, type Zone } from '../domain/holidays';
import type { Db } from '../db/client';
import type { AuditFn } from './admin-outcome';
import { auditThrough } from './audit';
import {
  dataSourceById,
  organisationById,
  projectRows,
  upsertDataSource,
  upsertOrganisation,
  writeProject,
  type DataSourceRecord,
  type OrganisationRecord,
  type WriteOutcome,
} from '../db/register';
import {
  allDataSources,
  allOrganisations,
  insertProjectChanges,
  projectIdsOfDataSource,
  projectIdsOfOrganisation,
  type ProjectChange,
} from '../db/register-editing';
import { indexProject } from '../db/register-search';
import { todayIn } from '../domain/deadlines';
import { joinList, splitList } from '../domain/register-rows';
import { DATA_SOURCE_KINDS, FIELD_NAMES, FIELDS_BY_NAME, type ProjectRow } from '../domain/register-schema';
import { isValidSiren } from '../domain/siren';
import type { TableSchema } from '../domain/table-schema';
import type { Translator } from '../i18n';
import { validateRegisterTable } from './register';

/** A problem with one form field; `code` names a message of the `staff-register` namespace. */
export type FieldProblem = { field: string; code: string; value?: string; expected?: string };

/**
 * `audit`: the audit log written through a given handle, so an edit and its audit entry are one
 * transaction (server/services/audit.ts auditThrough). Without it (the import tools), nothing is audited.
 */
export type EditingDeps = { db: Db; now: () => Date; audit?: (tx: Db) => AuditFn };
/** The editors' deps: every save audited through its own transaction. */
export function auditedEditing(db: Db, now: () => Date, sessionSecret: Buffer): EditingDeps {
  return { db, now, audit: (tx) => auditThrough(tx, sessionSecret, now) };
}
type SaveOptions = { mode: 'create' | 'update'; origin: string; actor?: string };

/** Records a save that changed something in the audit log, inside the save's transaction. */
function auditSave(
  deps: EditingDeps,
  tx: Db,
  opts: SaveOptions,
  entity: 'project' | 'organisation' | 'source',
  id: string,
  result: { outcome: WriteOutcome; changed: string[]; projectsChanged?: number },
) {
  if (!deps.audit || !opts.actor || result.outcome === 'unchanged') return;
  const detail =
    result.outcome === 'updated'
      ? { fields: result.changed.join(','), ...(result.projectsChanged !== undefined ? { projects: result.projectsChanged } : {}) }
      : undefined;
  deps.audit(tx)(opts.actor, `${entity}.${result.outcome === 'created' ? 'create' : 'update'}`, { type: entity, id }, detail);
}

/** Typed form values, by field name, as they are shown back in the form. */
export type FormValues = Record<string, string>;

/** Raised when the record being edited no longer exists. */
export class RecordNotFoundError extends Error {
  override name = 'RecordNotFoundError';
}

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** Paths under /espace-pro/registre/<kind>/ that are not records. */
export const RESERVED_IDS = new Set(['nouveau']);

type Body = Record<string, string | File | (string | File)[]>;

/** One text value of a form body: the first one sent, line ends made \n, spaces around removed. */
function text(body: Body, name: string): string {
  const v = body[name];
  const first = Array.isArray(v) ? v[0] : v;
  return typeof first === 'string' ? first.replace(/\r\n?/g, '\n').trim() : '';
}

/** Every value sent under one name (checkboxes), without blanks or repeats. */
function texts(body: Body, name: string): string[] {
  const v = body[name];
  const all = (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string').map((x) => x.trim());
  return [...new Set(all.filter(Boolean))];
}

/** Runs `write` in an immediate (write-locking) transaction: better-sqlite3 transactions are synchronous. */
function inTransaction<T>(db: Db, write: (tx: Db) => T): T {
  return db.transaction((tx) => write(tx), { behavior: 'immediate' });
}

/** An empty text and a missing one are the same value (older records may hold either). */
function sameValue(a: string | boolean | null, b: string | boolean | null): boolean {
  return (a ?? '') === (b ?? '');
}

/** Keeps the first problem of each field (one message per field, GOV.UK pattern). */
function firstPerField(problems: FieldProblem[]): FieldProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => (seen.has(p.field) ? false : (seen.add(p.field), true)));
}

/* ---------- Projects ---------- */

/** Columns the form does not show, and the form field a problem with them is reported on. */
const DERIVED: Record<string, string> = {
  responsable_nom: 'responsable_id',
  responsable_siren: 'responsable_id',
  partenaires_noms: 'partenaires_ids',
  sources_noms: 'sources_ids',
  mis_a_jour: 'cree_le',
};

/** List columns typed one item per line. */
const LINE_LIST_FIELDS = new Set(['financeurs', 'resultats_urls', 'champs_fictifs']);
/** List columns chosen with checkboxes. */
const CHOICE_LIST_FIELDS = new Set(['partenaires_ids', 'sources_ids']);

/** Every field of the project form, in the CSV's column order. */
export const PROJECT_FORM_FIELDS: readonly string[] = FIELD_NAMES.filter((name) => !(name in DERIVED));

export function projectFormFromBody(body: Body): FormValues {
  const form: FormValues = {};
  for (const name of PROJECT_FORM_FIELDS) form[name] = CHOICE_LIST_FIELDS.has(name) ? joinList(texts(body, name)) : text(body, name);
  return form;
}

export function projectFormFromRow(row: ProjectRow): FormValues {
  const form: FormValues = {};
  for (const name of PROJECT_FORM_FIELDS) form[name] = LINE_LIST_FIELDS.has(name) ? splitList(row[name]).join('\n') : (row[name] ?? '');
  return form;
}

/** A new project's form: published today, everything else to fill in. */
export function emptyProjectForm(today: string): FormValues {
  return { ...Object.fromEntries(PROJECT_FORM_FIELDS.map((name) => [name, ''])), cree_le: today };
}

export type ProjectDraft = { row: ProjectRow; problems: FieldProblem[] };

/**
 * The ids ticked, in the order the record had them (the register keeps partners and sources in order),
 * then the newly ticked ones in the order of the form: saving a form left as it was changes nothing.
 */
function keepOrder(ticked: string[], before: string[]): string[] {
  const chosen = new Set(ticked);
  const kept = before.filter((id) => chosen.has(id));
  return [...kept, ...ticked.filter((id) => !kept.includes(id))];
}

/**
 * The register row a form describes, checked by the import's rules. `id` is the project's id when
 * editing (it never changes), undefined when creating (it is typed in the form); `before` is the record
 * being edited. Nothing is written.
 */
export function projectDraft(db: Db, schema: TableSchema, form: FormValues, opts: { id?: string; before?: ProjectRow; today: string }): ProjectDraft {
  const problems: FieldProblem[] = [];
  const organisations = new Map(allOrganisations(db).map((o) => [o.id, o]));
  const sources = new Map(allDataSources(db).map((s) => [s.id, s]));
  const row: ProjectRow = {};
  for (const name of FIELD_NAMES) row[name] = form[name] ?? '';
  row.id = opts.id ?? form.id ?? '';
  for (const name of LINE_LIST_FIELDS)
    row[name] = joinList(
      (form[name] ?? '')
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean),
    );

  const controller = organisations.get(row.responsable_id!);
  if (row.responsable_id && !controller) problems.push({ field: 'responsable_id', code: 'choice', value: row.responsable_id });
  row.responsable_nom = controller?.name ?? '';
  row.responsable_siren = controller?.siren ?? '';
  const partners = keepOrder(splitList(row.partenaires_ids), splitList(opts.before?.partenaires_ids));
  row.partenaires_ids = joinList(partners);
  if (partners.some((id) => !organisations.has(id))) problems.push({ field: 'partenaires_ids', code: 'choice' });
  row.partenaires_noms = joinList(partners.map((id) => organisations.get(id)?.name ?? id));
  const used = keepOrder(splitList(row.sources_ids), splitList(opts.before?.sources_ids));
  row.sources_ids = joinList(used);
  if (used.some((id) => !sources.has(id))) problems.push({ field: 'sources_ids', code: 'choice' });
  row.sources_noms = joinList(used.map((id) => sources.get(id)?.name ?? id));
  // A property of each source, edited on the source's own form (routing.ts).
  row.sources_identifiantes = joinList(used.map((id) => (sources.get(id)?.identifiante ? 'true' : 'false')));
  // Saved today: writeProject dates an update now, and a new record is published and updated today.
  row.mis_a_jour = opts.today;

  if (!opts.id && RESERVED_IDS.has(row.id!)) problems.push({ field: 'id', code: 'reserved', value: row.id });
  const { errors } = validateRegisterTable(schema, FIELD_NAMES, [FIELD_NAMES.map((name) => row[name] ?? '')]);
  for (const e of errors)
    problems.push({ field: DERIVED[e.column] ?? e.column, code: problemCode(e.column, e.code, e.expected), value: e.value, expected: e.expected });
  return { row, problems: firstPerField(problems) };
}

/** The message code of an import error in the form: a missing answer among choices is asked for as a choice. */
function problemCode(column: string, code: string, expected?: string): string {
  if (code === 'type') return `type_${expected}`;
  const def = FIELDS_BY_NAME.get(column);
  if (code === 'required' && (def?.enum || def?.type === 'boolean')) return 'required_choice';
  return code;
}

export type SaveResult = { ok: true; outcome: WriteOutcome; changed: string[] } | { ok: false; problems: FieldProblem[] };

/**
 * Writes a checked project row through writeProject (origin `editor:<user id>`: the change lands in the
 * project's public history). Creating an id that exists is refused, as is updating one that does not.
 */
export function saveProject(deps: EditingDeps, row: ProjectRow, opts: SaveOptions): SaveResult {
  const now = deps.now();
  return inTransaction(deps.db, (tx) => {
    const before = projectRows(tx, [row.id!])[0];
    if (opts.mode === 'create' && before) return { ok: false, problems: [{ field: 'id', code: 'taken', value: row.id }] };
    if (opts.mode === 'update' && !before) throw new RecordNotFoundError(`project ${row.id}`);
    const changed = before ? FIELD_NAMES.filter((name) => name !== 'mis_a_jour' && (before[name] ?? '') !== (row[name] ?? '')) : [];
    const outcome = writeProject(tx, row, { origin: opts.origin, changedAt: now.toISOString(), today: todayIn(now) });
    auditSave(deps, tx, opts, 'project', row.id!, { outcome, changed });
    return { ok: true, outcome, changed };
  });
}

/**
 * After an organisation or a source changed, records in each project that names it the columns whose
 * value changed (controller's name or SIREN, partners' or sources' names) and reindexes it for search.
 */
function recordDerivedChanges(tx: Db, before: ProjectRow[], origin: string, changedAt: string): number {
  const after = new Map(
    projectRows(
      tx,
      before.map((r) => r.id!),
    ).map((r) => [r.id!, r]),
  );
  const changes: ProjectChange[] = [];
  for (const old of before) {
    const now = after.get(old.id!);
    if (!now) continue;
    const fields = FIELD_NAMES.filter((name) => (old[name] ?? '') !== (now[name] ?? ''));
    if (fields.length === 0) continue;
    for (const field of fields) changes.push({ projectId: old.id!, field, oldValue: old[field] || null, newValue: now[field] || null, changedAt, origin });
    indexProject(tx, now);
  }
  insertProjectChanges(tx, changes);
  return new Set(changes.map((c) => c.projectId)).size;
}

export type EntitySaveResult = { ok: true; outcome: WriteOutcome; changed: string[]; projectsChanged: number } | { ok: false; problems: FieldProblem[] };

/** The first issue of each field (server/domain/form-errors.ts), as a problem: its code, the value typed, the limit of a text too long. */
function zodProblems(error: z.ZodError, values: FormValues, limits: Record<string, number>): FieldProblem[] {
  return zodErrors(error, { key: (_field, code) => code }).map(({ field, key: code }) => ({
    field,
    code,
    value: values[field],
    expected: code === 'max_length' ? String(limits[field]) : undefined,
  }));
}

const nameField = (max: number) =>
  z
    .string()
    .min(1, 'required')
    .max(max, 'max_length')
    // Names go into the register's list columns, whose items are separated by ";".
    .refine((v) => !v.includes(';'), 'semicolon');

const idField = z.string().min(1, 'required').max(80, 'max_length').regex(SLUG, 'pattern');

/* ---------- Organisations ---------- */

/** What kind of body an organisation is (the kinds of the demonstration data, plus "other"). */
export const ORGANISATION_KINDS = [
  'administration',
  'agence_publique',
  'caisse_assurance_maladie',
  'etablissement_sante',
  'universite_recherche',
  'association',
  'reseau',
  'entreprise',
  'autre',
] as const;

const ORGANISATION_LIMITS = { id: 80, name: 200, website: 500, description: 2000 };

function isHttpsUrl(value: string): boolean {
  try {
    return new URL(value).protocol === 'https:' && !/\s/.test(value);
  } catch {
    return false;
  }
}

const organisationSchema = z.object({
  id: idField,
  name: nameField(ORGANISATION_LIMITS.name),
  siren: z.string().refine((v) => v === '' || isValidSiren(v), 'siren'),
  kind: z.union([z.literal(''), z.enum(ORGANISATION_KINDS)], { errorMap: () => ({ message: 'enum' }) }),
  website: z
    .string()
    .max(ORGANISATION_LIMITS.website, 'max_length')
    .refine((v) => v === '' || isHttpsUrl(v), 'https'),
  // The calendar of its place, for its legal periods (Regulation 1182/71 art. 2); mainland when left empty.
  zone: z
    .string()
    .transform((v) => v || 'FR')
    .pipe(z.enum(ZONES as [Zone, ...Zone[]], { errorMap: () => ({ message: 'enum' }) })),
  description: z.string().max(ORGANISATION_LIMITS.description, 'max_length'),
});
export type OrganisationInput = z.infer<typeof organisationSchema>;

export const ORGANISATION_FIELDS = ['id', 'name', 'siren', 'kind', 'website', 'zone', 'description'] as const;

export function organisationFormFromBody(body: Body, id?: string): FormValues {
  const form = Object.fromEntries(ORGANISATION_FIELDS.map((name) => [name, text(body, name)]));
  // A SIREN is often written in groups of three digits.
  form.siren = form.siren!.replace(/[\s.\u00a0\u202f]/g, '');
  if (id) form.id = id;
  return form;
}

export function organisationFormFromRecord(o: OrganisationRecord): FormValues {
  return { id: o.id, name: o.name, siren: o.siren ?? '', kind: o.kind ?? '', website: o.website ?? '', zone: o.zone, description: o.description ?? '' };
}

export function checkOrganisation(
  form: FormValues,
  mode: 'create' | 'update',
): { input: OrganisationInput; problems: [] } | { input?: undefined; problems: FieldProblem[] } {
  const parsed = organisationSchema.safeParse(form);
  const problems = parsed.success ? [] : zodProblems(parsed.error, form, ORGANISATION_LIMITS);
  if (mode === 'create' && RESERVED_IDS.has(form.id ?? '')) problems.unshift({ field: 'id', code: 'reserved', value: form.id });
  return parsed.success && problems.length === 0 ? { input: parsed.data, problems: [] } : { problems: firstPerField(problems) };
}

export function saveOrganisation(deps: EditingDeps, input: OrganisationInput, opts: SaveOptions): EntitySaveResult {
  const nowIso = deps.now().toISOString();
  return inTransaction(deps.db, (tx) => {
    const existing = organisationById(tx, input.id);
    if (opts.mode === 'create' && existing) return { ok: false, problems: [{ field: 'id', code: 'taken', value: input.id }] };
    if (opts.mode === 'update' && !existing) throw new RecordNotFoundError(`organisation ${input.id}`);
    const next = {
      name: input.name,
      siren: input.siren || null,
      kind: input.kind || null,
      website: input.website || null,
      zone: input.zone,
      description: input.description || null,
    };
    const changed = existing ? (Object.keys(next) as (keyof typeof next)[]).filter((k) => !sameValue(next[k], existing[k])) : [];
    if (existing && changed.length === 0) return { ok: true, outcome: 'unchanged', changed, projectsChanged: 0 };
    const before = existing ? projectRows(tx, projectIdsOfOrganisation(tx, input.id)) : [];
    upsertOrganisation(tx, { id: input.id, ...next, siren: input.siren }, nowIso);
    const projectsChanged = recordDerivedChanges(tx, before, opts.origin, nowIso);
    const outcome = existing ? 'updated' : 'created';
    auditSave(deps, tx, opts, 'organisation', input.id, { outcome, changed, projectsChanged });
    return { ok: true, outcome, changed, projectsChanged };
  });
}

/* ---------- Data sources ---------- */

const SOURCE_LIMITS = { id: 80, name: 200, holder: 200, description: 2000 };

const sourceSchema = z.object({
  id: idField,
  name: nameField(SOURCE_LIMITS.name),
  kind: z.union([z.literal(''), z.enum(DATA_SOURCE_KINDS)], { errorMap: () => ({ message: 'enum' }) }),
  holder: z.string().max(SOURCE_LIMITS.holder, 'max_length'),
  partOfSnds: z.enum(['true', 'false'], {
    errorMap: (issue) => ({ message: issue.code === 'invalid_enum_value' && issue.received === '' ? 'required' : 'enum' }),
  }),
  // Whether the holder keeps direct identities: it decides where requests go (server/domain/routing.ts).
  identifiante: z.enum(['true', 'false'], {
    errorMap: (issue) => ({ message: issue.code === 'invalid_enum_value' && issue.received === '' ? 'required' : 'enum' }),
  }),
  description: z.string().max(SOURCE_LIMITS.description, 'max_length'),
});
export type DataSourceInput = z.infer<typeof sourceSchema>;

export const SOURCE_FIELDS = ['id', 'name', 'kind', 'holder', 'partOfSnds', 'identifiante', 'description'] as const;

export function sourceFormFromBody(body: Body, id?: string): FormValues {
  const form = Object.fromEntries(SOURCE_FIELDS.map((name) => [name, text(body, name)]));
  if (id) form.id = id;
  return form;
}

export function sourceFormFromRecord(s: DataSourceRecord): FormValues {
  return {
    id: s.id,
    name: s.name,
    kind: s.kind ?? '',
    holder: s.holder ?? '',
    partOfSnds: s.partOfSnds ? 'true' : 'false',
    identifiante: s.identifiante ? 'true' : 'false',
    description: s.description ?? '',
  };
}

export function checkSource(
  form: FormValues,
  mode: 'create' | 'update',
): { input: DataSourceInput; problems: [] } | { input?: undefined; problems: FieldProblem[] } {
  const parsed = sourceSchema.safeParse(form);
  const problems = parsed.success ? [] : zodProblems(parsed.error, form, SOURCE_LIMITS);
  if (mode === 'create' && RESERVED_IDS.has(form.id ?? '')) problems.unshift({ field: 'id', code: 'reserved', value: form.id });
  return parsed.success && problems.length === 0 ? { input: parsed.data, problems: [] } : { problems: firstPerField(problems) };
}

export function saveSource(deps: EditingDeps, input: DataSourceInput, opts: SaveOptions): EntitySaveResult {
  const nowIso = deps.now().toISOString();
  return inTransaction(deps.db, (tx) => {
    const existing = dataSourceById(tx, input.id);
    if (opts.mode === 'create' && existing) return { ok: false, problems: [{ field: 'id', code: 'taken', value: input.id }] };
    if (opts.mode === 'update' && !existing) throw new RecordNotFoundError(`source ${input.id}`);
    const next = {
      name: input.name,
      kind: input.kind || null,
      holder: input.holder || null,
      partOfSnds: input.partOfSnds === 'true',
      identifiante: input.identifiante === 'true',
      description: input.description || null,
    };
    const changed = existing ? (Object.keys(next) as (keyof typeof next)[]).filter((k) => !sameValue(next[k], existing[k])) : [];
    if (existing && changed.length === 0) return { ok: true, outcome: 'unchanged', changed, projectsChanged: 0 };
    const before = existing ? projectRows(tx, projectIdsOfDataSource(tx, input.id)) : [];
    upsertDataSource(tx, { id: input.id, ...next }, nowIso);
    const projectsChanged = recordDerivedChanges(tx, before, opts.origin, nowIso);
    const outcome = existing ? 'updated' : 'created';
    auditSave(deps, tx, opts, 'source', input.id, { outcome, changed, projectsChanged });
    return { ok: true, outcome, changed, projectsChanged };
  });
}

/* ---------- Messages ---------- */

/**
 * A problem in plain words, in the reader's language, naming the field by its label: a message written
 * for this field if there is one (`errors.byField.<entity>.<field>.<code>`), else the one for the code.
 */
export function describeProblem(tr: Translator, entity: 'project' | 'organisation' | 'source', p: FieldProblem, label: string): string {
  const vars = { field: label, value: p.value ?? '', expected: p.expected ?? '' };
  return tr.t(`staff-register:errors.byField.${entity}.${p.field}.${p.code}`, {
    ...vars,
    defaultValue: tr.t(`staff-register:errors.${p.code}`, { ...vars, defaultValue: tr.t('staff-register:errors.invalid', vars) }),
  });
}
