/**
 * npm run bench: the performance targets of DESIGN §10, measured on loopback in one run.
 *
 * Builds a register of 10,000 synthetic projects and a pool of drafts ready to submit, starts the real
 * service (`npm start`, worker included) and two floors, each in its own process with the same Node flags:
 * a bare node:http server and a minimal Hono app on @hono/node-server (the framework floor), both
 * answering one fixed HTML page, the service's own home page as first fetched. Then, for each target,
 * autocannon at 50 connections: after a warm-up, rounds of the target alternate with rounds of both
 * floors (tests/bench/load.ts says why), and each line gives the service's CPU time per request answered
 * (read from /proc), its multiple of the framework floor's over the same rounds, requests/s and their
 * ratio to the bare server, p50, p99, errors, and met or missed against its target.
 * The submission line gets a breakdown from timers inside the process (BENCH_TIMINGS=1, server/timings.ts).
 *
 * BENCH_ONLY=<text> keeps the targets whose name holds it; BENCH_ROUNDS, BENCH_ROUND_SECONDS,
 * BENCH_PROJECTS, BENCH_DRAFTS, BENCH_DELIVERIES change the sizes; BENCH_SCALE=1 adds the lines at
 * national scale (tests/bench/scale.ts); BENCH_CPU_PROF=<dir> has the service write a CPU profile (--cpu-prof)
 * there when it stops, to see where the time of a missed target goes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../server/db/client';
import { seedSynthetic } from '../../server/cli/seed-synthetic';
import { benchDeliveries, DELIVERIES, DELIVERIES_NAME, type DeliveryBench } from './deliveries';
import { CONNECTIONS, cpuPerRequest, measureTogether, p50, p99, requestsPerSecond, warmUp, type Body, type Side, type Totals } from './load';
import { freePort, rssKb, serviceProcess, start, stopTree, waitForHealth } from './processes';
import { benchAtScale } from './scale';
import { prepareSubmissions } from './submissions';
import { breakdownLines, readTimings, type Timings } from './timings';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ROUND_SECONDS = Number(process.env.BENCH_ROUND_SECONDS ?? 1.5);
const PROJECTS = Number(process.env.BENCH_PROJECTS ?? 10_000);
const SUBMISSION_DRAFTS = Number(process.env.BENCH_DRAFTS ?? 30_000);
const RSS_TARGET_MB = 200;

type Target = {
  name: string;
  url: string;
  /** The most CPU per request allowed, as a multiple of the framework floor's (DESIGN §10). */
  floorTarget?: number;
  p99Target: number;
  next?: () => Body;
  /** Times the submission's phases inside the service (server/timings.ts). */
  timed?: boolean;
};

type Line = Target & { service: Totals; floor: Totals; bare: Totals; timings?: Timings };

/** The words of `npm start`'s command: `node`, its flags, the entry point. */
function startScript(): string[] {
  return (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start.split(/\s+/);
}

/** `npm start`'s command with `--cpu-prof` (Node refuses it in NODE_OPTIONS). */
function profiledStart(dir: string): [string, string[]] {
  return [process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, ...startScript().slice(1)]];
}

/** The Node flags of `npm start`, so the floors run on the same heap settings as the service. */
function startFlags(): string[] {
  return startScript().filter((a) => /^--max-/.test(a));
}

function targets(submissions: ReturnType<typeof prepareSubmissions>): Target[] {
  const page = { p99Target: 50 };
  return [
    { name: '/healthz', url: '/healthz', floorTarget: 1.5, ...page },
    { name: 'home /', url: '/', floorTarget: 3, ...page },
    { name: '/comprendre/vos-droits', url: '/comprendre/vos-droits', floorTarget: 3, ...page },
    { name: 'register /projets', url: '/projets', floorTarget: 3, ...page },
    { name: 'search /projets?q=cancer', url: '/projets?q=cancer', floorTarget: 5, ...page },
    { name: 'search + filters', url: '/projets?q=cancer&statut=autorise&tri=titre', floorTarget: 5, ...page },
    { name: 'project page', url: '/projets/synthetique-004242', floorTarget: 3, ...page },
    { name: '/outils/delai.json', url: '/outils/delai.json?recu=2026-04-30&mois=1&calendrier=FR', floorTarget: 3, ...page },
    { name: 'calculator /outils/delai', url: '/outils/delai', floorTarget: 3, ...page },
    { name: '/demande (first step)', url: '/demande', floorTarget: 3, ...page },
    { name: '/statistiques', url: '/statistiques', floorTarget: 3, ...page },
    { name: 'submission (synchronous=FULL)', url: '/demande/verifier', floorTarget: 20, p99Target: 100, next: submissions.next, timed: true },
  ].filter((t) => !process.env.BENCH_ONLY || t.name.includes(process.env.BENCH_ONLY));
}

