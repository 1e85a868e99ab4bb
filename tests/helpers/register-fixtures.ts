/**
 * The register's search fixtures, shared by the route tests (tests/routes/register.test.ts) and the
 * engine-level suite run on SQLite and PostgreSQL (tests/db/register-search-engines.test.ts).
 */
import { projectRow } from './register';

/** Five projects with the words, organisations, sources, statuses and dates the search tests look for. */
export const FIXTURES = [
  projectRow({
    id: 'bacteriemies',
    titre_clair: 'BACTÉRIÉMIES : antibiotiques et bactéries résistantes',
    resume: 'Le projet relie l’exposition aux antibiotiques et les bactériémies à bactéries résistantes.',
    statut: 'avis_cesrees',
    finalite: 'recherche',
    responsable_id: 'ap-hp',
    responsable_nom: 'AP-HP',
    sources_ids: 'edsaphp;snds',
    sources_noms: 'Entrepôt de données de santé de l’AP-HP;Base principale du SNDS',
    mis_a_jour: '2025-03-01',
  }),
  projectRow({
    id: 'ns-park',
    titre_clair: 'NS-PARK : prédire l’évolution',
    resume: 'Un outil pour les neurologues qui suivent des patients atteints de la maladie de Parkinson.',
    statut: 'depose',
    finalite: 'outil',
    entrainement_ia: 'true',
    responsable_id: 'inserm',
    responsable_nom: 'INSERM',
    partenaires_ids: 'f-crin',
    partenaires_noms: 'F-CRIN',
    sources_ids: 'ns-park;snds',
    sources_noms: 'Cohorte NS-PARK;Base principale du SNDS',
    mis_a_jour: '2025-06-01',
  }),
  projectRow({
    id: 'pimpon',
    titre_clair: 'Alertes sur les interactions médicamenteuses',
    resume: 'Envoyer aux prescripteurs des alertes sur les interactions dangereuses entre médicaments.',
    statut: 'en_cours',
    finalite: 'outil',
    usage_commercial: 'true',
    responsable_id: 'vidal',
    responsable_nom: 'VIDAL',
    mis_a_jour: '2024-05-01',
  }),
  projectRow({
    id: 'etat-stats',
    titre_clair: 'Statistiques de l’État sur les remboursements',
    resume: 'Un traitement d’un service statistique désigné par décret.',
    statut: 'termine',
    finalite: 'pilotage',
    opposition_applicable: 'false',
    motif_exclusion_opposition: 'services_etat',
    responsable_id: 'drees',
    responsable_nom: 'DREES',
    date_fin: '2023-01-15',
    mis_a_jour: '2023-02-01',
  }),
  projectRow({
    id: 'retard',
    titre_clair: 'Zèbre : un projet aux délais dépassés',
    resume: 'Projet de test pour les délais légaux.',
    statut: 'autorise',
    responsable_id: 'ap-hp',
    responsable_nom: 'AP-HP',
    date_depot: '2024-01-08',
    date_transmission_cesrees: '2024-01-22',
    date_avis_cesrees: '2024-02-10',
    avis_cesrees: 'favorable',
    date_decision_cnil: '2024-03-15',
    numero_decision_cnil: '2024-123',
    champs_fictifs: 'date_depot;numero_decision_cnil',
    mis_a_jour: '2024-04-01',
  }),
];
export const FILLER = Array.from({ length: 40 }, (_, i) =>
  projectRow({
    id: `remplissage-${String(i + 1).padStart(2, '0')}`,
    titre_clair: `Remplissage ${String(i + 1).padStart(2, '0')}`,
    resume: 'Projet de remplissage pour la pagination.',
    mis_a_jour: `2022-01-${String((i % 28) + 1).padStart(2, '0')}`,
  }),
);

/** Projects for French plurals and inflections; the ten others make the words rare enough for relevance. */
export const INFLECTIONS = [
  projectRow({
    id: 'sein',
    titre_clair: 'Traitements du cancer du sein',
    resume: 'Les interactions entre médicaments pendant la chimiothérapie.',
    mis_a_jour: '2024-01-01',
  }),
  projectRow({ id: 'gorge', titre_clair: 'Papillomavirus et gorge', resume: 'Des cancers de la bouche et de la gorge.', mis_a_jour: '2024-02-01' }),
  projectRow({
    id: 'urgences',
    titre_clair: 'Passages aux urgences',
    resume: 'Les hospitalisations après un passage aux urgences, dans les hôpitaux d’Île-de-France.',
    mis_a_jour: '2024-03-01',
  }),
  projectRow({
    id: 'coeur',
    titre_clair: 'Insuffisance cardiaque',
    resume: 'Réduire le nombre de patients hospitalisés pour une crise cardiaque : chaque hospitalisation évitée compte.',
    mis_a_jour: '2024-04-01',
  }),
  projectRow({
    id: 'diabete',
    titre_clair: 'Diabète de type 2',
    resume: 'Les personnes diabétiques suivies en ville, et leur dossier médical.',
    mis_a_jour: '2024-05-01',
  }),
  // Relevance (bm25) needs a word to be rarer than in half the projects, as in the real register.
  ...Array.from({ length: 10 }, (_, i) =>
    projectRow({ id: `autre-${i + 1}`, titre_clair: `Autre projet ${i + 1}`, resume: 'Les parcours de soins en ville.', mis_a_jour: '2023-01-01' }),
  ),
];
