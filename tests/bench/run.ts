/**
 * npm run bench: the performance targets (beside each URL below), measured on loopback in one run.
 *
 * Builds a register of 10,000 synthetic projects, starts the real service (server/main.ts) and a bare
 * node:http server answering a fixed string, each in its own process, then loads each URL in turn with
 * autocannon (50 connections) and prints requests/s, p50 and p99, and each page's ratio to the bare server.
 * Ratios, not absolute numbers, are what the targets speak of: the machine's speed cancels out.
 */
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../server/db/client';
import { seedSynthetic } from '../../server/cli/seed-synthetic';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { loadConfig } from '../../server/config';
import { createBlindIndex, createFieldCipher } from '../../server/crypto/fields';
import { confirmRequest, readDraft, submitDraft, writeDraft, type RequestDeps } from '../../server/services/rights-requests';
import { STEPS, type Answers } from '../../server/domain/rights-request';
import { createConnectors } from '../../connectors';
import { createMailer } from '../../connectors/mail';
import { generateSecret } from '../../connectors/standard-webhooks';
import { deliveryCounts } from '../../server/db/deliveries';
import { upsertOrganisation } from '../../server/db/register';
import { mailOutbox } from '../../server/db/schema';
import { createI18n } from '../../server/i18n';
import { createLogger } from '../../server/logger';
import { addChannel } from '../../server/services/channels';
import { deliverDue, type DeliveryDeps } from '../../server/worker/deliveries';
import { mailVarsContext } from '../../server/crypto/contexts';
import { benchAtScale } from './scale';

const CONNECTIONS = 50;
const SUBMISSION_DRAFTS = Number(process.env.BENCH_DRAFTS ?? 30_000);

/**
 * Drafts ready to submit, written into the service's database before it starts, each with its own
 * cookie; the CSRF token is computed as the service computes it (same secret, read from DATA_DIR).
 */
function prepareSubmissions(dataDir: string, count: number) {
  const config = loadConfig({ DATA_DIR: dataDir, NODE_ENV: 'development', LOG_LEVEL: 'silent' });
  const database = openDatabase(join(dataDir, 'service.sqlite'));
  const deps = {
    db: database.db,
    cipher: createFieldCipher(config.dataKeys),
    index: createBlindIndex(config.indexKey),
    now: () => new Date(),
  } as unknown as RequestDeps;
  const csrfCookie = randomBytes(32).toString('base64url');
  const token = createHmac('sha256', config.sessionSecret).update(`csrf:${csrfCookie}`).digest('base64url');
  const drafts: string[] = [];
  database.db.transaction((tx) => {
    for (let i = 0; i < count; i += 1) {
      const answers: Answers = {
        kind: 'opposition',
        scope: 'snds',
        onBehalf: 'self',
        lastName: 'Banc',
        firstNames: `Essai ${i}`,
        birthDate: '1995-10-12',
        birthPlace: 'Paris',
        nir: '295109912611193',
        insuranceScheme: 'cpam',
        email: `banc.${i}@example.org`,
        done: ['type', 'portee', 'pour-qui', 'identite', 'contact', 'details'],
        idempotencyKey: randomUUID(),
      };
      drafts.push(writeDraft({ ...deps, db: tx as unknown as RequestDeps['db'] }, undefined, answers));
    }
  });
  database.close();
  let i = 0;
  return {
    used: () => i,
    next: () => {
      const id = drafts[i % drafts.length]!;
      i += 1;
      return {
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `demande=${id}; csrf=${csrfCookie}` },
        body: `_csrf=${token}&declaration=oui`,
      };
    },
  };
}
const DELIVERIES = Number(process.env.BENCH_DELIVERIES ?? 2_000);
const DELIVERIES_NAME = 'deliveries to a local webhook receiver';

/** A receiver that keeps each webhook-id and answers 204 at once; GET tells how many it saw. */
const RECEIVER_SOURCE =
  "const ids=new Set();let posts=0;const s=require('http').createServer((q,r)=>{if(q.method==='GET'){r.writeHead(200,{'content-type':'application/json'});r.end(JSON.stringify({distinct:ids.size,posts}));return}posts++;const id=q.headers['webhook-id'];if(id)ids.add(id);q.resume();r.writeHead(204);r.end()});s.listen(0,'127.0.0.1',()=>console.log('port '+s.address().port))";

type DeliveryBench = { count: number; seconds: number; rate: number; distinct: number; posts: number; pending: number; dead: number; forwarded: number };

