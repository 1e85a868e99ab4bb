/**
 * Nothing is lost on `kill -9`: the real service, started as in production, confirms N
 * requests for an organisation with a webhook channel, is killed with SIGKILL while it delivers them,
 * and is started again. Every request then reaches the receiver, which counts exactly N distinct
 * webhook ids (deliveries cut by the kill are sent again with the same id: at least once, and
 * effectively once for a receiver that keeps ids), and every person is told their request was forwarded.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { generateSecret, verify } from '../../connectors/standard-webhooks';
import { loadConfig } from '../../server/config';
import { createBlindIndex, createFieldCipher } from '../../server/crypto/fields';
import { openDatabase } from '../../server/db/client';
import { upsertOrganisation } from '../../server/db/register';
import { mailOutbox } from '../../server/db/schema';
import type { Answers } from '../../server/domain/rights-request';
import { addChannel } from '../../server/services/channels';
import { readDraft, submitDraft, writeDraft, type RequestDeps } from '../../server/services/rights-requests';
import { freePort, startChildService, type ChildService } from '../helpers/child-service';
import { mailVarsContext } from '../../server/crypto/contexts';

const N = 40;
const ORG = 'crash-org';
/** The receiver answers one request at a time, each after this long: deliveries are in flight when the kill lands. */
const RECEIVER_DELAY_MS = 40;
const CONFIRM_CONCURRENCY = 8;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/* ---------- The receiver: a real HTTP endpoint that checks every signature and counts ids ---------- */

type Receiver = {
  port: number;
  /** Every POST with a valid signature, duplicates included. */
  posts: () => number;
  /** webhook-id → how many times it came. */
  ids: Map<string, number>;
  /** The request ids carried by the documents. */
  requestIds: Set<string>;
  /** webhook-ids answered 200 (the receiver's acknowledgement). */
  acked: Set<string>;
  /** Anything refused: bad signature, wrong path, unreadable document. Must stay empty. */
  refused: string[];
  /** Called on each accepted arrival, before it is answered. */
  onArrival: (id: string) => void;
  /** Starts answering: until then every delivery that arrives waits for its answer. */
  release: () => void;
  close: () => Promise<void>;
};

async function startReceiver(secret: string): Promise<Receiver> {
  let posts = 0;
  let release = () => {};
  let queue = new Promise<void>((resolve) => (release = resolve));
  const receiver = {
    ids: new Map<string, number>(),
    requestIds: new Set<string>(),
    acked: new Set<string>(),
    refused: [] as string[],
    onArrival: (_id: string) => {},
  };
  const header = (req: IncomingMessage, name: string) => {
    const v = req.headers[name];
    return typeof v === 'string' ? v : null;
  };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('error', () => {});
    res.on('error', () => {});
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const checked = verify(
        [secret],
        { id: header(req, 'webhook-id'), timestamp: header(req, 'webhook-timestamp'), signature: header(req, 'webhook-signature') },
        body,
        Math.floor(Date.now() / 1000),
      );
      let document: { id?: string; organisation?: { id?: string } } | undefined;
      try {
        document = JSON.parse(body) as typeof document;
      } catch {
        document = undefined;
      }
      if (req.method !== 'POST' || req.url !== '/hook' || !checked.ok || !document?.id || document.organisation?.id !== ORG) {
        receiver.refused.push(`${req.method} ${req.url} ${checked.ok ? 'signature ok' : checked.error} document ${document?.id ?? 'unreadable'}`);
        res.writeHead(400).end();
        return;
      }
      const id = checked.id;
      posts += 1;
      receiver.ids.set(id, (receiver.ids.get(id) ?? 0) + 1);
      receiver.requestIds.add(document.id);
      receiver.onArrival(id);
      // One at a time, RECEIVER_DELAY_MS each; a request whose sender died is skipped without waiting.
      queue = queue.then(async () => {
        if (req.socket.destroyed) return;
        await sleep(RECEIVER_DELAY_MS);
        if (req.socket.destroyed) return;
        res.on('finish', () => receiver.acked.add(id));
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return Object.assign(receiver, {
    release: () => release(),
    port: (server.address() as { port: number }).port,
    posts: () => posts,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  });
}

/* ---------- A person confirming by mail link: GET the page, POST its form ---------- */

async function confirmOverHttp(base: string, token: string): Promise<void> {
  const url = `${base}/demande/confirmer/${token}`;
  const page = await fetch(url);
  const html = await page.text();
  if (page.status !== 200) throw new Error(`GET confirmation page: HTTP ${page.status}`);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!csrf) throw new Error('no CSRF field on the confirmation page');
  const cookie = page.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const res = await fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, origin: base, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf }).toString(),
  });
  await res.text();
  // Post/redirect/get: the confirmation answers 303 to its page.
  if (res.status !== 303) throw new Error(`POST confirmation: HTTP ${res.status}`);
}