type Running = { service: Side; floor: Side; bare: Side; servicePid: number; dataDir: string };

async function measureTarget(target: Target, run: Running, rates: Map<string, number>): Promise<Line> {
  const side: Side = { name: target.name, url: run.service.url.replace(/\/$/, '') + target.url, pid: run.servicePid, next: target.next };
  rates.set(side.name, await warmUp(side));
  if (target.timed) await readTimings(run.servicePid, run.dataDir);
  const totals = await measureTogether([run.bare, run.floor, side], rates, ROUNDS, ROUND_SECONDS);
  const timings = target.timed ? await readTimings(run.servicePid, run.dataDir) : undefined;
  return { ...target, service: totals.get(side.name)!, floor: totals.get(run.floor.name)!, bare: totals.get(run.bare.name)!, timings };
}

function row(l: Line): string[] {
  const multiple = cpuPerRequest(l.service) / cpuPerRequest(l.floor);
  const met = (ok: boolean) => (ok ? 'met' : 'MISSED');
  const floorCell = `${multiple.toFixed(1)}×${l.floorTarget ? ` (≤ ${l.floorTarget}×: ${met(multiple <= l.floorTarget)})` : ''}`;
  const tail = p99(l.service);
  return [
    l.name,
    cpuPerRequest(l.service).toFixed(0),
    floorCell,
    requestsPerSecond(l.service).toFixed(0),
    `${((100 * requestsPerSecond(l.service)) / requestsPerSecond(l.bare)).toFixed(1)} %`,
    `${p50(l.service)} ms`,
    `${tail} ms (< ${l.p99Target}: ${met(tail < l.p99Target)})`,
    String(l.service.errors + l.service.non2xx),
  ];
}

function table(lines: Line[]): string {
  const header = ['target', 'CPU µs/req', '× floor (target)', 'req/s', 'ratio to bare', 'p50', 'p99 (target)', 'errors'];
  const rows = lines.map(row);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const cells = (c: string[]) => `| ${c.map((x, i) => x.padEnd(widths[i]!)).join(' | ')} |`;
  return [cells(header), cells(widths.map((w) => '-'.repeat(w))), ...rows.map(cells)].join('\n');
}

function floorsLine(lines: Line[]): string {
  const sum = (pick: (l: Line) => Totals) =>
    lines.reduce((t, l) => ({ requests: t.requests + pick(l).requests, cpuUs: t.cpuUs + pick(l).cpuUs }), { requests: 0, cpuUs: 0 });
  const f = sum((l) => l.floor);
  const b = sum((l) => l.bare);
  return `Floors over all rounds: minimal Hono ${(f.cpuUs / f.requests).toFixed(1)} µs/req, bare node:http ${(b.cpuUs / b.requests).toFixed(1)} µs/req`;
}

async function startService(dataDir: string, children: ChildProcess[]): Promise<{ child: ChildProcess; url: string; pid: number }> {
  const port = await freePort();
  // Exactly as `npm start` runs it; request logs at info, as in production, written to a file.
  const log = openSync(join(dataDir, 'service.log'), 'w');
  // BENCH_CPU_PROF=<dir>: the start script's own command, with V8's CPU profile written there when it stops.
  const prof = process.env.BENCH_CPU_PROF;
  const [command, args] = prof ? profiledStart(prof) : ['npm', ['start', '--silent']];
  const child = spawn(command, args, {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH!,
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
      DEMO_DATA: '0',
      NODE_ENV: 'development',
      SUBMIT_RATE_LIMIT: '1000000000',
      BENCH_TIMINGS: '1',
    },
    stdio: ['ignore', log, 'inherit'],
  });
  closeSync(log);
  // Stopped at the end even if it never answers.
  children.push(child);
  const url = `http://127.0.0.1:${port}/`;
  await waitForHealth(`${url}healthz`);
  return { child, url, pid: serviceProcess(child.pid!) };
}

