/**
 * The audit log's hash chain against an attacker who holds the database file: the triggers
 * refuse UPDATE and DELETE; once dropped (as anyone with the file can), an edit, a deletion, an
 * insertion or a re-hash with plain SHA-256 is found, and the first entry that no longer holds is
 * named, both by verifyAudit and by the real `audit:verify` command run on the data directory.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { auditFor } from '../../server/auth/guard';
import { auditKey, GENESIS, verifyAudit, type AuditEntry } from '../../server/services/audit';
import { makeTestApp, type TestApp } from '../helpers/app';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const apps: TestApp[] = [];
afterEach(() => {
  for (const t of apps.splice(0)) t.close();
});

/** An app over a fresh database with `n` audit entries, written as staff actions write them. */
function withEntries(n: number): TestApp {
  const t = makeTestApp({ LOG_LEVEL: 'silent' });
  apps.push(t);
  const audit = auditFor(t.deps);
  for (let i = 1; i <= n; i += 1) audit(`user:u${i % 3}`, i % 2 ? 'channel.create' : 'user.disable', { type: 'thing', id: `t${i}` }, { n: i, ok: true });
  return t;
}

const sqlite = (t: TestApp) => t.deps.database.sqlite;
const key = (t: TestApp) => auditKey(t.deps.config.sessionSecret);
const verifyOf = (t: TestApp) => verifyAudit(t.deps.database.db, key(t));
const entry = (t: TestApp, seq: number) => sqlite(t).prepare('select * from audit_log where seq = ?').get(seq) as Record<string, unknown>;

/** What an attacker with the file does first: the triggers are only in the file. */
function dropTriggers(t: TestApp) {
  sqlite(t).exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
}

/** The entry hashed the way a forger without the chain key would: plain SHA-256 over the same fields. */
function plainHash(e: Record<string, unknown>): string {
  const canonical = JSON.stringify([e.seq, e.at, e.actor, e.action, e.target_type, e.target_id, e.detail, e.prev_hash]);
  return createHash('sha256').update(canonical).digest('hex');
}

