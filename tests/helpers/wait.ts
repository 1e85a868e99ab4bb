/**
 * Waiting in tests: poll a condition until it holds or a deadline passes, then fail saying what was
 * awaited. The deadline is a ceiling, never a decision: a test goes on as soon as the condition holds,
 * so a generous default costs nothing on a fast machine and holds on a busy one (the suite runs beside
 * browsers and child processes on two cores). No fixed sleep decides a result.
 */

/** Long enough for a mail or a delivery on a loaded two-core machine; shorter than the 60 s per-test timeout of vitest.config.ts. */
export const WAIT_TIMEOUT_MS = 30_000;

export type WaitOptions = {
  timeoutMs?: number;
  /** Time between two polls. */
  intervalMs?: number;
  /** What is awaited, for the error. */
  what?: string;
  /** The state seen at the deadline, for the error. */
  detail?: () => string;
};

export class WaitTimeout extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WaitTimeout';
  }
}

/**
 * Resolves with the first value of `probe` that is not undefined, null or false. A probe that throws is
 * polled again; at the deadline its last error is the cause of the rejection.
 */
export async function waitFor<T>(probe: () => T | undefined | null | false | Promise<T | undefined | null | false>, options: WaitOptions = {}): Promise<T> {
  const { timeoutMs = WAIT_TIMEOUT_MS, intervalMs = 25, what = 'condition', detail } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== null && value !== false) return value;
      lastError = undefined;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const seen = detail ? `; ${detail()}` : '';
      throw new WaitTimeout(`${what}: not met within ${timeoutMs} ms${seen}`, lastError === undefined ? undefined : { cause: lastError });
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
