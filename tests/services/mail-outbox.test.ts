/**
 * The mail outbox against a real SMTP server that refuses for a while: the mail is retried with the
 * same Message-ID and lands once accepted; a permanent refusal ends dead after the maximum attempts.
 */
import { eq } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailOutbox } from '../../server/db/schema';
import { deliverDueMails, MAX_ATTEMPTS, retryDelay } from '../../server/services/mail-outbox';
import { readDraft, submitDraft, writeDraft, type RequestDeps } from '../../server/services/rights-requests';
import { makeTestApp, type TestApp } from '../helpers/app';

let answer: 'ok' | 451 | 550 = 451;
const received: string[] = [];
let server: SMTPServer;
let t: TestApp;
let clock = new Date('2026-05-04T08:00:00Z');

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _s, cb) {
      let raw = '';
      stream.on('data', (d) => (raw += d));
      stream.on('end', () => {
        if (answer === 'ok') {
          received.push(/^Message-ID: (.+)$/im.exec(raw)![1]!.trim());
          cb();
        } else cb(Object.assign(new Error(answer === 451 ? 'try later' : 'no such user'), { responseCode: answer }));
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t = makeTestApp({ SMTP_URL: `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}` }, { now: () => clock });
});
afterAll(async () => {
  t.close();
  await new Promise<void>((r) => server.close(() => r()));
});

function deps(): RequestDeps {
  return {
    db: t.deps.database.db,
    cipher: t.deps.cipher,
    index: t.deps.index,
    mailer: t.deps.mailer,
    config: t.deps.config,
    logger: t.deps.logger,
    now: () => clock,
    i18n: t.deps.i18n,
    kickMail: () => {},
  };
}

async function queue(email: string) {
  const d = deps();
  const draft = writeDraft(d, undefined, {
    kind: 'acces',
    scope: 'snds',
    onBehalf: 'self',
    lastName: 'A',
    firstNames: 'B',
    birthDate: '1995-10-12',
    birthPlace: 'C',
    nir: '295109912611193',
    email,
    done: ['type', 'portee', 'pour-qui', 'identite', 'contact', 'details'],
  });
  const out = await submitDraft(d, readDraft(d, draft)!, { lang: 'fr' });
  if (out.outcome !== 'created') throw new Error(out.outcome);
  return t.deps.database.db.select().from(mailOutbox).where(eq(mailOutbox.requestId, out.request.id)).get()!;
}

describe('mail outbox', () => {
  it('retries after 451 with the same Message-ID, then delivers once', async () => {
    answer = 451;
    const row = await queue('retry@example.org');
    expect(await deliverDueMails(deps())).toEqual({ sent: 0, failed: 1 });
    const after = t.deps.database.db.select().from(mailOutbox).where(eq(mailOutbox.id, row.id)).get()!;
    expect(after).toMatchObject({ attempts: 1, lastError: 'smtp 451', sentAt: null, deadAt: null });
    expect(after.nextAttemptAt >= clock.toISOString()).toBe(true);
    answer = 'ok';
    clock = new Date(clock.getTime() + 24 * 3_600_000);
    expect(await deliverDueMails(deps())).toEqual({ sent: 1, failed: 0 });
    expect(received).toEqual([`<confirm.${row.id}@localhost>`]);
    expect(await deliverDueMails(deps())).toEqual({ sent: 0, failed: 0 });
  });

  it('gives up after the maximum number of attempts on 550', async () => {
    answer = 550;
    const row = await queue('nobody@example.org');
    for (let i = 0; i < MAX_ATTEMPTS + 2; i += 1) {
      clock = new Date(clock.getTime() + 7 * 3_600_000);
      await deliverDueMails(deps());
    }
    const after = t.deps.database.db.select().from(mailOutbox).where(eq(mailOutbox.id, row.id)).get()!;
    expect(after.attempts).toBe(MAX_ATTEMPTS);
    expect(after.deadAt).toBeTruthy();
    expect(after.lastError).toBe('smtp 550');
  });

  it('spreads retries with full jitter under an exponential cap', () => {
    expect(retryDelay(1, () => 0.999)).toBeLessThan(30_000);
    expect(retryDelay(3, () => 0.999)).toBeLessThan(120_000);
    expect(retryDelay(3, () => 0.999)).toBeGreaterThan(100_000);
    expect(retryDelay(30, () => 0.999)).toBeLessThanOrEqual(6 * 3_600_000);
    expect(retryDelay(5, () => 0)).toBe(0);
  });
});

describe('without SMTP_URL', () => {
  it('writes each mail as an .eml file under DATA_DIR/mail', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const local = makeTestApp();
    const d: RequestDeps = {
      db: local.deps.database.db,
      cipher: local.deps.cipher,
      index: local.deps.index,
      mailer: local.deps.mailer,
      config: local.deps.config,
      logger: local.deps.logger,
      now: () => new Date(),
      i18n: local.deps.i18n,
      kickMail: () => {},
    };
    const draft = writeDraft(d, undefined, {
      kind: 'acces',
      scope: 'snds',
      onBehalf: 'self',
      lastName: 'A',
      firstNames: 'B',
      birthDate: '1995-10-12',
      birthPlace: 'C',
      nir: '295109912611193',
      email: 'spool@example.org',
      done: ['type', 'portee', 'pour-qui', 'identite', 'contact', 'details'],
    });
    await submitDraft(d, readDraft(d, draft)!, { lang: 'en' });
    expect(await deliverDueMails(d)).toEqual({ sent: 1, failed: 0 });
    const files = readdirSync(join(local.dataDir, 'mail'));
    expect(files).toHaveLength(1);
    const eml = readFileSync(join(local.dataDir, 'mail', files[0]!), 'utf8');
    expect(eml).toMatch(/^To: spool@example\.org$/m);
    expect(eml).toMatch(/^Subject: Confirm your request about your health data$/m);
    expect(eml).toMatch(/^Content-Language: en$/m);
    local.close();
  });
});
