/**
 * The person's tracking session (no account): after a one-time link, a cookie `suivi` holds the
 * request id, an expiry and an HMAC of both, so it cannot be forged or moved to another request.
 * Read by the tracking pages and by the download of a document the organisation attached.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { cookie } from '../http';

export const TRACK_COOKIE = 'suivi';

export function trackingCookie(secret: Buffer, now: () => Date) {
  const sign = (requestId: string, exp: number) => createHmac('sha256', secret).update(`suivi:${requestId}:${exp}`).digest('base64url');
  return {
    /** The cookie's value for a request, valid until `exp` (ms since the epoch). */
    value: (requestId: string, exp: number) => `${requestId}.${exp}.${sign(requestId, exp)}`,
    /** The request this browser may follow, or undefined. */
    read: (c: Context): string | undefined => {
      const raw = cookie(c, TRACK_COOKIE);
      if (!raw) return undefined;
      const [id, expText, sig] = raw.split('.');
      const exp = Number(expText);
      if (!id || !sig || !Number.isFinite(exp) || exp < now().getTime()) return undefined;
      const expected = Buffer.from(sign(id, exp));
      const given = Buffer.from(sig);
      return expected.length === given.length && timingSafeEqual(expected, given) ? id : undefined;
    },
  };
}
