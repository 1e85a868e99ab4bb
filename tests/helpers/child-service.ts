/**
 * The real service as a child process, started exactly as in production (`node --import tsx
 * server/main.ts`, the command `npm start` runs), for tests that need to kill it: crash tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** The repository root: the child runs from there, as `npm start` does. */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export type ChildService = {
  child: ChildProcess;
  url: string;
  /** Resolves when the process has exited, with its code or the signal that ended it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Everything it wrote, stdout and stderr interleaved: shown when something fails. */
  output: () => string;
  alive: () => boolean;
};

/** A port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * Starts the service with `env` (plus PATH) and resolves once GET /healthz answers 200. Rejects, with
 * the child's output, if it exits first or is not healthy within `timeoutMs`; never resolves silently.
 */
export async function startChildService(env: Record<string, string>, options: { timeoutMs?: number } = {}): Promise<ChildService> {
  if (!env.PORT || !env.HOST) throw new Error('startChildService needs PORT and HOST');
  const url = `http://${env.HOST}:${env.PORT}`;
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH!, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      done = true;
      resolve({ code, signal });
    });
  });
  const service: ChildService = { child, url, exited, output: () => out, alive: () => !done && child.exitCode === null && child.signalCode === null };

  const until = Date.now() + (options.timeoutMs ?? 30_000);
  while (Date.now() < until) {
    if (!service.alive()) {
      const { code, signal } = await exited;
      throw new Error(`the service exited (code ${code}, signal ${signal}) before answering /healthz:\n${out}`);
    }
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return service;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  await exited;
  throw new Error(`the service did not answer ${url}/healthz within ${options.timeoutMs ?? 30_000} ms:\n${out}`);
}
