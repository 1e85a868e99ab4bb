/**
 * A staff action is one transaction: the status change, the timeline step, the person's mail, the
 * document and the audit entry commit together or not at all. The failure here is real: a trigger makes
 * the database refuse the audit entry, the last write of the action.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertOrganisation } from '../../server/db/register';
import { eventsOf, insertRequest, requestById } from '../../server/db/requests';
import { createReference } from '../../server/domain/reference';
import { encryptDetails, encryptIdentity } from '../../server/services/identity';
import { performStaffAction } from '../../server/services/staff-actions';
import { makeTestApp, type TestApp } from '../helpers/app';

let t: TestApp;
const db = () => t.deps.database.db;
const staff = { userId: randomUUID(), role: 'dpo' as const, organisationId: 'hopital-atomique' };

beforeAll(() => {
  t = makeTestApp();
  upsertOrganisation(db(), { id: staff.organisationId, name: 'Hôpital atomique' }, new Date().toISOString());
});
afterAll(() => t.close());

function forwardedRequest(): string {
  const id = randomUUID();
  const email = `atomique-${id.slice(0, 8)}@example.org`;
  const nowIso = new Date().toISOString();
  insertRequest(db(), {
    id,
    reference: createReference(),
    kind: 'acces',
    scope: 'responsable',
    organisationId: staff.organisationId,
    onBehalf: 'self',
    lang: 'fr',
    status: 'transmise',
    identityEnc: encryptIdentity(t.deps, id, { lastName: 'Durand', firstNames: 'Paule', birthDate: '1995-10-12', email }),
    detailsEnc: encryptDetails(t.deps, id, {}),
    emailIndex: t.deps.index.email(email),
    nirIndex: null,
    createdAt: nowIso,
    confirmedAt: nowIso,
    receivedOn: nowIso.slice(0, 10),
    dueOn: '2099-01-01',
    extendedDueOn: '2099-03-01',
  });
  return id;
}

const count = (sql: string, ...args: unknown[]) => (t.deps.database.sqlite.prepare(sql).get(...args) as { n: number }).n;
const deps = () => ({ db: db(), cipher: t.deps.cipher, config: t.deps.config, now: t.deps.now, audit: () => undefined });

describe('performStaffAction', () => {
  it('commits the status change and its audit entry together', () => {
    const id = forwardedRequest();
    const result = performStaffAction(deps(), staff, requestById(db(), id)!, 'accuser', {});
    expect(result).toEqual({ ok: true, status: 'accusee' });
    expect(requestById(db(), id)!.status).toBe('accusee');
    expect(eventsOf(db(), id).map((e) => e.kind)).toContain('acknowledged');
    expect(count("SELECT count(*) AS n FROM audit_log WHERE action = 'requests.acknowledge' AND target_id = ?", id)).toBe(1);
  });

  it('leaves neither the status change, the step, the mail nor the audit entry when the audit append fails', () => {
    const id = forwardedRequest();
    const audits = count('SELECT count(*) AS n FROM audit_log');
    const mails = count('SELECT count(*) AS n FROM mail_outbox WHERE request_id = ?', id);
    t.deps.database.sqlite.exec(
      "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log WHEN NEW.action = 'requests.acknowledge' BEGIN SELECT RAISE(ABORT, 'audit refused'); END",
    );
    try {
      expect(() => performStaffAction(deps(), staff, requestById(db(), id)!, 'accuser', {})).toThrow(/audit refused/);
    } finally {
      t.deps.database.sqlite.exec('DROP TRIGGER refuse_audit');
    }
    expect(requestById(db(), id)!.status).toBe('transmise');
    expect(eventsOf(db(), id).map((e) => e.kind)).not.toContain('acknowledged');
    expect(count('SELECT count(*) AS n FROM mail_outbox WHERE request_id = ?', id)).toBe(mails);
    expect(count('SELECT count(*) AS n FROM audit_log')).toBe(audits);
  });
});
