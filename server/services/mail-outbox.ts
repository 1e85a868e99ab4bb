/**
 * The mail outbox: mails to people are rows written in the transaction that causes them, then sent by
 * the mail loop (server/worker/mail.ts; an outbox, for mail to people). At-least-once: a crash after
 * sending and before recording sends again, with the same Message-ID. Failures retry with exponential
 * backoff and full jitter; after MAX_ATTEMPTS the row is dead and kept for staff.
 *
 * A mail may also be about no request (a record report handled, a follow of the register): it carries its recipient and language,
 * and its address is erased from the row once it is sent or dead.
 *
 * One address gets at most MAILS_PER_ADDRESS_PER_DAY mails in 24 hours, whatever requests they are
 * about: forms anyone can fill (tracking links, new requests) must not make the service flood a
 * stranger's mailbox. A mail past the cap is not sent; its row is dead ("daily cap") and the log names
 * the row, never the address. Alerts to staff are not counted. A mail about no request (a follow of the
 * register) goes to its own recipient, in its own language, and counts against the cap when it answers a
 * form (`recipientIndex`: a follow's confirmation or management link); a digest goes only to an address
 * that confirmed it and is bounded by the follows an address may hold (domain/follows.ts), so it does not.
 * Headers of one mail (a digest's List-Unsubscribe, which carries a token) are stored encrypted.
 */
import { randomUUID } from 'node:crypto';
import { and, asc, count, eq, gte, isNull, lte } from 'drizzle-orm';
import type { i18n as I18n } from 'i18next';
import type { Mailer } from '../../connectors/mail';
import type { Config } from '../config';
import { mailHeadersContext, mailRecipientContext, mailVarsContext } from '../crypto/contexts';
import type { FieldCipher } from '../crypto/fields';
import type { Db } from '../db/client';
import { allPlaceholders, nullColumns, prepared } from '../db/prepared';
import { requestById } from '../db/requests';
import { mailOutbox, rightsRequests } from '../db/schema';
import { isLang, translatorFor } from '../i18n';
import type { Logger } from '../logger';
import { decryptIdentity } from './identity';

export const MAX_ATTEMPTS = 10;
export const MAILS_PER_ADDRESS_PER_DAY = 20;
/** The first retry's delay, and the mail worker's wait after a failed round. */
export const BASE_DELAY_MS = 30_000;
const MAX_DELAY_MS = 6 * 3_600_000;

export type OutboxDeps = { db: Db; cipher: FieldCipher; mailer: Mailer; config: Config; logger: Logger; now: () => Date; i18n: I18n };

/** Queues a mail inside the caller's transaction (synchronous). */
export function enqueueMail(
  db: Db,
  cipher: FieldCipher,
  mail: {
    /** The request the mail is about; absent or null for a mail about no request (then `recipient` and `lang` are needed). */
    requestId?: string | null;
    template: string;
    vars: Record<string, string | number>;
    now: Date;
    /** For staff alerts and mails not about a request: otherwise the request's own e-mail address. */ recipient?: string;
    /** The blind index of `recipient`, when the daily cap counts this mail against it (a follow's confirmation or management link). */
    recipientIndex?: string;
    /** The language of a mail not about a request. */
    lang?: string;
    /** Headers of this mail only (encrypted: a List-Unsubscribe link carries a token). */
    headers?: Record<string, string>;
  },
): string {
  if (!mail.requestId && !mail.recipient) throw new TypeError('enqueueMail: a mail about no request needs its recipient.');
  const id = randomUUID();
  prepared(db, 'enqueueMail', (d) => d.insert(mailOutbox).values(allPlaceholders(mailOutbox)).prepare()).run({
    ...nullColumns(mailOutbox),
    id,
    requestId: mail.requestId ?? null,
    template: mail.template,
    varsEnc: cipher.encrypt(JSON.stringify(mail.vars), mailVarsContext(id)),
    createdAt: mail.now.toISOString(),
    nextAttemptAt: mail.now.toISOString(),
    attempts: 0,
    recipientEnc: mail.recipient ? cipher.encrypt(mail.recipient, mailRecipientContext(id)) : null,
    recipientIndex: mail.recipientIndex ?? null,
    lang: mail.lang ?? null,
    headersEnc: mail.headers ? cipher.encrypt(JSON.stringify(mail.headers), mailHeadersContext(id)) : null,
  });
  return id;
}

