/**
 * The database schema for PostgreSQL (drizzle, pg-core dialect): the same tables, columns, keys and
 * indexes as ../schema.ts (SQLite), where each table and column is documented; here only what differs.
 * drizzle-kit generates migrations-pg/ from this file (drizzle.config.pg.ts), and
 * tests/db/pg-schema-parity.test.ts compares the two files table by table, column by column.
 *
 * Each column keeps the JavaScript type the SQLite schema gives it, so services stay engine-neutral:
 * - dates and instants stay `text` (ISO 8601, as the SQLite code writes and compares them), not
 *   timestamptz, which would read back as Date objects or in another text form;
 * - SQLite's `integer({ mode: 'boolean' })` is `boolean`;
 * - integers stay `integer`, except the WebAuthn signature counter, an unsigned 32-bit value that
 *   PostgreSQL's signed integer cannot hold: `bigint` read as a number;
 * - SQLite's `integer primary key autoincrement` is an identity column, BY DEFAULT so that a row may
 *   still be written with its id, as SQLite allows.
 * Over 300 lines: like ../schema.ts, one file holds every table, as drizzle-kit reads it.
 * What only PostgreSQL has: projects_fts, the register's full-text index (server/db/pg/register-search.ts).
 */
import { sql } from 'drizzle-orm';
import { bigint, boolean, customType, index, integer, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { INSURANCE_SCHEMES, KINDS, ON_BEHALF, PERSON_UPDATES, SCOPES, STATUSES } from '../../domain/rights-request';
import { CLOCKS, DELIVERY_ROLES, ROUTE_PARTS } from '../../domain/routing';
import { ROLES } from '../../domain/staff-roles';
import { EVENT_KINDS } from '../../domain/status-machine';
import { RECORD_REPORT_STATUSES } from '../../domain/record-reports';
import { FOLLOW_FREQUENCIES, FOLLOW_KINDS, FOLLOW_TOKEN_PURPOSES } from '../../domain/follows';
import { COUNTER_SCOPES } from '../../domain/statistics';

export const meta = pgTable('meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: text('updated_at').notNull(),
});

/* ---------- The register ---------- */

export const organisations = pgTable('organisations', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  siren: text('siren'),
  kind: text('kind'),
  website: text('website'),
  description: text('description'),
  zone: text('zone').notNull().default('FR'),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
});

export const dataSources = pgTable('data_sources', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  kind: text('kind'),
  holder: text('holder'),
  partOfSnds: boolean('part_of_snds').notNull().default(false),
  identifiante: boolean('identifiante').notNull().default(false),
  description: text('description'),
});

export const projects = pgTable(
  'projects',
  {
    id: text('id').primaryKey(),
    numeroHdh: text('numero_hdh'),
    titreOfficiel: text('titre_officiel').notNull(),
    titreClair: text('titre_clair').notNull(),
    statut: text('statut').notNull(),
    noteStatut: text('note_statut'),
    finalite: text('finalite').notNull(),
    resume: text('resume').notNull(),
    resumeTechnique: text('resume_technique'),
    interetPublic: text('interet_public'),
    beneficeAttendu: text('benefice_attendu'),
    usageCommercial: boolean('usage_commercial').notNull(),
    entrainementIa: boolean('entrainement_ia').notNull(),
    responsableId: text('responsable_id')
      .notNull()
      .references(() => organisations.id),
    prestataire: text('prestataire'),
    financeurs: text('financeurs'),
    contactDpo: text('contact_dpo'),
    appariement: text('appariement'),
    population: text('population'),
    periodeCouverte: text('periode_couverte'),
    hebergement: text('hebergement'),
    procedure: text('procedure'),
    methodologieReference: text('methodologie_reference'),
    dateDepot: text('date_depot'),
    dateTransmissionCesrees: text('date_transmission_cesrees'),
    dateAvisCesrees: text('date_avis_cesrees'),
    avisCesrees: text('avis_cesrees'),
    dateDecisionCnil: text('date_decision_cnil'),
    prolongationCnil: boolean('prolongation_cnil'),
    numeroDecisionCnil: text('numero_decision_cnil'),
    urlDecisionCnil: text('url_decision_cnil'),
    dureeAutoriseeMois: integer('duree_autorisee_mois'),
    conservation: text('conservation'),
    dateDebut: text('date_debut'),
    dateFin: text('date_fin'),
    resultatsUrls: text('resultats_urls'),
    resultatsResume: text('resultats_resume'),
    dateResultats: text('date_resultats'),
    oppositionApplicable: boolean('opposition_applicable').notNull(),
    motifExclusionOpposition: text('motif_exclusion_opposition'),
    champsFictifs: text('champs_fictifs'),
    creeLe: text('cree_le').notNull(),
    misAJour: text('mis_a_jour').notNull(),
    searchRowid: integer('search_rowid'),
  },
  (t) => [
    index('projects_statut_idx').on(t.statut),
    index('projects_finalite_idx').on(t.finalite),
    index('projects_mis_a_jour_idx').on(t.misAJour),
    index('projects_responsable_idx').on(t.responsableId),
    uniqueIndex('projects_search_rowid_idx').on(t.searchRowid),
    // The same covering index as SQLite's (server/db/schema.ts): filters, sorts and count read no wide row.
    index('projects_search_cover_idx').on(t.searchRowid, t.statut, t.finalite, t.usageCommercial, t.oppositionApplicable, t.misAJour, t.titreClair, t.id),
  ],
);

