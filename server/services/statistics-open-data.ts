/**
 * The public figures as open data (issue 13): every table of /statistiques as rows with a Frictionless
 * Table Schema, under Licence Ouverte 2.0, for the period and kind filtered. Rows come from the same
 * view as the page (services/statistics-figures.ts), so a count suppressed on the page is suppressed
 * here: its cell is empty and its companion column `<name>_masque` is `true` ("fewer than 5").
 * Rates are per thousand (integers), empty when not published (under 10 answers, or a count suppressed).
 *
 * Column names are stable (French, as the register's); their titles and descriptions, and the tables'
 * titles, live in locales/<lng>/statistics-open-data.json and follow the language asked, as the
 * register's schema does.
 */
import type { FieldDef } from '../domain/register-schema';
import { buildTableSchema, type TableSchema } from '../domain/table-schema';
import type { Cell, Filters, OpenDataTable, Rate, RegisterFigures } from '../domain/statistics-types';
import type { TFunction, Translator } from '../i18n';
import { ALL, qid, type View } from './statistics-figures';
import { registerFigures, statisticsView, type StatisticsDeps } from './statistics-view';

const LICENCE = { name: 'etalab-2.0', title: 'Licence Ouverte / Open Licence 2.0', path: 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/' };
const MONTH_PATTERN = '^\\d{4}-(0[1-9]|1[0-2])$';
const NS = 'statistics-open-data';

type Column = FieldDef & { title: string; description: string };
/** The columns of every table, their labels read in one language. */
type Columns = ReturnType<typeof columnsIn>;

function columnsIn(t: TFunction) {
  /** A count and its companion `_masque` column; `label` names its title (counts.<label>). */
  const count = (name: string, label: string): Column[] => {
    const title = t(`${NS}:counts.${label}`);
    return [
      { name, type: 'integer', minimum: 0, title, description: t(`${NS}:count.description`, { title, name }) },
      {
        name: `${name}_masque`,
        type: 'boolean',
        required: true,
        title: t(`${NS}:count.maskedTitle`, { title }),
        description: t(`${NS}:count.maskedDescription`),
      },
    ];
  };
  /** A column described in fields.<label> (label defaults to the name). */
  const field = (name: string, def: Partial<FieldDef>, label = name): Column => ({
    name,
    type: 'string',
    ...def,
    title: t(`${NS}:fields.${label}.title`),
    description: t(`${NS}:fields.${label}.description`),
  });
  const id = (name: string, extra: Partial<FieldDef> = {}, label = name) => field(name, { required: true, ...extra }, label);
  const integer = (name: string, required = false, label = name) => field(name, { type: 'integer', minimum: 0, ...(required ? { required } : {}) }, label);
  const rate = ['taux_dans_les_delais_pour_mille', 'taux_intervalle_bas_pour_mille', 'taux_intervalle_haut_pour_mille'].map((n) => integer(n));
  return {
    count,
    id,
    integer,
    month: id('mois', { pattern: MONTH_PATTERN }),
    frozen: [field('gele', { type: 'boolean', required: true }), integer('version', true), field('motif_correction', {})],
    monthCounts: [
      ...count('demandes_recues', 'receivedInMonth'),
      ...count('demandes_confirmees', 'confirmedInMonth'),
      ...count('jamais_confirmees', 'neverConfirmed'),
      ...count('retirees', 'withdrawnInMonth'),
      ...count('repondues', 'answeredInMonth'),
      ...count('repondues_dans_les_delais', 'onTime'),
      ...count('repondues_en_retard', 'late'),
      ...count('ouvertes_hors_delai', 'openPastDueAtMonthEnd'),
      ...rate,
    ],
    rate,
    organisation: [id('organisation_id', {}, 'organisation_repondant_id'), id('organisation', {}, 'organisation_repondant')],
  };
}

const MONTH_KEYS = [
  ['demandes_recues', 'received'],
  ['demandes_confirmees', 'confirmed'],
  ['jamais_confirmees', 'never_confirmed'],
  ['retirees', 'withdrawn'],
  ['repondues', 'answered'],
  ['repondues_dans_les_delais', 'on_time'],
  ['repondues_en_retard', 'late'],
  ['ouvertes_hors_delai', 'open_past_due'],
] as const;

function schemaOf(t: TFunction, name: string, title: string, columns: Column[], primaryKey: string[], filters: Filters): TableSchema {
  const labels = new Map(columns.map((c) => [c.name, c]));
  const period = { title, from: filters.period.from, to: filters.period.to, kind: filters.kind };
  const schema = buildTableSchema(columns, (n) => ({ title: labels.get(n)!.title, description: labels.get(n)!.description }), {
    $schema: 'https://specs.frictionlessdata.io/schemas/table-schema.json',
    name: `statistiques-${name}`,
    title,
    description: t(filters.kind ? `${NS}:schema.descriptionKind` : `${NS}:schema.description`, period),
    licenses: [LICENCE],
  });
  schema.primaryKey = primaryKey;
  return schema;
}

const cellColumns = (name: string, c: Cell) => ({ [name]: 'value' in c ? c.value : null, [`${name}_masque`]: 'suppressed' in c ? 'true' : 'false' });
const perMille = (v: number) => Math.round(v * 1000);
const rateColumns = (r: Rate) => ({
  taux_dans_les_delais_pour_mille: r ? perMille(r.share) : null,
  taux_intervalle_bas_pour_mille: r ? perMille(r.low) : null,
  taux_intervalle_haut_pour_mille: r ? perMille(r.high) : null,
});

function monthRow(view: View, org: string, month: { month: string; frozen: boolean; version: number; correctedReason?: string }) {
  const row: Record<string, string | number | null> = {
    mois: month.month,
    gele: month.frozen ? 'true' : 'false',
    version: month.version,
    motif_correction: month.correctedReason ?? null,
  };
  for (const [col, measure] of MONTH_KEYS) Object.assign(row, cellColumns(col, view.cell(qid(measure, org, month.month))));
  return Object.assign(row, rateColumns(view.rate(org, month.month)));
}

export function openDataTables(deps: StatisticsDeps, filters: Filters, tr: Translator): OpenDataTable[] {
  const parts = statisticsView(deps, filters);
  const tables: OpenDataTable[] = [];
  const t = tr.t;
  const add: AddTable = (name, columns, key, rows) => {
    const title = t(`statistics:openData.tables.${name}`);
    tables.push({ name, title, schema: schemaOf(t, name, title, columns, key, filters), rows });
  };
  const columns = columnsIn(t);
  monthTables(add, columns, parts);
  answerTables(add, columns, parts, t(`${NS}:allOrganisations`));
  breakdownTable(add, columns, parts);
  registerTables(add, columns, registerFigures(deps));
  return tables;
}

type AddTable = (name: string, columns: Column[], key: string[], rows: Record<string, string | number | null>[]) => void;
type ViewParts = ReturnType<typeof statisticsView>;

/** Requests and answers by month, for all organisations and for each. */
function monthTables(add: AddTable, c: Columns, { view, months, organisations, names }: ViewParts) {
  add(
    'mois',
    [c.month, ...c.frozen, ...c.monthCounts],
    ['mois'],
    months.map((m) => monthRow(view, ALL, m)),
  );
  add(
    'organisations-par-mois',
    [...c.organisation, c.month, ...c.frozen, ...c.monthCounts],
    ['organisation_id', 'mois'],
    organisations.flatMap((o) => months.map((m) => ({ organisation_id: o, organisation: names.get(o) ?? o, ...monthRow(view, o, m) }))),
  );
}

/** Answers by organisation over the period, and refusals by reason. */
function answerTables(add: AddTable, c: Columns, { view, organisations, names }: ViewParts, allName: string) {
  const answerColumns: Column[] = [
    ...c.count('demandes_recues', 'receivedInPeriod'),
    ...c.count('repondues', 'answeredInPeriod'),
    ...c.count('repondues_dans_les_delais', 'onTime'),
    ...c.count('repondues_en_retard', 'late'),
    ...c.count('ouvertes_hors_delai', 'openPastDueAtPeriodEnd'),
    ...c.count('prolongations', 'extensions'),
    ...c.count('prolongations_annoncees_a_temps', 'extensionsToldInTime'),
    c.integer('mediane_jours'),
    c.integer('p90_jours'),
    ...c.rate,
  ];
  const answerRow = (o: string) => {
    const a = view.answers(o);
    return {
      ...cellColumns('demandes_recues', view.cell(qid('received', o, ALL))),
      ...cellColumns('repondues', a.answered),
      ...cellColumns('repondues_dans_les_delais', a.onTime),
      ...cellColumns('repondues_en_retard', a.late),
      ...cellColumns('ouvertes_hors_delai', a.openPastDue),
      ...cellColumns('prolongations', a.extensions),
      ...cellColumns('prolongations_annoncees_a_temps', a.extensionsToldInTime),
      mediane_jours: a.medianDays,
      p90_jours: a.p90Days,
      ...rateColumns(a.onTimeRate),
    };
  };
  add(
    'organisations',
    [...c.organisation, ...answerColumns],
    ['organisation_id'],
    [
      { organisation_id: ALL, organisation: allName, ...answerRow(ALL) },
      ...organisations.map((o) => ({ organisation_id: o, organisation: names.get(o) ?? o, ...answerRow(o) })),
    ],
  );
  add(
    'refus',
    [c.organisation[0]!, c.id('motif'), ...c.count('refus', 'refusals')],
    ['organisation_id', 'motif'],
    [ALL, ...organisations].flatMap((o) => view.answers(o).refusals.map((r) => ({ organisation_id: o, motif: r.code, ...cellColumns('refus', r.count) }))),
  );
}

/** The period's requests by kind, scope, status and organisation. */
function breakdownTable(add: AddTable, c: Columns, { view }: ViewParts) {
  const breakdowns = (['kind', 'scope', 'status', 'organisation'] as const).flatMap((d) =>
    view.breakdown(d).map((b) => ({
      dimension: { kind: 'type', scope: 'portee', status: 'statut', organisation: 'organisme' }[d],
      valeur: b.key,
      ...cellColumns('demandes', b.count),
    })),
  );
  add(
    'repartitions',
    [c.id('dimension', { enum: ['type', 'portee', 'statut', 'organisme'] }), c.id('valeur'), ...c.count('demandes', 'receivedInPeriod')],
    ['dimension', 'valeur'],
    breakdowns,
  );
}

/** The register: projects by status, source, purpose, commercial use and AI training; results per controller. */
function registerTables(add: AddTable, c: Columns, register: RegisterFigures) {
  const registerRows = (
    Object.entries({
      statut: register.byStatus,
      source: register.bySource,
      finalite: register.byPurpose,
      usage_commercial: register.commercial,
      entrainement_ia: register.aiTraining,
    }) as [string, typeof register.byStatus][]
  ).flatMap(([dimension, rows]) => rows.map((r) => ({ dimension, valeur: r.key, projets: 'value' in r.count ? r.count.value : null })));
  add(
    'registre',
    [
      c.id('dimension', { enum: ['statut', 'source', 'finalite', 'usage_commercial', 'entrainement_ia'] }, 'dimension_registre'),
      c.id('valeur'),
      c.integer('projets', true),
    ],
    ['dimension', 'valeur'],
    registerRows,
  );
  add(
    'registre-responsables',
    [
      c.id('organisation_id', {}, 'responsable_id'),
      c.id('organisation', {}, 'responsable'),
      c.integer('projets_termines', true),
      c.integer('resultats_publies', true),
      c.integer('resultats_en_retard', true),
    ],
    ['organisation_id'],
    register.controllers.map((r) => ({
      organisation_id: r.id,
      organisation: r.name,
      projets_termines: r.finished,
      resultats_publies: r.resultsPublished,
      resultats_en_retard: r.overdue18Months,
    })),
  );
}
