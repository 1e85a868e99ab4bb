/**
 * The other side of forwarding, for tests: a recipient's webhook endpoint on 127.0.0.1 (node:http) that
 * keeps every signed delivery it receives and answers 204, and `sendCallback`, which answers a request
 * the way a recipient does: a Standard-Webhooks-signed POST to the document's callback_url.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sign } from '../../connectors/standard-webhooks';
import type { RequestDocument } from '../../connectors/types';
import { waitFor, WAIT_TIMEOUT_MS } from './wait';

export type ReceivedDelivery = {
  /** The path the delivery was posted to, e.g. /cnam. */
  path: string;
  headers: IncomingHttpHeaders;
  /** The raw body, exactly as signed. */
  body: string;
  document: RequestDocument;
  at: number;
};

export type WebhookReceiver = {
  /** http://127.0.0.1:PORT, for WEBHOOK_ALLOW and the channels' urls. */
  origin: string;
  received: ReceivedDelivery[];
  /** Resolves with the first delivery matching `match`; throws after `ms`. */
  waitFor: (match: (d: ReceivedDelivery) => boolean, ms?: number) => Promise<ReceivedDelivery>;
  stop: () => Promise<void>;
};

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedDelivery[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let document: RequestDocument;
      try {
        document = JSON.parse(body) as RequestDocument;
      } catch {
        res.writeHead(400).end();
        return;
      }
      received.push({ path: req.url ?? '', headers: req.headers, body, document, at: Date.now() });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    received,
    waitFor: (match, ms = WAIT_TIMEOUT_MS) =>
      waitFor(() => received.find(match), {
        timeoutMs: ms,
        what: 'a matching delivery',
        detail: () => `received ${received.length}: ${received.map((r) => `${r.path} ${r.document.reference}`).join(', ')}`,
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export type CallbackAnswer = { status: number; json: Record<string, unknown>; webhookId: string };

/** A status update signed with the channel's secret and POSTed to the callback_url the document gave. */
export async function sendCallback(
  callbackUrl: string,
  secret: string,
  update: Record<string, unknown>,
  opts: { webhookId?: string } = {},
): Promise<CallbackAnswer> {
  const webhookId = opts.webhookId ?? `msg_${randomUUID()}`;
  const timestamp = Math.floor(Date.now() / 1000);
  const body = JSON.stringify(update);
  const res = await fetch(callbackUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': webhookId,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': sign([secret], webhookId, timestamp, body),
    },
    body,
  });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = { raw: text };
  }
  return { status: res.status, json, webhookId };
}
