/**
 * The webhook connector against real HTTP receivers on 127.0.0.1: what each answer becomes (per
 * Standard Webhooks "Delivery success and failure"), that every attempt is signed so the receiver's
 * own verification passes, and that nothing is sent where it should not be (allow list, redirects).
 */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { generateSecret, verify } from '../../connectors/standard-webhooks';
import type { ChannelConfig, Delivery, RequestDocument } from '../../connectors/types';
import { allowList, createWebhookConnector, parseRetryAfter, postSigned } from '../../connectors/webhook';

type Received = { headers: IncomingHttpHeaders; body: string };
type Receiver = { url: string; origin: string; received: Received[]; connections: () => number };

const servers: Server[] = [];

/** A receiver answering each request with `respond(response, index)`; keeps what it was sent. */
async function startReceiver(respond: (res: ServerResponse, index: number) => void): Promise<Receiver> {
  const received: Received[] = [];
  let connections = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      respond(res, received.length - 1);
    });
  });
  server.on('connection', () => connections++);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url: `${origin}/hooks/requests`, origin, received, connections: () => connections };
}

const answer =
  (status: number, headers: Record<string, string> = {}) =>
  (res: ServerResponse) =>
    res.writeHead(status, headers).end('{"ok":false}');

afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

const document: RequestDocument = {
  $schema: 'https://example.test/api/v1/schemas/request.json',
  version: 2,
  id: '6f1c2a9e-3b7d-4c58-9a0e-2d4f6b8c1e35',
  reference: 'DS-7K3M-Q9XA',
  kind: 'opposition',
  scope: 'projet',
  project: { id: 'p1', title: 'Étude synthétique' },
  organisation: { id: 'o1', name: 'Organisation fictive' },
  answered_by: { id: 'o1', name: 'Organisation fictive' },
  role: 'answer',
  part: 'controller',
  sources: [],
  identity_step: 'controller',
  on_behalf: 'self',
  insurance_scheme: null,
  language: 'fr',
  identity: {
    last_name: 'Synthétique',
    first_names: 'Camille',
    birth_name: null,
    birth_date: '1980-01-01',
    birth_place: 'Nulle-part',
    nir: null,
    email: 'camille@example.test',
    postal_address: null,
    requester_name: null,
    relationship: null,
  },
  details: { reason: 'Test', wrong_data: null, correct_data: null, access_scope: null, other_details: null },
  submitted_at: '2025-01-01T10:00:00.000Z',
  confirmed_at: '2025-01-01T10:05:00.000Z',
  received_on: '2025-01-01',
  due_on: '2025-02-01',
  callback_url: 'https://example.test/api/v1/callbacks',
};
const delivery = (attempt = 1, id = 'dlv_01HZX5Q2W8'): Delivery => ({ id, attempt, document, lang: 'fr' });
const secret = generateSecret();
const channelFor = (receiver: Receiver, secrets = [secret]): ChannelConfig => ({ kind: 'webhook', url: receiver.url, secrets });
const connectorFor = (...receivers: Receiver[]) => createWebhookConnector({ allow: allowList(receivers.map((r) => r.origin)), timeoutMs: 2_000 });
const nowSeconds = () => Math.floor(Date.now() / 1000);

