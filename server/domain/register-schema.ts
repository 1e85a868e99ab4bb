/**
 * The register's open-data schema: one row per project, one column per field. It is the single source
 * for the CSV export and import, the Frictionless Table Schema at /projets/schema.json, the JSON export
 * and the labels of the project page (titles and descriptions live in locales/<lng>/register-fields.json).
 *
 * Several values in one cell are joined with ";" (so no single value may contain ";"). Dates are ISO
 * 8601 (YYYY-MM-DD). Booleans are "true" / "false". An empty cell is a missing value.
 */

export const PROJECT_STATUSES = ['depose', 'en_instruction', 'avis_cesrees', 'autorise', 'refuse', 'en_cours', 'termine', 'abandonne'] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];

export const PURPOSES = ['recherche', 'evaluation', 'surveillance', 'pilotage', 'outil'] as const;
export type Purpose = (typeof PURPOSES)[number];

/** Authorisation route: CNIL authorisation after the CESREES opinion, a CNIL reference methodology, or permanent access. */
export const PROCEDURES = ['autorisation', 'methodologie_reference', 'acces_permanent'] as const;
export const CESREES_OPINIONS = ['favorable', 'favorable_reserves', 'defavorable'] as const;

/**
 * Why objection does not apply, per Code de la santé publique R1461-9 II: it does not cover the building
 * of the main SNDS database, nor processing by the State services and public bodies designated by decree.
 */
export const OBJECTION_EXCLUSIONS = ['constitution_snds', 'services_etat'] as const;

export const DATA_SOURCE_KINDS = ['snds', 'entrepot', 'cohorte', 'registre', 'base_nationale', 'autre'] as const;

type FieldType = 'string' | 'integer' | 'boolean' | 'date';

export type FieldDef = {
  name: string;
  type: FieldType;
  required?: boolean;
  /** Several values joined with ";" in one cell. */
  list?: boolean;
  enum?: readonly string[];
  pattern?: string;
  maxLength?: number;
  /** Maximum number of words, for plain-language summaries. */
  maxWords?: number;
  format?: 'uri' | 'email';
  unique?: boolean;
  minimum?: number;
};

/** Column order is the CSV's column order: never reorder a published column, only add at the end. */
export const PROJECT_FIELDS: readonly FieldDef[] = [
  { name: 'id', type: 'string', required: true, unique: true, pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 80 },
  { name: 'numero_hdh', type: 'string', maxLength: 40 },
  { name: 'titre_officiel', type: 'string', required: true, maxLength: 500 },
  { name: 'titre_clair', type: 'string', required: true, maxLength: 200 },
  { name: 'statut', type: 'string', required: true, enum: PROJECT_STATUSES },
  { name: 'note_statut', type: 'string', maxLength: 300 },
  { name: 'finalite', type: 'string', required: true, enum: PURPOSES },
  { name: 'resume', type: 'string', required: true, maxWords: 250, maxLength: 2500 },
  { name: 'resume_technique', type: 'string', maxLength: 5000 },
  { name: 'interet_public', type: 'string', maxLength: 2000 },
  { name: 'benefice_attendu', type: 'string', maxLength: 2000 },
  { name: 'usage_commercial', type: 'boolean', required: true },
  { name: 'entrainement_ia', type: 'boolean', required: true },
  { name: 'responsable_id', type: 'string', required: true, pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 80 },
  { name: 'responsable_nom', type: 'string', required: true, maxLength: 200 },
  { name: 'responsable_siren', type: 'string', pattern: '^[0-9]{9}$' },
  { name: 'partenaires_ids', type: 'string', list: true, pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' },
  { name: 'partenaires_noms', type: 'string', list: true, maxLength: 200 },
  { name: 'prestataire', type: 'string', maxLength: 200 },
  { name: 'financeurs', type: 'string', list: true, maxLength: 200 },
  { name: 'contact_dpo', type: 'string', maxLength: 200 },
  { name: 'sources_ids', type: 'string', list: true, required: true, pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' },
  { name: 'sources_noms', type: 'string', list: true, required: true, maxLength: 200 },
  // Whether each source's holder keeps direct identities, in the order of sources_ids: it decides where
  // a request on the project goes and with which data (server/domain/routing.ts; R1461-7 for the SNDS).
  // Optional: an import without it leaves the sources as they are (new ones count as pseudonymised).
  { name: 'sources_identifiantes', type: 'string', list: true, pattern: '^(true|false)$' },
  { name: 'appariement', type: 'string', maxLength: 1000 },
  { name: 'population', type: 'string', maxLength: 1000 },
  { name: 'periode_couverte', type: 'string', maxLength: 100 },
  { name: 'hebergement', type: 'string', maxLength: 300 },
  { name: 'procedure', type: 'string', enum: PROCEDURES },
  { name: 'methodologie_reference', type: 'string', pattern: '^MR-[0-9]{3}$' },
  { name: 'date_depot', type: 'date' },
  { name: 'date_transmission_cesrees', type: 'date' },
  { name: 'date_avis_cesrees', type: 'date' },
  { name: 'avis_cesrees', type: 'string', enum: CESREES_OPINIONS },
  { name: 'date_decision_cnil', type: 'date' },
  { name: 'prolongation_cnil', type: 'boolean' },
  { name: 'numero_decision_cnil', type: 'string', maxLength: 40 },
  { name: 'url_decision_cnil', type: 'string', format: 'uri', maxLength: 500 },
  { name: 'duree_autorisee_mois', type: 'integer', minimum: 1 },
  { name: 'conservation', type: 'string', maxLength: 300 },
  { name: 'date_debut', type: 'date' },
  { name: 'date_fin', type: 'date' },
  { name: 'resultats_urls', type: 'string', list: true, format: 'uri', maxLength: 500 },
  { name: 'resultats_resume', type: 'string', maxLength: 2500 },
  { name: 'date_resultats', type: 'date' },
  { name: 'opposition_applicable', type: 'boolean', required: true },
  { name: 'motif_exclusion_opposition', type: 'string', enum: OBJECTION_EXCLUSIONS },
  { name: 'champs_fictifs', type: 'string', list: true },
  { name: 'cree_le', type: 'date', required: true },
  { name: 'mis_a_jour', type: 'date', required: true },
];

export const FIELD_NAMES = PROJECT_FIELDS.map((f) => f.name);
export const FIELDS_BY_NAME = new Map(PROJECT_FIELDS.map((f) => [f.name, f]));

/** A project as one row: every column, as text exactly as in the CSV ("" when missing). */
export type ProjectRow = Record<string, string>;
