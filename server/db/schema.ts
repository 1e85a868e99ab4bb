/**
 * The database schema (drizzle, SQLite dialect). drizzle-kit generates migrations/ from this file:
 * `npm run db:generate`. A merged migration is never edited. Over 300 lines: one file holds every table,
 * as drizzle-kit reads it (tests/db/migrations-drift.test.ts checks the migrations against it).
 */
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { INSURANCE_SCHEMES, KINDS, ON_BEHALF, PERSON_UPDATES, SCOPES, STATUSES } from '../domain/rights-request';
import { CLOCKS, DELIVERY_ROLES, ROUTE_PARTS } from '../domain/routing';
import { ROLES } from '../domain/staff-roles';
import { EVENT_KINDS } from '../domain/status-machine';
import { RECORD_REPORT_STATUSES } from '../domain/record-reports';
import { COUNTER_SCOPES } from '../domain/statistics';
import { FOLLOW_FREQUENCIES, FOLLOW_KINDS, FOLLOW_TOKEN_PURPOSES } from '../domain/follows';

/** Facts about this installation: when demonstration data was seeded, the schema's own notes. */
export const meta = sqliteTable('meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: text('updated_at').notNull(),
});

/* ---------- The register ---------- */

/** A body that runs projects or answers requests: data controllers, their partners, the CNAM. */
export const organisations = sqliteTable('organisations', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  siren: text('siren'),
  kind: text('kind'),
  website: text('website'),
  description: text('description'),
  /**
   * The calendar of the organisation's place, for the legal periods it must keep (Regulation 1182/71
   * art. 2: the public holidays of the place): `FR`, `FR-57`, `FR-67`, `FR-68`, `FR-971`...
   */
  zone: text('zone').notNull().default('FR'),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
});

/** A database that projects use: the SNDS main base or a catalogue database, warehouse, cohort, registry. */
export const dataSources = sqliteTable('data_sources', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  kind: text('kind'),
  holder: text('holder'),
  partOfSnds: integer('part_of_snds', { mode: 'boolean' }).notNull().default(false),
  /**
   * Whether its holder keeps direct identities (a hospital data warehouse, a cohort, a registry), or only
   * pseudonymised data (the SNDS bases and every extract made from them, R1461-7): it decides where a
   * request on a project goes and with which data (server/domain/routing.ts).
   */
  identifiante: integer('identifiante', { mode: 'boolean' }).notNull().default(false),
  description: text('description'),
});

/**
 * One project. Columns are named like the open-data CSV columns (server/domain/register-schema.ts);
 * lists that are not relations (funders, result links, fictitious fields) are stored joined with ";".
 * The data controller and partners are in project_organisations, the sources in project_sources.
 */
export const projects = sqliteTable(
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
    usageCommercial: integer('usage_commercial', { mode: 'boolean' }).notNull(),
    entrainementIa: integer('entrainement_ia', { mode: 'boolean' }).notNull(),
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
    prolongationCnil: integer('prolongation_cnil', { mode: 'boolean' }),
    numeroDecisionCnil: text('numero_decision_cnil'),
    urlDecisionCnil: text('url_decision_cnil'),
    dureeAutoriseeMois: integer('duree_autorisee_mois'),
    conservation: text('conservation'),
    dateDebut: text('date_debut'),
    dateFin: text('date_fin'),
    resultatsUrls: text('resultats_urls'),
    resultatsResume: text('resultats_resume'),
    dateResultats: text('date_resultats'),
    oppositionApplicable: integer('opposition_applicable', { mode: 'boolean' }).notNull(),
    motifExclusionOpposition: text('motif_exclusion_opposition'),
    champsFictifs: text('champs_fictifs'),
    creeLe: text('cree_le').notNull(),
    misAJour: text('mis_a_jour').notNull(),
    /** The project's row in the full-text index (projects_fts.rowid): an indexed key for its updates. */
    searchRowid: integer('search_rowid'),
  },
  (t) => [
    index('projects_statut_idx').on(t.statut),
    index('projects_finalite_idx').on(t.finalite),
    index('projects_mis_a_jour_idx').on(t.misAJour),
    index('projects_responsable_idx').on(t.responsableId),
    uniqueIndex('projects_search_rowid_idx').on(t.searchRowid),
    // A full-text search joins each match to its project by search_rowid: with the filters' and the
    // sorts' columns in the index, the join, the filters and the count never read the (wide) table rows,
    // which at 100,000 projects was most of an uncached search's time (db/register.ts searchProjectIds).
    index('projects_search_cover_idx').on(t.searchRowid, t.statut, t.finalite, t.usageCommercial, t.oppositionApplicable, t.misAJour, t.titreClair, t.id),
  ],
);