describe('createWebhookConnector', () => {
  it('retries on 500 with the same webhook-id, each attempt signed so the receiver verifies it', async () => {
    const receiver = await startReceiver((res, i) => (i < 2 ? answer(500)(res) : answer(200)(res)));
    const connector = connectorFor(receiver);
    expect(connector.kind).toBe('webhook');
    const results = [];
    for (const attempt of [1, 2, 3]) results.push(await connector.deliver(delivery(attempt), channelFor(receiver)));
    expect(results).toEqual([
      { outcome: 'retry', error: 'HTTP 500' },
      { outcome: 'retry', error: 'HTTP 500' },
      { outcome: 'delivered', detail: 'HTTP 200' },
    ]);
    expect(receiver.received).toHaveLength(3);
    for (const { headers, body } of receiver.received) {
      expect(headers['webhook-id']).toBe('dlv_01HZX5Q2W8');
      expect(headers['content-type']).toBe('application/json');
      expect(body).toBe(JSON.stringify(document));
      const check = verify(
        [secret],
        { id: headers['webhook-id'] as string, timestamp: headers['webhook-timestamp'] as string, signature: headers['webhook-signature'] as string },
        body,
        nowSeconds(),
      );
      expect(check).toMatchObject({ ok: true, id: 'dlv_01HZX5Q2W8' });
    }
  });

  it('disables the channel on 410 Gone', async () => {
    const receiver = await startReceiver(answer(410));
    expect(await connectorFor(receiver).deliver(delivery(), channelFor(receiver))).toEqual({ outcome: 'disabled', error: 'HTTP 410 gone' });
  });

  it('gives up waiting after timeoutMs and retries', async () => {
    const receiver = await startReceiver(() => {}); // reads the request, never answers
    const connector = createWebhookConnector({ allow: allowList([receiver.origin]), timeoutMs: 300 });
    const started = Date.now();
    const result = await connector.deliver(delivery(), channelFor(receiver));
    const elapsed = Date.now() - started;
    expect(result).toEqual({ outcome: 'retry', error: 'timeout' });
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(5_000);
  });

  it('never follows a redirect', async () => {
    const elsewhere = await startReceiver(answer(200));
    const receiver = await startReceiver(answer(302, { location: elsewhere.url }));
    const result = await connectorFor(receiver, elsewhere).deliver(delivery(), channelFor(receiver));
    expect(result).toEqual({ outcome: 'failed', error: 'HTTP 302 redirect refused' });
    expect(receiver.received).toHaveLength(1);
    expect(elsewhere.connections()).toBe(0);
  });

  it('honours retry-after on 503 (seconds) and 429 (HTTP date)', async () => {
    const busy = await startReceiver(answer(503, { 'retry-after': '120' }));
    expect(await connectorFor(busy).deliver(delivery(), channelFor(busy))).toEqual({ outcome: 'retry', error: 'HTTP 503', retryAfterMs: 120_000 });

    const now = new Date('2025-03-01T12:00:00Z');
    const limited = await startReceiver(answer(429, { 'retry-after': 'Sat, 01 Mar 2025 12:10:00 GMT' }));
    const connector = createWebhookConnector({ allow: allowList([limited.origin]), now: () => now });
    expect(await connector.deliver(delivery(), channelFor(limited))).toEqual({ outcome: 'retry', error: 'HTTP 429', retryAfterMs: 600_000 });
  });

  it('fails on other 4xx, without the body or the identity in the error', async () => {
    const receiver = await startReceiver(answer(422));
    const result = await connectorFor(receiver).deliver(delivery(), channelFor(receiver));
    expect(result).toEqual({ outcome: 'failed', error: 'HTTP 422' });
  });

  it('refuses a destination not on the allow list, without connecting', async () => {
    const receiver = await startReceiver(answer(200));
    const other = await startReceiver(answer(200));
    const result = await connectorFor(other).deliver(delivery(), channelFor(receiver));
    expect(result).toEqual({ outcome: 'failed', error: 'destination not allowed' });
    expect(receiver.connections()).toBe(0);
  });

  it('retries when the connection is refused', async () => {
    const receiver = await startReceiver(answer(200));
    const closed = servers.at(-1)!;
    closed.closeAllConnections();
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    servers.pop();
    const result = await connectorFor(receiver).deliver(delivery(), channelFor(receiver));
    expect(result).toEqual({ outcome: 'retry', error: 'connection error ECONNREFUSED' });
  });

  it('sends one signature per secret during a rotation', async () => {
    const receiver = await startReceiver(answer(204));
    const next = generateSecret();
    expect(await connectorFor(receiver).deliver(delivery(), channelFor(receiver, [next, secret]))).toEqual({ outcome: 'delivered', detail: 'HTTP 204' });
    const { headers, body } = receiver.received[0]!;
    const signature = headers['webhook-signature'] as string;
    expect(signature.split(' ')).toHaveLength(2);
    const signed = { id: headers['webhook-id'] as string, timestamp: headers['webhook-timestamp'] as string, signature };
    expect(verify([secret], signed, body, nowSeconds()).ok).toBe(true);
    expect(verify([next], signed, body, nowSeconds()).ok).toBe(true);
  });

  it('reuses the same transport for the CNAM API mode and refuses other channels', async () => {
    const receiver = await startReceiver(answer(202));
    const connector = connectorFor(receiver);
    expect(await connector.deliver(delivery(), { kind: 'cnam', mode: 'api', url: receiver.url, secrets: [secret] })).toEqual({
      outcome: 'delivered',
      detail: 'HTTP 202',
    });
    expect(await connector.deliver(delivery(), { kind: 'cnam', mode: 'batch' })).toEqual({ outcome: 'failed', error: 'not a webhook channel' });
    expect(receiver.received).toHaveLength(1);
  });
});