export const projectOrganisations = pgTable(
  'project_organisations',
  {
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    organisationId: text('organisation_id')
      .notNull()
      .references(() => organisations.id),
    role: text('role', { enum: ['responsable', 'partenaire'] }).notNull(),
    position: integer('position').notNull(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.organisationId] }), index('project_organisations_org_idx').on(t.organisationId)],
);

export const projectSources = pgTable(
  'project_sources',
  {
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    sourceId: text('source_id')
      .notNull()
      .references(() => dataSources.id),
    position: integer('position').notNull(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.sourceId] }), index('project_sources_source_idx').on(t.sourceId)],
);

export const projectChanges = pgTable(
  'project_changes',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    field: text('field').notNull(),
    oldValue: text('old_value'),
    newValue: text('new_value'),
    changedAt: text('changed_at').notNull(),
    origin: text('origin').notNull(),
  },
  (t) => [index('project_changes_project_idx').on(t.projectId, t.changedAt)],
);

/** A weighted `tsvector`, which drizzle's pg-core has no column type for. */
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/**
 * The register's full-text index, one row per project, kept in step with the project in the same
 * transaction (server/db/pg/register-search.ts indexProject). Not a generated column: the document holds
 * the names of the project's organisations and sources, which are other tables' rows. `rowid` is what
 * projects.search_rowid points to, as with SQLite's projects_fts.
 */
export const projectsFts = pgTable(
  'projects_fts',
  {
    rowid: integer('rowid').primaryKey().generatedAlwaysAsIdentity(),
    projectId: text('project_id')
      .notNull()
      .unique()
      .references(() => projects.id, { onDelete: 'cascade' }),
    document: tsvector('document').notNull(),
  },
  (t) => [index('projects_fts_document_idx').using('gin', t.document)],
);

/* ---------- Rights requests ---------- */

