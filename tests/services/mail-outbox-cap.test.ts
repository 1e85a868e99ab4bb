/**
 * One address gets at most MAILS_PER_ADDRESS_PER_DAY mails in 24 hours from the outbox, over all its
 * requests, against a real SMTP server: the excess is not sent, its rows are dead, the log names the
 * rows and never the address; staff alerts are not counted; the next day, mail flows again.
 */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertRequest } from '../../server/db/requests';
import { mailOutbox } from '../../server/db/schema';
import { createReference } from '../../server/domain/reference';
import { deliverDueMails, enqueueMail, MAILS_PER_ADDRESS_PER_DAY } from '../../server/services/mail-outbox';
import { makeTestApp, type TestApp } from '../helpers/app';
import { startSmtp, type TestSmtp } from '../helpers/smtp';
import { encryptIdentity } from '../../server/services/identity';

let smtp: TestSmtp;
let t: TestApp;
let clock = new Date('2026-05-04T08:00:00Z');

beforeAll(async () => {
  smtp = await startSmtp();
  t = makeTestApp({ SMTP_URL: smtp.url }, { now: () => clock });
});
afterAll(async () => {
  t.close();
  await smtp.stop();
});

const db = () => t.deps.database.db;
const deps = () => ({
  db: db(),
  cipher: t.deps.cipher,
  mailer: t.deps.mailer,
  config: t.deps.config,
  logger: t.deps.logger,
  now: () => clock,
  i18n: t.deps.i18n,
});

/** A confirmed request of this address (its identity encrypted, its blind index set, as the form stores it). */
function requestOf(email: string): string {
  const id = randomUUID();
  insertRequest(db(), {
    id,
    reference: createReference(),
    kind: 'acces',
    scope: 'snds',
    organisationId: null,
    onBehalf: 'self',
    lang: 'fr',
    status: 'recue',
    identityEnc: encryptIdentity(t.deps, id, { lastName: 'A', firstNames: 'B', birthDate: '1995-10-12', email }),
    detailsEnc: null,
    emailIndex: t.deps.index.email(email),
    nirIndex: null,
    createdAt: clock.toISOString(),
    confirmedAt: clock.toISOString(),
  });
  return id;
}

const queueTrack = (requestId: string, n: number) => {
  for (let i = 0; i < n; i += 1)
    enqueueMail(db(), t.deps.cipher, { requestId, template: 'track', vars: { link: 'http://localhost/suivi/x', reference: 'DS', minutes: 30 }, now: clock });
};
const sentTo = (address: string) =>
  smtp.messages.filter((m) => (Array.isArray(m.to) ? m.to : [m.to]).some((to) => to?.value.some((v) => v.address?.toLowerCase() === address))).length;

describe('daily cap per address', () => {
  it(`sends ${MAILS_PER_ADDRESS_PER_DAY} mails a day to one address over all its requests, and no more`, async () => {
    const victim = 'cible@example.org';
    const first = requestOf(victim);
    const second = requestOf('CIBLE@example.org');
    const other = requestOf('autre@example.org');
    queueTrack(first, 15);
    queueTrack(second, 10);
    queueTrack(other, 3);
    // A staff alert to the same address is not a mail to a person: not counted, not capped.
    enqueueMail(db(), t.deps.cipher, {
      requestId: first,
      template: 'delivery_dead',
      vars: { reference: 'DS', organisation: 'X', attempts: 3, error: 'e', link: 'http://localhost/' },
      now: clock,
      recipient: victim,
    });

    const logFrom = t.logLines.length;
    let sent = 0;
    for (let round = 0; round < 3; round += 1) sent += (await deliverDueMails(deps())).sent;
    expect(sent).toBe(MAILS_PER_ADDRESS_PER_DAY + 3 + 1);
    await smtp.waitFor(MAILS_PER_ADDRESS_PER_DAY + 4);
    expect(sentTo(victim)).toBe(MAILS_PER_ADDRESS_PER_DAY + 1);
    expect(sentTo('autre@example.org')).toBe(3);

    const capped = db().select().from(mailOutbox).where(eq(mailOutbox.lastError, 'daily cap')).all();
    expect(capped).toHaveLength(25 - MAILS_PER_ADDRESS_PER_DAY);
    expect(capped.every((r) => r.deadAt && !r.sentAt)).toBe(true);
    const lines = t.logLines.slice(logFrom);
    expect(lines.filter((l) => l.includes('daily cap'))).toHaveLength(capped.length);
    expect(lines.join('\n')).not.toMatch(/cible@|autre@/i);
  });

  it('the next day, the address gets mail again', async () => {
    clock = new Date(clock.getTime() + 24 * 3_600_000 + 1000);
    const id = requestOf('cible@example.org');
    queueTrack(id, 2);
    const before = sentTo('cible@example.org');
    expect((await deliverDueMails(deps())).sent).toBe(2);
    await smtp.waitFor(smtp.messages.length);
    expect(sentTo('cible@example.org')).toBe(before + 2);
  });

  it('a follow’s confirmation and management links count against the same cap as the address’s requests; digests do not', async () => {
    clock = new Date(clock.getTime() + 24 * 3_600_000 + 1000);
    const address = 'suiveuse@example.org';
    const index = t.deps.index.email(address);
    const before = sentTo(address);
    queueTrack(requestOf(address), MAILS_PER_ADDRESS_PER_DAY - 2);
    const followMail = (template: string, capped: boolean) =>
      enqueueMail(db(), t.deps.cipher, {
        template,
        vars: { link: 'http://localhost/suivre/x', minutes: 60, days: 7, target: 'T', frequency: 'f' },
        now: clock,
        recipient: address,
        ...(capped ? { recipientIndex: index } : {}),
        lang: 'en',
      });
    for (let i = 0; i < 4; i += 1) followMail('follow.manage', true);
    followMail('follow.digest', false);
    let sent = 0;
    for (let round = 0; round < 2; round += 1) sent += (await deliverDueMails(deps())).sent;
    expect(sent).toBe(MAILS_PER_ADDRESS_PER_DAY + 1);
    await smtp.waitFor(smtp.messages.length);
    expect(sentTo(address)).toBe(before + MAILS_PER_ADDRESS_PER_DAY + 1);
    const dead = db()
      .select()
      .from(mailOutbox)
      .where(eq(mailOutbox.lastError, 'daily cap'))
      .all()
      .filter((r) => r.template === 'follow.manage');
    expect(dead).toHaveLength(2);
    // A mail about no request keeps no address once it is dead either.
    expect(dead.every((r) => r.recipientEnc === null)).toBe(true);
  });
});
