/**
 * Bench lines at national scale (issue 13): a database of 1,000,000 rights requests and 100,000
 * projects (server/cli/seed-synthetic*.ts), then the server time of three pages, in process through
 * the app (routing, service, rendering; no network), as the median of repeated requests:
 * - the public figures, /statistiques (target < 100 ms), and the figures service alone;
 * - a DPO queue page, /espace-pro/demandes for the CNAM (target < 10 ms);
 * - the register search, /projets?q=parkinson (target < 20 ms), each call a page not in its render cache.
 * Seeding takes minutes: `npm run bench` runs it only with BENCH_SCALE=1; `tsx tests/bench/scale.ts`
 * runs it alone. BENCH_SCALE_REQUESTS and BENCH_SCALE_PROJECTS change the sizes.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedSynthetic } from '../../server/cli/seed-synthetic';
import { seedSyntheticRequests } from '../../server/cli/seed-synthetic-requests';
import { openDatabase } from '../../server/db/client';
import { todayIn } from '../../server/domain/deadlines';
import { forgetViews, freezeEndedMonths, parseFilters, publicFigures, publishedPeriods } from '../../server/services/statistics';
import { makeTestApp } from '../helpers/app';
import { signedIn, staffUser } from '../helpers/staff';

type Line = { name: string; target: number; median: number; runs: number; note: string };

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)]!;
}

async function timeIt(runs: number, f: () => unknown | Promise<unknown>): Promise<number> {
  for (let i = 0; i < 3; i++) await f(); // warm-up: JIT, SQLite page cache
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await f();
    times.push(performance.now() - t0);
  }
  return median(times);
}

/** Row counts of the seeded database, printed with the lines. */
type Counts = {
  requests: number;
  facts: number;
  counters: number;
  frozen: number;
  projects: number;
  months: number;
  openCnam: number;
};

/** Written once seeding has finished: a directory without it (a run killed mid-way) is seeded again. */
type Marker = { requests: number; projects: number; seededAt: string; seconds: string };

/**
 * The database of the bench: seeded into `dataDir` unless it already holds a finished seed of the same
 * sizes (BENCH_SCALE_DIR keeps it between runs, for iterating on a change without minutes of seeding
 * each time). The clock of the run is the seed's, so a reused database reads as it did when seeded.
 */
function seeded(dataDir: string, requests: number, projects: number): { counts: Counts; marker: Marker; reused: boolean } {
  const file = join(dataDir, 'service.sqlite');
  const markerFile = join(dataDir, 'seeded.json');
  let marker = existsSync(markerFile) ? (JSON.parse(readFileSync(markerFile, 'utf8')) as Marker) : null;
  const reused = marker !== null && marker.requests === requests && marker.projects === projects && existsSync(file);
  if (!reused) {
    for (const f of readdirSync(dataDir)) rmSync(join(dataDir, f), { recursive: true, force: true });
    marker = null;
  }
  const database = openDatabase(file);
  try {
    if (!marker) {
      const now = new Date();
      const seeding = Date.now();
      seedSynthetic(database.db, projects);
      const projectSeconds = (Date.now() - seeding) / 1000;
      seedSyntheticRequests(database, requests, now);
      const seconds = `projects in ${projectSeconds.toFixed(0)} s, requests in ${((Date.now() - seeding) / 1000 - projectSeconds).toFixed(0)} s`;
      freezeEndedMonths({ db: database.db, now: () => now });
      database.sqlite.exec('ANALYZE');
      marker = { requests, projects, seededAt: now.toISOString(), seconds };
      writeFileSync(markerFile, JSON.stringify(marker));
    }
    const counts = database.sqlite
      .prepare(
        "select (select count(*) from rights_requests) as requests, (select count(*) from request_facts) as facts, (select count(*) from statistics_counters) as counters, (select count(*) from statistics_frozen_counters) as frozen, (select count(*) from projects) as projects, (select count(*) from statistics_months) as months, (select count(*) from rights_requests where organisation_id = 'cnam' and status in ('recue', 'transmise', 'accusee', 'precision_demandee', 'prolongee')) as openCnam",
      )
      .get() as Counts;
    return { counts, marker, reused };
  } finally {
    database.close();
  }
}