export const requestDrafts = pgTable(
  'request_drafts',
  {
    id: text('id').primaryKey(),
    answersEnc: text('answers_enc').notNull(),
    requestId: text('request_id'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    expiresAt: text('expires_at').notNull(),
  },
  (t) => [index('request_drafts_expires_idx').on(t.expiresAt)],
);

export const rightsRequests = pgTable(
  'rights_requests',
  {
    id: text('id').primaryKey(),
    reference: text('reference').notNull().unique(),
    kind: text('kind', { enum: KINDS }).notNull(),
    scope: text('scope', { enum: SCOPES }).notNull(),
    projectId: text('project_id').references(() => projects.id),
    organisationId: text('organisation_id').references(() => organisations.id),
    groupId: text('group_id'),
    part: text('part', { enum: ROUTE_PARTS }).notNull().default('snds'),
    clock: text('clock', { enum: CLOCKS }).notNull().default('delivery'),
    sourceIds: text('source_ids'),
    onBehalf: text('on_behalf', { enum: ON_BEHALF }).notNull(),
    insuranceScheme: text('insurance_scheme', { enum: INSURANCE_SCHEMES }),
    lang: text('lang').notNull(),
    status: text('status', { enum: STATUSES }).notNull(),
    identityEnc: text('identity_enc'),
    detailsEnc: text('details_enc'),
    emailIndex: text('email_index'),
    nirIndex: text('nir_index'),
    idempotencyKey: text('idempotency_key').unique(),
    createdAt: text('created_at').notNull(),
    confirmedAt: text('confirmed_at'),
    receivedOn: text('received_on'),
    dueOn: text('due_on'),
    extendedDueOn: text('extended_due_on'),
    extendedAt: text('extended_at'),
    extensionReasonEnc: text('extension_reason_enc'),
    answerDueOn: text('answer_due_on'),
    closedAt: text('closed_at'),
    erasedAt: text('erased_at'),
    personUpdate: text('person_update', { enum: PERSON_UPDATES }),
    personUpdateAt: text('person_update_at'),
  },
  (t) => [
    index('rights_requests_status_idx').on(t.status, t.answerDueOn),
    index('rights_requests_email_idx').on(t.emailIndex, t.createdAt),
    index('rights_requests_nir_idx').on(t.nirIndex),
    index('rights_requests_org_idx').on(t.organisationId, t.status, t.answerDueOn),
    index('rights_requests_open_queue_idx')
      .on(t.organisationId, t.answerDueOn)
      .where(sql`status in ('recue', 'transmise', 'accusee', 'precision_demandee', 'prolongee')`),
    index('rights_requests_open_due_idx')
      .on(t.answerDueOn)
      .where(sql`status in ('recue', 'transmise', 'accusee', 'precision_demandee', 'prolongee')`),
    index('rights_requests_group_idx').on(t.groupId),
  ],
);

export const requestEvents = pgTable(
  'request_events',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    requestId: text('request_id')
      .notNull()
      .references(() => rightsRequests.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: EVENT_KINDS }).notNull(),
    at: text('at').notNull(),
    actor: text('actor').notNull(),
    messageEnc: text('message_enc'),
    detail: text('detail'),
  },
  (t) => [index('request_events_request_idx').on(t.requestId, t.at)],
);

export const requestTokens = pgTable(
  'request_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    purpose: text('purpose', { enum: ['confirm', 'track'] }).notNull(),
    requestId: text('request_id')
      .notNull()
      .references(() => rightsRequests.id, { onDelete: 'cascade' }),
    expiresAt: text('expires_at').notNull(),
    usedAt: text('used_at'),
  },
  (t) => [index('request_tokens_request_idx').on(t.requestId)],
);

export const mailOutbox = pgTable(
  'mail_outbox',
  {
    id: text('id').primaryKey(),
    requestId: text('request_id').references(() => rightsRequests.id, { onDelete: 'cascade' }),
    template: text('template').notNull(),
    varsEnc: text('vars_enc').notNull(),
    recipientEnc: text('recipient_enc'),
    recipientIndex: text('recipient_index'),
    lang: text('lang'),
    createdAt: text('created_at').notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: text('next_attempt_at').notNull(),
    sentAt: text('sent_at'),
    deadAt: text('dead_at'),
    lastError: text('last_error'),
    headersEnc: text('headers_enc'),
    leaseOwner: text('lease_owner'),
    leaseUntil: text('lease_until'),
  },
  (t) => [
    index('mail_outbox_due_idx').on(t.sentAt, t.deadAt, t.nextAttemptAt),
    index('mail_outbox_recipient_idx').on(t.recipientIndex, t.sentAt),
    // The daily cap per address counts the mails of that address's requests (services/mail-outbox.ts):
    // from the address's requests to their mails, instead of every mail of the last day.
    index('mail_outbox_request_idx').on(t.requestId, t.sentAt),
  ],
);

/* ---------- Forwarding ---------- */