/** Runs the real command on a data directory: `npx tsx server/cli/audit-verify.ts`. */
function auditVerify(dataDir: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['tsx', 'server/cli/audit-verify.ts'], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: dataDir, NODE_ENV: 'test' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the audit chain', () => {
  it('verifies when intact: each entry holds the hash of the one before', () => {
    const t = withEntries(7);
    expect(verifyOf(t)).toEqual({ ok: true, entries: 7 });
    const rows = sqlite(t).prepare('select seq, prev_hash, hash from audit_log order by seq').all() as { seq: number; prev_hash: string; hash: string }[];
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(rows[0]!.prev_hash).toBe(GENESIS);
    for (let i = 1; i < rows.length; i += 1) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
  });

  it('an empty log verifies', () => {
    const t = withEntries(0);
    expect(verifyOf(t)).toEqual({ ok: true, entries: 0 });
  });

  it('refuses UPDATE and DELETE while the triggers are there', () => {
    const t = withEntries(3);
    expect(() => sqlite(t).prepare("update audit_log set detail = '{}' where seq = 2").run()).toThrow(/append-only/);
    expect(() => sqlite(t).prepare('delete from audit_log where seq = 2').run()).toThrow(/append-only/);
    expect(() => sqlite(t).prepare('delete from audit_log').run()).toThrow(/append-only/);
    expect(verifyOf(t)).toEqual({ ok: true, entries: 3 });
  });

  it('names the edited entry once the triggers are dropped and one detail is changed', () => {
    const t = withEntries(6);
    dropTriggers(t);
    sqlite(t).prepare(`update audit_log set detail = '{"n":4,"ok":false}' where seq = 4`).run();
    expect(verifyOf(t)).toMatchObject({ ok: false, brokenAt: 4, reason: 'hash_mismatch' });
  });

  it('names the entry after a deletion in the middle', () => {
    const t = withEntries(6);
    dropTriggers(t);
    sqlite(t).prepare('delete from audit_log where seq = 3').run();
    expect(verifyOf(t)).toMatchObject({ ok: false, brokenAt: 4, reason: 'sequence_gap' });
  });

  it('finds a deletion even when the later entries are renumbered to hide the gap', () => {
    const t = withEntries(5);
    dropTriggers(t);
    sqlite(t).exec('delete from audit_log where seq = 2; update audit_log set seq = seq - 1 where seq > 2;');
    // Entry 2 is now the old entry 3, whose prev_hash was the deleted entry's hash.
    expect(verifyOf(t)).toMatchObject({ ok: false, brokenAt: 2 });
  });

  it('names the first forged entry when the attacker re-hashes with plain SHA-256 and re-chains the rest', () => {
    const t = withEntries(6);
    dropTriggers(t);
    const db = sqlite(t);
    db.prepare(`update audit_log set detail = '{"n":3,"ok":false}' where seq = 3`).run();
    let prev = entry(t, 2).hash as string;
    for (let seq = 3; seq <= 6; seq += 1) {
      db.prepare('update audit_log set prev_hash = ? where seq = ?').run(prev, seq);
      const hash = plainHash(entry(t, seq));
      db.prepare('update audit_log set hash = ? where seq = ?').run(hash, seq);
      prev = hash;
    }
    expect(verifyOf(t)).toMatchObject({ ok: false, brokenAt: 3, reason: 'hash_mismatch' });
  });

  it('names an entry inserted at the end without the chain key', () => {
    const t = withEntries(4);
    const last = entry(t, 4);
    const forged = {
      seq: 5,
      at: new Date().toISOString(),
      actor: 'user:intruder',
      action: 'user.role_change',
      target_type: 'user',
      target_id: 'x',
      detail: null,
      prev_hash: last.hash,
    };
    sqlite(t)
      .prepare('insert into audit_log (seq, at, actor, action, target_type, target_id, detail, prev_hash, hash) values (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(forged.seq, forged.at, forged.actor, forged.action, forged.target_type, forged.target_id, forged.detail, forged.prev_hash, plainHash(forged));
    expect(verifyOf(t)).toMatchObject({ ok: false, brokenAt: 5, reason: 'hash_mismatch' });
  });

  it('does not verify under another key (a chain rebuilt by someone without SESSION_SECRET)', () => {
    const t = withEntries(2);
    expect(verifyAudit(t.deps.database.db, auditKey(Buffer.alloc(32, 7)))).toMatchObject({ ok: false, brokenAt: 1, reason: 'hash_mismatch' });
  });

  it('entries carry no personal data, only what the caller passed as technical detail', () => {
    const t = withEntries(1);
    const e = entry(t, 1) as unknown as AuditEntry & { detail: string };
    expect(JSON.parse(e.detail)).toEqual({ n: 1, ok: true });
  });
});

describe('npm run audit:verify', () => {
  it('exits 0 on an intact log, and 1 naming the first broken entry after tampering', async () => {
    const t = withEntries(5);
    const intact = await auditVerify(t.dataDir);
    expect(intact.stderr).toBe('');
    expect(intact.stdout).toBe('Audit log intact: 5 entries.\n');
    expect(intact.code).toBe(0);

    dropTriggers(t);
    sqlite(t).prepare(`update audit_log set actor = 'user:someone-else' where seq = 3`).run();
    const broken = await auditVerify(t.dataDir);
    expect(broken.stdout).toBe('Audit log broken at entry #3 (hash_mismatch): entries from #3 on cannot be trusted.\n');
    expect(broken.code).toBe(1);

    sqlite(t).prepare('delete from audit_log where seq = 2').run();
    const gap = await auditVerify(t.dataDir);
    expect(gap.stdout).toContain('Audit log broken at entry #3 (sequence_gap)');
    expect(gap.code).toBe(1);
  }, 120_000);

  it('exits 2 when there is no database in DATA_DIR', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'audit-verify-empty-'));
    try {
      const out = await auditVerify(empty);
      expect(out.code).toBe(2);
      expect(out.stderr).toContain('No database');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  }, 60_000);
});
