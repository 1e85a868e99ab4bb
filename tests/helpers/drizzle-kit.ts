/**
 * drizzle-kit in a copy of the repository, for the migration drift tests of both engines
 * (tests/db/migrations-drift.test.ts, tests/db/pg-migrations-drift.test.ts): the copy holds what
 * drizzle-kit reads (its config, server/, the migrations folder), node_modules linked.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './child-service';

export function copyOfRepository(configFile: string, out: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'sante-droits-drift-'));
  for (const entry of [configFile, 'package.json', 'tsconfig.json', 'server', out]) cpSync(join(REPO_ROOT, entry), join(dir, entry), { recursive: true });
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

export type Run = { code: number | null; output: string };

/** `drizzle-kit generate --name drift` in `dir` with no terminal: a question it would ask fails the run instead of waiting. */
export function generate(dir: string, configFile?: string): Promise<Run> {
  return new Promise((done, fail) => {
    const args = [join(dir, 'node_modules', 'drizzle-kit', 'bin.cjs'), 'generate', ...(configFile ? ['--config', configFile] : []), '--name', 'drift'];
    const child = spawn(process.execPath, args, { cwd: dir, env: { PATH: process.env.PATH!, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`drizzle-kit generate did not finish within 90 s:\n${output}`));
    }, 90_000);
    child.once('error', fail);
    child.once('exit', (code) => {
      clearTimeout(timer);
      done({ code, output });
    });
  });
}

/** Every file under `dir`, sorted: to see what a run of drizzle-kit added. */
export const listing = (dir: string) => readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
