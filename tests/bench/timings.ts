/**
 * The submission's breakdown in `npm run bench`: the service runs with BENCH_TIMINGS=1
 * (server/timings.ts); each SIGUSR2 makes it write the totals of its timers since the last one.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { PhaseTotals } from '../../server/timings';

export type Timings = { phases: PhaseTotals; commits: number; committed: number };

/** The service's timers since the last call (the first call only starts them). */
export async function readTimings(pid: number, dataDir: string): Promise<Timings> {
  const file = join(dataDir, 'bench-timings.json');
  rmSync(file, { force: true });
  process.kill(pid, 'SIGUSR2');
  const until = Date.now() + 10_000;
  while (!existsSync(file)) {
    if (Date.now() > until) throw new Error('the service wrote no timings (is BENCH_TIMINGS=1 set?)');
    await new Promise((r) => setTimeout(r, 20));
  }
  // Written in one call: a file that exists but does not parse yet is read again.
  for (;;) {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as Timings;
    } catch (err) {
      if (Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

/** Where a submission's CPU time goes, per request: the floor, then what the timers saw, then the rest. */
export function breakdownLines(t: Timings, totalUs: number, floorUs: number, requests: number): string[] {
  const per = (ms: number) => (ms * 1000) / Math.max(1, requests);
  const encryption = per(t.phases.encryption.ms);
  const sql = per(t.phases.sql.ms);
  const commit = per(t.phases.commit.ms);
  const rest = totalUs - floorUs - encryption - sql;
  const f = (us: number) => `${us.toFixed(0).padStart(6)} µs`;
  return [
    `Submission breakdown, per request (${requests} submissions, timers inside the service):`,
    `  framework (the floor's CPU per request)      ${f(floorUs)}`,
    `  encryption (field cipher, blind indexes)      ${f(encryption)}  (${(t.phases.encryption.calls / Math.max(1, requests)).toFixed(1)} calls)`,
    `  SQL (every statement but COMMIT)             ${f(sql)}  (${(t.phases.sql.calls / Math.max(1, requests)).toFixed(1)} statements, the workers' included)`,
    `  validation and the rest (remainder)          ${f(rest)}  (form, CSRF, draft, routing, middleware, logging, the mail worker's share)`,
    `  = CPU per submission                         ${f(totalUs)}`,
    `  commit wait (COMMIT, fsync; wall time)       ${f(commit)}  (${t.commits} commits, ${(t.committed / Math.max(1, t.commits)).toFixed(1)} submissions each)`,
  ];
}
