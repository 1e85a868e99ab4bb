/**
 * Mail in tests, in one place: who a received message is to, waiting for the one a test expects in what
 * a test SMTP server accepted (tests/helpers/smtp.ts, receivers.ts), and flushing the service's outbox so
 * that "no other mail was sent" can be asserted without sleeping.
 */
import { and, isNull } from 'drizzle-orm';
import type { ParsedMail } from 'mailparser';
import type { Db } from '../../server/db/client';
import { mailOutbox } from '../../server/db/schema';
import type { MailWorker } from '../../server/worker/mail';
import { waitFor, WAIT_TIMEOUT_MS } from './wait';

export const recipientOf = (m: ParsedMail): string => (m.to && 'text' in m.to ? m.to.text : '');

/** What a test looks for: every given part must hold (`text`: a substring of the text part). */
export type MailQuery = { to?: string; subject?: string | RegExp; text?: string };
export type MailWait = {
  /** Only messages from this index on (`messages.length` before the action that sends). */
  after?: number;
  timeoutMs?: number;
};

export function mailMatches(m: ParsedMail, query: MailQuery | ((m: ParsedMail) => boolean)): boolean {
  if (typeof query === 'function') return query(m);
  const subject = m.subject ?? '';
  if (query.to !== undefined && recipientOf(m) !== query.to) return false;
  if (query.subject !== undefined && !(typeof query.subject === 'string' ? subject === query.subject : query.subject.test(subject))) return false;
  if (query.text !== undefined && !(m.text ?? '').includes(query.text)) return false;
  return true;
}

const describeQuery = (query: MailQuery | ((m: ParsedMail) => boolean)) =>
  typeof query === 'function'
    ? 'a matching mail'
    : `a mail${query.to ? ` to ${query.to}` : ''}${query.subject ? ` "${query.subject}"` : ''}${query.text ? ` with "${query.text}"` : ''}`;

/** Resolves with the first message (from `after` on) matching `query` as soon as it has arrived. */
export function waitForMail(
  messages: ParsedMail[],
  query: MailQuery | ((m: ParsedMail) => boolean),
  { after = 0, timeoutMs = WAIT_TIMEOUT_MS }: MailWait = {},
): Promise<ParsedMail> {
  return waitFor(() => messages.slice(after).find((m) => mailMatches(m, query)), {
    timeoutMs,
    what: describeQuery(query),
    detail: () =>
      `received since: ${
        messages
          .slice(after)
          .map((m) => `${recipientOf(m)} "${m.subject}"`)
          .join(' | ') || 'nothing'
      }`,
  });
}

/**
 * Sends every mail queued in the outbox: kicks the worker until no row is left unsent (a kick during a
 * round only asks for another). When it resolves, the SMTP server has accepted each of them, so what it
 * holds is all the service sent.
 */
export async function flushMail(
  deps: { mailWorker: Pick<MailWorker, 'kick' | 'idle'>; database: { db: Db } },
  { timeoutMs = WAIT_TIMEOUT_MS }: { timeoutMs?: number } = {},
): Promise<void> {
  const waiting = () =>
    deps.database.db
      .select({ id: mailOutbox.id })
      .from(mailOutbox)
      .where(and(isNull(mailOutbox.sentAt), isNull(mailOutbox.deadAt)))
      .all().length;
  await waitFor(
    async () => {
      deps.mailWorker.kick();
      await deps.mailWorker.idle();
      return waiting() === 0;
    },
    { timeoutMs, intervalMs: 20, what: 'the mail outbox emptied', detail: () => `${waiting()} mail(s) still queued` },
  );
}