describe('postSigned', () => {
  it('reads at most 64 KiB of a large answer and still reports the status', async () => {
    const receiver = await startReceiver((res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write(Buffer.alloc(256 * 1024, 'x')); // and never ends
    });
    const result = await postSigned(receiver.url, [secret], 'msg_big', '{}', { allow: allowList([receiver.origin]), timeoutMs: 5_000 });
    expect(result).toEqual({ outcome: 'delivered', detail: 'HTTP 200' });
  });

  it('fails without a usable secret, id or url, and never throws', async () => {
    const receiver = await startReceiver(answer(200));
    const opts = { allow: allowList([receiver.origin]) };
    expect(await postSigned(receiver.url, [], 'msg_1', '{}', opts)).toEqual({ outcome: 'failed', error: 'no signing secret' });
    expect(await postSigned(receiver.url, ['not-a-secret'], 'msg_1', '{}', opts)).toEqual({ outcome: 'failed', error: 'cannot sign' });
    expect(await postSigned(receiver.url, [secret], 'msg\r\nx-injected: 1', '{}', opts)).toEqual({ outcome: 'failed', error: 'invalid request headers' });
    expect(await postSigned('not a url', [secret], 'msg_1', '{}', opts)).toEqual({ outcome: 'failed', error: 'invalid url' });
    const throwing = {
      allow: () => {
        throw new Error('boom');
      },
    };
    expect(await postSigned(receiver.url, [secret], 'msg_1', '{}', throwing)).toEqual({ outcome: 'failed', error: 'destination not allowed' });
    expect(receiver.received).toHaveLength(0);
  });
});

describe('allowList', () => {
  const allow = allowList(['https://dpo.example.org', '*.hopital.example', 'http://127.0.0.1:8080']);
  const allowed = (url: string) => allow(new URL(url));

  it('allows exact origins, https subdomains of a suffix and listed loopback http origins', () => {
    expect(allowed('https://dpo.example.org/hooks')).toBe(true);
    expect(allowed('https://dpo.example.org:443/hooks')).toBe(true);
    expect(allowed('https://DPO.Example.org/x')).toBe(true);
    expect(allowed('https://api.hopital.example/x')).toBe(true);
    expect(allowed('https://a.b.hopital.example:8443/x')).toBe(true);
    expect(allowed('http://127.0.0.1:8080/x')).toBe(true);
  });

  it('refuses everything else', () => {
    expect(allowed('http://dpo.example.org/hooks')).toBe(false);
    expect(allowed('https://dpo.example.org:8443/hooks')).toBe(false);
    expect(allowed('https://evil.dpo.example.org/')).toBe(false);
    expect(allowed('https://example.org/')).toBe(false);
    expect(allowed('https://hopital.example/')).toBe(false);
    expect(allowed('http://api.hopital.example/')).toBe(false);
    expect(allowed('https://evilhopital.example/')).toBe(false);
    expect(allowed('https://api.hopital.example.evil.test/')).toBe(false);
    expect(allowed('http://127.0.0.1:8081/')).toBe(false);
    expect(allowed('http://localhost:8080/')).toBe(false);
    expect(allowed('http://169.254.169.254/latest/meta-data')).toBe(false);
  });

  it('throws on patterns it does not understand', () => {
    for (const bad of ['http://dpo.example.org', '*.org', 'https://dpo.example.org/path', 'dpo.example.org', '*', 'ftp://x.example.org']) {
      expect(() => allowList([bad])).toThrow(/allow-list pattern/);
    }
  });
});

describe('parseRetryAfter', () => {
  const now = new Date('2025-03-01T12:00:00Z');
  it('reads seconds and HTTP dates, capped at 24 h', () => {
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('999999999', now)).toBe(86_400_000);
    expect(parseRetryAfter('Sat, 01 Mar 2025 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Sat, 01 Mar 2025 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('Fri, 01 Mar 2030 12:00:00 GMT', now)).toBe(86_400_000);
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
  });
});
