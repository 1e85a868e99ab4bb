/**
 * A composed app over a fresh, migrated SQLite database in its own temporary directory: what every
 * integration test runs against (no database mocks).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../server/app';
import { bootstrap } from '../../server/bootstrap';
import { loadConfig, type Config } from '../../server/config';
import type { AppDeps } from '../../server/context';
import type { DeliveryWorker } from '../../server/worker/deliveries';

export type TestApp = {
  app: ReturnType<typeof createApp>;
  deps: AppDeps;
  dataDir: string;
  logLines: string[];
  deliveryWorker: DeliveryWorker;
  close: () => void;
};

export function makeTestApp(
  env: Record<string, string> = {},
  overrides: Partial<AppDeps> = {},
  opts: { dataDir?: string; keepDataDir?: boolean } = {},
): TestApp {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'sante-droits-test-'));
  const config: Config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, LOG_LEVEL: 'debug', ...env });
  const logLines: string[] = [];
  // The service's own composition (server/bootstrap.ts), every log line kept, the workers run in the
  // test's process whatever WORKER says, and the delivery worker polling often.
  const runtime = bootstrap(config, {
    log: { level: 'debug', write: (line) => logLines.push(line) },
    ...(overrides.now ? { now: overrides.now } : {}),
    ...(overrides.cipher ? { cipher: overrides.cipher } : {}),
    deliveryPollMs: 200,
    // Strict: a locale key missing in a language throws, so the test that shows it fails (server/i18n.ts).
    strictLocales: true,
    inProcessWorkers: true,
    overrides,
  });
  const { database, deliveryWorker } = runtime;
  const deps: AppDeps = runtime.appDeps;
  const app = createApp(deps);
  return {
    app,
    deps,
    dataDir,
    logLines,
    deliveryWorker,
    close: () => {
      void deliveryWorker.stop();
      deps.mailWorker.stop();
      deps.mailer.close();
      database.close();
      // The scale bench keeps its seeded database between runs (tests/bench/scale.ts, BENCH_SCALE_DIR).
      if (!opts.keepDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Cookie header value from a response's Set-Cookie headers. */
export function cookiesFrom(res: Response): string {
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}
