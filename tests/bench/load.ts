/**
 * Load and measurement for `npm run bench`: autocannon at 50 connections, and the CPU the answering
 * process spent, read from the OS (/proc) before and after a fixed number of requests, so the figure is
 * CPU time over requests answered, in microseconds.
 *
 * These machines are shared: another job can slow every process for a few seconds. So a target is never
 * measured alone: its rounds alternate with rounds of the floors (bare node:http, minimal Hono), in a
 * rotating order, and its multiple of the floor is taken over the same span of time.
 */
import autocannon from 'autocannon';
import { cpuMicros } from './processes';

export const CONNECTIONS = 50;

export type Body = { headers: Record<string, string>; body: string };

export type Side = {
  name: string;
  /** Full URL. */
  url: string;
  /** The process that answers, whose CPU time is read. */
  pid: number;
  /** For a POST: a fresh body and headers for each request. */
  next?: () => Body;
};

export type Totals = {
  requests: number;
  cpuUs: number;
  seconds: number;
  p50s: number[];
  p99s: number[];
  errors: number;
  non2xx: number;
};

export const emptyTotals = (): Totals => ({ requests: 0, cpuUs: 0, seconds: 0, p50s: [], p99s: [], errors: 0, non2xx: 0 });

/** CPU microseconds per request answered. */
export const cpuPerRequest = (t: Totals) => t.cpuUs / Math.max(1, t.requests);
export const requestsPerSecond = (t: Totals) => t.requests / Math.max(1e-9, t.seconds);
/** The median of the rounds' medians, and the worst of the rounds' 99th percentiles. */
export const p50 = (t: Totals) => [...t.p50s].sort((a, b) => a - b)[Math.floor((t.p50s.length - 1) / 2)] ?? 0;
export const p99 = (t: Totals) => Math.max(0, ...t.p99s);

function fire(side: Side, run: { duration: number } | { amount: number }): Promise<autocannon.Result> {
  const common = { url: side.url, connections: CONNECTIONS, pipelining: 1, ...run };
  if (!side.next) return autocannon(common);
  const next = side.next;
  return autocannon({
    ...common,
    method: 'POST',
    // A new body for every request: each one is a real, first submission.
    setupClient: (client: autocannon.Client) => {
      client.setRequests([{ method: 'POST', path: new URL(side.url).pathname }]);
      client.on('response', () => {
        const r = next();
        client.setHeadersAndBody(r.headers, r.body);
      });
      const first = next();
      client.setHeadersAndBody(first.headers, first.body);
    },
  } as autocannon.Options);
}

/** Load without measuring (JIT, caches, SQLite pages); returns the request rate seen. */
export async function warmUp(side: Side, seconds = 2): Promise<number> {
  const r = await fire(side, { duration: seconds });
  return r.requests.total / seconds;
}

/** Exactly `amount` requests; adds what they cost to `into`. Returns the rate seen. */
export async function measureOnce(side: Side, amount: number, into: Totals): Promise<number> {
  const before = cpuMicros(side.pid);
  const started = performance.now();
  const r = await fire(side, { amount });
  const seconds = (performance.now() - started) / 1000;
  const after = cpuMicros(side.pid);
  into.requests += r.requests.total;
  into.cpuUs += after - before;
  into.seconds += seconds;
  into.p50s.push(r.latency.p50);
  into.p99s.push(r.latency.p99);
  // Redirects are answers too (a submission ends with 303 See Other): only 4xx, 5xx and socket errors count.
  into.errors += r.errors + r.timeouts;
  into.non2xx += r['4xx'] + r['5xx'];
  return r.requests.total / seconds;
}

/**
 * `rounds` rounds of every side, each round about `roundSeconds` per side (the amount of requests
 * follows from the last rate seen), in an order that rotates from round to round.
 */
export async function measureTogether(sides: Side[], rates: Map<string, number>, rounds: number, roundSeconds: number): Promise<Map<string, Totals>> {
  const totals = new Map(sides.map((s) => [s.name, emptyTotals()]));
  for (let r = 0; r < rounds; r += 1) {
    const order = sides.map((_, i) => sides[(i + r) % sides.length]!);
    for (const side of order) {
      const amount = Math.max(200, Math.round((rates.get(side.name) ?? 1000) * roundSeconds));
      rates.set(side.name, await measureOnce(side, amount, totals.get(side.name)!));
    }
  }
  return totals;
}