async function inPool<T>(items: T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const item = items[next++]!;
        await work(item);
      }
    }),
  );
}

/* ---------- The test ---------- */

const dataDir = mkdtempSync(join(tmpdir(), 'sante-droits-crash-'));
let receiver: Receiver | undefined;
let service: ChildService | undefined;
let reader: Database.Database | undefined;

afterAll(async () => {
  reader?.close();
  if (service?.alive()) {
    service.child.kill('SIGKILL');
    await service.exited;
  }
  await receiver?.close();
  rmSync(dataDir, { recursive: true });
});

describe('crash: kill -9 while delivering', () => {
  it(`delivers all ${N} confirmed requests after a SIGKILL and a restart, the receiver counting exactly ${N} distinct ids`, { timeout: 120_000 }, async () => {
    const secret = generateSecret();
    receiver = await startReceiver(secret);
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    const env = {
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: publicUrl,
      LOG_LEVEL: 'warn',
      DEMO_DATA: '0',
      NODE_ENV: 'development',
      WEBHOOK_ALLOW: `http://127.0.0.1:${receiver.port}`,
      // Short, so the restarted service takes the dead process's rows soon; longer than the timeout (config checks).
      DELIVERY_LEASE_SECONDS: '5',
      WEBHOOK_TIMEOUT_MS: '4500',
    };

    // Before the service starts: the organisation, its webhook channel and N submitted requests,
    // written with the service's own functions and secrets (generated into DATA_DIR, shared with the child).
    const config = loadConfig({ DATA_DIR: dataDir, NODE_ENV: 'development', LOG_LEVEL: 'silent', PUBLIC_URL: publicUrl });
    const dbFile = join(dataDir, 'service.sqlite');
    const setup = openDatabase(dbFile);
    const cipher = createFieldCipher(config.dataKeys);
    const deps = {
      db: setup.db,
      cipher,
      index: createBlindIndex(config.indexKey),
      config,
      now: () => new Date(),
      kickMail: () => {},
    } as unknown as RequestDeps;
    upsertOrganisation(setup.db, { id: ORG, name: 'Organisation du test de panne' }, new Date().toISOString());
    addChannel(deps, ORG, { kind: 'webhook', url: `http://127.0.0.1:${receiver.port}/hook`, secrets: [secret] });
    const requestIds: string[] = [];
    for (let i = 0; i < N; i += 1) {
      const answers: Answers = {
        kind: 'acces',
        scope: 'responsable',
        organisationId: ORG,
        onBehalf: 'self',
        lastName: 'Panne',
        firstNames: `Essai ${i}`,
        birthDate: '1995-10-12',
        birthPlace: 'Paris',
        email: `panne.${i}@example.org`,
        done: ['type', 'portee', 'pour-qui', 'identite', 'contact', 'details'],
      };
      const out = await submitDraft(deps, readDraft(deps, writeDraft(deps, undefined, answers))!, { lang: 'fr' });
      if (out.outcome !== 'created') throw new Error(`request ${i} not created: ${out.outcome}`);
      expect(out.request).toMatchObject({ status: 'a_confirmer', organisationId: ORG, scope: 'responsable' });
      requestIds.push(out.request.id);
    }
    // The confirmation links, as the mails carry them (the link is in the encrypted variables of each 'confirm' mail).
    const tokens = setup.db
      .select()
      .from(mailOutbox)
      .where(eq(mailOutbox.template, 'confirm'))
      .all()
      .map((row) => {
        const { link } = JSON.parse(cipher.decrypt(row.varsEnc, mailVarsContext(row.id))) as { link: string };
        const url = new URL(link);
        expect(url.origin).toBe(publicUrl);
        return url.pathname.split('/').at(-1)!;
      });
    expect(tokens).toHaveLength(N);
    setup.close();

    // First run: confirm all N like people do; meanwhile the receiver holds its answers, so no
    // confirmation is cut by the kill and the kill lands mid-delivery whatever the machine's speed.
    // Then it answers, one at a time, and the service is killed -9 on the arrival of a delivery once at
    // least N/4 distinct ids have come (fewer than N): that delivery, at least, is cut in flight.
    service = await startChildService(env);
    let confirmsDone = false;
    let kill: { distinct: number; acked: number; posts: number } | undefined;
    const first = service;
    receiver.onArrival = () => {
      const distinct = receiver!.ids.size;
      if (kill || !confirmsDone || distinct < N / 4 || distinct >= N) return;
      first.child.kill('SIGKILL');
      kill = { distinct, acked: receiver!.acked.size, posts: receiver!.posts() };
    };
    const confirmStart = Date.now();
    await inPool(tokens, CONFIRM_CONCURRENCY, (token) => confirmOverHttp(first.url, token));
    const confirmMs = Date.now() - confirmStart;
    const seenAtConfirmed = receiver.ids.size;
    confirmsDone = true;
    receiver.release();
    const firstExit = await Promise.race([first.exited, sleep(30_000).then(() => undefined)]);
    if (!firstExit)
      throw new Error(
        `no kill: the receiver saw ${receiver.ids.size} distinct ids of ${N}, the kill window was missed or the service stopped delivering\n${first.output()}`,
      );
    expect(firstExit.signal, first.output()).toBe('SIGKILL');
    expect(kill, 'the service ended without being killed').toBeDefined();
    expect(kill!.distinct).toBeGreaterThanOrEqual(N / 4);
    expect(kill!.distinct).toBeLessThan(N);

    // Second run: same environment, same data; the crashed database is left untouched until then.
    const postsBeforeRestart = receiver.posts();
    const restartedAt = Date.now();
    service = await startChildService(env);
    const healthyMs = Date.now() - restartedAt;
    reader = new Database(dbFile, { readonly: true, fileMustExist: true });
    reader.pragma('busy_timeout = 5000');
    const count = (sql: string) => (reader!.prepare(sql).get() as { n: number }).n;
    const state = () => ({
      distinct: receiver!.ids.size,
      delivered: count(`select count(*) as n from deliveries where organisation_id = '${ORG}' and status = 'delivered'`),
      forwarded: count(`select count(*) as n from rights_requests where organisation_id = '${ORG}' and status = 'transmise' and received_on is not null`),
    });
    const until = Date.now() + 60_000;
    let s = state();
    while (!(s.distinct === N && s.delivered === N && s.forwarded === N) && Date.now() < until) {
      if (!service.alive()) throw new Error(`the restarted service died:\n${service.output()}`);
      await sleep(50);
      s = state();
    }
    const completeMs = Date.now() - restartedAt;
    expect(s, `state 60 s after the restart; service output:\n${service.output()}`).toEqual({ distinct: N, delivered: N, forwarded: N });

    // The receiver's side: exactly N distinct ids, each one a delivery row, every request carried.
    const deliveryIds = (reader.prepare(`select id from deliveries where organisation_id = '${ORG}'`).all() as { id: string }[]).map((r) => r.id);
    expect(deliveryIds).toHaveLength(N);
    expect(receiver.refused).toEqual([]);
    expect(receiver.ids.size).toBe(N);
    expect([...receiver.ids.keys()].sort()).toEqual([...deliveryIds].sort());
    expect([...receiver.requestIds].sort()).toEqual([...requestIds].sort());
    const posts = receiver.posts();
    expect(posts).toBeGreaterThanOrEqual(N);
    // The delivery whose arrival triggered the kill was never answered: it came again, same id.
    expect(posts - N).toBeGreaterThanOrEqual(1);
    expect(count(`select count(*) as n from deliveries where status <> 'delivered'`)).toBe(0);

    // The person's side: each request was forwarded once, with its event and its mail.
    const perRequest = (sql: string) => new Map((reader!.prepare(sql).all() as { requestId: string; n: number }[]).map((r) => [r.requestId, r.n]));
    const events = perRequest(`select request_id as requestId, count(*) as n from request_events where kind = 'forwarded' group by request_id`);
    const mails = perRequest(`select request_id as requestId, count(*) as n from mail_outbox where template = 'forwarded' group by request_id`);
    for (const id of requestIds) {
      expect(events.get(id), `forwarded events of ${id}`).toBe(1);
      expect(mails.get(id), `forwarded mails of ${id}`).toBe(1);
    }
    expect(events.size).toBe(N);
    expect(mails.size).toBe(N);

    console.log(
      `crash: N=${N}, confirmed in ${confirmMs} ms (${seenAtConfirmed} deliveries held meanwhile), received before kill=${kill!.distinct} distinct (${kill!.acked} answered), posts before restart=${postsBeforeRestart}, total posts=${posts}, duplicates=${posts - N}, complete ${(completeMs / 1000).toFixed(2)} s after restart (healthy after ${(healthyMs / 1000).toFixed(2)} s, lease ${env.DELIVERY_LEASE_SECONDS} s)`,
    );

    // A graceful stop at the end.
    reader.close();
    reader = undefined;
    const last = service;
    last.child.kill('SIGTERM');
    const lastExit = await last.exited;
    expect(lastExit.code, last.output()).toBe(0);
  });
});