/**
 * Deliveries per second to a local webhook receiver, measured in this process with the
 * service's own worker code on its own database (synchronous=FULL): `count` requests are submitted and
 * confirmed through the service functions (submitDraft, then confirmRequest with the token from the
 * confirmation mail), so the outbox rows are exactly what confirmation writes; then `deliverDue` runs,
 * 50 rows a round as the worker leases them, until nothing is pending. Each delivery is a signed POST on
 * a fresh connection to a bare node:http receiver in its own process, and a durable commit of the result
 * (delivery row, request status, timeline event, queued "forwarded" mail). The mail worker does not run.
 */
async function benchDeliveries(count: number, spawnChild: (c: ChildProcess) => void): Promise<DeliveryBench> {
  const receiver = await start(process.execPath, ['-e', RECEIVER_SOURCE], {}, /port (\d+)/);
  spawnChild(receiver.child);
  const origin = `http://127.0.0.1:${receiver.port}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'sante-droits-bench-deliveries-'));
  const database = openDatabase(join(dataDir, 'service.sqlite'));
  try {
    const config = loadConfig({ DATA_DIR: dataDir, NODE_ENV: 'development', LOG_LEVEL: 'warn', PUBLIC_URL: 'http://127.0.0.1:3000', WEBHOOK_ALLOW: origin });
    const i18n = createI18n();
    const logger = createLogger('warn');
    const mailer = createMailer({ smtpUrl: undefined, from: config.mailFrom, dataDir });
    const cipher = createFieldCipher(config.dataKeys);
    const now = () => new Date();
    const noop = () => {};
    const requestDeps: RequestDeps = {
      db: database.db,
      cipher,
      index: createBlindIndex(config.indexKey),
      mailer,
      config,
      logger,
      now,
      i18n,
      kickMail: noop,
      groupCommit: database.groupCommit,
    };
    const connectors = createConnectors({
      mailer,
      i18n,
      publicUrl: config.publicUrl,
      dataDir,
      webhookAllow: config.webhookAllow,
      webhookTimeoutMs: config.delivery.webhookTimeoutMs,
      cnamBatchKey: config.cnamBatchKey,
      now,
    });
    const deps: DeliveryDeps = { db: database.db, cipher, config, logger, now, i18n, connectors, kickMail: noop, groupCommit: database.groupCommit };

    const organisationId = 'banc-destinataire';
    upsertOrganisation(database.db, { id: organisationId, name: 'Destinataire du banc d’essai' }, now().toISOString());
    addChannel(deps, organisationId, { kind: 'webhook', url: `${origin}/demandes`, secrets: [generateSecret()] });

    // Preparation is not timed: its commits need not reach the disk one by one.
    database.sqlite.pragma('synchronous = OFF');
    const draftIds: string[] = [];
    database.db.transaction((tx) => {
      for (let i = 0; i < count; i += 1) {
        const answers: Answers = {
          kind: 'acces',
          scope: 'responsable',
          organisationId,
          onBehalf: 'self',
          lastName: 'Banc',
          firstNames: `Livraison ${i}`,
          birthDate: '1980-02-29',
          birthPlace: 'Lyon',
          email: `livraison.${i}@example.org`,
          accessScope: 'Toutes les données me concernant.',
          done: [...STEPS],
          idempotencyKey: randomUUID(),
        };
        draftIds.push(writeDraft({ ...requestDeps, db: tx as unknown as RequestDeps['db'] }, undefined, answers));
      }
    });
    for (let i = 0; i < draftIds.length; i += 200) {
      const outcomes = await Promise.all(draftIds.slice(i, i + 200).map((id) => submitDraft(requestDeps, readDraft(requestDeps, id)!, { lang: 'fr' })));
      const bad = outcomes.find((o) => o.outcome !== 'created');
      if (bad) throw new Error(`bench submission not created: ${bad.outcome}`);
    }
    // The person's side of confirmation: the link in each confirmation mail.
    const confirmations = database.db
      .select()
      .from(mailOutbox)
      .all()
      .filter((m) => m.template === 'confirm');
    let confirmed = 0;
    for (const m of confirmations) {
      const vars = JSON.parse(cipher.decrypt(m.varsEnc, mailVarsContext(m.id))) as { link: string };
      if (confirmRequest(requestDeps, vars.link.split('/').pop()!)?.status === 'recue') confirmed += 1;
    }
    if (confirmed !== count || deliveryCounts(database.db).pending !== count)
      throw new Error(`bench: ${confirmed} of ${count} requests confirmed, ${deliveryCounts(database.db).pending} deliveries queued`);
    database.sqlite.pragma('synchronous = FULL');
    database.sqlite.pragma('wal_checkpoint(TRUNCATE)');

    const owner = `bench:${process.pid}`;
    const started = performance.now();
    for (;;) {
      const r = await deliverDue(deps, owner, 50);
      // Stop when nothing is pending, or nothing more is due now (a retry waits for its backoff).
      if (r.delivered + r.retried + r.dead === 0 || deliveryCounts(database.db).pending === 0) break;
    }
    const seconds = (performance.now() - started) / 1000;
    const counts = deliveryCounts(database.db);
    const seen = (await (await fetch(`${origin}/`)).json()) as { distinct: number; posts: number };
    const forwarded = (database.sqlite.prepare("select count(*) as n from rights_requests where status = 'transmise'").get() as { n: number }).n;
    mailer.close();
    return {
      count,
      seconds,
      rate: counts.delivered / seconds,
      distinct: seen.distinct,
      posts: seen.posts,
      pending: counts.pending,
      dead: counts.dead,
      forwarded,
    };
  } finally {
    database.close();
    rmSync(dataDir, { recursive: true });
  }
}

const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const PROJECTS = Number(process.env.BENCH_PROJECTS ?? 10_000);

type Target = {
  name: string;
  url: string;
  ratioTarget?: number;
  p99Target?: number;
  method?: 'POST';
  next?: () => { headers: Record<string, string>; body: string };
};
type Result = Target & { rps: number; p50: number; p99: number; errors: number; non2xx: number };

function start(command: string, args: string[], env: Record<string, string>, ready: RegExp): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { PATH: process.env.PATH!, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${command} did not start: ${out}`)), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = ready.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]) });
      }
    });
    child.on('exit', (code) => reject(new Error(`${command} exited ${code}: ${out}`)));
  });
}

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url: string): Promise<void> {
  const until = Date.now() + 30_000;
  while (Date.now() < until) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`service did not answer ${url}`);
}

