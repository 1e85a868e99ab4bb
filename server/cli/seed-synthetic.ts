/**
 * npm run seed:synthetic -- --projects 10000 [--requests 1000000] [--data-dir DIR]
 *
 * Fills the register with synthetic projects for benchmarks only: deterministic (seeded), plausible
 * French text, every status and purpose, shared organisations and sources. Never used as demonstration
 * data: every synthetic record says so in its title and lists all its fields as fictitious.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { openDatabase, type Db } from '../db/client';
import { writeProject } from '../db/register';
import { PROJECT_STATUSES, PURPOSES, FIELD_NAMES, type ProjectRow } from '../domain/register-schema';
import { seedSyntheticRequests } from './seed-synthetic-requests';

/** Mulberry32: a small seeded generator, so every run builds the same register. */
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

const TOPICS = [
  'diabète de type 2',
  'insuffisance cardiaque',
  'cancer du sein',
  'maladie de Parkinson',
  'asthme de l’enfant',
  'bronchiolite',
  'antibiorésistance',
  'dépression',
  'maladie d’Alzheimer',
  'accident vasculaire cérébral',
  'obésité',
  'grossesse',
  'vaccination',
  'douleur chronique',
  'maladies rares',
  'insuffisance rénale',
  'greffe',
  'sepsis',
  'fractures du col du fémur',
  'santé mentale des jeunes',
];
const ACTIONS = [
  'Parcours de soins',
  'Effets des traitements',
  'Inégalités d’accès aux soins',
  'Coût pour les patients',
  'Prévention',
  'Complications',
  'Dépistage',
  'Suivi après hospitalisation',
];
const ORGS = [
  'Centre hospitalier universitaire de Nantes',
  'Université de Lille',
  'Institut national de la santé et de la recherche médicale',
  'Santé publique France',
  'Direction de la recherche, des études, de l’évaluation et des statistiques',
  'Hospices civils de Lyon',
  'Assistance publique – Hôpitaux de Marseille',
  'Université de Bordeaux',
  'Agence régionale de santé Occitanie',
  'Institut Gustave Roussy',
  'Observatoire régional de santé Bretagne',
  'Laboratoire de recherche en santé publique',
  'Centre de lutte contre le cancer Léon Bérard',
  'Société d’études en santé numérique',
  'Mutuelle d’études épidémiologiques',
];
const SOURCES = [
  'Base principale du SNDS',
  'OSCOUR',
  'Entrepôt de données de santé hospitalier',
  'Registre des cancers',
  'Cohorte de naissance',
  'Base de pharmacovigilance',
  'Registre des greffes',
  'Cohorte étudiante',
];
const slug = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

export function syntheticRow(i: number, rnd: () => number): ProjectRow {
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)]!;
  const topic = pick(TOPICS);
  const action = pick(ACTIONS);
  const statut = pick(PROJECT_STATUSES);
  const year = 2019 + Math.floor(rnd() * 7);
  const month = String(1 + Math.floor(rnd() * 12)).padStart(2, '0');
  const day = String(1 + Math.floor(rnd() * 28)).padStart(2, '0');
  const depot = `${year}-${month}-${day}`;
  const org = pick(ORGS);
  const partner = pick(ORGS);
  const sources = [...new Set([SOURCES[0]!, pick(SOURCES)])];
  const row: ProjectRow = Object.fromEntries(FIELD_NAMES.map((n) => [n, '']));
  Object.assign(row, {
    id: `synthetique-${String(i).padStart(6, '0')}`,
    numero_hdh: `SYN-${year}-${String(i).padStart(6, '0')}`,
    titre_officiel: `Projet synthétique ${i} – ${action} : ${topic}`,
    titre_clair: `${action} : ${topic} (projet synthétique ${i})`,
    statut,
    finalite: pick(PURPOSES),
    resume: `Projet fictif créé pour mesurer les performances du registre. Il étudie ${topic} sous l’angle ${action.toLowerCase()}, à partir des données de l’Assurance maladie et d’autres bases. Les résultats aideront à mieux organiser les soins.`,
    resume_technique: `Étude de cohorte rétrospective sur ${topic}, appariement déterministe.`,
    interet_public: 'Améliorer la connaissance des parcours de soins.',
    usage_commercial: rnd() < 0.1 ? 'true' : 'false',
    entrainement_ia: rnd() < 0.15 ? 'true' : 'false',
    responsable_id: slug(org),
    responsable_nom: org,
    partenaires_ids: partner === org ? '' : slug(partner),
    partenaires_noms: partner === org ? '' : partner,
    sources_ids: sources.map(slug).join(';'),
    sources_noms: sources.join(';'),
    procedure: 'autorisation',
    date_depot: depot,
    opposition_applicable: rnd() < 0.95 ? 'true' : 'false',
    champs_fictifs: FIELD_NAMES.join(';'),
    cree_le: depot,
    mis_a_jour: depot,
  });
  if (row.opposition_applicable === 'false') row.motif_exclusion_opposition = 'services_etat';
  if (statut === 'termine') {
    row.date_fin = `${Math.min(year + 2, 2025)}-${month}-${day}`;
    if (row.date_fin < depot) row.date_fin = depot;
  }
  return row;
}

export function seedSynthetic(db: Db, count: number, seed = 42): number {
  const rnd = random(seed);
  const changedAt = new Date().toISOString();
  const batch = 1000;
  for (let start = 0; start < count; start += batch) {
    db.transaction(
      (tx) => {
        for (let i = start; i < Math.min(count, start + batch); i += 1)
          writeProject(tx, syntheticRow(i + 1, rnd), { origin: 'synthetic', changedAt, today: changedAt.slice(0, 10) });
      },
      { behavior: 'immediate' },
    );
  }
  return count;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { projects: { type: 'string', default: '10000' }, requests: { type: 'string', default: '0' }, 'data-dir': { type: 'string' } },
  });
  const count = Number(values.projects);
  if (!Number.isInteger(count) || count < 1 || count > 1_000_000) {
    process.stderr.write('--projects must be a whole number between 1 and 1000000\n');
    process.exit(2);
  }
  const config = loadConfig(values['data-dir'] ? { ...process.env, DATA_DIR: values['data-dir'] } : process.env);
  const database = openDatabase(join(config.dataDir, 'service.sqlite'));
  const started = Date.now();
  seedSynthetic(database.db, count);
  const requests = Number(values.requests);
  if (Number.isInteger(requests) && requests > 0) seedSyntheticRequests(database, Math.min(requests, 5_000_000), new Date());
  database.close();
  process.stdout.write(
    `${count} synthetic projects${requests > 0 ? ` and ${requests} requests` : ''} written to ${join(config.dataDir, 'service.sqlite')} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
}
