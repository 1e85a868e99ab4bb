/**
 * The throwaway PostgreSQL of the tests (tests/helpers/postgres.ts, postgres-run.ts): what a test file
 * gets (its own migrated database, reachable on 127.0.0.1 only, as a role that is no superuser), that
 * a cluster stops and leaves nothing behind, that one left by a killed run is reaped, and that a missing
 * PostgreSQL fails saying what to install.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterDirectory, postgresBinDir, PostgresUnavailable, reapStaleClusters, startPostgresCluster } from '../helpers/postgres';
import { PG_HOOK_TIMEOUT_MS, testDatabase, type TestDatabase } from '../helpers/postgres-run';

async function query<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

const refused = async (url: string) => {
  try {
    await query(url, 'select 1');
    return false;
  } catch {
    return true;
  }
};

describe('a test file’s database', () => {
  let a: TestDatabase;
  let b: TestDatabase;
  beforeAll(async () => {
    a = await testDatabase();
    b = await testDatabase();
  }, PG_HOOK_TIMEOUT_MS);
  afterAll(async () => {
    await a?.drop();
    await b?.drop();
  });

  it('is migrated, on 127.0.0.1 only, its socket inside the cluster’s directory', async () => {
    expect(new URL(a.url).hostname).toBe('127.0.0.1');
    // Read as the superuser: the service's role may not see where the sockets are.
    const [settings] = await query<{ listen: string; sockets: string }>(
      a.cluster.url(a.name, { admin: true }),
      "select current_setting('listen_addresses') as listen, current_setting('unix_socket_directories') as sockets",
    );
    expect(settings).toEqual({ listen: '127.0.0.1', sockets: a.cluster.dir });
    const tables = await query<{ n: string }>(a.url, "select count(*) as n from information_schema.tables where table_schema = 'public'");
    expect(Number(tables[0]!.n)).toBeGreaterThan(20);
  });

  it('belongs to a role that owns it and is no superuser, as on a managed service', async () => {
    const [role] = await query<{ user: string; superuser: boolean; owner: string }>(
      a.url,
      'select current_user as user, rolsuper as superuser, pg_get_userbyid(datdba) as owner from pg_roles, pg_database where rolname = current_user and datname = current_database()',
    );
    expect(role).toEqual({ user: 'service', superuser: false, owner: 'service' });
  });

  it('is independent of another file’s database', async () => {
    await query(a.url, "insert into meta (key, value, updated_at) values ('only-in-a', '1', '2026-01-01')");
    expect(await query(a.url, "select key from meta where key = 'only-in-a'")).toHaveLength(1);
    expect(await query(b.url, "select key from meta where key = 'only-in-a'")).toHaveLength(0);
  });

  it('is gone once dropped', async () => {
    const c = await testDatabase({ migrated: false });
    expect(await query(c.url, "select count(*)::int as n from information_schema.tables where table_schema = 'public'")).toEqual([{ n: 0 }]);
    await c.drop();
    expect(await refused(c.url)).toBe(true);
  });
});

describe('a cluster of its own', () => {
  it('stops and leaves no directory behind', { timeout: PG_HOOK_TIMEOUT_MS }, async () => {
    const { cluster } = await startPostgresCluster();
    const url = cluster.url('postgres');
    expect(await query(url, 'select 1 as one')).toEqual([{ one: 1 }]);
    cluster.stop();
    expect(existsSync(cluster.dir)).toBe(false);
    expect(await refused(url)).toBe(true);
  });

  it('left running by a process that died is stopped and removed by the next run', { timeout: PG_HOOK_TIMEOUT_MS }, async () => {
    const child = spawn(process.execPath, ['-e', '']);
    const dead = await new Promise<number>((resolve) => child.once('exit', () => resolve(child.pid!)));
    const { cluster } = await startPostgresCluster({ dir: clusterDirectory(dead), owned: false });
    const url = cluster.url('postgres');
    expect(await query(url, 'select 1 as one')).toEqual([{ one: 1 }]);
    expect(reapStaleClusters()).toContain(cluster.dir);
    expect(existsSync(cluster.dir)).toBe(false);
    expect(await refused(url)).toBe(true);
  });
});

describe('without PostgreSQL', () => {
  it('fails, saying what to install', () => {
    expect(() => postgresBinDir({ PG_BIN_DIR: '/nonexistent/bin' })).toThrow(PostgresUnavailable);
    expect(() => postgresBinDir({ PG_BIN_DIR: '/nonexistent/bin' })).toThrow(/apt-get install -y postgresql/);
  });
});