/**
 * Mails sent to people in the 24 hours before `now` at the address behind this blind index: about its
 * requests (staff alerts left out), and those counted by their own recipient's index (follows).
 */
function sentToAddressInADay(db: Db, emailIndex: string, now: Date): number {
  const since = new Date(now.getTime() - 24 * 3_600_000).toISOString();
  const aboutRequests =
    db
      .select({ n: count() })
      .from(mailOutbox)
      .innerJoin(rightsRequests, eq(rightsRequests.id, mailOutbox.requestId))
      .where(and(gte(mailOutbox.sentAt, since), isNull(mailOutbox.recipientEnc), eq(rightsRequests.emailIndex, emailIndex)))
      .get()?.n ?? 0;
  const counted =
    db
      .select({ n: count() })
      .from(mailOutbox)
      .where(and(eq(mailOutbox.recipientIndex, emailIndex), gte(mailOutbox.sentAt, since)))
      .get()?.n ?? 0;
  return aboutRequests + counted;
}

/** Full jitter: a random delay between 0 and the exponential cap (AWS architecture blog, "Exponential Backoff And Jitter"). */
export function retryDelay(attempts: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempts - 1)));
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const linkify = (s: string) => s.replace(/https?:\/\/[^\s<]+/g, (url) => `<a href="${url}">${url}</a>`);

/** Renders a mail template of the `mail` namespace in a language: subject, text and HTML. */
export function renderMail(i18n: I18n, lang: string, template: string, vars: Record<string, string | number>) {
  const tr = translatorFor(i18n, isLang(lang) ? lang : 'fr');
  // Dates travel as YYYY-MM-DD and are written for people in the mail's language: `due` → {{date}}, `extendedDue` → {{extendedDate}}, `earlierDate` → {{earlierDay}}.
  const all = {
    ...vars,
    date: vars.due ? tr.date(String(vars.due)) : '',
    extendedDate: vars.extendedDue ? tr.date(String(vars.extendedDue)) : '',
    earlierDay: vars.earlierDate ? tr.date(String(vars.earlierDate)) : '',
  };
  // `confirm` is read from the `mail` namespace; `follow.confirm` from the `follow` namespace's `mail.confirm`.
  const dot = template.indexOf('.');
  const [ns, name] = dot < 0 ? ['mail', template] : [template.slice(0, dot), template.slice(dot + 1)];
  const templates = dot < 0 ? tr.doc<Record<string, { body?: string[] }>>(ns) : tr.doc<{ mail?: Record<string, { body?: string[] }> }>(ns).mail;
  const key = dot < 0 ? `mail:${name}` : `${ns}:mail.${name}`;
  const count = templates?.[name]?.body?.length ?? 0;
  const paragraphs = Array.from({ length: count }, (_, i) => tr.t(`${key}.body.${i}`, all));
  return {
    lang: tr.lang,
    subject: tr.t(`${key}.subject`),
    text: [...paragraphs, tr.t('mail:signature')].join('\n\n'),
    // A paragraph's line breaks (a digest's list) stay line breaks in HTML.
    html: `<!doctype html><html lang="${tr.lang}"><body>${paragraphs.map((p) => `<p>${linkify(escapeHtml(p)).replace(/\n/g, '<br>\n')}</p>`).join('')}<p>${escapeHtml(tr.t('mail:signature'))}</p></body></html>`,
  };
}

type OutboxRow = typeof mailOutbox.$inferSelect;

/**
 * The changes that end a row (sent or dead), with its address and headers erased when the mail is about
 * no request: they were kept for this one mail only (GDPR art. 5(1)(e), storage limitation).
 */
function ended<T extends object>(row: { requestId: string | null }, changes: T): T & { recipientEnc?: null; headersEnc?: null } {
  return row.requestId ? changes : { ...changes, recipientEnc: null, headersEnc: null };
}

