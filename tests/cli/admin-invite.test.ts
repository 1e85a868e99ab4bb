/**
 * `npm run admin:invite` reads the server's configuration: run as a child process with the server's
 * environment (PUBLIC_URL, DATA_DIR, secrets), it prints a link on PUBLIC_URL that the real server, started
 * from the same environment, opens; without PUBLIC_URL it says which address it used instead.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, REPO_ROOT, startChildService, type ChildService } from '../helpers/child-service';

const run = promisify(execFile);
const dataDir = mkdtempSync(join(tmpdir(), 'admin-invite-cli-'));
let service: ChildService | undefined;
afterAll(async () => {
  if (service?.alive()) {
    service.child.kill('SIGTERM');
    await service.exited;
  }
  rmSync(dataDir, { recursive: true, force: true });
});

const secret = () => randomBytes(32).toString('base64');
const secrets = { DATA_KEYS: `k1:${secret()}`, INDEX_KEY: secret(), SESSION_SECRET: secret() };
const invite = (env: Record<string, string>, email: string) =>
  run('npm', ['run', '--silent', 'admin:invite', '--', '--email', email], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? '', DATA_DIR: dataDir, ...env },
  });

describe('npm run admin:invite', () => {
  it('prints a link on the server’s PUBLIC_URL, which the server started with the same environment opens', { timeout: 90_000 }, async () => {
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    const env = { NODE_ENV: 'production', PUBLIC_URL: publicUrl, ...secrets };
    const { stdout, stderr } = await invite(env, 'premiere.admin@example.org');
    const link = new RegExp(`${publicUrl.replace(/[.]/g, '\\.')}/espace-pro/invitation/[A-Za-z0-9_-]{43}`).exec(stdout)?.[0];
    expect(link, stdout).toBeDefined();
    expect(stderr).toBe('');

    service = await startChildService({ ...env, DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: String(port), DEMO_DATA: '0', LOG_LEVEL: 'warn' });
    const page = await fetch(link!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('administration du service');
  });

  it('without PUBLIC_URL, says which address the link uses', { timeout: 60_000 }, async () => {
    const { stdout, stderr } = await invite({ NODE_ENV: 'development', PORT: '8123', ...secrets }, 'autre.admin@example.org');
    expect(stdout).toMatch(/http:\/\/localhost:8123\/espace-pro\/invitation\//);
    expect(stderr).toContain('PUBLIC_URL is not set: the link below uses http://localhost:8123');
  });
});
