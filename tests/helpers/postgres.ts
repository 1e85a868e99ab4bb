/**
 * A throwaway PostgreSQL for tests (issue 16): Debian's `postgresql` package, a cluster made by `initdb`
 * in a temporary directory and started by `pg_ctl` as the unprivileged `postgres` user (PostgreSQL
 * refuses to run as root, and the tests run as root in CI), listening on 127.0.0.1 and a free port only
 * (its Unix socket in that directory), stopped and removed at the end, also when the process exits.
 * No Docker, no external service. Without PostgreSQL this throws, saying what to install: the tests
 * on PostgreSQL fail, they are never skipped.
 *
 * One cluster serves a whole vitest run (tests/helpers/postgres-run.ts); each test file gets its own
 * database, copied from a migrated template. Nothing here waits a fixed time: every wait polls with a
 * deadline, generous for a busy two-core machine.
 */
import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './child-service';

/** Temporary directories of clusters start with this, then the pid of the process that owns them. */
export const CLUSTER_PREFIX = 'sante-droits-pg-';
/** The role the service connects as: it owns its databases but is no superuser (as on a managed service). */
export const SERVICE_ROLE = 'service';
const SUPERUSER = 'postgres';
const START_TIMEOUT_MS = 90_000;

export type PostgresCluster = {
  dir: string;
  port: number;
  /** `postgres://service:…@127.0.0.1:port/<database>`, or as the superuser with `{ admin: true }`. */
  url: (database: string, options?: { admin?: boolean }) => string;
  /** Stops the server and removes its directory; synchronous, so it also runs on process exit. Idempotent. */
  stop: () => void;
};

/** What a cluster needs to be found again from another process (the shared cluster of a vitest run). */
export type ClusterInfo = { dir: string; port: number; superPassword: string; servicePassword: string };

export class PostgresUnavailable extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PostgresUnavailable';
  }
}

const REQUIRED = ['initdb', 'pg_ctl', 'pg_isready'];

/**
 * The directory of PostgreSQL's server programs: PG_BIN_DIR when set, else the newest
 * /usr/lib/postgresql/<version>/bin (Debian's layout, not on PATH).
 */
export function postgresBinDir(env: NodeJS.ProcessEnv = process.env): string {
  const candidates = env.PG_BIN_DIR
    ? [env.PG_BIN_DIR]
    : existsSync('/usr/lib/postgresql')
      ? readdirSync('/usr/lib/postgresql')
          .filter((v) => /^\d+$/.test(v))
          .sort((a, b) => Number(b) - Number(a))
          .map((v) => `/usr/lib/postgresql/${v}/bin`)
      : [];
  const found = candidates.find((dir) => REQUIRED.every((p) => existsSync(join(dir, p))));
  if (found) return found;
  throw new PostgresUnavailable(
    `PostgreSQL is not installed: no ${REQUIRED.join(', ')} in ${candidates.length ? candidates.join(', ') : '/usr/lib/postgresql/<version>/bin'}. ` +
      'The tests on PostgreSQL need its server programs: install Debian’s package (`apt-get install -y postgresql`, as .ci/run does) ' +
      'or set PG_BIN_DIR to the directory holding initdb and pg_ctl. These tests are never skipped.',
  );
}

type Account = { uid: number; gid: number; name: string } | undefined;

/** Who runs the cluster: the `postgres` user when we are root, else ourselves. */
function clusterAccount(): Account {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => spawnSync('id', [flag, SUPERUSER], { encoding: 'utf8' });
  const uid = id('-u');
  const gid = id('-g');
  if (uid.status !== 0 || gid.status !== 0)
    throw new PostgresUnavailable(
      `running as root, the test cluster needs the unprivileged user "${SUPERUSER}" (Debian's postgresql package creates it); id says: ${uid.stderr.trim()}`,
    );
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()), name: SUPERUSER };
}

/** A command line run as the cluster's account (through runuser when we are root). */
function asAccount(account: Account, program: string, args: string[]): [string, string[]] {
  return account ? ['runuser', ['-u', account.name, '--', program, ...args]] : [program, args];
}

