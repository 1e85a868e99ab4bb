/**
 * The real entry point as a child process: start, serve, stop gracefully; refuse to start without
 * production secrets.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const TSX = join(process.cwd(), 'node_modules', '.bin', 'tsx');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function run(env: Record<string, string>) {
  const dataDir = mkdtempSync(join(tmpdir(), 'sante-droits-main-'));
  dirs.push(dataDir);
  const child = spawn(TSX, ['server/main.ts'], { env: { PATH: process.env.PATH!, DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, dataDir, exited, output: () => out, errors: () => err };
}

async function waitFor<T>(fn: () => T | undefined, ms = 20_000): Promise<T> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const v = fn();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('timed out');
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

  it('serves, then on SIGTERM finishes the request in flight, closes the database and exits 0', async () => {
    const p = run({ NODE_ENV: 'development' });
    let child: ChildProcess | undefined = p.child;
    try {
      const port = await waitFor(() => portOf(p.output()));
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      expect(existsSync(join(p.dataDir, 'service.sqlite-wal'))).toBe(true);

      // A request whose body is still arriving when the signal comes.
      const socket = connect(port, '127.0.0.1');
      await new Promise((r) => socket.once('connect', r));
      let response = '';
      socket.on('data', (d) => (response += d));
      const body = 'x=' + 'a'.repeat(100);
      socket.write(`POST /nulle-part HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body.slice(0, 10)}`);
      await new Promise((r) => setTimeout(r, 200));
      p.child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 300));
      socket.write(body.slice(10));
      await new Promise((r) => socket.once('close', r));
      expect(response).toMatch(/^HTTP\/1\.1 403/);

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
