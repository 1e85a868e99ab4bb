/**
 * The bench's child processes: starting them, finding the node process behind `npm start`, and reading
 * from the OS what each one spent: CPU time (user + system, every thread, from /proc/<pid>/stat) and
 * resident memory.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** Starts a process and resolves with the port it prints (`port N`) once it listens. */
export function start(command: string, args: string[], env: Record<string, string>, ready = /port (\d+)/): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { PATH: process.env.PATH!, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${command} did not start: ${out}`)), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = ready.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]) });
      }
    });
    child.on('exit', (code) => reject(new Error(`${command} exited ${code}: ${out}`)));
  });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export async function waitForHealth(url: string): Promise<void> {
  // A shared machine under load can take minutes to start the service (it indexes the register first).
  const until = Date.now() + 300_000;
  while (Date.now() < until) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`service did not answer ${url}`);
}

export function descendants(p: number): number[] {
  try {
    return readFileSync(`/proc/${p}/task/${p}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number)
      .flatMap((c) => [c, ...descendants(c)]);
  } catch {
    return [];
  }
}

/**
 * The node process of the tree `npm start` made that runs the service: its program is node and its
 * arguments name server/main.ts (npm may start it through a shell whose command line names it too).
 */
export function serviceProcess(root: number): number {
  const found = [root, ...descendants(root)].find((p) => {
    try {
      const [program, ...args] = readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0');
      return /(^|\/)node$/.test(program ?? '') && args.includes('server/main.ts');
    } catch {
      return false;
    }
  });
  if (!found) throw new Error(`no process of ${root} runs server/main.ts`);
  return found;
}

const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU time the process has used so far, user and system, all its threads, in microseconds. */
export function cpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces: count fields from the ")" that closes it.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1e6) / TICKS_PER_SECOND;
}

/** Resident memory of one process, in kB. */
export function rssKb(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** Stops a child and everything it started. */
export function stopTree(c: ChildProcess): void {
  for (const pid of descendants(c.pid!)) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  c.kill('SIGTERM');
}
