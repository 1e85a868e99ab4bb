/**
 * Small helpers of the administrators' pages (routes/staff/admin.tsx): values typed back into a form, the
 * in-memory store of what is shown once (a webhook secret, an invitation link), the page number asked for.
 */
import type { Context } from 'hono';
import type { AppEnv } from '../../context';
import type { FormBody as Body } from '../../http';

/** How long a secret or a link waits for its one showing. */
const REVEAL_MS = 10 * 60_000;

/** Values to type back into a re-rendered form: strings only, the CSRF token left out. */
export function formValues(body: Body): Record<string, string | undefined> {
  const { _csrf: _, ...rest } = body;
  return rest;
}

/** Values kept in memory for one showing to one session. */
export function createRevealStore<T>() {
  const items = new Map<string, { value: T; until: number }>();
  return {
    put(key: string, value: T) {
      const now = Date.now();
      for (const [k, v] of items) if (v.until < now) items.delete(k);
      items.set(key, { value, until: now + REVEAL_MS });
    },
    take(key: string): T | undefined {
      const item = items.get(key);
      items.delete(key);
      return item && item.until >= Date.now() ? item.value : undefined;
    },
  };
}

/** The page asked for in `?page=`, 1 when absent or not understood. */
export function pageNumber(c: Context<AppEnv>): number {
  const n = Number(c.req.query('page') ?? '1');
  return Number.isInteger(n) && n >= 1 && n <= 100_000 ? n : 1;
}
