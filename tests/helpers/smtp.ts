/**
 * A real SMTP server on 127.0.0.1 (smtp-server) that keeps every message it accepts, parsed (mailparser).
 * `reject` makes it refuse a message attempt with an SMTP answer (451 try later, 550 refused).
 */
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { recipientOf, waitForMail, type MailQuery, type MailWait } from './mail';
import { waitFor, WAIT_TIMEOUT_MS } from './wait';

export type TestSmtp = {
  url: string;
  messages: ParsedMail[];
  /** The message attempts `reject` refused, in order. */
  refused: ParsedMail[];
  /** Waits until at least `n` messages have been accepted. */
  waitFor: (n: number, ms?: number) => Promise<ParsedMail[]>;
  /** Waits for the first accepted message matching `query` (tests/helpers/mail.ts). */
  mail: (query: MailQuery | ((m: ParsedMail) => boolean), options?: MailWait) => Promise<ParsedMail>;
  /** Accepted messages to this address, in order. */
  to: (address: string) => ParsedMail[];
  stop: () => Promise<void>;
};

export type SmtpOptions = {
  /**
   * Called for each message attempt (1 for the first), with its first envelope recipient and the count
   * of attempts to that recipient; an answer refuses that attempt with this code.
   */
  reject?: (attempt: number, recipient: string, attemptToRecipient: number) => { code: number; message: string } | undefined;
};

export async function startSmtp(options: SmtpOptions = {}): Promise<TestSmtp> {
  const messages: ParsedMail[] = [];
  const refused: ParsedMail[] = [];
  let attempts = 0;
  const perRecipient = new Map<string, number>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          attempts += 1;
          const recipient = session.envelope.rcptTo[0]?.address ?? '';
          perRecipient.set(recipient, (perRecipient.get(recipient) ?? 0) + 1);
          const refusal = options.reject?.(attempts, recipient, perRecipient.get(recipient)!);
          if (refusal) {
            refused.push(mail);
            return callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
          }
          messages.push(mail);
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    refused,
    async waitFor(n, ms = WAIT_TIMEOUT_MS) {
      await waitFor(() => messages.length >= n, { timeoutMs: ms, what: `${n} mail(s) accepted`, detail: () => `got ${messages.length}` });
      return messages;
    },
    mail: (query, options) => waitForMail(messages, query, options),
    to: (address) => messages.filter((m) => recipientOf(m) === address),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The first link to this service found in a mail's text. */
export function linkIn(mail: ParsedMail, base: string): string {
  const m = new RegExp(`${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[^\\s<>"]+`).exec(mail.text ?? '');
  if (!m) throw new Error(`no link to ${base} in: ${mail.text}`);
  return m[0];
}

/** The single-use token of a link found by `linkIn` (its last path segment, without the language query). */
export function tokenOf(link: string): string {
  return new URL(link).pathname.split('/').at(-1)!;
}