export async function benchAtScale(
  requests = Number(process.env.BENCH_SCALE_REQUESTS ?? 1_000_000),
  projects = Number(process.env.BENCH_SCALE_PROJECTS ?? 100_000),
): Promise<Line[]> {
  const kept = process.env.BENCH_SCALE_DIR;
  if (kept) mkdirSync(kept, { recursive: true });
  const dataDir = kept ?? mkdtempSync(join(tmpdir(), 'sante-droits-bench-scale-'));
  try {
    const { counts, marker, reused } = seeded(dataDir, requests, projects);
    const now = new Date(marker.seededAt);
    const seconds = reused ? `reused (seeded ${marker.seededAt}: ${marker.seconds})` : marker.seconds;
    process.stdout.write(
      `\nScale: ${counts.projects} projects, ${counts.requests} requests (${counts.facts} facts), ${counts.counters} live counters, ${counts.months} months frozen (${counts.frozen} frozen counters); seeding: ${seconds}\n`,
    );

    const t = makeTestApp({ LOG_LEVEL: 'warn' }, { now: () => now }, { dataDir, keepDataDir: !!kept });
    try {
      const deps = { db: t.deps.database.db, now: () => now };
      const parsed = parseFilters({}, todayIn(now));
      if (!parsed.ok) throw new Error('filters');
      const page = async (path: string) => {
        const res = await t.app.request(path);
        if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
        await res.text();
      };
      const cnam = signedIn(t, staffUser(t, 'cnam', 'cnam', now), now);
      // A small controller: the organisation with the fewest open requests.
      const small = t.deps.database.sqlite
        .prepare(
          "select organisation_id as id, count(*) as n from rights_requests where organisation_id <> 'cnam' and status in ('recue', 'transmise', 'accusee', 'precision_demandee', 'prolongee') group by 1 order by 2 limit 1",
        )
        .get() as { id: string; n: number };
      const dpo = signedIn(t, staffUser(t, 'dpo', small.id, now), now);
      const controller = (t.deps.database.sqlite.prepare('select responsable_id as id from projects limit 1').get() as { id: string }).id;
      const previous = publishedPeriods(deps)[1]!;
      const runs = 15;
      const lines: Line[] = [];
      const line = async (name: string, target: number, f: () => unknown, note = '', n = runs) =>
        lines.push({ name, target, median: await timeIt(n, f), runs: n, note });
      let u = 0;
      // "first render": the figures built from scratch (as after any change to a counter they read) and the
      // page not in its render cache (an address not asked before); then the same address again.
      await line(
        'public figures service, latest quarter, rebuilt',
        100,
        () => (forgetViews(deps.db), publicFigures(deps, parsed.filters)),
        `${counts.requests} requests`,
      );
      await line('GET /statistiques, first render', 100, () => (forgetViews(deps.db), page(`/statistiques?n=${++u}`)));
      await line('GET /statistiques (render cache)', 100, () => page('/statistiques'));
      await line(
        `GET /statistiques?periode=${previous}&type=acces, first render`,
        100,
        () => (forgetViews(deps.db), page(`/statistiques?periode=${previous}&type=acces&n=${++u}`)),
      );
      await line(`GET /statistiques?periode=${previous}&type=acces (render cache)`, 100, () => page(`/statistiques?periode=${previous}&type=acces`));
      await line('GET /statistiques/organisations/cnam, first render', 100, () => (forgetViews(deps.db), page(`/statistiques/organisations/cnam?n=${++u}`)));
      await line('GET /statistiques/organisations/cnam (render cache)', 100, () => page('/statistiques/organisations/cnam'));
      await line(
        `GET /organisations/<controller>, first render`,
        100,
        () => (forgetViews(deps.db), page(`/organisations/${controller}?page=${++u}`)),
        controller,
      );
      await line(`GET /organisations/<controller> (render cache)`, 100, () => page(`/organisations/${controller}`));
      const queue = (who: typeof cnam) => async () => {
        const p = await who.get('/espace-pro/demandes');
        if (p.status !== 200) throw new Error(`queue: ${p.status}`);
      };
      await line('GET /espace-pro/demandes (CNAM queue)', 10, queue(cnam), `${counts.openCnam} open CNAM requests`, runs * 2);
      await line('GET /espace-pro/demandes (small controller)', 10, queue(dpo), `${small.n} open requests of ${small.id}`, runs * 2);
      // Each call a page not yet in the register's render cache (a new page number), then the cached page.
      let n = 0;
      await line('GET /projets?q=parkinson&page=n (not cached)', 20, () => page(`/projets?q=parkinson&page=${++n}`), `${counts.projects} projects`, runs * 2);
      await line(
        'GET /projets?q=parkinson&statut=termine&page=n (not cached)',
        20,
        () => page(`/projets?q=parkinson&statut=termine&page=${++n}`),
        '',
        runs * 2,
      );
      await line(
        'GET /projets?q=diabete&finalite=recherche&commercial=non&page=n (not cached)',
        20,
        () => page(`/projets?q=diabete&finalite=recherche&commercial=non&page=${++n}`),
        '',
        runs * 2,
      );
      await line('GET /projets?q=parkinson (render cache)', 20, () => page('/projets?q=parkinson'), '', runs * 2);
      const w = Math.max(...lines.map((l) => l.name.length));
      process.stdout.write(`\nServer time at scale (median of repeated requests, in process, no network):\n\n`);
      for (const l of lines)
        process.stdout.write(
          `  ${l.name.padEnd(w)}  ${l.median.toFixed(1).padStart(7)} ms  ${l.median < l.target ? 'met' : 'MISSED'} (< ${l.target} ms, ${l.runs} runs)${l.note ? `  ${l.note}` : ''}\n`,
        );
      return lines;
    } finally {
      t.close();
    }
  } finally {
    if (!kept) rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  benchAtScale().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
