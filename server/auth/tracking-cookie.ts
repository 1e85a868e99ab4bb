/**
 * The person's tracking session (no account): after a one-time link, a cookie `suivi` holds the
 * request id, an expiry and an HMAC of both, so it cannot be forged or moved to another request.
 * Read by the tracking pages and by the download of a document the organisation attached.
 */
import { signedCookie } from './signed-cookie';

export const TRACK_COOKIE = 'suivi';

export function trackingCookie(secret: Buffer, now: () => Date) {
  const { value, read } = signedCookie(TRACK_COOKIE, 'suivi', secret, now);
  return { value, read };
}