/** Who runs a project: its data controller (role "responsable", position 0) and partners, in order. */
export const projectOrganisations = sqliteTable(
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

export const projectSources = sqliteTable(
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

/** Every change to a project, kept for its public change history. Append-only. */
export const projectChanges = sqliteTable(
  'project_changes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
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

/* ---------- Rights requests ---------- */

/**
 * A form in progress, kept server-side so back, forward and reload lose nothing. Its id is a random
 * value held in a cookie, never in a URL. The answers are personal data: encrypted (answers_enc).
 * A draft expires a day after its last change.
 */
export const requestDrafts = sqliteTable(
  'request_drafts',
  {
    id: text('id').primaryKey(),
    answersEnc: text('answers_enc').notNull(),
    /** The request this draft became, once submitted: the receipt page shows it. */
    requestId: text('request_id'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    expiresAt: text('expires_at').notNull(),
  },
  (t) => [index('request_drafts_expires_idx').on(t.expiresAt)],
);

/**
 * A rights request. Identity and free text are encrypted (AES-256-GCM bound to table, column and row);
 * the NIR and the e-mail have keyed blind indexes for duplicate detection and lookup. What stays in
 * clear is what routing, deadlines and statistics need.
 */
export const rightsRequests = sqliteTable(
  'rights_requests',
  {
    id: text('id').primaryKey(),
    reference: text('reference').notNull().unique(),
    kind: text('kind', { enum: KINDS }).notNull(),
    scope: text('scope', { enum: SCOPES }).notNull(),
    projectId: text('project_id').references(() => projects.id),
    /** The body that must answer this request (the route leg's answerer, server/domain/routing.ts). */
    organisationId: text('organisation_id').references(() => organisations.id),
    /**
     * One submission on a project with pseudonymised and identifying sources makes two requests, one per
     * body that answers (the CNAM, the controller), each on its own clock: they share the first one's id.
     */
    groupId: text('group_id'),
    /** The route leg: `snds`, `pseudonymised`, `identifying` or `controller` (server/domain/routing.ts). */
    part: text('part', { enum: ROUTE_PARTS }).notNull().default('snds'),
    /** When the GDPR month starts: at `confirmation` (the HDH is joint controller of the SNDS) or at `delivery`. */
    clock: text('clock', { enum: CLOCKS }).notNull().default('delivery'),
    /** The project's sources this request covers, joined with ";". */
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
    /** The day the request reached the body that must answer: the GDPR period runs from it (art. 12(3)). */
    receivedOn: text('received_on'),
    /** The end of the first month (GDPR art. 12(3)), from receipt. */
    dueOn: text('due_on'),
    /** The end of the period extended by two further months (three months from receipt), stored from receipt on. */
    extendedDueOn: text('extended_due_on'),
    /** When the organisation extended the period, and why (encrypted: its words may name the person). */
    extendedAt: text('extended_at'),
    extensionReasonEnc: text('extension_reason_enc'),
    /**
     * The date the answer is due now: `dueOn`, or `extendedDueOn` once extended (server/domain/deadlines.ts
     * `applicableDueDate`). Set where the clock starts and where a status change applies, never re-derived;
     * the DPO queue sorts on it.
     */
    answerDueOn: text('answer_due_on'),
    closedAt: text('closed_at'),
    /** When the identity data was erased after the retention period (GDPR art. 5(1)(e), storage limitation). */
    erasedAt: text('erased_at'),
    /**
     * The person acted (answered a clarification, withdrew) and the organisation has not opened the request
     * since: the DPO queue marks it until then. `personUpdate` is the kind of event.
     */
    personUpdate: text('person_update', { enum: PERSON_UPDATES }),
    personUpdateAt: text('person_update_at'),
  },
  (t) => [
    index('rights_requests_status_idx').on(t.status, t.answerDueOn),
    index('rights_requests_email_idx').on(t.emailIndex, t.createdAt),
    index('rights_requests_nir_idx').on(t.nirIndex),
    index('rights_requests_org_idx').on(t.organisationId, t.status, t.answerDueOn),
    // The default queue (every request still awaiting an answer), read in due order and cut at a page.
    index('rights_requests_open_queue_idx')
      .on(t.organisationId, t.answerDueOn)
      .where(sql`status in ('recue', 'transmise', 'accusee', 'precision_demandee', 'prolongee')`),
    index('rights_requests_open_due_idx')
      .on(t.answerDueOn)
      .where(sql`status in ('recue', 'transmise', 'accusee', 'precision_demandee', 'prolongee')`),
    index('rights_requests_group_idx').on(t.groupId),
  ],
);

/** The timeline of a request: each step, dated; a message, when there is one, is encrypted. */
export const requestEvents = sqliteTable(
  'request_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    requestId: text('request_id')
      .notNull()
      .references(() => rightsRequests.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: EVENT_KINDS }).notNull(),
    at: text('at').notNull(),
    actor: text('actor').notNull(),
    messageEnc: text('message_enc'),
    /** Not personal: an answer's outcome (granted, partial) or a refusal's reason code. */
    detail: text('detail'),
  },
  (t) => [index('request_events_request_idx').on(t.requestId, t.at)],
);

/** Single-use links sent by mail (confirm an address, open the tracking page): only a hash is stored. */
export const requestTokens = sqliteTable(
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

/**
 * Mails to people, written in the same transaction as the change they announce and sent by a worker:
 * a mail is never lost between a commit and a crash. The variables (a single-use link among them) are
 * encrypted; the Message-ID is derived from the row id, so a retry is recognisably the same message.
 */
export const mailOutbox = sqliteTable(
  'mail_outbox',
  {
    id: text('id').primaryKey(),
    /** The request the mail is about; null for a mail about no request (a record report handled, a follow of the register). */
    requestId: text('request_id').references(() => rightsRequests.id, { onDelete: 'cascade' }),
    template: text('template').notNull(),
    varsEnc: text('vars_enc').notNull(),
    /**
     * Set for mails to staff (alerts) and for mails not about a request; otherwise the mail goes to the
     * request's e-mail address. A mail not about a request keeps it only until it is sent or dead.
     */
    recipientEnc: text('recipient_enc'),
    /**
     * The blind index of `recipientEnc` when it is a person's address counted by the daily cap (a follow's
     * confirmation or management link): a form anyone can fill must not flood a stranger's mailbox.
     */
    recipientIndex: text('recipient_index'),
    /** The language of a mail not about a request (the request's own language otherwise; staff alerts are in French). */
    lang: text('lang'),
    /** Headers of this mail only (a digest's List-Unsubscribe carries a token): JSON, encrypted. */
    headersEnc: text('headers_enc'),
    createdAt: text('created_at').notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: text('next_attempt_at').notNull(),
    sentAt: text('sent_at'),
    deadAt: text('dead_at'),
    lastError: text('last_error'),
    /** Held while a worker sends the mail, so two workers never send it twice (issue 16; one at a time on SQLite already). */
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

/**
 * How an organisation receives requests: one row per channel (email, webhook, cnam, portal). The
 * settings (addresses, URLs, webhook secrets) are encrypted at rest; a 410 Gone from a webhook disables
 * its channel until an administrator turns it back on.
 */
export const organisationChannels = sqliteTable(
  'organisation_channels',
  {
    id: text('id').primaryKey(),
    organisationId: text('organisation_id')
      .notNull()
      .references(() => organisations.id),
    kind: text('kind', { enum: ['email', 'webhook', 'cnam', 'portal'] }).notNull(),
    configEnc: text('config_enc').notNull(),
    /** The language of what the organisation receives. */
    lang: text('lang').notNull().default('fr'),
    enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
    disabledReason: text('disabled_reason'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [index('organisation_channels_org_idx').on(t.organisationId)],
);

/**
 * The delivery outbox: one row per (request, channel), written in the transaction that confirms the
 * request. A worker leases due rows, delivers through the channel's connector and records the result;
 * the row id is the stable delivery id receivers use to drop duplicates (webhook-id, Message-ID, batch
 * line id). A row is `dead` after too many attempts or days, or at once on a permanent failure.
 */
export const deliveries = sqliteTable(
  'deliveries',
  {
    id: text('id').primaryKey(),
    requestId: text('request_id')
      .notNull()
      .references(() => rightsRequests.id, { onDelete: 'cascade' }),
    organisationId: text('organisation_id').notNull(),
    /** Null when the organisation had no channel: the row is dead at once and staff are alerted. */
    channelId: text('channel_id').references(() => organisationChannels.id),
    /** `answer`: the request to answer; `notice`: the organisation is told of it, with no identity (routing.ts). */
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

/** Ids of accepted status updates (webhook-id, acknowledgement line id): a replay is refused. */
export const receivedUpdates = sqliteTable(
  'received_updates',
  {
    organisationId: text('organisation_id').notNull(),
    updateId: text('update_id').notNull(),
    receivedAt: text('received_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.organisationId, t.updateId] }), index('received_updates_at_idx').on(t.receivedAt)],
);

/* ---------- Staff back office ---------- */

/**
 * A member of staff. The e-mail address is personal data: encrypted, with a keyed blind index for
 * lookups. `handle` is the random WebAuthn user handle (never the id or the address).
 */
export const users = sqliteTable(
  'users',
  {
    id: text('id').primaryKey(),
    handle: text('handle').notNull().unique(),
    emailEnc: text('email_enc').notNull(),
    emailIndex: text('email_index').notNull().unique(),
    role: text('role', { enum: ROLES }).notNull(),
    /** For `dpo` (their organisation) and `cnam` (always `cnam`). */
    organisationId: text('organisation_id').references(() => organisations.id),
    createdAt: text('created_at').notNull(),
    disabledAt: text('disabled_at'),
  },
  (t) => [index('users_organisation_idx').on(t.organisationId)],
);

/** A passkey: what SimpleWebAuthn says to keep per credential. */
export const credentials = sqliteTable(
  'credentials',
  {
    /** The credential id, base64url. */
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    publicKey: text('public_key').notNull(),
    counter: integer('counter').notNull(),
    transports: text('transports'),
    deviceType: text('device_type'),
    backedUp: integer('backed_up', { mode: 'boolean' }).notNull().default(false),
    /** The person's own name for it ("phone", "laptop"). */
    name: text('name').notNull(),
    createdAt: text('created_at').notNull(),
    lastUsedAt: text('last_used_at'),
  },
  (t) => [index('credentials_user_idx').on(t.userId)],
);

/** WebAuthn challenges, server-side, single use: deleted before a response is verified. */
export const authChallenges = sqliteTable('auth_challenges', {
  id: text('id').primaryKey(),
  purpose: text('purpose', { enum: ['register', 'authenticate'] }).notNull(),
  challenge: text('challenge').notNull(),
  /** Registration: the user being enrolled (or the invitation's future user). */
  userId: text('user_id'),
  invitationHash: text('invitation_hash'),
  expiresAt: text('expires_at').notNull(),
});

/** Single-use enrolment links (48 h); only a hash of the token is stored. */
export const invitations = sqliteTable('invitations', {
  tokenHash: text('token_hash').primaryKey(),
  emailEnc: text('email_enc').notNull(),
  role: text('role', { enum: ROLES }).notNull(),
  organisationId: text('organisation_id').references(() => organisations.id),
  /** Set when the invitation adds a passkey to an existing user rather than creating one. */
  userId: text('user_id').references(() => users.id, { onDelete: 'cascade' }),
  createdBy: text('created_by'),
  createdAt: text('created_at').notNull(),
  expiresAt: text('expires_at').notNull(),
  usedAt: text('used_at'),
});

/** Staff sessions: a random id in a cookie, only its hash here; idle and absolute expiry. */
export const sessions = sqliteTable(
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

/**
 * The audit log: append-only, each entry carrying the hash of the previous one, so an edit anywhere
 * breaks the chain from that entry on (`npm run audit:verify`). No personal data in `detail`.
 */
export const auditLog = sqliteTable('audit_log', {
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

/** Reminder mails already sent, so each one goes once, across restarts. */
export const remindersSent = sqliteTable(
  'reminders_sent',
  {
    key: text('key').notNull(),
    kind: text('kind').notNull(),
    sentAt: text('sent_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.key, t.kind] })],
);

/** A document the organisation attached to its answer, encrypted; the person downloads it from the tracking page. */
export const requestAttachments = sqliteTable(
  'request_attachments',
  {
    id: text('id').primaryKey(),
    requestId: text('request_id')
      .notNull()
      .references(() => rightsRequests.id, { onDelete: 'cascade' }),
    /** The answer (or refusal) step the document came with, on the request's timeline. */
    eventId: integer('event_id')
      .notNull()
      .references(() => requestEvents.id, { onDelete: 'cascade' }),
    filename: text('filename').notNull(),
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    /** The file, base64 then encrypted (AES-256-GCM bound to this row). */
    contentEnc: text('content_enc').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [index('request_attachments_request_idx').on(t.requestId), index('request_attachments_event_idx').on(t.eventId)],
);

/* ---------- BEGIN public figures (issue 13; server/domain/statistics.ts) ---------- */

/**
 * What the public figures need about each request, from the service's own timestamps; no personal data.
 * Written in the transaction of every change to the request (server/db/statistics.ts syncRequestFacts).
 * No foreign key: the facts of a request deleted unconfirmed after 7 days stay (it counts as never
 * confirmed).
 */
export const requestFacts = sqliteTable(
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
    /** The due date that applies (domain/deadlines.ts applicableDueDate), for the open-past-due counts. */
    answerDueOn: text('answer_due_on'),
    answeredAt: text('answered_at'),
    answerType: text('answer_type', { enum: ['answered', 'refused'] }),
    refusalCode: text('refusal_code'),
    withdrawnAt: text('withdrawn_at'),
    expiredAt: text('expired_at'),
  },
  (t) => [
    // Requests still awaiting an answer, by due date: the open-past-due counts read only these.
    index('request_facts_open_due_idx')
      .on(t.answerDueOn)
      .where(sql`answered_at is null and withdrawn_at is null and expired_at is null`),
    index('request_facts_answered_idx').on(t.answeredAt),
    index('request_facts_withdrawn_idx').on(t.withdrawnAt),
  ],
);

/**
 * Counters per month, answering organisation, kind, scope and measure (domain/statistics.ts
 * contributions): the pages read these, never the requests. Kept up to date with request_facts.
 */
export const statisticsCounters = sqliteTable(
  'statistics_counters',
  {
    month: text('month').notNull(),
    organisationId: text('organisation_id').notNull(),
    kind: text('kind', { enum: KINDS }).notNull(),
    scope: text('scope', { enum: COUNTER_SCOPES }).notNull(),
    measure: text('measure').notNull(),
    value: integer('value').notNull(),
  },
  // Statuses are counted under organisation "" (domain/statistics.ts contributions): read by this index.
  (t) => [primaryKey({ columns: [t.month, t.organisationId, t.kind, t.scope, t.measure] }), index('statistics_counters_org_idx').on(t.organisationId, t.month)],
);

/**
 * A month's figures frozen when the month ended: computed once, never recomputed. A correction is a new
 * version with its reason; the latest version is published.
 */
export const statisticsMonths = sqliteTable(
  'statistics_months',
  {
    month: text('month').notNull(),
    version: integer('version').notNull(),
    computedAt: text('computed_at').notNull(),
    /** Why this version exists: `month_ended` for the first, the correction's reason after. */
    reason: text('reason').notNull(),
  },
  (t) => [primaryKey({ columns: [t.month, t.version] })],
);

/** The counters of a frozen month version, as they were when it was computed (with `open_past_due`). */
export const statisticsFrozenCounters = sqliteTable(
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

/**
 * A register another controller publishes (a CSV or JSON following the register's Table Schema), read on
 * a schedule for the organisation it belongs to. The conditional-request validators of the last good
 * read (ETag, Last-Modified) are kept so an unchanged file costs a 304.
 */
export const harvestSources = sqliteTable(
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
    /** The last read that succeeded (applied, or answered 304): what the project pages show. */
    lastReadAt: text('last_read_at'),
    nextRunAt: text('next_run_at').notNull(),
    /** Held while a run is under way, so the worker and a "run now" never read the same source at once. */
    leaseUntil: text('lease_until'),
    /** Set while an administrator has turned the source off: it is not read, on schedule or on demand. */
    disabledAt: text('disabled_at'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [index('harvest_sources_due_idx').on(t.nextRunAt), index('harvest_sources_org_idx').on(t.organisationId)],
);

/** Each read of a source, kept for the administrators: what happened and, when it failed, every error. */
export const harvestRuns = sqliteTable(
  'harvest_runs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    sourceId: text('source_id')
      .notNull()
      .references(() => harvestSources.id, { onDelete: 'cascade' }),
    trigger: text('trigger', { enum: ['schedule', 'admin'] }).notNull(),
    startedAt: text('started_at').notNull(),
    finishedAt: text('finished_at').notNull(),
    outcome: text('outcome', { enum: ['applied', 'not_modified', 'failed'] }).notNull(),
    /** Why it failed: not_allowed, network, timeout, http, too_large, encoding, format, invalid_rows. */
    failure: text('failure'),
    httpStatus: integer('http_status'),
    /** The errors, JSON: [{line, column, code, value?, expected?}]; line and column as the import gives them. */
    errors: text('errors'),
    created: integer('created').notNull().default(0),
    updated: integer('updated').notNull().default(0),
    unchanged: integer('unchanged').notNull().default(0),
    withdrawn: integer('withdrawn').notNull().default(0),
  },
  (t) => [index('harvest_runs_source_idx').on(t.sourceId, t.id)],
);

/**
 * Where a harvested project comes from. A project its source no longer lists is marked (withdrawnSince),
 * never deleted: its page says since when its source stopped publishing it.
 */
export const harvestedProjects = sqliteTable(
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

/**
 * An error a person reported on a project's record, for the editors' queue. What they wrote and their
 * optional address are encrypted (server/crypto/contexts.ts); the address is erased once the report is
 * handled or rejected (server/domain/record-reports.ts, GDPR art. 5(1)(c) and (e)).
 */
export const recordReports = sqliteTable(
  'record_reports',
  {
    id: text('id').primaryKey(),
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    messageEnc: text('message_enc').notNull(),
    emailEnc: text('email_enc'),
    /** The language of the page it was sent from: the mail that says it was handled is in it. */
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

/**
 * Someone follows a project, an organisation, a data source or a register search by e-mail. The address
 * is encrypted, with a keyed blind index to find every follow of one address (its management page) and
 * to refuse duplicates. A follow is active once its address is confirmed (double opt-in); an unconfirmed
 * one is deleted after 7 days. Stopping a follow deletes its row: nothing of the address stays.
 */
export const follows = sqliteTable(
  'follows',
  {
    id: text('id').primaryKey(),
    kind: text('kind', { enum: FOLLOW_KINDS }).notNull(),
    /** The project's, organisation's or source's id; for a search, its query string (domain/follows.ts searchTarget). */
    target: text('target').notNull(),
    emailEnc: text('email_enc').notNull(),
    emailIndex: text('email_index').notNull(),
    /** The language chosen at follow time: every mail of the follow is in it. */
    lang: text('lang').notNull(),
    frequency: text('frequency', { enum: FOLLOW_FREQUENCIES }).notNull(),
    createdAt: text('created_at').notNull(),
    confirmedAt: text('confirmed_at'),
    /** The last entry of the register's history (project_changes.id) a digest has looked at. */
    lastChangeId: integer('last_change_id').notNull().default(0),
    lastDigestAt: text('last_digest_at'),
    /** When the next digest is due; null until the address is confirmed. */
    nextDigestAt: text('next_digest_at'),
  },
  (t) => [
    uniqueIndex('follows_address_target_idx').on(t.emailIndex, t.kind, t.target),
    index('follows_due_idx').on(t.nextDigestAt),
    index('follows_created_idx').on(t.createdAt),
  ],
);

/**
 * Links sent by mail for follows, only a hash of each token stored: `confirm` (single use, 7 days),
 * `manage` (single use, opens the management page of every follow of one address), `unsubscribe` (the
 * List-Unsubscribe link of a digest; works until it expires or its follow is stopped).
 */
export const followTokens = sqliteTable(
  'follow_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    purpose: text('purpose', { enum: FOLLOW_TOKEN_PURPOSES }).notNull(),
    /** For `confirm` and `unsubscribe`. */
    followId: text('follow_id').references(() => follows.id, { onDelete: 'cascade' }),
    /** For `manage`: the blind index of the address whose follows it opens. */
    emailIndex: text('email_index'),
    expiresAt: text('expires_at').notNull(),
    usedAt: text('used_at'),
  },
  (t) => [index('follow_tokens_follow_idx').on(t.followId), index('follow_tokens_expires_idx').on(t.expiresAt)],
);

/* ---------- END follows ---------- */

/* ---------- BEGIN shared state (issue 16: what several processes must agree on, kept in the database) ---------- */

/**
 * Fixed-window rate limits shared by every process (server/db/rate-limits.ts): one row per limiter and
 * key, the key an address or a blind index, never an e-mail or a name. Windows are ISO times, as every
 * time in this schema.
 */
export const rateLimits = sqliteTable(
  'rate_limits',
  {
    scope: text('scope').notNull(),
    key: text('key').notNull(),
    windowStart: text('window_start').notNull(),
    count: integer('count').notNull(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key] }), index('rate_limits_window_idx').on(t.windowStart)],
);

/**
 * Secrets that serve once (server/db/one-time-secrets.ts): found by the hash of the secret (the secret
 * itself is never stored), taken by deleting the row, so two processes racing for it cannot both get it.
 * The payload is encrypted by the caller.
 */
export const oneTimeSecrets = sqliteTable(
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
