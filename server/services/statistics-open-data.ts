/**
 * Over 300 lines: the seven tables' column lists, written out by the formatter; one module per table
 * family (requests, answers, register) would split it.
 *
 * The public figures as open data (issue 13): every table of /statistiques as rows with a Frictionless
 * Table Schema, under Licence Ouverte 2.0, for the period and kind filtered. Rows come from the same
 * view as the page (services/statistics-figures.ts), so a count suppressed on the page is suppressed
 * here: its cell is empty and its companion column `<name>_masque` is `true` ("fewer than 5").
 * Rates are per thousand (integers), empty when not published (under 10 answers, or a count suppressed).
 *
 * Column titles are in French, the language of the published schemas (the register's too); to move to
 * a locale namespace with the other labels.
 */
import type { FieldDef } from '../domain/register-schema';
import { buildTableSchema, type TableSchema } from '../domain/table-schema';
import type { Cell, Filters, OpenDataTable, Rate, RegisterFigures } from '../domain/statistics-types';
import { ALL, qid, type View } from './statistics-figures';
import { registerFigures, statisticsView, type StatisticsDeps } from './statistics-view';

const LICENCE = { name: 'etalab-2.0', title: 'Licence Ouverte / Open Licence 2.0', path: 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/' };
const MONTH_PATTERN = '^\\d{4}-(0[1-9]|1[0-2])$';

type Column = FieldDef & { title: string; description: string };
const count = (name: string, title: string): Column[] => [
  {
    name,
    type: 'integer',
    minimum: 0,
    title,
    description: `${title}. Vide quand le nombre est de 1 à 4 ou masqué pour qu’on ne puisse pas le retrouver par différence (colonne ${name}_masque).`,
  },
  {
    name: `${name}_masque`,
    type: 'boolean',
    required: true,
    title: `${title} : masqué`,
    description: 'true quand le nombre est masqué (moins de 5, ou masqué en complément).',
  },
];
const rate: Column[] = [
  {
    name: 'taux_dans_les_delais_pour_mille',
    type: 'integer',
    minimum: 0,
    title: 'Réponses dans les délais (pour mille)',
    description: 'Part des réponses données au plus tard à la date limite applicable (RGPD art. 12(3)), pour mille ; publiée à partir de 10 réponses.',
  },
  {
    name: 'taux_intervalle_bas_pour_mille',
    type: 'integer',
    minimum: 0,
    title: 'Intervalle de confiance à 95 % : borne basse (pour mille)',
    description: 'Intervalle de Wilson.',
  },
  {
    name: 'taux_intervalle_haut_pour_mille',
    type: 'integer',
    minimum: 0,
    title: 'Intervalle de confiance à 95 % : borne haute (pour mille)',
    description: 'Intervalle de Wilson.',
  },
];
const monthCounts: Column[] = [
  ...count('demandes_recues', 'Demandes déposées dans le mois'),
  ...count('demandes_confirmees', 'Demandes confirmées dans le mois'),
  ...count('jamais_confirmees', 'Demandes déposées dans le mois et jamais confirmées'),
  ...count('retirees', 'Demandes retirées dans le mois'),
  ...count('repondues', 'Réponses (y compris les refus) données dans le mois'),
  ...count('repondues_dans_les_delais', 'Réponses données dans les délais'),
  ...count('repondues_en_retard', 'Réponses données en retard'),
  ...count('ouvertes_hors_delai', 'Demandes sans réponse après la date limite, le dernier jour du mois'),
  ...rate,
];
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

const id = (name: string, title: string, extra: Partial<FieldDef> = {}): Column => ({
  name,
  type: 'string',
  required: true,
  title,
  description: title,
  ...extra,
});
const monthColumn = id('mois', 'Mois (AAAA-MM, heure de Paris)', { pattern: MONTH_PATTERN });
const frozenColumns: Column[] = [
  {
    name: 'gele',
    type: 'boolean',
    required: true,
    title: 'Mois gelé',
    description: 'true quand les chiffres du mois sont figés (calculés une fois, 8 jours après la fin du mois).',
  },
  {
    name: 'version',
    type: 'integer',
    minimum: 0,
    required: true,
    title: 'Version',
    description: '0 tant que le mois n’est pas gelé ; 2 et plus après une correction.',
  },
  { name: 'motif_correction', type: 'string', title: 'Motif de la correction', description: 'La raison de la dernière correction, s’il y en a une.' },
];

function schemaOf(name: string, title: string, columns: Column[], primaryKey: string[], filters: Filters): TableSchema {
  const labels = new Map(columns.map((c) => [c.name, c]));
  const schema = buildTableSchema(columns, (n) => ({ title: labels.get(n)!.title, description: labels.get(n)!.description }), {
    $schema: 'https://specs.frictionlessdata.io/schemas/table-schema.json',
    name: `statistiques-${name}`,
    title,
    description: `${title}, du ${filters.period.from} au ${filters.period.to}${filters.kind ? `, demandes de type ${filters.kind}` : ''}. Calculé à partir des seules dates enregistrées par le service.`,
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

export function openDataTables(deps: StatisticsDeps, filters: Filters): OpenDataTable[] {
  const parts = statisticsView(deps, filters);
  const tables: OpenDataTable[] = [];
  const add: AddTable = (name, title, columns, key, rows) => tables.push({ name, title, schema: schemaOf(name, title, columns, key, filters), rows });
  monthTables(add, parts);
  answerTables(add, parts);
  breakdownTable(add, parts);
  registerTables(add, registerFigures(deps));
  return tables;
}

type AddTable = (name: string, title: string, columns: Column[], key: string[], rows: Record<string, string | number | null>[]) => void;
type ViewParts = ReturnType<typeof statisticsView>;
const orgColumns: Column[] = [id('organisation_id', 'Identifiant de l’organisme qui répond'), id('organisation', 'Organisme qui répond')];

/** Requests and answers by month, for all organisations and for each. */
function monthTables(add: AddTable, { view, months, organisations, names }: ViewParts) {
  add(
    'mois',
    'Demandes et réponses par mois',
    [monthColumn, ...frozenColumns, ...monthCounts],
    ['mois'],
    months.map((m) => monthRow(view, ALL, m)),
  );

  add(
    'organisations-par-mois',
    'Demandes et réponses par organisme et par mois',
    [...orgColumns, monthColumn, ...frozenColumns, ...monthCounts],
    ['organisation_id', 'mois'],
    organisations.flatMap((o) => months.map((m) => ({ organisation_id: o, organisation: names.get(o) ?? o, ...monthRow(view, o, m) }))),
  );
}

/** Answers by organisation over the period, and refusals by reason. */
function answerTables(add: AddTable, { view, organisations, names }: ViewParts) {
  const answerColumns: Column[] = [
    ...count('demandes_recues', 'Demandes déposées sur la période'),
    ...count('repondues', 'Réponses (y compris les refus) sur la période'),
    ...count('repondues_dans_les_delais', 'Réponses dans les délais'),
    ...count('repondues_en_retard', 'Réponses en retard'),
    ...count('ouvertes_hors_delai', 'Demandes sans réponse après la date limite, à la fin de la période'),
    ...count('prolongations', 'Délais prolongés de deux mois (RGPD art. 12(3))'),
    ...count('prolongations_annoncees_a_temps', 'Prolongations annoncées dans le premier mois'),
    {
      name: 'mediane_jours',
      type: 'integer',
      minimum: 0,
      title: 'Médiane des jours entre réception et réponse',
      description: 'Rang le plus proche ; publiée à partir de 10 réponses.',
    },
    {
      name: 'p90_jours',
      type: 'integer',
      minimum: 0,
      title: '90e centile des jours entre réception et réponse',
      description: 'Rang le plus proche ; publié à partir de 10 réponses.',
    },
    ...rate,
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
    'Réponses par organisme sur la période',
    [...orgColumns, ...answerColumns],
    ['organisation_id'],
    [
      { organisation_id: ALL, organisation: 'Tous les organismes', ...answerRow(ALL) },
      ...organisations.map((o) => ({ organisation_id: o, organisation: names.get(o) ?? o, ...answerRow(o) })),
    ],
  );

  add(
    'refus',
    'Refus par motif et par organisme',
    [orgColumns[0]!, id('motif', 'Code du motif de refus (RGPD art. 12(4))'), ...count('refus', 'Refus')],
    ['organisation_id', 'motif'],
    [ALL, ...organisations].flatMap((o) => view.answers(o).refusals.map((r) => ({ organisation_id: o, motif: r.code, ...cellColumns('refus', r.count) }))),
  );
}

/** The period's requests by kind, scope, status and organisation. */
function breakdownTable(add: AddTable, { view }: ViewParts) {
  const breakdowns = (['kind', 'scope', 'status', 'organisation'] as const).flatMap((d) =>
    view.breakdown(d).map((b) => ({
      dimension: { kind: 'type', scope: 'portee', status: 'statut', organisation: 'organisme' }[d],
      valeur: b.key,
      ...cellColumns('demandes', b.count),
    })),
  );
  add(
    'repartitions',
    'Demandes de la période par type, portée, statut et organisme',
    [
      id('dimension', 'Dimension', { enum: ['type', 'portee', 'statut', 'organisme'] }),
      id('valeur', 'Valeur'),
      ...count('demandes', 'Demandes déposées sur la période'),
    ],
    ['dimension', 'valeur'],
    breakdowns,
  );
}

/** The register: projects by status, source, purpose, commercial use and AI training; results per controller. */
function registerTables(add: AddTable, register: RegisterFigures) {
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
    'Projets du répertoire par statut, source, finalité, usage commercial et entraînement d’IA',
    [
      id('dimension', 'Dimension', { enum: ['statut', 'source', 'finalite', 'usage_commercial', 'entrainement_ia'] }),
      id('valeur', 'Valeur'),
      {
        name: 'projets',
        type: 'integer',
        minimum: 0,
        required: true,
        title: 'Projets',
        description: 'Nombre de projets du répertoire (données publiques, non masquées).',
      },
    ],
    ['dimension', 'valeur'],
    registerRows,
  );
  add(
    'registre-responsables',
    'Résultats des projets terminés par responsable de traitement',
    [
      id('organisation_id', 'Identifiant du responsable de traitement'),
      id('organisation', 'Responsable de traitement'),
      { name: 'projets_termines', type: 'integer', minimum: 0, required: true, title: 'Projets terminés', description: 'Projets au statut « terminé ».' },
      {
        name: 'resultats_publies',
        type: 'integer',
        minimum: 0,
        required: true,
        title: 'Projets terminés avec résultats publiés',
        description: 'Lien ou résumé des résultats renseigné.',
      },
      {
        name: 'resultats_en_retard',
        type: 'integer',
        minimum: 0,
        required: true,
        title: 'Résultats en retard',
        description: 'Aucun résultat 18 mois après la fin du projet (CSP L1461-3).',
      },
    ],
    ['organisation_id'],
    register.controllers.map((c) => ({
      organisation_id: c.id,
      organisation: c.name,
      projets_termines: c.finished,
      resultats_publies: c.resultsPublished,
      resultats_en_retard: c.overdue18Months,
    })),
  );
}
