/**
 * The management page of one's follows (no account): after a one-time link, a cookie `suivis` holds the
 * blind index of the address (never the address), an expiry and an HMAC, for an hour, on /suivre only.
 */
import { signedCookie } from './signed-cookie';

export const FOLLOW_COOKIE = 'suivis';

export const followCookie = (secret: Buffer, now: () => Date) => signedCookie(FOLLOW_COOKIE, 'suivis', secret, now);
