/**
 * The vocabulary of status updates, written once: what a recipient may say about a request (signed
 * callback, CNAM acknowledgement file) or a member of staff in the back office, the refusal codes, the
 * message limit, and the one schema of an update's fields that every inbound reader parses with.
 * Which update may follow which status is the status machine's (server/domain/status-machine.ts).
 */
import { z } from 'zod';

/** `closed` files an answered or refused request away. */
export const UPDATE_TYPES = ['acknowledged', 'clarification_requested', 'extended', 'answered', 'refused', 'closed'] as const;
export type UpdateType = (typeof UPDATE_TYPES)[number];

/** Why a recipient refuses a request: a `refused` update needs one. */
export const REFUSAL_CODES = [
  'identity_not_verified',
  'no_data_held',
  'manifestly_unfounded',
  'excessive',
  'legal_obligation',
  'public_interest',
  'other',
] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];

/** An answer grants everything asked, or part of it. */
export const ANSWER_OUTCOMES = ['granted', 'partial'] as const;
export type AnswerOutcome = (typeof ANSWER_OUTCOMES)[number];

/** The longest message kept from an update, in characters (Unicode code points). */
export const MAX_MESSAGE_CHARS = 5000;

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
  outcome?: AnswerOutcome;
  at?: string;
};

/**
 * The fields of an inbound update, without its id (the callback's webhook-id, a line's own `id`). The
 * message is bounded in UTF-16 units at twice the cap, so a message at the cap in any script passes; the
 * exact cap in characters is the status machine's (`message_too_long`).
 */
export const statusUpdateFields = z.object({
  type: z.enum(UPDATE_TYPES),
  /** The request: its id (a UUID) or its reference. */
  request: z.string().min(1).max(64),
  message: z
    .string()
    .max(2 * MAX_MESSAGE_CHARS)
    .optional(),
  reason_code: z.enum(REFUSAL_CODES).optional(),
  outcome: z.enum(ANSWER_OUTCOMES).optional(),
  at: z.string().datetime({ offset: true }).optional(),
});
