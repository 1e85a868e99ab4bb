/**
 * A fixed-window rate limiter kept in memory (one process). Keys are addresses or blind
 * indexes, never an e-mail or a name. Bounded: old windows are swept as keys are added. An attempt that
 * concerns several things (a client address, an account, a reference) is counted against each of them
 * (`allowEach`): spreading attempts over many addresses does not lift the limit on one account.
 * `take` also says what is left of the window and when it ends, for the RateLimit headers of the API
 * (server/routes/api-v1.ts).
 */
export type RateLimiterOptions = { windowMs: number; max: number; now?: () => number };
/** One attempt counted: whether it is allowed, how many remain in the window and the ms until it ends. */
export type Quota = { allowed: boolean; limit: number; remaining: number; resetMs: number };
export type RateLimiter = { allow: (key: string) => boolean; take: (key: string) => Quota };

export function createRateLimiter({ windowMs, max, now = Date.now }: RateLimiterOptions): RateLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  const take = (key: string): Quota => {
    const t = now();
    if (windows.size > 10_000) for (const [k, w] of windows) if (t - w.start >= windowMs) windows.delete(k);
    let w = windows.get(key);
    if (!w || t - w.start >= windowMs) {
      w = { start: t, count: 0 };
      windows.set(key, w);
    }
    w.count += 1;
    return { allowed: w.count <= max, limit: max, remaining: Math.max(0, max - w.count), resetMs: w.start + windowMs - t };
  };
  return { take, allow: (key) => take(key).allowed };
}

/** Counts one attempt against every key (none skipped) and allows it only if each key is within its limit. */
export function allowEach(limiter: RateLimiter, keys: readonly string[]): boolean {
  let allowed = true;
  for (const key of keys) if (!limiter.allow(key)) allowed = false;
  return allowed;
}
