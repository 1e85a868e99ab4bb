/**
 * Turns what a mail server said into a delivery result, for every connector that sends mail. A 4xx
 * answer or a broken connection is temporary (try again later); a 5xx answer is permanent. The error
 * keeps only the response code or the error code: a server's message can quote the address (nothing personal in logs).
 */
import { MAIL_CONNECTION_CODES as CONNECTION_CODES } from '../server/domain/delivery-errors';
import type { DeliveryResult } from './types';

/** The result of a send that threw. */
export function smtpFailure(err: unknown): DeliveryResult {
  const { responseCode, code } = (err ?? {}) as { responseCode?: unknown; code?: unknown };
  if (typeof responseCode === 'number' && Number.isInteger(responseCode)) {
    if (responseCode >= 400 && responseCode < 500) return { outcome: 'retry', error: `SMTP ${responseCode}` };
    if (responseCode >= 500 && responseCode < 600) return { outcome: 'failed', error: `SMTP ${responseCode}` };
  }
  // Only a code of the expected shape goes into the error: never free text.
  const safeCode = typeof code === 'string' && /^E[A-Z0-9_]{1,30}$/.test(code) ? code : undefined;
  if (safeCode && CONNECTION_CODES.has(safeCode)) return { outcome: 'retry', error: safeCode };
  // A message nodemailer cannot build or an envelope it refuses will not get better by waiting.
  if (safeCode === 'EENVELOPE' || safeCode === 'EMESSAGE') return { outcome: 'failed', error: safeCode };
  return { outcome: 'retry', error: safeCode ?? 'SMTP error' };
}

/** Sends and maps the outcome: delivered, or what smtpFailure says. */
export async function sendResult(send: () => Promise<{ messageId: string }>): Promise<DeliveryResult> {
  try {
    const { messageId } = await send();
    return { outcome: 'delivered', detail: messageId };
  } catch (err) {
    return smtpFailure(err);
  }
}
