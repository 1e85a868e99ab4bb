/**
 * What a delivery's stored error means, for people. Connectors and the delivery worker store short
 * codes in English (`deliveries.last_error`, `organisation_channels.disabled_reason`): logs, tests and
 * the retry command rely on them, so they stay as they are (the administrators' alert mail quotes them
 * as stored). The back office's pages show them through this mapping, as a key of the
 * `delivery-errors` namespace and its values (views/components/DeliveryError.tsx); an error it does not
 * know is shown as stored.
 *
 * Where each code comes from: connectors/webhook.ts (HTTP statuses, timeout, connection errors, the
 * allow-list, signing), connectors/smtp-result.ts (SMTP answers and nodemailer codes),
 * connectors/cnam-batch.ts (file errors), server/services/delivery-attempts.ts (no channel, disabled
 * channel, request withdrawn or deleted, a connector that threw, and the "(gave up after N attempts)"
 * added when retries run out).
 */

export type DeliveryErrorKey =
  | 'http_server'
  | 'http_too_many'
  | 'http_refused'
  | 'http_redirect'
  | 'http_gone'
  | 'http_other'
  | 'timeout'
  | 'connection'
  | 'connection_code'
  | 'invalid_url'
  | 'destination_not_allowed'
  | 'no_signing_secret'
  | 'cannot_sign'
  | 'invalid_headers'
  | 'wrong_channel'
  | 'smtp_temporary'
  | 'smtp_permanent'
  | 'smtp_connection'
  | 'smtp_auth'
  | 'smtp_envelope'
  | 'smtp_message'
  | 'smtp_error'
  | 'cnam_file'
  | 'no_channel'
  | 'channel_disabled'
  | 'not_deliverable'
  | 'request_withdrawn'
  | 'request_erased'
  | 'request_deleted'
  | 'connector_error';

export type DeliveryErrorExplanation = {
  key: DeliveryErrorKey;
  values: Record<string, string | number>;
  /** The number of attempts when the worker stopped retrying ("(gave up after N attempts)"), else null. */
  gaveUpAfter: number | null;
};

/** Node and nodemailer codes of a mail server that cannot be reached, or of a connection that broke (used by connectors/smtp-result.ts too). */
export const MAIL_CONNECTION_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ESOCKET',
  'ECONNECTION',
  'EDNS',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'EPROTOCOL',
  'ETLS',
]);

const FIXED: Record<string, DeliveryErrorKey> = {
  timeout: 'timeout',
  'connection error': 'connection',
  'invalid url': 'invalid_url',
  'destination not allowed': 'destination_not_allowed',
  'no signing secret': 'no_signing_secret',
  'cannot sign': 'cannot_sign',
  'invalid request headers': 'invalid_headers',
  'not a webhook channel': 'wrong_channel',
  'not an email channel': 'wrong_channel',
  'not a portal channel': 'wrong_channel',
  unsupported_channel: 'wrong_channel',
  'SMTP error': 'smtp_error',
  EAUTH: 'smtp_auth',
  EENVELOPE: 'smtp_envelope',
  EMESSAGE: 'smtp_message',
  cnam_batch_io_error: 'cnam_file',
  'no channel for this organisation': 'no_channel',
  'channel disabled': 'channel_disabled',
  'request not deliverable': 'not_deliverable',
  'request retiree': 'request_withdrawn',
  'request deleted': 'request_deleted',
};

function cause(error: string): Pick<DeliveryErrorExplanation, 'key' | 'values'> | null {
  const fixed = FIXED[error];
  if (fixed) return { key: fixed, values: {} };
  const http = /^HTTP (\d{3})( redirect refused| gone)?$/.exec(error);
  if (http) {
    const status = Number(http[1]);
    if (http[2] === ' redirect refused') return { key: 'http_redirect', values: { status } };
    if (http[2] === ' gone') return { key: 'http_gone', values: { status } };
    if (status >= 500 && status < 600) return { key: 'http_server', values: { status } };
    if (status === 429) return { key: 'http_too_many', values: { status } };
    if (status >= 400 && status < 500) return { key: 'http_refused', values: { status } };
    return { key: 'http_other', values: { status } };
  }
  const smtp = /^SMTP (\d{3})$/.exec(error);
  if (smtp) return { key: Number(smtp[1]) < 500 ? 'smtp_temporary' : 'smtp_permanent', values: { status: Number(smtp[1]) } };
  const connection = /^connection error ([A-Z0-9_]{1,64})$/.exec(error);
  if (connection) return { key: 'connection_code', values: { code: connection[1]! } };
  if (MAIL_CONNECTION_CODES.has(error)) return { key: 'smtp_connection', values: { code: error } };
  const connector = /^connector error (\w{1,64})$/.exec(error);
  if (connector) return { key: 'connector_error', values: { name: connector[1]! } };
  // A request with another status is skipped because its identity was erased (server/services/delivery-attempts.ts).
  if (/^request [a-z_]+$/.test(error)) return { key: 'request_erased', values: {} };
  return null;
}

/** The stored error as a key and its values, or null for an error this mapping does not know (show it as stored). */
export function explainDeliveryError(stored: string): DeliveryErrorExplanation | null {
  const gaveUp = / \(gave up after (\d+) attempts\)$/.exec(stored);
  const explained = cause(gaveUp ? stored.slice(0, gaveUp.index) : stored);
  return explained ? { ...explained, gaveUpAfter: gaveUp ? Number(gaveUp[1]) : null } : null;
}
