/**
 * The one interface every connector implements. A connector turns one confirmed request
 * into one delivery over its channel and, where the channel allows, turns the other side's answer back
 * into a status update. Connectors are created once from config and passed in; none of them reaches
 * into the database: the delivery worker (server/worker/deliveries.ts) reads the outbox, calls
 * `deliver`, and records the result.
 */

import type { InsuranceScheme, OnBehalf } from '../server/domain/rights-request';
import type { StatusUpdate } from '../server/domain/status-updates';

/** The channels an organisation can be reached on. */
export const CHANNEL_KINDS = ['email', 'webhook', 'cnam', 'portal'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

/**
 * The request document: what a recipient receives, versioned and published as a JSON Schema at
 * /api/v1/schemas/request.json. Version 2 sends each recipient only the part it needs
 * (server/domain/routing.ts): the body that answers gets the identity, with the NIR only through the
 * CNAM; a controller told of a request on its project's pseudonymised sources gets no identity, no
 * details and no callback. The identity never goes into a subject, a URL or a log.
 */
export type RequestDocument = {
  $schema: string;
  version: 2;
  /** The request's stable id (a UUID). */
  id: string;
  /** The reference the person knows, e.g. DS-7K3M-Q9XA. */
  reference: string;
  /** `answer`: this recipient must answer; `notice`: it is told of the request, which `answered_by` answers. */
  role: 'answer' | 'notice';
  /** The route leg: all of the SNDS, a project's pseudonymised or identifying sources, a named controller. */
  part: 'snds' | 'pseudonymised' | 'identifying' | 'controller';
  kind: 'opposition' | 'acces' | 'rectification' | 'effacement' | 'limitation';
  scope: 'snds' | 'projet' | 'responsable';
  project: { id: string; title: string } | null;
  /** The project's sources this request covers. */
  sources: { id: string; name: string; identifying: boolean }[];
  /** The recipient of this document. */
  organisation: { id: string; name: string };
  /** The body that must answer the person. */
  answered_by: { id: string; name: string };
  /** Who finds the person's data from their identity: the CNAM (with the NIR, R1461-3 II 3° b) or the controller. */
  identity_step: 'cnam' | 'controller';
  on_behalf: OnBehalf;
  /** Through the CNAM: the person's health insurance scheme when they gave it, so the request reaches their body. */
  insurance_scheme: InsuranceScheme | null;
  language: 'fr' | 'en';
  /** Null in a notice. */
  identity: {
    last_name: string;
    first_names: string;
    birth_name: string | null;
    birth_date: string;
    birth_place: string | null;
    /** Only for the CNAM (it needs it); null for every other recipient. */
    nir: string | null;
    email: string;
    postal_address: string | null;
    /** When someone acts for another person: who they are and their tie. */
    requester_name: string | null;
    relationship: string | null;
  } | null;
  /** Null in a notice: the person's words may identify them. */
  details: {
    reason: string | null;
    wrong_data: string | null;
    correct_data: string | null;
    access_scope: string | null;
    other_details: string | null;
  } | null;
  submitted_at: string;
  confirmed_at: string;
  /** The day the answering body received the request and the due date it gives (GDPR art. 12(3)), YYYY-MM-DD. */
  received_on: string;
  due_on: string;
  /** Where signed status updates go: POST, Standard Webhooks signature. Null in a notice. */
  callback_url: string | null;
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
 * a member of staff in the back office: its vocabulary is the domain's (server/domain/status-updates.ts).
 */
export { REFUSAL_CODES, UPDATE_TYPES, type RefusalCode, type StatusUpdate, type UpdateType } from '../server/domain/status-updates';

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
