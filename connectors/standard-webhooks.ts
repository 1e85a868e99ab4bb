/**
 * Standard Webhooks signatures, as pure functions: signing what the webhook connector sends and
 * verifying the signed status updates recipients send back. Following the spec rather
 * than inventing a scheme means a recipient can check our deliveries with any of its official
 * libraries, and we can check theirs.
 *
 * Spec: https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md
 * Only the symmetric scheme (`v1`, HMAC-SHA256) is implemented; other versions (`v1a`, ed25519) are
 * ignored when verifying, as the spec allows.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Spec, "Signature scheme" table: symmetric secrets are serialized as base64 prefixed with `whsec_`. */
const SECRET_PREFIX = 'whsec_';
/** Spec, same table: "Random. At least 24 bytes (192 bits, 512 maximum)". */
const MIN_SECRET_BYTES = 24;
const MAX_SECRET_BYTES = 64;
/** Standard base64 (the spec's alphabet, with `+` and `/`), padding required. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** Spec, "Webhook headers": `webhook-timestamp` is an integer unix timestamp in seconds. */
const TIMESTAMP = /^[0-9]{1,15}$/;
/** The replay window used by the official libraries: five minutes either side of now. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

export type VerifyHeaders = { id?: string | null; timestamp?: string | null; signature?: string | null };
export type VerifyError = 'missing_headers' | 'bad_timestamp' | 'timestamp_too_old' | 'timestamp_too_new' | 'bad_signature';
export type VerifyResult = { ok: true; id: string; timestamp: number } | { ok: false; error: VerifyError };

/** The key bytes of a `whsec_<base64>` secret. The message never repeats the secret. */
export function parseSecret(secret: string): Buffer {
  if (typeof secret !== 'string' || !secret.startsWith(SECRET_PREFIX)) {
    throw new Error('Invalid webhook secret: expected "whsec_" followed by base64');
  }
  const encoded = secret.slice(SECRET_PREFIX.length);
  if (encoded.length === 0 || !BASE64.test(encoded)) {
    throw new Error('Invalid webhook secret: the part after "whsec_" is not valid base64');
  }
  const key = Buffer.from(encoded, 'base64');
  if (key.length < MIN_SECRET_BYTES || key.length > MAX_SECRET_BYTES) {
    throw new Error(`Invalid webhook secret: the key must be ${MIN_SECRET_BYTES} to ${MAX_SECRET_BYTES} bytes`);
  }
  return key;
}

/** A new random secret: `whsec_` + base64 of 24 random bytes (the spec's minimum, as the official libraries issue). */
export function generateSecret(): string {
  return SECRET_PREFIX + randomBytes(MIN_SECRET_BYTES).toString('base64');
}

/**
 * The base64 HMAC-SHA256 of `{msg_id}.{timestamp}.{payload}` (spec, "Signature scheme": metadata and
 * body concatenated, delimited by full stops).
 */
function hmac(key: Buffer, id: string, timestamp: number, body: string): string {
  return createHmac('sha256', key).update(`${id}.${timestamp}.${body}`, 'utf8').digest('base64');
}

/**
 * The `webhook-signature` header value: one `v1,<base64>` per secret, space separated. Signing with
 * the old and the new secret during a rotation is what the spec's list is for ("zero downtime
 * secret rotation"). Throws on a malformed secret, an empty list, an id containing a full stop (the
 * spec warns the id must not, or the signed content becomes ambiguous) or a timestamp that is not
 * a whole number of seconds.
 */
export function sign(secrets: string[], id: string, timestamp: number, body: string): string {
  if (secrets.length === 0) throw new Error('Cannot sign a webhook without a secret');
  if (id.length === 0 || id.includes('.')) throw new Error('Invalid webhook id: must be non-empty and contain no "."');
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new Error('Invalid webhook timestamp: whole seconds expected');
  return secrets.map((secret) => `v1,${hmac(parseSecret(secret), id, timestamp, body)}`).join(' ');
}

/**
 * Checks a signed request the way the spec's "Verifying signatures" section asks: the timestamp must
 * be within `toleranceSeconds` of now (replay protection), and one of the `v1` signatures in the
 * header must match one of our secrets, compared in constant time. Never throws on what the sender
 * controls (headers, body); throws only if one of our own secrets is malformed (a configuration error).
 * The caller still has to drop a replayed `id` (spec: use `webhook-id` as an idempotency key).
 */
export function verify(
  secrets: string[],
  headers: VerifyHeaders,
  body: string,
  nowSeconds: number,
  toleranceSeconds = DEFAULT_TOLERANCE_SECONDS,
): VerifyResult {
  const keys = secrets.map(parseSecret);
  const { id, timestamp: rawTimestamp, signature } = headers;
  if (typeof id !== 'string' || typeof rawTimestamp !== 'string' || typeof signature !== 'string' || !id || !rawTimestamp || !signature) {
    return { ok: false, error: 'missing_headers' };
  }
  if (!TIMESTAMP.test(rawTimestamp)) return { ok: false, error: 'bad_timestamp' };
  const timestamp = Number(rawTimestamp);
  if (nowSeconds - timestamp > toleranceSeconds) return { ok: false, error: 'timestamp_too_old' };
  if (timestamp - nowSeconds > toleranceSeconds) return { ok: false, error: 'timestamp_too_new' };
  if (typeof body !== 'string') return { ok: false, error: 'bad_signature' };

  const expected = keys.map((key) => Buffer.from(hmac(key, id, timestamp, body), 'utf8'));
  // Spec, "Webhook headers": a space-delimited list of `<version>,<signature>`; try each until one matches.
  for (const entry of signature.split(' ')) {
    const comma = entry.indexOf(',');
    if (comma < 0 || entry.slice(0, comma) !== 'v1') continue; // other versions (e.g. v1a) are not ours
    const given = Buffer.from(entry.slice(comma + 1), 'utf8');
    for (const candidate of expected) {
      // timingSafeEqual needs equal lengths; the length of a valid signature is public anyway.
      if (given.length === candidate.length && timingSafeEqual(given, candidate)) return { ok: true, id, timestamp };
    }
  }
  return { ok: false, error: 'bad_signature' };
}
