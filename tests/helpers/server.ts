/**
 * Serves a test app over real HTTP on 127.0.0.1 and an ephemeral port, for browser and load tests.
 */
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { makeTestApp, type TestApp } from './app';
import type { AppDeps } from '../../server/context';
import { todayIn } from '../../server/domain/deadlines';
import { translatorFor } from '../../server/i18n';
import { registerTableSchema, seedDemoRegister } from '../../server/services/register';

export type RunningServer = TestApp & { url: string; stop: () => Promise<void> };

/** `overrides`: dependencies of the app to replace, as makeTestApp takes them (a controlled clock). */
export async function startTestServer(
  env: Record<string, string> = {},
  options: { demoData?: boolean; overrides?: Partial<AppDeps> } = {},
): Promise<RunningServer> {
  let url = '';
  const port = await new Promise<number>((resolve) => {
    const probe = serve({ fetch: () => new Response(''), port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
      probe.close(() => resolve(info.port));
    });
  });
  url = `http://127.0.0.1:${port}`;
  const test = makeTestApp({ PUBLIC_URL: url, LOG_LEVEL: 'warn', ...env }, options.overrides ?? {});
  if (options.demoData) {
    const now = new Date();
    seedDemoRegister(test.deps.database.db, registerTableSchema(translatorFor(test.deps.i18n, 'fr'), test.deps.config.publicUrl), now, todayIn(now));
  }
  const server = serve({ fetch: test.app.fetch, port, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => (server.listening ? resolve() : server.once('listening', () => resolve())));
  return {
    ...test,
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          test.close();
          resolve();
        });
        if ('closeAllConnections' in server) server.closeAllConnections();
      }),
  };
}