async function startFloors(dataDir: string, homePage: string, children: ChildProcess[]): Promise<{ floor: Side; bare: Side }> {
  const pageFile = join(dataDir, 'floor-page.html');
  writeFileSync(pageFile, homePage);
  const flags = startFlags();
  const hono = await start(process.execPath, [...flags, '--import', 'tsx', join(ROOT, 'tests/bench/floor-hono.ts')], { FLOOR_PAGE: pageFile });
  children.push(hono.child);
  const bare = await start(process.execPath, [...flags, join(ROOT, 'tests/bench/floor-bare.cjs')], { FLOOR_PAGE: pageFile });
  children.push(bare.child);
  return {
    floor: { name: 'minimal Hono (floor)', url: `http://127.0.0.1:${hono.port}/`, pid: hono.child.pid! },
    bare: { name: 'bare node:http', url: `http://127.0.0.1:${bare.port}/`, pid: bare.child.pid! },
  };
}

function report(lines: Line[], pageBytes: number, rssMb: number, submissionsUsed: number, dataDir: string, deliveries?: DeliveryBench) {
  const out: string[] = [];
  out.push(
    `\n${CONNECTIONS} connections; per target a 2 s warm-up, then ${ROUNDS} rounds of ~${ROUND_SECONDS} s alternating with both floors; ${PROJECTS} projects; node ${process.version}`,
  );
  out.push(
    `Floors: the same fixed HTML page (${pageBytes} bytes, the service's home page); the service logs each request at ${process.env.BENCH_LOG_LEVEL ?? 'info'} level\n`,
  );
  out.push(table(lines));
  out.push(`\n${floorsLine(lines)}`);
  out.push(`Service RSS after the run: ${rssMb.toFixed(0)} MB (< ${RSS_TARGET_MB} MB: ${rssMb < RSS_TARGET_MB ? 'met' : 'MISSED'})`);
  const submission = lines.find((l) => l.timings);
  if (submission)
    out.push(...breakdownLines(submission.timings!, cpuPerRequest(submission.service), cpuPerRequest(submission.floor), submission.service.requests));
  const made = existsSync(join(dataDir, 'mail')) ? readdirSync(join(dataDir, 'mail')).length : 0;
  out.push(
    `Submissions: ${submissionsUsed} drafts posted, ${made} confirmation mails written${submissionsUsed >= SUBMISSION_DRAFTS ? ' (POOL EXHAUSTED: later posts were replays)' : ''}`,
  );
  if (deliveries) {
    const d = deliveries;
    const trouble = [
      d.pending ? `${d.pending} STILL PENDING` : '',
      d.dead ? `${d.dead} DEAD` : '',
      d.distinct !== d.count ? `DISTINCT IDS ≠ ${d.count}` : '',
      d.forwarded !== d.count ? `${d.forwarded} requests forwarded` : '',
    ].filter(Boolean);
    out.push(
      `Deliveries: ${d.count} to a local webhook receiver in ${d.seconds.toFixed(2)} s: ${d.rate.toFixed(0)} deliveries/s, ${d.distinct} distinct ids (${d.posts} posts)${trouble.length ? ` (${trouble.join(', ')})` : ''}`,
    );
  }
  process.stdout.write(out.join('\n') + '\n');
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

    const service = await startService(dataDir, children);
    const homePage = await (await fetch(service.url)).text();
    const floors = await startFloors(dataDir, homePage, children);
    const run: Running = { service: { name: 'service', url: service.url, pid: service.pid }, ...floors, servicePid: service.pid, dataDir };
    const rates = new Map<string, number>();
    for (const side of [floors.bare, floors.floor]) rates.set(side.name, await warmUp(side));

    const lines: Line[] = [];
    for (const target of targets(submissions)) {
      lines.push(await measureTarget(target, run, rates));
      process.stdout.write(`  ${row(lines.at(-1)!).join(' | ')}\n`);
    }
    const rssMb = rssKb(service.pid) / 1024;
    const only = process.env.BENCH_ONLY;
    const deliveries =
      !only || DELIVERIES_NAME.includes(only) || only.includes('deliver') ? await benchDeliveries(DELIVERIES, (c) => children.push(c)) : undefined;
    report(lines, Buffer.byteLength(homePage), rssMb, submissions.used(), dataDir, deliveries);
    // Issue 13: 1,000,000 requests and 100,000 projects (minutes of seeding): opt-in.
    if (process.env.BENCH_SCALE === '1') await benchAtScale();
  } finally {
    for (const c of children) stopTree(c);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(String(err?.stack ?? err) + '\n');
  process.exit(1);
});
