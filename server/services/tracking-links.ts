/**
 * Single-use links sent by mail: to confirm an address, and to open the tracking page
 * without a second round trip through /suivi. Only a hash of the token is stored; the token itself
 * travels in the mail's variables, which the outbox encrypts, never in a log. Each link carries the
 * request's language, so the page opens in the language of the mail.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Config } from '../config';
import type { Db } from '../db/client';
import { insertToken } from '../db/requests';

export const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');
const newToken = () => randomBytes(32).toString('base64url');

/** A tracking link valid `validMinutes`, once (the same rules as the one /suivi sends). */
export function newTrackingLink(
  deps: { db: Db; config: Pick<Config, 'publicUrl'>; now: () => Date },
  request: { id: string; lang: string },
  validMinutes: number,
): string {
  const token = newToken();
  insertToken(deps.db, {
    tokenHash: hashToken(token),
    purpose: 'track',
    requestId: request.id,
    expiresAt: new Date(deps.now().getTime() + validMinutes * 60_000).toISOString(),
  });
  return withLang(new URL(`/suivi/${token}`, deps.config.publicUrl), request.lang);
}

/** A confirmation link valid `validDays`, once. */
export function newConfirmationLink(
  deps: { db: Db; config: Pick<Config, 'publicUrl'>; now: () => Date },
  request: { id: string; lang: string },
  validDays: number,
): string {
  const token = newToken();
  insertToken(deps.db, {
    tokenHash: hashToken(token),
    purpose: 'confirm',
    requestId: request.id,
    expiresAt: new Date(deps.now().getTime() + validDays * 86_400_000).toISOString(),
  });
  return withLang(new URL(`/demande/confirmer/${token}`, deps.config.publicUrl), request.lang);
}

function withLang(url: URL, lang: string): string {
  url.searchParams.set('lang', lang === 'en' ? 'en' : 'fr');
  return url.href;
}

/**
 * The link a status mail carries: a tracking link of its own, valid 7 days and once, so the person reads
 * the news without going through /suivi again (the same rules as the links /suivi sends otherwise).
 */
const STATUS_MAIL_LINK_MINUTES = 7 * 24 * 60;
export const statusMailLink = (deps: { db: Db; config: Pick<Config, 'publicUrl'>; now: () => Date }, request: { id: string; lang: string }) =>
  newTrackingLink(deps, request, STATUS_MAIL_LINK_MINUTES);
