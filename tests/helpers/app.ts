/**
 * A composed app over a fresh, migrated SQLite database in its own temporary directory: what every
 * integration test runs against (no database mocks).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../server/app';
import { loadConfig, type Config } from '../../server/config';
import type { AppDeps } from '../../server/context';
import { openDatabase } from '../../server/db/client';
import { createI18n } from '../../server/i18n';
import { createLogger, type Logger } from '../../server/logger';
import { createMailer } from '../../connectors/mail';
import { createBlindIndex, createFieldCipher } from '../../server/crypto/fields';
import { createMailWorker } from '../../server/services/mail-outbox';
import { createDeliveryWorker, type DeliveryWorker } from '../../server/worker/deliveries';
import { createConnectors } from '../../connectors';

export type TestApp = {
  app: ReturnType<typeof createApp>;
  deps: AppDeps;
  dataDir: string;
  logLines: string[];
  deliveryWorker: DeliveryWorker;
  close: () => void;
};

export function makeTestApp(env: Record<string, string> = {}, overrides: Partial<AppDeps> = {}, opts: { dataDir?: string } = {}): TestApp {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'sante-droits-test-'));
  const config: Config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, LOG_LEVEL: 'debug', ...env });
  const database = openDatabase(join(dataDir, 'service.sqlite'));
  const logLines: string[] = [];
  const logger: Logger = createLogger('debug', (line) => logLines.push(line));
  const mailer = createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, dataDir });
  // Strict: a locale key missing in a language throws, so the test that shows it fails (server/i18n.ts).
  const i18n = createI18n(undefined, { strict: true });
  const cipher = overrides.cipher ?? createFieldCipher(config.dataKeys);
  const now = overrides.now ?? (() => new Date());
  const mailWorker = createMailWorker({ db: database.db, cipher, mailer, config, logger, now, i18n });
  const connectors = createConnectors({ mailer, i18n, publicUrl: config.publicUrl, dataDir, webhookAllow: config.webhookAllow, webhookTimeoutMs: config.delivery.webhookTimeoutMs, cnamBatchKey: config.cnamBatchKey, now });
  const deliveryWorker = createDeliveryWorker({ db: database.db, cipher, config, logger, now, i18n, connectors, kickMail: mailWorker.kick, groupCommit: database.groupCommit }, { pollMs: 200 });
  const deps: AppDeps = { config, database, i18n, logger, mailer, mailWorker, cipher, index: createBlindIndex(config.indexKey), now, connectors, deliveryWorker, ...overrides };
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
      rmSync(dataDir, { recursive: true, force: true });
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