export const organisationChannels = pgTable(
  'organisation_channels',
  {
    id: text('id').primaryKey(),
    organisationId: text('organisation_id')
      .notNull()
      .references(() => organisations.id),
    kind: text('kind', { enum: ['email', 'webhook', 'cnam', 'portal'] }).notNull(),
    configEnc: text('config_enc').notNull(),
    lang: text('lang').notNull().default('fr'),
    enabled: boolean('enabled').notNull().default(true),
    disabledReason: text('disabled_reason'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [index('organisation_channels_org_idx').on(t.organisationId)],
);

export const deliveries = pgTable(
  'deliveries',
  {
    id: text('id').primaryKey(),
    requestId: text('request_id')
      .notNull()
      .references(() => rightsRequests.id, { onDelete: 'cascade' }),
    organisationId: text('organisation_id').notNull(),
    channelId: text('channel_id').references(() => organisationChannels.id),
    role: text('role', { enum: DELIVERY_ROLES }).notNull().default('answer'),
    status: text('status', { enum: ['pending', 'delivered', 'dead'] }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: text('next_attempt_at').notNull(),
    leaseOwner: text('lease_owner'),
    leaseUntil: text('lease_until'),
    lastError: text('last_error'),
    createdAt: text('created_at').notNull(),
    deliveredAt: text('delivered_at'),
    deadAt: text('dead_at'),
  },
  (t) => [index('deliveries_due_idx').on(t.status, t.nextAttemptAt), index('deliveries_request_idx').on(t.requestId)],
);

export const receivedUpdates = pgTable(
  'received_updates',
  {
    organisationId: text('organisation_id').notNull(),
    updateId: text('update_id').notNull(),
    receivedAt: text('received_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.organisationId, t.updateId] }), index('received_updates_at_idx').on(t.receivedAt)],
);

/* ---------- Staff back office ---------- */

export const users = pgTable(
  'users',
  {
    id: text('id').primaryKey(),
    handle: text('handle').notNull().unique(),
    emailEnc: text('email_enc').notNull(),
    emailIndex: text('email_index').notNull().unique(),
    role: text('role', { enum: ROLES }).notNull(),
    organisationId: text('organisation_id').references(() => organisations.id),
    createdAt: text('created_at').notNull(),
    disabledAt: text('disabled_at'),
  },
  (t) => [index('users_organisation_idx').on(t.organisationId)],
);

export const credentials = pgTable(
  'credentials',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    publicKey: text('public_key').notNull(),
    counter: bigint('counter', { mode: 'number' }).notNull(),
    transports: text('transports'),
    deviceType: text('device_type'),
    backedUp: boolean('backed_up').notNull().default(false),
    name: text('name').notNull(),
    createdAt: text('created_at').notNull(),
    lastUsedAt: text('last_used_at'),
  },
  (t) => [index('credentials_user_idx').on(t.userId)],
);

export const authChallenges = pgTable('auth_challenges', {
  id: text('id').primaryKey(),
  purpose: text('purpose', { enum: ['register', 'authenticate'] }).notNull(),
  challenge: text('challenge').notNull(),
  userId: text('user_id'),
  invitationHash: text('invitation_hash'),
  expiresAt: text('expires_at').notNull(),
});

export const invitations = pgTable('invitations', {
  tokenHash: text('token_hash').primaryKey(),
  emailEnc: text('email_enc').notNull(),
  role: text('role', { enum: ROLES }).notNull(),
  organisationId: text('organisation_id').references(() => organisations.id),
  userId: text('user_id').references(() => users.id, { onDelete: 'cascade' }),
  createdBy: text('created_by'),
  createdAt: text('created_at').notNull(),
  expiresAt: text('expires_at').notNull(),
  usedAt: text('used_at'),
});

export const sessions = pgTable(
  'sessions',
  {
    idHash: text('id_hash').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: text('created_at').notNull(),
    lastSeenAt: text('last_seen_at').notNull(),
    expiresAt: text('expires_at').notNull(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

export const auditLog = pgTable('audit_log', {
  seq: integer('seq').primaryKey(),
  at: text('at').notNull(),
  actor: text('actor').notNull(),
  action: text('action').notNull(),
  targetType: text('target_type'),
  targetId: text('target_id'),
  detail: text('detail'),
  prevHash: text('prev_hash').notNull(),
  hash: text('hash').notNull(),
});

export const remindersSent = pgTable(
  'reminders_sent',
  {
    key: text('key').notNull(),
    kind: text('kind').notNull(),
    sentAt: text('sent_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.key, t.kind] })],
);

export const requestAttachments = pgTable(
  'request_attachments',
  {
    id: text('id').primaryKey(),
    requestId: text('request_id')
      .notNull()
      .references(() => rightsRequests.id, { onDelete: 'cascade' }),
    eventId: integer('event_id')
      .notNull()
      .references(() => requestEvents.id, { onDelete: 'cascade' }),
    filename: text('filename').notNull(),
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    contentEnc: text('content_enc').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [index('request_attachments_request_idx').on(t.requestId), index('request_attachments_event_idx').on(t.eventId)],
);

/* ---------- BEGIN public figures (issue 13; server/domain/statistics.ts) ---------- */

export const requestFacts = pgTable(
  'request_facts',
  {
    requestId: text('request_id').primaryKey(),
    organisationId: text('organisation_id').notNull(),
    kind: text('kind', { enum: KINDS }).notNull(),
    scope: text('scope', { enum: SCOPES }).notNull(),
    status: text('status', { enum: STATUSES }).notNull(),
    createdAt: text('created_at').notNull(),
    confirmedAt: text('confirmed_at'),
    receivedOn: text('received_on'),
    dueOn: text('due_on'),
    extendedDueOn: text('extended_due_on'),
    extendedAt: text('extended_at'),
    answerDueOn: text('answer_due_on'),
    answeredAt: text('answered_at'),
    answerType: text('answer_type', { enum: ['answered', 'refused'] }),
    refusalCode: text('refusal_code'),
    withdrawnAt: text('withdrawn_at'),
    expiredAt: text('expired_at'),
  },
  (t) => [
    index('request_facts_open_due_idx')
      .on(t.answerDueOn)
      .where(sql`answered_at is null and withdrawn_at is null and expired_at is null`),
    index('request_facts_answered_idx').on(t.answeredAt),
    index('request_facts_withdrawn_idx').on(t.withdrawnAt),
  ],
);

export const statisticsCounters = pgTable(
  'statistics_counters',
  {
    month: text('month').notNull(),
    organisationId: text('organisation_id').notNull(),
    kind: text('kind', { enum: KINDS }).notNull(),
    scope: text('scope', { enum: COUNTER_SCOPES }).notNull(),
    measure: text('measure').notNull(),
    value: integer('value').notNull(),
  },
  (t) => [primaryKey({ columns: [t.month, t.organisationId, t.kind, t.scope, t.measure] }), index('statistics_counters_org_idx').on(t.organisationId, t.month)],
);

export const statisticsMonths = pgTable(
  'statistics_months',
  {
    month: text('month').notNull(),
    version: integer('version').notNull(),
    computedAt: text('computed_at').notNull(),
    reason: text('reason').notNull(),
  },
  (t) => [primaryKey({ columns: [t.month, t.version] })],
);

export const statisticsFrozenCounters = pgTable(
  'statistics_frozen_counters',
  {
    month: text('month').notNull(),
    version: integer('version').notNull(),
    organisationId: text('organisation_id').notNull(),
    kind: text('kind', { enum: KINDS }).notNull(),
    scope: text('scope', { enum: COUNTER_SCOPES }).notNull(),
    measure: text('measure').notNull(),
    value: integer('value').notNull(),
  },
  (t) => [primaryKey({ columns: [t.month, t.version, t.organisationId, t.kind, t.scope, t.measure] })],
);

/* ---------- END public figures ---------- */

/* ---------- BEGIN harvest (issue 14: the registers other controllers publish) ---------- */

export const harvestSources = pgTable(
  'harvest_sources',
  {
    id: text('id').primaryKey(),
    organisationId: text('organisation_id')
      .notNull()
      .references(() => organisations.id),
    url: text('url').notNull(),
    format: text('format', { enum: ['csv', 'json'] }).notNull(),
    schedule: text('schedule', { enum: ['hourly', 'daily', 'weekly'] }).notNull(),
    etag: text('etag'),
    lastModified: text('last_modified'),
    lastReadAt: text('last_read_at'),
    nextRunAt: text('next_run_at').notNull(),
    leaseUntil: text('lease_until'),
    disabledAt: text('disabled_at'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [index('harvest_sources_due_idx').on(t.nextRunAt), index('harvest_sources_org_idx').on(t.organisationId)],
);

export const harvestRuns = pgTable(
  'harvest_runs',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    sourceId: text('source_id')
      .notNull()
      .references(() => harvestSources.id, { onDelete: 'cascade' }),
    trigger: text('trigger', { enum: ['schedule', 'admin'] }).notNull(),
    startedAt: text('started_at').notNull(),
    finishedAt: text('finished_at').notNull(),
    outcome: text('outcome', { enum: ['applied', 'not_modified', 'failed'] }).notNull(),
    failure: text('failure'),
    httpStatus: integer('http_status'),
    errors: text('errors'),
    created: integer('created').notNull().default(0),
    updated: integer('updated').notNull().default(0),
    unchanged: integer('unchanged').notNull().default(0),
    withdrawn: integer('withdrawn').notNull().default(0),
  },
  (t) => [index('harvest_runs_source_idx').on(t.sourceId, t.id)],
);

export const harvestedProjects = pgTable(
  'harvested_projects',
  {
    projectId: text('project_id')
      .primaryKey()
      .references(() => projects.id, { onDelete: 'cascade' }),
    sourceId: text('source_id')
      .notNull()
      .references(() => harvestSources.id),
    firstReadAt: text('first_read_at').notNull(),
    withdrawnSince: text('withdrawn_since'),
  },
  (t) => [index('harvested_projects_source_idx').on(t.sourceId)],
);

/* ---------- END harvest ---------- */

/* ---------- BEGIN record reports (issue 14: "report an error on this record") ---------- */

export const recordReports = pgTable(
  'record_reports',
  {
    id: text('id').primaryKey(),
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    messageEnc: text('message_enc').notNull(),
    emailEnc: text('email_enc'),
    lang: text('lang').notNull(),
    status: text('status', { enum: RECORD_REPORT_STATUSES }).notNull(),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    handledAt: text('handled_at'),
  },
  (t) => [index('record_reports_status_idx').on(t.status, t.createdAt), index('record_reports_project_idx').on(t.projectId)],
);

/* ---------- END record reports ---------- */

/* ---------- BEGIN follows (issue 14: following the register by e-mail, without an account) ---------- */

export const follows = pgTable(
  'follows',
  {
    id: text('id').primaryKey(),
    kind: text('kind', { enum: FOLLOW_KINDS }).notNull(),
    target: text('target').notNull(),
    emailEnc: text('email_enc').notNull(),
    emailIndex: text('email_index').notNull(),
    lang: text('lang').notNull(),
    frequency: text('frequency', { enum: FOLLOW_FREQUENCIES }).notNull(),
    createdAt: text('created_at').notNull(),
    confirmedAt: text('confirmed_at'),
    lastChangeId: integer('last_change_id').notNull().default(0),
    lastDigestAt: text('last_digest_at'),
    nextDigestAt: text('next_digest_at'),
  },
  (t) => [
    uniqueIndex('follows_address_target_idx').on(t.emailIndex, t.kind, t.target),
    index('follows_due_idx').on(t.nextDigestAt),
    index('follows_created_idx').on(t.createdAt),
  ],
);

export const followTokens = pgTable(
  'follow_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    purpose: text('purpose', { enum: FOLLOW_TOKEN_PURPOSES }).notNull(),
    followId: text('follow_id').references(() => follows.id, { onDelete: 'cascade' }),
    emailIndex: text('email_index'),
    expiresAt: text('expires_at').notNull(),
    usedAt: text('used_at'),
  },
  (t) => [index('follow_tokens_follow_idx').on(t.followId), index('follow_tokens_expires_idx').on(t.expiresAt)],
);

/* ---------- END follows ---------- */

/* ---------- BEGIN shared state (issue 16: what several processes must agree on, kept in the database) ---------- */

export const rateLimits = pgTable(
  'rate_limits',
  {
    scope: text('scope').notNull(),
    key: text('key').notNull(),
    windowStart: text('window_start').notNull(),
    count: integer('count').notNull(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key] }), index('rate_limits_window_idx').on(t.windowStart)],
);

export const oneTimeSecrets = pgTable(
  'one_time_secrets',
  {
    secretHash: text('secret_hash').primaryKey(),
    purpose: text('purpose').notNull(),
    payloadEnc: text('payload_enc'),
    createdAt: text('created_at').notNull(),
    expiresAt: text('expires_at').notNull(),
  },
  (t) => [index('one_time_secrets_expires_idx').on(t.expiresAt)],
);

/* ---------- END shared state ---------- */
