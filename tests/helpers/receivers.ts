/**
 * Real receivers on 127.0.0.1 for delivery tests: HTTP endpoints that answer what a test scripts (and
 * keep every request they were sent), and an SMTP server that can refuse mail per recipient, so a
 * DPO mailbox answering 451 does not also refuse the person's own mails going through the same server.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ParsedMail } from 'mailparser';
import { waitForMail, type MailQuery, type MailWait } from './mail';
import { startSmtp } from './smtp';
import { WAIT_TIMEOUT_MS } from './wait';

export type Hit = { path: string; headers: IncomingHttpHeaders; body: string };
/** Answers the `index`-th request (0-based) the receiver got. */
export type Responder = (res: ServerResponse, index: number, hit: Hit) => void;

export type Receiver = {
  origin: string;
  /** The endpoint to configure: `${origin}/hooks`. */
  url: string;
  hits: Hit[];
  /** How many requests are open (received, not yet answered). */
  open: () => number;
  stop: () => Promise<void>;
};

/** Answers with a status (and headers), a small JSON body. */
export const reply =
  (status: number, headers: Record<string, string> = {}): Responder =>
  (res) =>
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end('{"ok":true}');

/** One responder per request in turn; the last one answers every request after. */
export const inTurn =
  (...responders: Responder[]): Responder =>
  (res, index, hit) =>
    responders[Math.min(index, responders.length - 1)]!(res, index, hit);

/** Never answers: the sender has to give up on its own (the connection is cut when the receiver stops). */
export const never: Responder = () => {};

/** Answers after a delay, so several deliveries are in flight at once. */
export const after =
  (ms: number, responder: Responder): Responder =>
  (res, index, hit) => {
    setTimeout(() => {
      if (!res.destroyed) responder(res, index, hit);
    }, ms);
  };

export async function startReceiver(respond: Responder): Promise<Receiver> {
  const hits: Hit[] = [];
  let open = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const hit = { path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      hits.push(hit);
      open += 1;
      res.on('close', () => (open -= 1));
      respond(res, hits.length - 1, hit);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: `${origin}/hooks`,
    hits,
    open: () => open,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type Refusal = { code: number; message: string };

export type MailServer = {
  url: string;
  /** Accepted messages, in order. */
  messages: ParsedMail[];
  /** Refused message attempts, in order. */
  refused: ParsedMail[];
  /** Accepted messages to this address. */
  to: (address: string) => ParsedMail[];
  /** Waits until an accepted message matches, and returns it. */
  waitFor: (match: (m: ParsedMail) => boolean, ms?: number) => Promise<ParsedMail>;
  /** The same, with a query (tests/helpers/mail.ts). */
  mail: (query: MailQuery | ((m: ParsedMail) => boolean), options?: MailWait) => Promise<ParsedMail>;
  stop: () => Promise<void>;
};

/**
 * An SMTP server keeping what it accepts, parsed. `reject(recipient, attempt)` is asked for every
 * message, with its first envelope recipient and the count of attempts to that recipient (1 first).
 */
export async function startMailServer(options: { reject?: (recipient: string, attempt: number) => Refusal | undefined } = {}): Promise<MailServer> {
  const reject = options.reject;
  const smtp = await startSmtp({ reject: reject && ((_n, recipient, attempt) => reject(recipient, attempt)) });
  return {
    url: smtp.url,
    messages: smtp.messages,
    refused: smtp.refused,
    to: smtp.to,
    waitFor: (match, ms = WAIT_TIMEOUT_MS) => waitForMail(smtp.messages, match, { timeoutMs: ms }),
    mail: smtp.mail,
    stop: smtp.stop,
  };
}
