/**
 * An administrator's action is one transaction: the change and its audit entry commit together or not
 * at all, both written through the transaction's handle (server/services/admin-outcome.ts inTransaction).
 * The failure here is real: a trigger makes the database refuse the audit entry, the last write of the
 * action. The outer audit function given in the deps throws: an action that used it would fail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataSourceById, organisationById, upsertOrganisation } from '../../server/db/register';
import { auditedEditing, saveSource } from '../../server/services/register-editing';
import type { AdminDeps } from '../../server/services/admin-outcome';
import { createChannel } from '../../server/services/staff-channels';
import { createOrganisation } from '../../server/services/staff-organisations';
import { makeTestApp, type TestApp } from '../helpers/app';

let t: TestApp;
const db = () => t.deps.database.db;
const actor = 'user:admin-atomique';

beforeAll(() => {
  t = makeTestApp();
});
afterAll(() => t.close());

const count = (sql: string, ...args: unknown[]) => (t.deps.database.sqlite.prepare(sql).get(...args) as { n: number }).n;
const deps = (): AdminDeps => ({
  db: db(),
  cipher: t.deps.cipher,
  index: t.deps.index,
  config: t.deps.config,
  now: t.deps.now,
  audit: () => {
    throw new Error('the outer audit was used inside the transaction');
  },
});

/** Runs `action` while the database refuses audit entries of `auditAction`. */
function withAuditRefused<T>(auditAction: string, action: () => T): T {
  t.deps.database.sqlite.exec(
    `CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log WHEN NEW.action = '${auditAction}' BEGIN SELECT RAISE(ABORT, 'audit refused'); END`,
  );
  try {
    return action();
  } finally {
    t.deps.database.sqlite.exec('DROP TRIGGER refuse_audit');
  }
}

describe('creating an organisation', () => {
  it('commits the organisation and its audit entry together', () => {
    const result = createOrganisation(deps(), actor, { id: 'hopital-atomique', name: 'Hôpital atomique' });
    expect(result).toEqual({ ok: true, value: 'hopital-atomique' });
    expect(organisationById(db(), 'hopital-atomique')?.name).toBe('Hôpital atomique');
    expect(count("SELECT count(*) AS n FROM audit_log WHERE action = 'organisation.create' AND target_id = ?", 'hopital-atomique')).toBe(1);
  });

  it('leaves neither the organisation nor an audit entry when the audit append fails', () => {
    const audits = count('SELECT count(*) AS n FROM audit_log');
    expect(() => withAuditRefused('organisation.create', () => createOrganisation(deps(), actor, { id: 'hopital-refuse', name: 'Hôpital refusé' }))).toThrow(
      /audit refused/,
    );
    expect(organisationById(db(), 'hopital-refuse')).toBeUndefined();
    expect(count('SELECT count(*) AS n FROM audit_log')).toBe(audits);
  });
});

describe('adding a channel', () => {
  it('leaves no channel and no audit entry when the audit append fails, and adds both when it succeeds', () => {
    upsertOrganisation(db(), { id: 'hopital-canal', name: 'Hôpital canal' }, new Date().toISOString());
    const channels = () => count('SELECT count(*) AS n FROM organisation_channels WHERE organisation_id = ?', 'hopital-canal');
    const audits = count('SELECT count(*) AS n FROM audit_log');
    const input = { kind: 'email' as const, address: 'dpo@hopital-canal.example', lang: 'fr' as const };
    expect(() => withAuditRefused('channel.create', () => createChannel(deps(), actor, 'hopital-canal', input))).toThrow(/audit refused/);
    expect(channels()).toBe(0);
    expect(count('SELECT count(*) AS n FROM audit_log')).toBe(audits);

    const { channelId } = createChannel(deps(), actor, 'hopital-canal', input);
    expect(channels()).toBe(1);
    expect(count("SELECT count(*) AS n FROM audit_log WHERE action = 'channel.create' AND target_id = ?", channelId)).toBe(1);
  });
});

describe("an editor's save in the register", () => {
  const editing = () => auditedEditing(db(), t.deps.now, t.deps.config.sessionSecret);
  const input = { id: 'source-atomique', name: 'Source atomique', kind: '', holder: '', partOfSnds: 'false', identifiante: 'true', description: '' } as const;

  it('leaves no source, no history and no audit entry when the audit append fails', () => {
    const audits = count('SELECT count(*) AS n FROM audit_log');
    expect(() => withAuditRefused('source.create', () => saveSource(editing(), input, { mode: 'create', origin: 'editor:ed-1', actor: 'user:ed-1' }))).toThrow(
      /audit refused/,
    );
    expect(dataSourceById(db(), 'source-atomique')).toBeUndefined();
    expect(count('SELECT count(*) AS n FROM audit_log')).toBe(audits);
  });

  it('commits the source and its audit entry, with the editor as actor, in one transaction', () => {
    const result = saveSource(editing(), input, { mode: 'create', origin: 'editor:ed-1', actor: 'user:ed-1' });
    expect(result).toMatchObject({ ok: true, outcome: 'created' });
    expect(dataSourceById(db(), 'source-atomique')?.name).toBe('Source atomique');
    expect(count("SELECT count(*) AS n FROM audit_log WHERE action = 'source.create' AND target_id = ? AND actor = 'user:ed-1'", 'source-atomique')).toBe(1);
  });
});
