/**
 * The one interface every connector implements (DESIGN §7). A connector turns one confirmed request
 * into one delivery over its channel and, where the channel allows, turns the other side's answer back
 * into a status update. Connectors are created once from config and passed in; none of them reaches
 * into the database: the delivery worker (server/services/deliveries.ts) reads the outbox, calls
 * `deliver`, and records the result.
 */

/** The channels an organisation can be reached on. */
export const CHANNEL_KINDS = ['email', 'webhook', 'cnam', 'portal'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

/**
 * The request document: what the recipient receives, versioned and published as a JSON Schema at
 * /api/v1/schemas/request.json. The identity is for the recipient only: it never goes into a subject,
 * a URL or a log.
 */
export type RequestDocument = {
  $schema: string;
  version: 1;
  /** The request's stable id (a UUID). */
  id: string;
  /** The reference the person knows, e.g. DS-7K3M-Q9XA. */
  reference: string;
  kind: 'opposition' | 'acces' | 'rectification' | 'effacement' | 'limitation';
  scope: 'snds' | 'projet' | 'responsable';
  project: { id: string; title: string } | null;
  organisation: { id: string; name: string };
  on_behalf: 'self' | 'child' | 'protected_adult' | 'deceased';
  /** For SNDS objections: the person's health insurance scheme, so the objection can be routed. */
  insurance_scheme: 'general' | 'agricole' | 'autre' | null;
  language: 'fr' | 'en';
  identity: {
    last_name: string;
    first_names: string;
    birth_name: string | null;
    birth_date: string;
    birth_place: string;
    /** Only for the SNDS scope (the CNAM needs it). */
    nir: string | null;
    email: string;
    postal_address: string | null;
    /** When someone acts for another person: who they are and their tie. */
    requester_name: string | null;
    relationship: string | null;
  };
  details: {
    reason: string | null;
    wrong_data: string | null;
    correct_data: string | null;
    access_scope: string | null;
    other_details: string | null;
  };
  submitted_at: string;
  confirmed_at: string;
  /** The day of delivery and the due date it gives (GDPR art. 12(3)), YYYY-MM-DD. */
  received_on: string;
  due_on: string;
  /** Where signed status updates go: POST, Standard Webhooks signature (DESIGN §7). */
  callback_url: string;
};

/** One attempt to deliver one request over one channel. */
export type Delivery = {
  /** Stable across retries: the webhook-id, the Message-ID's local part, the batch line id. */
  id: string;
  /** 1 for the first attempt. */
  attempt: number;
  document: RequestDocument;
  /** The organisation's language for a mail ('fr' or 'en'). */
  lang: 'fr' | 'en';
};

/**
 * What happened. `delivered` sets the request's receipt date; `retry` tries again later with backoff
 * (after `retryAfterMs` at the earliest when the receiver said so); `failed` is permanent (dead at
 * once); `disabled` is permanent and also turns the channel off (HTTP 410 Gone).
 */
export type DeliveryResult =
  | { outcome: 'delivered'; detail?: string }
  | { outcome: 'retry'; error: string; retryAfterMs?: number }
  | { outcome: 'failed'; error: string }
  | { outcome: 'disabled'; error: string };

/**
 * A status update coming back from a recipient (signed callback or CNAM acknowledgement file), or made by
 * a member of staff in the back office. `closed` files an answered or refused request away.
 */
export const UPDATE_TYPES = ['acknowledged', 'clarification_requested', 'extended', 'answered', 'refused', 'closed'] as const;
export type UpdateType = (typeof UPDATE_TYPES)[number];
export const REFUSAL_CODES = ['identity_not_verified', 'no_data_held', 'manifestly_unfounded', 'excessive', 'legal_obligation', 'public_interest', 'other'] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];

export type StatusUpdate = {
  /** Stable id of the update (webhook-id, or the acknowledgement line's id): replays are dropped. */
  id: string;
  /** The request, by its id or its reference. */
  request: string;
  type: UpdateType;
  /** Why (required for `extended`), the question (`clarification_requested`), the answer (`answered`). */
  message?: string;
  /** Required for `refused`. */
  reason_code?: RefusalCode;
  /** For `answered`: all granted, or partly. */
  outcome?: 'granted' | 'partial';
  at?: string;
};

export type Connector = {
  kind: ChannelKind;
  deliver: (delivery: Delivery, channel: ChannelConfig) => Promise<DeliveryResult>;
  /**
   * Channels with an inbound side other than callbacks (the CNAM's acknowledgement files). `rejected`
   * lists the inbound lines that were not valid updates (by file and 1-based line), for the operator.
   */
  collectUpdates?: (
    channel: ChannelConfig,
  ) => Promise<{ updates: StatusUpdate[]; rejected: { file: string; line: number; error: string }[]; done: () => void }>;
};

/** A channel's settings, stored per organisation in the database (secrets encrypted at rest). */
export type ChannelConfig =
  | { kind: 'email'; to: string }
  | { kind: 'webhook'; url: string; secrets: string[] }
  | { kind: 'cnam'; mode: 'api'; url: string; secrets: string[] }
  | { kind: 'cnam'; mode: 'batch' }
  | { kind: 'portal'; to: string };