function run(account: Account, program: string, args: string[], cwd: string, timeoutMs: number): Promise<string> {
  const [file, argv] = asAccount(account, program, args);
  return new Promise((resolve, reject) => {
    execFile(
      file,
      argv,
      { cwd, timeout: timeoutMs, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', HOME: cwd } },
      (error, stdout, stderr) => (error ? reject(new Error(`${program} ${args.join(' ')} failed: ${error.message}\n${stdout}${stderr}`)) : resolve(stdout)),
    );
  });
}

function runSync(account: Account, program: string, args: string[], cwd: string): boolean {
  const [file, argv] = asAccount(account, program, args);
  return spawnSync(file, argv, { cwd, stdio: 'ignore', timeout: 60_000 }).status === 0;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Clusters left behind by a process that died without cleaning up (killed with SIGKILL): stopped and
 * removed, so a crashed run never leaves a server running for the next one.
 */
export function reapStaleClusters(parent = tmpdir()): string[] {
  const reaped: string[] = [];
  for (const name of readdirSync(parent)) {
    const owner = new RegExp(`^${CLUSTER_PREFIX}(\\d+)-`).exec(name);
    if (!owner || alive(Number(owner[1]))) continue;
    const dir = join(parent, name);
    stopClusterIn(dir, 'immediate');
    rmSync(dir, { recursive: true, force: true });
    reaped.push(dir);
  }
  return reaped;
}

/** Stops whatever server runs in dir's cluster, if any, and waits for it. */
export function stopClusterIn(dir: string, mode: 'fast' | 'immediate', knownAccount?: Account): void {
  const data = join(dir, 'data');
  if (!existsSync(join(data, 'postmaster.pid'))) return;
  const account = knownAccount ?? clusterAccount();
  const pgCtl = join(postgresBinDir(), 'pg_ctl');
  if (!runSync(account, pgCtl, ['-D', data, '-m', mode, '-w', '-t', '60', 'stop'], dir) && mode === 'fast')
    runSync(account, pgCtl, ['-D', data, '-m', 'immediate', '-w', '-t', '60', 'stop'], dir);
}

/**
 * A new directory for a cluster, owned by the account that runs it. Without that account it is still
 * made (a run's directory is reserved before any test needs PostgreSQL): starting a cluster in it then
 * fails, saying what is missing.
 */
export function clusterDirectory(owner: number = process.pid, parent = tmpdir()): string {
  const dir = mkdtempSync(join(parent, `${CLUSTER_PREFIX}${owner}-`));
  let account: Account;
  try {
    account = clusterAccount();
  } catch {
    account = undefined;
  }
  if (account) chownSync(dir, account.uid, account.gid);
  return dir;
}

/** Settings for a throwaway cluster: loopback only, its socket in its own directory, no durability to pay for. */
function settings(dir: string): string {
  return [
    "listen_addresses = '127.0.0.1'",
    `unix_socket_directories = '${dir}'`,
    // A test cluster is thrown away: what a crash of the machine would lose does not matter, and these
    // spare the shared disk. The service's own durability on PostgreSQL is PostgreSQL's defaults.
    'fsync = off',
    'synchronous_commit = off',
    'full_page_writes = off',
    'shared_buffers = 32MB',
    'max_connections = 200',
    "password_encryption = 'scram-sha-256'",
    'log_min_messages = warning',
    '',
  ].join('\n');
}

async function initCluster(dir: string, account: Account, superPassword: string): Promise<void> {
  const bin = postgresBinDir();
  const pwfile = join(dir, 'pwfile');
  writeFileSync(pwfile, `${superPassword}\n`, { mode: 0o600 });
  if (account) chownSync(pwfile, account.uid, account.gid);
  const args = ['-D', join(dir, 'data'), '-U', SUPERUSER, `--pwfile=${pwfile}`, '-A', 'scram-sha-256', '--encoding=UTF8', '--locale=C.UTF-8', '--no-sync'];
  await run(account, join(bin, 'initdb'), args, dir, START_TIMEOUT_MS);
  rmSync(pwfile);
  writeFileSync(join(dir, 'data', 'postgresql.conf'), settings(dir), { flag: 'a' });
}

/** pg_ctl start on a free port, another one if that port was taken in between. */
async function startServer(dir: string, account: Account): Promise<number> {
  const pgCtl = join(postgresBinDir(), 'pg_ctl');
  const log = join(dir, 'postgres.log');
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    try {
      await run(
        account,
        pgCtl,
        ['-D', join(dir, 'data'), '-l', log, '-o', `-p ${port}`, '-w', '-t', String(START_TIMEOUT_MS / 1000), 'start'],
        dir,
        START_TIMEOUT_MS + 5_000,
      );
      return port;
    } catch (error) {
      lastError = error;
      const output = existsSync(log) ? readFileSync(log, 'utf8') : '';
      if (!/could not bind|already in use/i.test(output)) break;
    }
  }
  const output = existsSync(log) ? readFileSync(log, 'utf8').slice(-4000) : '(no log)';
  throw new PostgresUnavailable(`the test cluster in ${dir} did not start:\n${output}`, { cause: lastError });
}

/** Resolves once a real connection answers, polling until the deadline. */
export async function waitForConnection(url: string, timeoutMs = START_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
    try {
      await client.connect();
      await client.query('select 1');
      return;
    } catch (error) {
      if (Date.now() >= deadline) throw new PostgresUnavailable(`no connection to the test cluster within ${timeoutMs} ms`, { cause: error });
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

const live = new Set<() => void>();
let exitHooked = false;
/** Runs `stop` when this process exits or is interrupted (each cluster it owns, the run's directory). */
export function stopOnExit(stop: () => void): void {
  live.add(stop);
  if (exitHooked) return;
  exitHooked = true;
  const stopAll = () => [...live].forEach((s) => s());
  process.once('exit', stopAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
    process.once(signal, () => {
      stopAll();
      // Nobody else handles it: end as the signal would have without us.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
}

/** The cluster described by info, as a handle (stop included, for its owner). */
export function clusterFrom(info: ClusterInfo): PostgresCluster {
  const account = clusterAccount();
  let stopped = false;
  const cluster: PostgresCluster = {
    dir: info.dir,
    port: info.port,
    url: (database, options = {}) =>
      options.admin
        ? `postgres://${SUPERUSER}:${info.superPassword}@127.0.0.1:${info.port}/${database}`
        : `postgres://${SERVICE_ROLE}:${info.servicePassword}@127.0.0.1:${info.port}/${database}`,
    stop: () => {
      if (stopped) return;
      stopped = true;
      live.delete(cluster.stop);
      stopClusterIn(info.dir, 'fast', account);
      rmSync(info.dir, { recursive: true, force: true });
    },
  };
  return cluster;
}

/**
 * initdb, start, wait, create the service's role. `owned` (true by default) stops the cluster when this
 * process exits; the shared cluster of a vitest run is stopped by the run instead.
 */
export async function startPostgresCluster(options: { dir?: string; owned?: boolean } = {}): Promise<{ cluster: PostgresCluster; info: ClusterInfo }> {
  postgresBinDir();
  reapStaleClusters();
  const account = clusterAccount();
  const dir = options.dir ?? clusterDirectory();
  if (!existsSync(dir)) mkdirSync(dir, { mode: 0o700 });
  if (account) chownSync(dir, account.uid, account.gid);
  const info: ClusterInfo = { dir, port: 0, superPassword: randomBytes(18).toString('hex'), servicePassword: randomBytes(18).toString('hex') };
  const cluster = () => clusterFrom(info);
  try {
    await initCluster(dir, account, info.superPassword);
    info.port = await startServer(dir, account);
    await waitForConnection(cluster().url('postgres', { admin: true }));
    await adminQuery(cluster(), `CREATE ROLE ${SERVICE_ROLE} LOGIN PASSWORD '${info.servicePassword}'`);
  } catch (error) {
    stopClusterIn(dir, 'immediate', account);
    // A directory given by the caller is the caller's to remove (it may hold what it needs to report).
    if (!options.dir) rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const handle = cluster();
  if (options.owned !== false) stopOnExit(handle.stop);
  return { cluster: handle, info };
}

/** One statement as the superuser, on the maintenance database. */
export async function adminQuery(cluster: PostgresCluster, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: cluster.url('postgres', { admin: true }) });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * A new database owned by the service's role, empty or copied from `template`. Copying is retried while
 * the template is still busy (another file's copy, a connection closing), until the deadline.
 */
export async function createDatabase(cluster: PostgresCluster, name: string, template?: string): Promise<string> {
  if (!IDENTIFIER.test(name) || (template && !IDENTIFIER.test(template))) throw new Error(`not a plain database name: ${name}, ${template}`);
  const statement = `CREATE DATABASE ${name} OWNER ${SERVICE_ROLE}${template ? ` TEMPLATE ${template}` : ''}`;
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    try {
      await adminQuery(cluster, statement);
      return cluster.url(name);
    } catch (error) {
      if (!/being accessed by other users/.test(String(error)) || Date.now() >= deadline) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export async function dropDatabase(cluster: PostgresCluster, name: string): Promise<void> {
  if (!IDENTIFIER.test(name)) throw new Error(`not a plain database name: ${name}`);
  await adminQuery(cluster, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}

/** In the directory of a vitest run's shared cluster (tests/helpers/postgres-run.ts): how to reach it, or why it failed. */
export const RUN_INFO_FILE = 'cluster.json';
export const RUN_FAILED_FILE = 'failed.txt';

/** At the end of a run (or on exit): stops the run's cluster, if one was started, and removes its directory. */
export function endRun(dir: string): void {
  if (!existsSync(dir)) return;
  const infoFile = join(dir, RUN_INFO_FILE);
  if (existsSync(infoFile)) clusterFrom(JSON.parse(readFileSync(infoFile, 'utf8')) as ClusterInfo).stop();
  else stopClusterIn(dir, 'fast');
  rmSync(dir, { recursive: true, force: true });
}
