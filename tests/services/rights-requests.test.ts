/**
 * What happens to a request's data over time, and how it is protected at rest: ciphertexts bound to
 * their row, key rotation, deletion of unconfirmed requests with a notice, erasure after retention.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DecryptionError } from '../../server/crypto/fields';
import { rightsRequests } from '../../server/db/schema';
import { readDraft, submitDraft, writeDraft, type RequestDeps } from '../../server/services/rights-requests';
import { runHousekeeping } from '../../server/services/housekeeping';
import { makeTestApp, type TestApp } from '../helpers/app';
import { startSmtp, type TestSmtp } from '../helpers/smtp';
import type { Answers } from '../../server/domain/rights-request';
import { requestIdentityContext } from '../../server/crypto/contexts';
import { decryptIdentity } from '../../server/services/identity';

let smtp: TestSmtp;
let clock = new Date('2026-03-02T09:00:00Z');
let t: TestApp;
let deps: RequestDeps;

const k1 = Buffer.alloc(32, 1).toString('base64');
const k2 = Buffer.alloc(32, 2).toString('base64');

const answers = (email: string): Answers => ({
  kind: 'acces',
  scope: 'snds',
  onBehalf: 'self',
  lastName: 'Durand',
  firstNames: 'Paule',
  birthDate: '1995-10-12',
  birthPlace: 'Lyon',
  nir: '295109912611193',
  insuranceScheme: 'cpam',
  email,
  done: ['type', 'portee', 'pour-qui', 'identite', 'contact', 'details'],
});

async function submit(email: string) {
  const draft = writeDraft(deps, undefined, answers(email));
  const out = await submitDraft(deps, readDraft(deps, draft)!, { lang: 'fr' });
  if (out.outcome !== 'created') throw new Error(out.outcome);
  return out.request;
}

beforeAll(async () => {
  smtp = await startSmtp();
  t = makeTestApp({ SMTP_URL: smtp.url, DATA_KEYS: `k1:${k1}` }, { now: () => clock });
  deps = {
    db: t.deps.database.db,
    cipher: t.deps.cipher,
    index: t.deps.index,
    mailer: t.deps.mailer,
    config: t.deps.config,
    logger: t.deps.logger,
    now: () => clock,
    i18n: t.deps.i18n,
    kickMail: t.deps.mailWorker.kick,
  };
});
afterAll(async () => {
  t.close();
  await smtp.stop();
});

describe('identity at rest', () => {
  it('is bound to its row: a ciphertext moved to another request does not decrypt', async () => {
    const a = await submit('a@example.org');
    const b = await submit('b@example.org');
    expect(decryptIdentity(deps, a)?.email).toBe('a@example.org');
    const moved = { ...b, identityEnc: a.identityEnc };
    expect(() => decryptIdentity(deps, moved)).toThrow(DecryptionError);
  });

  it('still reads after a key rotation, and new rows use the new key', async () => {
    const old = await submit('rotation@example.org');
    expect(old.identityEnc!.startsWith('v1.k1.')).toBe(true);
    const rotated = makeTestApp({ DATA_KEYS: `k2:${k2},k1:${k1}` }, {}, { dataDir: t.dataDir });
    const row = rotated.deps.database.db.select().from(rightsRequests).where(eq(rightsRequests.id, old.id)).get()!;
    expect(decryptIdentity(rotated.deps, row)?.email).toBe('rotation@example.org');
    expect(rotated.deps.cipher.needsRotation(row.identityEnc!)).toBe(true);
    expect(rotated.deps.cipher.encrypt('x', requestIdentityContext('r')).startsWith('v1.k2.')).toBe(true);
    rotated.deps.mailWorker.stop();
    rotated.deps.mailer.close();
    rotated.deps.database.close();
  });
});

describe('housekeeping', () => {
  it('deletes a request left unconfirmed for 7 days, after telling the person', async () => {
    clock = new Date('2026-03-02T09:00:00Z');
    const r = await submit('oubli@example.org');
    clock = new Date('2026-03-08T09:00:00Z');
    expect((await runHousekeeping(deps)).unconfirmedDeleted).toBe(0);
    const before = smtp.messages.length;
    clock = new Date('2026-03-09T10:00:00Z');
    const report = await runHousekeeping(deps);
    expect(report.unconfirmedDeleted).toBeGreaterThanOrEqual(1);
    expect(t.deps.database.db.select().from(rightsRequests).where(eq(rightsRequests.id, r.id)).get()).toBeUndefined();
    const mails = await smtp.waitFor(before + 1);
    const notice = mails.slice(before).find((m) => (m.to && 'text' in m.to ? m.to.text : '') === 'oubli@example.org')!;
    expect(notice.subject).toBe('Votre demande non confirmée a été supprimée');
    expect(notice.text).toContain(r.reference);
    // Idempotent: nothing more to do, no second mail.
    const again = await runHousekeeping(deps);
    expect(again.unconfirmedDeleted).toBe(0);
  });

  it('erases identity data of requests closed more than 12 months ago, keeping what statistics need', async () => {
    clock = new Date('2026-03-10T09:00:00Z');
    const r = await submit('ferme@example.org');
    t.deps.database.db
      .update(rightsRequests)
      .set({ status: 'cloturee', closedAt: '2026-03-10T09:00:00.000Z', confirmedAt: '2026-03-10T09:00:00.000Z' })
      .where(eq(rightsRequests.id, r.id))
      .run();
    clock = new Date('2027-03-09T09:00:00Z');
    expect((await runHousekeeping(deps)).identitiesErased).toBe(0);
    clock = new Date('2027-03-11T09:00:00Z');
    expect((await runHousekeeping(deps)).identitiesErased).toBe(1);
    const row = t.deps.database.db.select().from(rightsRequests).where(eq(rightsRequests.id, r.id)).get()!;
    expect(row).toMatchObject({ identityEnc: null, detailsEnc: null, emailIndex: null, nirIndex: null, kind: 'acces', scope: 'snds', status: 'cloturee' });
    expect(row.erasedAt).toBeTruthy();
  });
});
