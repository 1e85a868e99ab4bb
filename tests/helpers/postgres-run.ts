/**
 * One PostgreSQL cluster for a whole vitest run, one database per test file (issue 16).
 *
 * tests/helpers/postgres-global-setup.ts (vitest's globalSetup, in the main process) only reserves a
 * directory for the run and, at the end, stops whatever was started in it. The cluster itself starts
 * the first time a test file asks for a database (`testDatabase()`), so a run without PostgreSQL tests
 * pays nothing: that file takes a lock (an atomic mkdir), runs initdb and pg_ctl, migrates a template
 * database and writes `cluster.json`; the files of the other workers wait for that file (or for
 * `failed.txt`, whose error they report). Each file then gets `CREATE DATABASE … TEMPLATE`, a copy of
 * the migrated template: files stay independent and no file migrates again.
 *
 * Outside a vitest run with that globalSetup, a cluster of this process's own is started instead.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import { openPostgres } from '../../server/db/pg/client';
import {
  clusterFrom,
  createDatabase,
  dropDatabase,
  PostgresUnavailable,
  RUN_FAILED_FILE,
  RUN_INFO_FILE,
  startPostgresCluster,
  type ClusterInfo,
  type PostgresCluster,
} from './postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The directory reserved for this run's PostgreSQL cluster (tests/helpers/postgres-global-setup.ts). */
    postgresRun?: string;
  }
}

/** The migrated database every test database is copied from. */
export const TEMPLATE_DATABASE = 'service_template';
/** For the beforeAll that asks for the first database of the run: it may wait for initdb and the migrations. */
export const PG_HOOK_TIMEOUT_MS = 180_000;
const WAIT_MS = 170_000;

async function startRunCluster(dir: string): Promise<PostgresCluster> {
  try {
    const { cluster, info } = await startPostgresCluster({ dir, owned: false });
    const url = await createDatabase(cluster, TEMPLATE_DATABASE);
    const template = await openPostgres(url, { max: 1, applicationName: 'test-template' });
    await template.close();
    const file = join(dir, RUN_INFO_FILE);
    writeFileSync(`${file}.tmp`, JSON.stringify(info), { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
    return cluster;
  } catch (error) {
    writeFileSync(join(dir, RUN_FAILED_FILE), error instanceof Error ? (error.stack ?? error.message) : String(error));
    throw error;
  }
}

async function awaitRunCluster(dir: string): Promise<PostgresCluster> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    if (existsSync(join(dir, RUN_FAILED_FILE)))
      throw new PostgresUnavailable(`the run's PostgreSQL cluster failed to start in another test file:\n${readFileSync(join(dir, RUN_FAILED_FILE), 'utf8')}`);
    if (existsSync(join(dir, RUN_INFO_FILE))) return clusterFrom(JSON.parse(readFileSync(join(dir, RUN_INFO_FILE), 'utf8')) as ClusterInfo);
    if (Date.now() >= deadline) throw new PostgresUnavailable(`the run's PostgreSQL cluster in ${dir} was not ready within ${WAIT_MS} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** This process's own cluster with its template, when no run directory was provided. */
async function ownCluster(): Promise<PostgresCluster> {
  const { cluster } = await startPostgresCluster();
  const template = await openPostgres(await createDatabase(cluster, TEMPLATE_DATABASE), { max: 1 });
  await template.close();
  return cluster;
}

let shared: Promise<PostgresCluster> | undefined;

/** The run's cluster: started by the first file that asks, awaited by the others. */
export function runCluster(): Promise<PostgresCluster> {
  shared ??= (() => {
    const dir = inject('postgresRun');
    if (!dir) return ownCluster();
    try {
      mkdirSync(join(dir, 'starting'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      return awaitRunCluster(dir);
    }
    return startRunCluster(dir);
  })();
  return shared;
}

export type TestDatabase = {
  /** `postgres://service:…@127.0.0.1:<port>/<name>`: the role owns the database and is no superuser. */
  url: string;
  name: string;
  cluster: PostgresCluster;
  /** Drops the database (closing whatever connections are left). */
  drop: () => Promise<void>;
};

/**
 * A database of this test file's own: a copy of the migrated template, or empty (`migrated: false`,
 * for tests of the migrations themselves).
 */
export async function testDatabase(options: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const cluster = await runCluster();
  const name = `test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const url = await createDatabase(cluster, name, options.migrated === false ? undefined : TEMPLATE_DATABASE);
  return { url, name, cluster, drop: () => dropDatabase(cluster, name) };
}
