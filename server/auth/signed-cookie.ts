/**
 * A short session without an account, after a one-time link: a cookie holding a value, an expiry and an
 * HMAC of the three with the cookie's purpose, so it can be neither forged, nor moved to another value,
 * nor replayed as a cookie of another purpose. The value must not contain ".".
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { cookie } from '../http';

export function signedCookie(name: string, purpose: string, secret: Buffer, now: () => Date) {
  const sign = (value: string, exp: number) => createHmac('sha256', secret).update(`${purpose}:${value}:${exp}`).digest('base64url');
  return {
    name,
    /** The cookie's content for a value, valid until `exp` (ms since the epoch). */
    value: (value: string, exp: number) => `${value}.${exp}.${sign(value, exp)}`,
    /** The value this browser holds, or undefined (absent, expired or forged). */
    read: (c: Context): string | undefined => {
      const raw = cookie(c, name);
      if (!raw) return undefined;
      const [value, expText, sig] = raw.split('.');
      const exp = Number(expText);
      if (!value || !sig || !Number.isFinite(exp) || exp < now().getTime()) return undefined;
      const expected = Buffer.from(sign(value, exp));
      const given = Buffer.from(sig);
      return expected.length === given.length && timingSafeEqual(expected, given) ? value : undefined;
    },
  };
}