/**
 * Where a queued mail goes, in which language, and which address's daily cap it counts against: a staff
 * alert (in French, the service's language, never capped; nobody if its request is gone); a mail about no
 * request (a record report handled, a follow's mail: its own language, capped by its `recipientIndex` when
 * set); a person's mail about their request (in the request's language, capped by the request's address).
 */
function addresseeOf(deps: OutboxDeps, row: OutboxRow): { email: string; lang: string; capIndex: string | null } | undefined {
  const request = row.requestId ? requestById(deps.db, row.requestId) : undefined;
  if (row.requestId && !request) return undefined;
  if (row.recipientEnc) {
    const email = deps.cipher.decrypt(row.recipientEnc, mailRecipientContext(row.id));
    return { email, lang: row.lang ?? 'fr', capIndex: row.recipientIndex };
  }
  const email = request ? decryptIdentity(deps, request)?.email : undefined;
  return request && email ? { email, lang: row.lang ?? request.lang, capIndex: request.emailIndex } : undefined;
}

/** Sends every mail that is due; returns how many were sent. */
export async function deliverDueMails(deps: OutboxDeps, limit = 50): Promise<{ sent: number; failed: number }> {
  const now = deps.now();
  const due = deps.db
    .select()
    .from(mailOutbox)
    .where(and(isNull(mailOutbox.sentAt), isNull(mailOutbox.deadAt), lte(mailOutbox.nextAttemptAt, now.toISOString())))
    .orderBy(asc(mailOutbox.nextAttemptAt))
    .limit(limit)
    .all();
  let sent = 0;
  let failed = 0;
  for (const row of due) {
    const to = addresseeOf(deps, row);
    // A staff alert about a request that is gone, or a mail without an address: nobody to send to.
    if (!to) {
      deps.db
        .update(mailOutbox)
        .set(ended(row, { deadAt: now.toISOString(), lastError: 'no recipient' }))
        .where(eq(mailOutbox.id, row.id))
        .run();
      continue;
    }
    if (to.capIndex && sentToAddressInADay(deps.db, to.capIndex, now) >= MAILS_PER_ADDRESS_PER_DAY) {
      deps.db
        .update(mailOutbox)
        .set(ended(row, { deadAt: now.toISOString(), lastError: 'daily cap' }))
        .where(eq(mailOutbox.id, row.id))
        .run();
      deps.logger.warn('mail not sent: daily cap of its address reached', { outboxId: row.id, template: row.template, cap: MAILS_PER_ADDRESS_PER_DAY });
      continue;
    }
    const vars = JSON.parse(deps.cipher.decrypt(row.varsEnc, mailVarsContext(row.id))) as Record<string, string | number>;
    const headers = row.headersEnc ? (JSON.parse(deps.cipher.decrypt(row.headersEnc, mailHeadersContext(row.id))) as Record<string, string>) : undefined;
    const mail = renderMail(deps.i18n, to.lang, row.template, vars);
    try {
      await deps.mailer.send({
        to: to.email,
        ...mail,
        messageId: `<${row.template}.${row.id}@${deps.config.publicUrl.hostname}>`,
        ...(headers ? { headers } : {}),
      });
      deps.db
        .update(mailOutbox)
        .set(ended(row, { sentAt: deps.now().toISOString(), attempts: row.attempts + 1 }))
        .where(eq(mailOutbox.id, row.id))
        .run();
      sent += 1;
    } catch (err) {
      failed += 1;
      const attempts = row.attempts + 1;
      const reason = (err as { responseCode?: number }).responseCode ? `smtp ${(err as { responseCode: number }).responseCode}` : (err as Error).name;
      const dead = attempts >= MAX_ATTEMPTS;
      deps.db
        .update(mailOutbox)
        .set({
          attempts,
          lastError: reason,
          nextAttemptAt: new Date(deps.now().getTime() + retryDelay(attempts)).toISOString(),
          deadAt: dead ? deps.now().toISOString() : null,
          ...(dead ? ended(row, {}) : {}),
        })
        .where(eq(mailOutbox.id, row.id))
        .run();
      deps.logger.warn('mail not sent', { outboxId: row.id, template: row.template, attempts, reason, dead });
    }
  }
  return { sent, failed };
}
