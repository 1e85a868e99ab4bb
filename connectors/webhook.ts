/**
 * The webhook connector: POSTs the request document to the organisation's endpoint,
 * signed per Standard Webhooks, and maps the answer to a delivery result. `postSigned` is the
 * transport on its own, so the CNAM's API mode can reuse it.
 *
 * Spec: https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md
 *
 * The destination is checked by `allow` before any connection (SSRF: the URL is chosen by an
 * organisation, not by us). The check is on the URL only; resolved addresses are not filtered here,
 * so in production the worker should also sit behind an egress proxy, as the spec recommends.
 * Errors are short codes and status lines: never the body, the identity, a secret or a URL.
 */
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { sign } from './standard-webhooks';
import type { ChannelConfig, Connector, Delivery, DeliveryResult } from './types';

/** Spec, "Request timeouts": "somewhere between 15 and 30s". We never wait longer than 30 s. */
const MAX_TIMEOUT_MS = 30_000;
/** The answer only matters by its status; the rest is read up to this much and dropped. */
const MAX_RESPONSE_BYTES = 64 * 1024;
/** A receiver's Retry-After is honoured, but never pushes an attempt more than a day away. */
const MAX_RETRY_AFTER_MS = 24 * 60 * 60 * 1000;
const DEFAULT_USER_AGENT = 'donnees-sante-droits-webhooks/1';

export type WebhookOptions = {
  /** Decides every destination, scheme included (see `allowList`). */
  allow: (url: URL) => boolean;
  /** Default and maximum 30 000 ms, for the whole exchange (connect, send, answer). */
  timeoutMs?: number;
  userAgent?: string;
  now?: () => Date;
};

const failed = (error: string): DeliveryResult => ({ outcome: 'failed', error });
const retry = (error: string, retryAfterMs?: number): DeliveryResult =>
  retryAfterMs === undefined ? { outcome: 'retry', error } : { outcome: 'retry', error, retryAfterMs };

/**
 * A `Retry-After` value (RFC 9110 §10.2.3: delay in seconds, or an HTTP date) in milliseconds from
 * `now`, capped at 24 h; a date already past gives 0; anything unreadable gives undefined.
 */
export function parseRetryAfter(value: string | undefined, now: Date): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  let ms: number;
  if (/^[0-9]+$/.test(text)) ms = Number(text) * 1000;
  else {
    // Every HTTP-date form starts with the day name; this keeps Date.parse's leniency ("-5", "2030") out.
    if (!/^[A-Za-z]{3}/.test(text)) return undefined;
    const at = Date.parse(text);
    if (Number.isNaN(at)) return undefined;
    ms = Math.max(0, at - now.getTime());
  }
  return Math.min(ms, MAX_RETRY_AFTER_MS);
}

/** Spec, "Delivery success and failure": the suggested handling of each status code. */
function classify(status: number, retryAfter: string | undefined, now: Date): DeliveryResult {
  const line = `HTTP ${status}`;
  if (status >= 200 && status < 300) return { outcome: 'delivered', detail: line };
  // "3xx: Failure. Following redirects causes unnecessary load [...] update the webhook URL instead."
  if (status >= 300 && status < 400) return failed(`${line} redirect refused`);
  // "410 Gone: [...] Sender should disable the webhook endpoint, and stop sending it messages."
  if (status === 410) return { outcome: 'disabled', error: `${line} gone` };
  // 429 and 5xx are the receiver's trouble, not ours: try again, when it says (spec: "Retry-After").
  if (status === 429 || (status >= 500 && status < 600)) return retry(line, parseRetryAfter(retryAfter, now));
  // Any other 4xx: the receiver refuses this request as it is, and resending it will not change that.
  if (status >= 400 && status < 500) return failed(line);
  return retry(line); // not a status a receiver should answer with: most likely a broken proxy, passing.
}

/** `ECONNREFUSED`, `CERT_HAS_EXPIRED`…: the code only, never a message that could carry a host or data. */
function connectionError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && /^[A-Z0-9_]{1,64}$/.test(code) ? `connection error ${code}` : 'connection error';
}

/**
 * POSTs `body` (JSON) to `url` with the Standard Webhooks headers, one signature per secret. Redirects
 * are never followed. Resolves, never rejects.
 */
