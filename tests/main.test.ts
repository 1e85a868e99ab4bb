/**
 * The real entry point as a child process: start, serve, stop gracefully; refuse to start without
 * production secrets.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers/child-service';
import { waitFor } from './helpers/wait';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function run(env: Record<string, string>) {
  const dataDir = mkdtempSync(join(tmpdir(), 'sante-droits-main-'));
  dirs.push(dataDir);
  // As `npm start` runs it: one node process, so a signal reaches the service itself. (Under the tsx
  // command a SIGTERM is relayed, and the service is SIGKILLed if it does not report it within 30 ms.)
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH!, DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, dataDir, exited, output: () => out, errors: () => err };
}

function portOf(output: string): number | undefined {
  const line = output.split('\n').find((l) => l.includes('"msg":"listening"'));
  return line ? (JSON.parse(line) as { port: number }).port : undefined;
}

describe('server/main.ts', () => {
  it('refuses to start in production without secrets, and says which', async () => {
    const p = run({ NODE_ENV: 'production', PUBLIC_URL: 'https://example.org' });
    expect(await p.exited).toBe(78);
    expect(p.errors()).toMatch(/DATA_KEYS, INDEX_KEY, SESSION_SECRET/);
  });

  it('serves, then on SIGTERM finishes the request in flight, closes the database and exits 0', { timeout: 120_000 }, async () => {
    const p = run({ NODE_ENV: 'development' });
    let child: ChildProcess | undefined = p.child;
    try {
      const port = await waitFor(() => portOf(p.output()), { timeoutMs: 60_000, what: 'the "listening" log line', detail: () => p.output() + p.errors() });
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      expect(existsSync(join(p.dataDir, 'service.sqlite-wal'))).toBe(true);

      // A request in flight when the signal comes: the server has read its head (it answered
      // 100 Continue), its body has not arrived yet.
      const socket = connect(port, '127.0.0.1');
      await once(socket, 'connect');
      let response = '';
      socket.on('data', (d) => (response += d));
      const closed = once(socket, 'close');
      const body = 'x=' + 'a'.repeat(100);
      socket.write(
        `POST /nulle-part HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n`,
      );
      const CONTINUE = 'HTTP/1.1 100 Continue\r\n\r\n';
      await waitFor(() => response.startsWith(CONTINUE), { what: '100 Continue', detail: () => JSON.stringify(response) });

      p.child.kill('SIGTERM');
      await waitFor(() => p.output().includes('"msg":"stopping"'), { what: 'the "stopping" log line', detail: () => p.output() });
      // Stopping: no new connection is taken…
      await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
      // …while the one in flight is still open, unanswered, and the process still runs.
      expect(socket.destroyed).toBe(false);
      expect(response).toBe(CONTINUE);
      expect(p.child.exitCode).toBeNull();

      socket.write(body);
      await closed;
      expect(response.slice(CONTINUE.length)).toMatch(/^HTTP\/1\.1 403/);

      expect(await p.exited).toBe(0);
      child = undefined;
      expect(p.output()).toContain('"msg":"stopped"');
      // A cleanly closed SQLite database checkpoints and removes its write-ahead log.
      expect(existsSync(join(p.dataDir, 'service.sqlite-wal'))).toBe(false);
      // Logs carry no query strings.
      expect(p.output()).not.toMatch(/\?/);
    } finally {
      child?.kill('SIGKILL');
    }
  });
});
