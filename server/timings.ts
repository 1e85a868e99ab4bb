/**
 * Opt-in timers for `npm run bench` (BENCH_TIMINGS=1; off by default and in every test): where the time
 * of a request goes inside the running process, split into encryption (the field cipher and the blind
 * indexes), SQL (every statement but COMMIT) and commit wait (COMMIT, which with synchronous=FULL waits
 * for the disk). They wrap what the service already passes around instead of adding timers to its code,
 * and nothing of this is installed when the flag is off. All are wall-clock (performance.now, a read of
 * the clock without a system call): encryption and SQL are synchronous CPU-bound work, so their wall time
 * is their CPU time but for the rare preemption; process.cpuUsage, tried first, is a system call whose
 * own cost (two per statement) inflated the very CPU per submission the bench reports. Commit wait is
 * mostly the wait for the disk.
 * server/main.ts writes them to DATA_DIR/bench-timings.json, and starts them again, on SIGUSR2.
 */
import type Database from 'better-sqlite3';
import type { BlindIndex, FieldCipher } from './crypto/fields';

export type Phase = 'encryption' | 'sql' | 'commit';
export type PhaseTotals = Record<Phase, { ms: number; calls: number }>;

export type Timings = {
  add: (phase: Phase, ms: number) => void;
  /** The totals since the last reset. */
  snapshot: () => PhaseTotals;
  reset: () => void;
};

const empty = (): PhaseTotals => ({ encryption: { ms: 0, calls: 0 }, sql: { ms: 0, calls: 0 }, commit: { ms: 0, calls: 0 } });

export function createTimings(): Timings {
  let totals = empty();
  return {
    add: (phase, ms) => {
      totals[phase].ms += ms;
      totals[phase].calls += 1;
    },
    snapshot: () => structuredClone(totals),
    reset: () => {
      totals = empty();
    },
  };
}

const clock = () => performance.now();

/** `f`, timed into `phase`. */
function timed<A extends unknown[], R>(timings: Timings, phase: Phase, f: (...args: A) => R): (...args: A) => R {
  return (...args) => {
    const started = clock();
    try {
      return f(...args);
    } finally {
      timings.add(phase, clock() - started);
    }
  };
}

export function timedCipher(cipher: FieldCipher, timings: Timings): FieldCipher {
  return {
    ...cipher,
    encrypt: timed(timings, 'encryption', cipher.encrypt.bind(cipher)),
    decrypt: timed(timings, 'encryption', cipher.decrypt.bind(cipher)),
    reencrypt: timed(timings, 'encryption', cipher.reencrypt.bind(cipher)),
  };
}

export function timedIndex(index: BlindIndex, timings: Timings): BlindIndex {
  return { nir: timed(timings, 'encryption', index.nir.bind(index)), email: timed(timings, 'encryption', index.email.bind(index)) };
}

/** Every statement the connection prepares from now on runs timed: COMMIT as commit wait, the others as SQL. */
export function timeStatements(sqlite: Database.Database, timings: Timings): void {
  const prepare = sqlite.prepare.bind(sqlite);
  const wrapped = new WeakSet<Database.Statement>();
  sqlite.prepare = ((source: string) => {
    const statement = prepare(source);
    if (wrapped.has(statement)) return statement;
    wrapped.add(statement);
    const phase: Phase = /^\s*COMMIT\b/i.test(source) ? 'commit' : 'sql';
    const s = statement as unknown as Record<'run' | 'get' | 'all', (...a: unknown[]) => unknown>;
    for (const method of ['run', 'get', 'all'] as const) s[method] = timed(timings, phase, s[method].bind(statement));
    return statement;
  }) as typeof sqlite.prepare;
}