export async function postSigned(url: string, secrets: string[], id: string, body: string, opts: WebhookOptions): Promise<DeliveryResult> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return failed('invalid url');
  }
  let allowed = false;
  try {
    allowed = (target.protocol === 'https:' || target.protocol === 'http:') && opts.allow(target) === true;
  } catch {
    allowed = false;
  }
  if (!allowed) return failed('destination not allowed');

  const clock = opts.now ?? (() => new Date());
  // Spec, "Webhook metadata": the timestamp is the attempt's, so each retry is signed afresh.
  const timestamp = Math.floor(clock().getTime() / 1000);
  if (secrets.length === 0) return failed('no signing secret');
  let signature: string;
  try {
    signature = sign(secrets, id, timestamp, body);
  } catch {
    return failed('cannot sign');
  }
  const timeoutMs = Number.isFinite(opts.timeoutMs) ? Math.min(Math.max(1, opts.timeoutMs!), MAX_TIMEOUT_MS) : MAX_TIMEOUT_MS;

  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<DeliveryResult>((resolve) => {
    /** Known once the status line is in; later trouble (slow or cut body) does not change it. */
    let answer: DeliveryResult | undefined;
    let settled = false;
    let req: ClientRequest | undefined;
    let timer: NodeJS.Timeout | undefined;
    const finish = (result: DeliveryResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req?.destroy();
      resolve(result);
    };
    try {
      req = send(target, {
        method: 'POST',
        // A fresh connection per delivery: nothing pooled across organisations, and no redirect logic at all.
        agent: false,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body, 'utf8'),
          'user-agent': opts.userAgent ?? DEFAULT_USER_AGENT,
          // Spec, "Webhook headers": the id stays the same across retries (the receiver's idempotency key).
          'webhook-id': id,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signature,
        },
      });
    } catch {
      return finish(failed('invalid request headers')); // thrown synchronously, e.g. a control character in the id
    }
    timer = setTimeout(() => finish(answer ?? retry('timeout')), timeoutMs);

    req.on('response', (res: IncomingMessage) => {
      const retryAfter = res.headers['retry-after'];
      const result = classify(res.statusCode ?? 0, typeof retryAfter === 'string' ? retryAfter : undefined, clock());
      answer = result;
      const done = () => finish(result);
      let received = 0;
      res.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received >= MAX_RESPONSE_BYTES) done();
      });
      res.on('end', done);
      res.on('close', done);
      res.on('error', done);
    });
    req.on('error', (err) => finish(answer ?? retry(connectionError(err))));
    req.end(body);
  });
}

/** The webhook connector; channels `{kind: 'webhook'}` and the CNAM's `{kind: 'cnam', mode: 'api'}`. */
export function createWebhookConnector(opts: WebhookOptions): Connector {
  return {
    kind: 'webhook',
    async deliver(delivery: Delivery, channel: ChannelConfig): Promise<DeliveryResult> {
      if (!(channel.kind === 'webhook' || (channel.kind === 'cnam' && channel.mode === 'api'))) return failed('not a webhook channel');
      return postSigned(channel.url, channel.secrets, delivery.id, JSON.stringify(delivery.document), opts);
    },
  };
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
/** A host suffix: at least two labels, so `*.fr` cannot open a whole top-level domain. */
const HOST_SUFFIX = /^\*\.((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)$/;

/**
 * An `allow` function from a list of patterns:
 * - `https://dpo.example.org` (port optional): that exact origin;
 * - `*.example.org`: any https host under example.org (not example.org itself), any port;
 * - `http://127.0.0.1:PORT` (or localhost, [::1]): that exact plain-http origin, for tests and local
 *   receivers only; plain http to any other host is refused (spec, "Enforcing HTTPS": the payload
 *   carries personal data).
 * Throws on a pattern it does not understand, so a typo in config fails at start-up.
 */
export function allowList(patterns: string[]): (url: URL) => boolean {
  const origins = new Set<string>();
  const suffixes: string[] = [];
  for (const raw of patterns) {
    const pattern = raw.trim().toLowerCase();
    const suffix = HOST_SUFFIX.exec(pattern);
    if (suffix) {
      suffixes.push(`.${suffix[1]}`);
      continue;
    }
    let parsed: URL;
    try {
      parsed = new URL(pattern);
    } catch {
      throw new Error(`Invalid webhook allow-list pattern: ${raw}`);
    }
    const bare =
      parsed.pathname === '/' && !parsed.search && !parsed.hash && !parsed.username && !parsed.password && !pattern.endsWith('?') && !pattern.endsWith('#');
    const scheme = parsed.protocol === 'https:' || (parsed.protocol === 'http:' && LOOPBACK_HOSTS.has(parsed.hostname));
    if (!bare || !scheme) throw new Error(`Invalid webhook allow-list pattern (https origin, *.host suffix or loopback http origin): ${raw}`);
    origins.add(parsed.origin);
  }
  return (url) => origins.has(url.origin) || (url.protocol === 'https:' && suffixes.some((s) => url.hostname.endsWith(s)));
}