async function load(target: Target, url: string, seconds: number): Promise<autocannon.Result> {
  if (!target.next) return autocannon({ url, connections: CONNECTIONS, duration: seconds, pipelining: 1 });
  const next = target.next;
  return autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    pipelining: 1,
    method: 'POST',
    // A new draft, cookie and CSRF token for every request: each one is a real, first submission.
    setupClient: (client: autocannon.Client) => {
      client.setRequests([{ method: 'POST', path: new URL(url).pathname }]);
      client.on('response', () => {
        const r = next();
        client.setHeadersAndBody(r.headers, r.body);
      });
      const first = next();
      client.setHeadersAndBody(first.headers, first.body);
    },
  } as autocannon.Options);
}

async function measure(target: Target, base: string): Promise<Result> {
  await load(target, base + target.url, 2); // warm-up: JIT, SQLite page cache
  const r = await load(target, base + target.url, DURATION);
  // Redirects are answers too (a submission ends with 303 See Other): only 4xx, 5xx and socket errors count.
  return { ...target, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.timeouts, non2xx: r['4xx'] + r['5xx'] };
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'sante-droits-bench-'));
  const children: ChildProcess[] = [];
  try {
    const seeding = Date.now();
    const database = openDatabase(join(dataDir, 'service.sqlite'));
    seedSynthetic(database.db, PROJECTS);
    database.close();
    process.stdout.write(`Seeded ${PROJECTS} synthetic projects in ${((Date.now() - seeding) / 1000).toFixed(1)} s\n`);
    const submissions = prepareSubmissions(dataDir, SUBMISSION_DRAFTS);

    const bare = await start(
      process.execPath,
      [
        '-e',
        "const s=require('http').createServer((q,r)=>{r.writeHead(200,{'content-type':'text/plain'});r.end('ok')});s.listen(0,'127.0.0.1',()=>console.log('port '+s.address().port))",
      ],
      {},
      /port (\d+)/,
    );
    children.push(bare.child);
    // Request logs off during the load (LOG_LEVEL=warn): the bare server logs nothing either.
    const appPort = await freePort();
    // The service runs exactly as `npm start` runs it (same Node flags).
    const appChild = spawn('npm', ['start', '--silent'], {
      env: {
        PATH: process.env.PATH!,
        DATA_DIR: dataDir,
        PORT: String(appPort),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        DEMO_DATA: '0',
        NODE_ENV: 'development',
        SUBMIT_RATE_LIMIT: '1000000000',
      },
      stdio: 'inherit',
    });
    children.push(appChild);
    await waitForHealth(`http://127.0.0.1:${appPort}/healthz`);
    const app = { child: appChild, port: appPort };

    const results: Result[] = [];
    results.push(await measure({ name: 'bare node:http', url: '/' }, `http://127.0.0.1:${bare.port}`));
    const appBase = `http://127.0.0.1:${app.port}`;
    for (const target of [
      { name: '/healthz (framework floor)', url: '/healthz' },
      { name: 'register, first page', url: '/projets', ratioTarget: 0.3, p99Target: 50 },
      { name: 'register, search "parkinson"', url: '/projets?q=parkinson', ratioTarget: 0.2, p99Target: 50 },
      { name: 'register, search + filter', url: '/projets?q=cancer&statut=autorise&tri=titre', ratioTarget: 0.2, p99Target: 50 },
      { name: 'project page', url: '/projets/synthetique-004242', p99Target: 50 },
      { name: 'request submission (synchronous=FULL)', url: '/demande/verifier', ratioTarget: 0.1, p99Target: 100, next: submissions.next },
    ].filter((t) => !process.env.BENCH_ONLY || t.name.includes(process.env.BENCH_ONLY))) {
      results.push(await measure(target, appBase));
    }
    const bareRps = results[0]!.rps;
    const rssKb = await rss(app.child.pid!);
    const only = process.env.BENCH_ONLY;
    const deliveries =
      !only || DELIVERIES_NAME.includes(only) || only.includes('deliver') ? await benchDeliveries(DELIVERIES, (c) => children.push(c)) : undefined;

    const rows = results.map((r) => {
      const ratio = r.rps / bareRps;
      const ratioOk = r.ratioTarget === undefined ? '' : ratio >= r.ratioTarget ? ' ok' : ' MISSED';
      const p99Ok = r.p99Target === undefined ? '' : r.p99 < r.p99Target ? ` ok (< ${r.p99Target})` : ` MISSED (< ${r.p99Target})`;
      return [
        r.name,
        r.rps.toFixed(0),
        `${r.p50} ms`,
        `${r.p99} ms${p99Ok}`,
        `${(ratio * 100).toFixed(1)} %${r.ratioTarget ? ` (≥ ${r.ratioTarget * 100} %)` : ''}${ratioOk}`,
        String(r.errors + r.non2xx),
      ];
    });
    const header = ['target', 'req/s', 'p50', 'p99 (target)', 'ratio to bare', 'errors'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
    process.stdout.write(`\n${CONNECTIONS} connections, ${DURATION} s per target after a 2 s warm-up, ${PROJECTS} projects, node ${process.version}\n\n`);
    process.stdout.write([line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n');
    process.stdout.write(`\nService RSS after the run: ${(rssKb / 1024).toFixed(0)} MB (target < 200 MB)\n`);
    const fs = await import('node:fs');
    const made = fs.existsSync(join(dataDir, 'mail')) ? fs.readdirSync(join(dataDir, 'mail')).length : 0;
    process.stdout.write(
      `Submissions: ${submissions.used()} drafts posted, ${made} confirmation mails written${submissions.used() >= SUBMISSION_DRAFTS ? ' (POOL EXHAUSTED: later posts were replays)' : ''}\n`,
    );
    if (deliveries) {
      const d = deliveries;
      const trouble = [
        d.pending ? `${d.pending} STILL PENDING` : '',
        d.dead ? `${d.dead} DEAD` : '',
        d.distinct !== d.count ? `DISTINCT IDS ≠ ${d.count}` : '',
        d.forwarded !== d.count ? `${d.forwarded} requests forwarded` : '',
      ].filter(Boolean);
      process.stdout.write(
        `Deliveries: ${d.count} to a local webhook receiver in ${d.seconds.toFixed(2)} s: ${d.rate.toFixed(0)} deliveries/s, ${d.distinct} distinct ids (${d.posts} posts)${trouble.length ? ` (${trouble.join(', ')})` : ''}\n`,
      );
    }
    // Issue 13: 1,000,000 requests and 100,000 projects (minutes of seeding): opt-in.
    if (process.env.BENCH_SCALE === '1') await benchAtScale();
  } finally {
    for (const c of children) {
      for (const pid of descendants(c.pid!)) process.kill(pid, 'SIGTERM');
      c.kill('SIGTERM');
    }
    rmSync(dataDir, { recursive: true });
  }
}

function descendants(p: number): number[] {
  try {
    return readFileSync(`/proc/${p}/task/${p}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number)
      .flatMap((c) => [c, ...descendants(c)]);
  } catch {
    return [];
  }
}

/** Resident memory of the service: the largest process of the tree npm start made (the node process). */
async function rss(pid: number): Promise<number> {
  const tree = [pid, ...descendants(pid)];
  const biggest = Math.max(
    ...tree.map((p) => {
      try {
        return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0);
      } catch {
        return 0;
      }
    }),
  );
  return biggest;
}

main().catch((err) => {
  process.stderr.write(String(err?.stack ?? err) + '\n');
  process.exit(1);
});
