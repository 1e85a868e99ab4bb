/**
 * A fixed-window rate limiter kept in memory (one process). Keys are addresses or blind
 * indexes, never an e-mail or a name. Bounded: old windows are swept as keys are added. An attempt that
 * concerns several things (a client address, an account, a reference) is counted against each of them
 * (`allowEach`): spreading attempts over many addresses does not lift the limit on one account.
 */
export type RateLimiterOptions = { windowMs: number; max: number; now?: () => number };
export type RateLimiter = { allow: (key: string) => boolean };

export function createRateLimiter({ windowMs, max, now = Date.now }: RateLimiterOptions): RateLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  return {
    allow(key) {
      const t = now();
      if (windows.size > 10_000) for (const [k, w] of windows) if (t - w.start >= windowMs) windows.delete(k);
      const w = windows.get(key);
      if (!w || t - w.start >= windowMs) {
        windows.set(key, { start: t, count: 1 });
        return true;
      }
      w.count += 1;
      return w.count <= max;
    },
  };
}

/** Counts one attempt against every key (none skipped) and allows it only if each key is within its limit. */
export function allowEach(limiter: RateLimiter, keys: readonly string[]): boolean {
  let allowed = true;
  for (const key of keys) if (!limiter.allow(key)) allowed = false;
  return allowed;
}
