/**
 * The delivery worker against real receivers on 127.0.0.1: HTTP endpoints, an SMTP server,
 * the CNAM batch directory. The clock is controlled: each round is one `deliverDue` call, and the clock
 * is moved past `next_attempt_at` between rounds instead of waiting for timers. Each case builds its own
 * app (fresh database and DATA_DIR), an organisation with one channel, and a confirmed request to it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ParsedMail } from 'mailparser';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { verifyManifest } from '../../connectors/cnam-batch';
import { generateSecret, verify } from '../../connectors/standard-webhooks';
import type { ChannelConfig, RequestDocument } from '../../connectors/types';
import { channelById, deliveriesOf, deliveryById, leaseDueDeliveries, type DeliveryRecord } from '../../server/db/deliveries';
import { upsertOrganisation } from '../../server/db/register';
import { eventsOf, requestById, updateRequest, type RequestRecord } from '../../server/db/requests';
import { gdprDeadlines } from '../../server/domain/deadlines';
import type { Answers } from '../../server/domain/rights-request';
import { addChannel } from '../../server/services/channels';
import { retryDelivery } from '../../server/services/delivery-attempts';
import { applyRecipientUpdate, collectAcknowledgements } from '../../server/services/status-updates';
import { deliverDue, type DeliveryDeps } from '../../server/worker/deliveries';
import { confirmRequest, readDraft, submitDraft, writeDraft, type RequestDeps } from '../../server/services/rights-requests';
import { withdrawRequest } from '../../server/services/tracking';
import { makeTestApp, type TestApp } from '../helpers/app';
import { createCnamSimulator } from '../helpers/cnam-simulator';
import { after, inTurn, never, reply, startMailServer, startReceiver, type MailServer, type Receiver, type Refusal } from '../helpers/receivers';
import { flushMail, recipientOf } from '../helpers/mail';
import { linkIn, tokenOf } from '../helpers/smtp';
import { waitFor } from '../helpers/wait';

const ADMIN = 'admin@example.org';
const OWNER = 'test-owner';
const NIR = '295109912611193';
const SUBJECT = {
  confirm: 'Confirmez votre demande sur vos données de santé',
  forwarded: 'Votre demande a été transmise',
  acknowledged: 'L’organisme a bien reçu votre demande',
  dead: 'Une demande n’a pas pu être transmise',
};

let clock = new Date('2026-03-02T09:00:00Z');
const advance = (ms: number) => (clock = new Date(clock.getTime() + ms));
/** Moves the clock just past a row's next attempt. */
const pastNextAttempt = (row: DeliveryRecord) => (clock = new Date(Date.parse(row.nextAttemptAt) + 1_000));

/** Mail for every case goes through this one server; `refuse` scripts a DPO mailbox's answers. */
let mail: MailServer;
const refuse = new Map<string, (attempt: number) => Refusal | undefined>();
const receivers: Receiver[] = [];
const apps: TestApp[] = [];
let people = 0;

beforeAll(async () => {
  mail = await startMailServer({ reject: (to, attempt) => refuse.get(to)?.(attempt) });
});
afterEach(async () => {
  for (const t of apps.splice(0)) {
    // Best effort: a mail refused on purpose stays queued for its retry.
    await flushMail(t.deps, { timeoutMs: 5_000 }).catch(() => undefined);
    t.close();
  }
  for (const r of receivers.splice(0)) await r.stop();
});
afterAll(async () => {
  await mail.stop();
});

async function receiver(respond: Parameters<typeof startReceiver>[0]) {
  const r = await startReceiver(respond);
  receivers.push(r);
  return r;
}

type Case = { t: TestApp; deps: DeliveryDeps; req: RequestDeps };

function setup(env: Record<string, string> = {}): Case {
  clock = new Date('2026-03-02T09:00:00Z');
  const t = makeTestApp(
    { SMTP_URL: mail.url, ADMIN_EMAILS: ADMIN, WEBHOOK_TIMEOUT_MS: '5000', DELIVERY_MAX_ATTEMPTS: '4', LOG_LEVEL: 'warn', ...env },
    { now: () => clock },
  );
  apps.push(t);
  const base = { db: t.deps.database.db, cipher: t.deps.cipher, config: t.deps.config, logger: t.deps.logger, now: () => clock, i18n: t.deps.i18n };
  return {
    t,
    deps: { ...base, connectors: t.deps.connectors, kickMail: t.deps.mailWorker.kick },
    req: { ...base, index: t.deps.index, mailer: t.deps.mailer, kickMail: t.deps.mailWorker.kick },
  };
}

function organisation(c: Case, id: string, name: string, channel?: ChannelConfig): string | undefined {
  upsertOrganisation(c.deps.db, { id, name }, clock.toISOString());
  return channel ? addChannel(c.deps, id, channel) : undefined;
}

/** A request submitted and confirmed by the link in its confirmation mail, as the person does. */
async function confirmedRequest(c: Case, to: { organisationId: string } | 'snds'): Promise<RequestRecord & { email: string }> {
  people += 1;
  const email = `personne${people}@example.org`;
  const answers: Answers = {
    kind: to === 'snds' ? 'opposition' : 'acces',
    ...(to === 'snds' ? { scope: 'snds', nir: NIR, insuranceScheme: 'cpam' } : { scope: 'responsable', organisationId: to.organisationId }),
    onBehalf: 'self',
    lastName: 'Durand',
    firstNames: 'Paule',
    birthDate: '1995-10-12',
    birthPlace: 'Lyon',
    email,
    reason: 'Je veux savoir ce que vous avez.',
    done: ['type', 'portee', 'pour-qui', 'identite', 'contact', 'details'],
  };
  const draft = writeDraft(c.req, undefined, answers);
  const out = await submitDraft(c.req, readDraft(c.req, draft)!, { lang: 'fr' });
  if (out.outcome !== 'created') throw new Error(out.outcome);
  const confirmation = await mail.waitFor((m) => recipientOf(m) === email && m.subject === SUBJECT.confirm && (m.text ?? '').includes(out.request.reference));
  const link = linkIn(confirmation, new URL('/demande/confirmer/', c.t.deps.config.publicUrl).href);
  const confirmed = confirmRequest(c.req, tokenOf(link));
  expect(confirmed?.status).toBe('recue');
  return { ...confirmed!, email };
}

const rowsOf = (c: Case, r: RequestRecord) => deliveriesOf(c.deps.db, r.id);
const onlyRow = (c: Case, r: RequestRecord) => {
  const rows = rowsOf(c, r);
  expect(rows).toHaveLength(1);
  return rows[0]!;
};
const round = (c: Case, owner = OWNER, limit?: number) => deliverDue(c.deps, owner, limit);
const request = (c: Case, r: RequestRecord) => requestById(c.deps.db, r.id)!;
const mailsTo = (address: string, subject: string, reference: string) =>
  mail.messages.filter((m) => recipientOf(m) === address && m.subject === subject && (m.text ?? '').includes(reference));

/** The staff alert for a dead delivery of this request (staff are alerted and can retry it). */
async function adminAlert(c: Case, r: RequestRecord): Promise<ParsedMail> {
  await flushMail(c.t.deps);
  const alerts = mailsTo(ADMIN, SUBJECT.dead, r.reference);
  expect(alerts).toHaveLength(1);
  return alerts[0]!;
}

/** Every signature on every hit verifies with the secret, at the timestamp it carries. */
function expectSigned(hits: Receiver['hits'], secrets: string[]) {
  for (const hit of hits) {
    const timestamp = String(hit.headers['webhook-timestamp']);
    const result = verify(
      secrets,
      { id: String(hit.headers['webhook-id']), timestamp, signature: String(hit.headers['webhook-signature']) },
      hit.body,
      Number(timestamp),
    );
    expect(result.ok).toBe(true);
  }
}

const FULL_JITTER_BASE_MS = 30_000;

describe('webhook channel', () => {
  it('500, 500, then 200: two retries with backoff, then delivered; the period starts that day (GDPR art. 12(3): receipt)', async () => {
    const hook = await receiver(inTurn(reply(500), reply(500), reply(200)));
    const c = setup({ WEBHOOK_ALLOW: hook.origin });
    const secret = generateSecret();
    organisation(c, 'org-flaky', 'Centre hospitalier fictif', { kind: 'webhook', url: hook.url, secrets: [secret] });
    const r = await confirmedRequest(c, { organisationId: 'org-flaky' });
    const timestamps: number[] = [];

    // Attempt 1: 500, retried within the full-jitter bound of 30 s.
    timestamps.push(Math.floor(clock.getTime() / 1000));
    expect(await round(c)).toEqual({ delivered: 0, retried: 1, dead: 0 });
    let row = onlyRow(c, r);
    expect(row).toMatchObject({ status: 'pending', attempts: 1, lastError: 'HTTP 500', leaseOwner: null, leaseUntil: null });
    const wait1 = Date.parse(row.nextAttemptAt) - clock.getTime();
    expect(wait1).toBeGreaterThanOrEqual(0);
    expect(wait1).toBeLessThan(FULL_JITTER_BASE_MS);
    if (wait1 > 0) expect(await round(c)).toEqual({ delivered: 0, retried: 0, dead: 0 }); // not before its time
    expect(hook.hits).toHaveLength(1);

    // Attempt 2: 500 again, the bound doubles.
    pastNextAttempt(row);
    timestamps.push(Math.floor(clock.getTime() / 1000));
    expect(await round(c)).toEqual({ delivered: 0, retried: 1, dead: 0 });
    row = onlyRow(c, r);
    expect(row).toMatchObject({ status: 'pending', attempts: 2, lastError: 'HTTP 500' });
    const wait2 = Date.parse(row.nextAttemptAt) - clock.getTime();
    expect(wait2).toBeGreaterThanOrEqual(0);
    expect(wait2).toBeLessThan(2 * FULL_JITTER_BASE_MS);
    expect(request(c, r)).toMatchObject({ status: 'recue', receivedOn: null, dueOn: null });

    // Attempt 3, late on 3 March in UTC: already 4 March in Paris, the day that counts.
    clock = new Date('2026-03-03T23:30:00Z');
    timestamps.push(Math.floor(clock.getTime() / 1000));
    expect(await round(c)).toEqual({ delivered: 1, retried: 0, dead: 0 });
    row = onlyRow(c, r);
    expect(row).toMatchObject({ status: 'delivered', attempts: 3, lastError: null, deliveredAt: clock.toISOString(), leaseOwner: null });

    const deadlines = gdprDeadlines('2026-03-04');
    expect(deadlines.due.due).toBe('2026-04-07'); // 4 April is a Saturday, 6 April Easter Monday
    expect(request(c, r)).toMatchObject({ status: 'transmise', receivedOn: '2026-03-04', dueOn: deadlines.due.due, extendedDueOn: deadlines.extendedDue.due });
    expect(eventsOf(c.deps.db, r.id).map((e) => e.kind)).toEqual(['submitted', 'confirmed', 'forwarded']);

    // The receiver saw one id three times, each attempt signed afresh with its own timestamp.
    expect(hook.hits).toHaveLength(3);
    expect(hook.hits.map((h) => h.headers['webhook-id'])).toEqual([row.id, row.id, row.id]);
    expect(hook.hits.map((h) => Number(h.headers['webhook-timestamp']))).toEqual(timestamps);
    expectSigned(hook.hits, [secret]);
    const doc = JSON.parse(hook.hits[2]!.body) as RequestDocument;
    expect(doc).toMatchObject({
      id: r.id,
      reference: r.reference,
      scope: 'responsable',
      organisation: { id: 'org-flaky', name: 'Centre hospitalier fictif' },
      received_on: '2026-03-04',
      due_on: '2026-04-07',
    });
    expect(doc.identity).toMatchObject({ last_name: 'Durand', email: r.email, nir: null });

    // The person is told, with the due date, and nothing personal in the subject.
    await flushMail(c.t.deps);
    const forwarded = mailsTo(r.email, SUBJECT.forwarded, r.reference);
    expect(forwarded).toHaveLength(1);
    const m = forwarded[0]!;
    for (const personal of ['Durand', 'Paule', r.email, '1995', 'Lyon']) expect(m.subject).not.toContain(personal);
    expect(m.text).toContain('7 avril 2026');
    expect(m.text).toContain('Centre hospitalier fictif');

    // Nothing more to send.
    advance(86_400_000);
    expect(await round(c)).toEqual({ delivered: 0, retried: 0, dead: 0 });
    expect(hook.hits).toHaveLength(3);
    expect(mailsTo(ADMIN, SUBJECT.dead, r.reference)).toHaveLength(0);
  });

  it('410: dead at once, the channel disabled, staff alerted; later requests die without contacting the receiver', async () => {
    const hook = await receiver(reply(410));
    const replacement = await receiver(reply(200));
    const c = setup({ WEBHOOK_ALLOW: `${hook.origin},${replacement.origin}` });
    const channelId = organisation(c, 'org-gone', 'Registre disparu', { kind: 'webhook', url: hook.url, secrets: [generateSecret()] })!;
    const first = await confirmedRequest(c, { organisationId: 'org-gone' });
    advance(1_000);
    // Confirmed before the 410, so queued on the channel: it dies as "channel disabled".
    const second = await confirmedRequest(c, { organisationId: 'org-gone' });

    expect(await round(c, OWNER, 1)).toEqual({ delivered: 0, retried: 0, dead: 1 });
    const row = onlyRow(c, first);
    expect(row).toMatchObject({ status: 'dead', attempts: 1, lastError: 'HTTP 410 gone', deadAt: clock.toISOString() });
    expect(channelById(c.deps.db, channelId)).toMatchObject({ enabled: false, disabledReason: 'HTTP 410 gone' });
    expect(request(c, first)).toMatchObject({ status: 'recue', receivedOn: null });
    const alert = await adminAlert(c, first);
    expect(alert.text).toContain(`npm run deliveries:retry -- ${row.id}`);
    expect(alert.text).toContain('Registre disparu');
    expect(alert.text).toContain('HTTP 410 gone');
    expect(mailsTo(first.email, SUBJECT.forwarded, first.reference)).toHaveLength(0);

    expect(await round(c)).toEqual({ delivered: 0, retried: 0, dead: 1 });
    expect(onlyRow(c, second)).toMatchObject({ status: 'dead', attempts: 1, lastError: 'channel disabled' });
    expect(hook.hits).toHaveLength(1);
    expect((await adminAlert(c, second)).text).toContain('channel disabled');

    // Confirmed after: the organisation has no enabled channel left.
    const third = await confirmedRequest(c, { organisationId: 'org-gone' });
    expect(onlyRow(c, third).channelId).toBeNull();
    expect(await round(c)).toEqual({ delivered: 0, retried: 0, dead: 1 });
    expect(onlyRow(c, third)).toMatchObject({ status: 'dead', lastError: 'no channel for this organisation' });
    expect(hook.hits).toHaveLength(1);
    await adminAlert(c, third);

    // Staff give the organisation a new endpoint and retry: the dead row moves to it, with its id.
    const newChannel = addChannel(c.deps, 'org-gone', { kind: 'webhook', url: replacement.url, secrets: [generateSecret()] });
    advance(60_000);
    expect(retryDelivery(c.deps, row.id)).toBe(true);
    expect(await round(c)).toEqual({ delivered: 1, retried: 0, dead: 0 });
    expect(deliveryById(c.deps.db, row.id)).toMatchObject({ status: 'delivered', channelId: newChannel });
    expect(replacement.hits.map((h) => h.headers['webhook-id'])).toEqual([row.id]);
    expect(hook.hits).toHaveLength(1);
    expect(request(c, first).status).toBe('transmise');
  });

  it('a receiver that never answers: retried as "timeout", dead after DELIVERY_MAX_ATTEMPTS, staff alerted', async () => {
    const hook = await receiver(never);
    const c = setup({ WEBHOOK_ALLOW: hook.origin, WEBHOOK_TIMEOUT_MS: '300', DELIVERY_MAX_ATTEMPTS: '4' });
    organisation(c, 'org-slow', 'Entrepôt lent', { kind: 'webhook', url: hook.url, secrets: [generateSecret()] });
    const r = await confirmedRequest(c, { organisationId: 'org-slow' });

    for (let attempt = 1; attempt <= 3; attempt += 1) {
      const started = Date.now();
      expect(await round(c)).toEqual({ delivered: 0, retried: 1, dead: 0 });
      const elapsed = Date.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(250);
      expect(elapsed).toBeLessThan(5_000);
      const row = onlyRow(c, r);
      expect(row).toMatchObject({ status: 'pending', attempts: attempt, lastError: 'timeout' });
      expect(Date.parse(row.nextAttemptAt) - clock.getTime()).toBeLessThan(FULL_JITTER_BASE_MS * 2 ** (attempt - 1));
      pastNextAttempt(row);
    }
    expect(await round(c)).toEqual({ delivered: 0, retried: 0, dead: 1 });
    const row = onlyRow(c, r);
    expect(row).toMatchObject({ status: 'dead', attempts: 4, lastError: 'timeout (gave up after 4 attempts)' });
    expect(hook.hits).toHaveLength(4);
    expect(new Set(hook.hits.map((h) => h.headers['webhook-id']))).toEqual(new Set([row.id]));
    const alert = await adminAlert(c, r);
    expect(alert.text).toContain(`npm run deliveries:retry -- ${row.id}`);
    expect(request(c, r).status).toBe('recue');
    // Nothing left open on the receiver's side: every timed-out request was cut.
    await waitFor(() => hook.open() === 0, { what: 'every request to the receiver closed', detail: () => `${hook.open()} still open` });
  });

  it('a redirect is never followed: dead, and the other receiver gets nothing', async () => {
    const target = await receiver(reply(200));
    const hook = await receiver(reply(302, { location: target.url }));
    const c = setup({ WEBHOOK_ALLOW: `${hook.origin},${target.origin}` });
    organisation(c, 'org-moved', 'Organisme déménagé', { kind: 'webhook', url: hook.url, secrets: [generateSecret()] });
    const r = await confirmedRequest(c, { organisationId: 'org-moved' });

    expect(await round(c)).toEqual({ delivered: 0, retried: 0, dead: 1 });
    expect(onlyRow(c, r)).toMatchObject({ status: 'dead', attempts: 1, lastError: 'HTTP 302 redirect refused' });
    expect(hook.hits).toHaveLength(1);
    expect(target.hits).toHaveLength(0);
    expect(request(c, r).status).toBe('recue');
    await adminAlert(c, r);
  });

  it('503 with Retry-After: 120: the next attempt waits at least 120 s', async () => {
    const hook = await receiver(inTurn(reply(503, { 'retry-after': '120' }), reply(200)));
    const c = setup({ WEBHOOK_ALLOW: hook.origin });
    organisation(c, 'org-busy', 'Service surchargé', { kind: 'webhook', url: hook.url, secrets: [generateSecret()] });
    const r = await confirmedRequest(c, { organisationId: 'org-busy' });
    const t0 = clock.getTime();

    expect(await round(c)).toEqual({ delivered: 0, retried: 1, dead: 0 });
    const row = onlyRow(c, r);
    expect(row).toMatchObject({ status: 'pending', attempts: 1, lastError: 'HTTP 503' });
    expect(Date.parse(row.nextAttemptAt) - t0).toBeGreaterThanOrEqual(120_000);

    clock = new Date(t0 + 119_000);
    expect(await round(c)).toEqual({ delivered: 0, retried: 0, dead: 0 });
    expect(hook.hits).toHaveLength(1);
    pastNextAttempt(row);
    expect(await round(c)).toEqual({ delivered: 1, retried: 0, dead: 0 });
    expect(hook.hits).toHaveLength(2);
    expect(request(c, r).status).toBe('transmise');
  });
});

describe('email channel', () => {
  it('451 then accepted: retried, then exactly one mail to the DPO with the JSON attachment and a stable Message-ID', async () => {
    const dpo = 'dpo-451@hopital.example';
    refuse.set(dpo, (attempt) => (attempt === 1 ? { code: 451, message: 'Try again later' } : undefined));
    const c = setup();
    organisation(c, 'org-mail', 'Hôpital par courriel', { kind: 'email', to: dpo });
    const r = await confirmedRequest(c, { organisationId: 'org-mail' });
    await flushMail(c.t.deps);

    expect(await round(c)).toEqual({ delivered: 0, retried: 1, dead: 0 });
    let row = onlyRow(c, r);
    expect(row).toMatchObject({ status: 'pending', attempts: 1, lastError: 'SMTP 451' });
    expect(Date.parse(row.nextAttemptAt) - clock.getTime()).toBeLessThan(FULL_JITTER_BASE_MS);
    pastNextAttempt(row);
    expect(await round(c)).toEqual({ delivered: 1, retried: 0, dead: 0 });
    row = onlyRow(c, r);
    expect(row).toMatchObject({ status: 'delivered', attempts: 2 });
    expect(request(c, r)).toMatchObject({ status: 'transmise', receivedOn: '2026-03-02', dueOn: gdprDeadlines('2026-03-02').due.due });

    await flushMail(c.t.deps);
    const refused = mail.refused.filter((m) => recipientOf(m) === dpo);
    const received = mail.to(dpo);
    expect(refused).toHaveLength(1);
    expect(received).toHaveLength(1);
    const m = received[0]!;
    expect(m.messageId).toContain(`delivery.${row.id}@`);
    expect(m.messageId).toBe(refused[0]!.messageId);
    expect(m.subject).toContain(r.reference);
    for (const personal of ['Durand', 'Paule', r.email]) expect(m.subject).not.toContain(personal);
    expect(m.text).toContain('Durand');
    expect(m.html).toBeTruthy();
    expect(m.attachments).toHaveLength(1);
    const attachment = m.attachments[0]!;
    expect(attachment.filename).toBe(`demande-${r.reference}.json`);
    expect(attachment.contentType).toBe('application/json');
    expect(JSON.parse(attachment.content.toString('utf8'))).toMatchObject({ id: r.id, reference: r.reference, organisation: { id: 'org-mail' } });
    expect(mailsTo(r.email, SUBJECT.forwarded, r.reference)).toHaveLength(1);
  });

  it('550: dead at once and staff alerted', async () => {
    const dpo = 'dpo-550@hopital.example';
    refuse.set(dpo, () => ({ code: 550, message: 'No such mailbox' }));
    const c = setup();
    organisation(c, 'org-nomail', 'Boîte inexistante', { kind: 'email', to: dpo });
    const r = await confirmedRequest(c, { organisationId: 'org-nomail' });

    expect(await round(c)).toEqual({ delivered: 0, retried: 0, dead: 1 });
    const row = onlyRow(c, r);
    expect(row).toMatchObject({ status: 'dead', attempts: 1, lastError: 'SMTP 550' });
    const alert = await adminAlert(c, r);
    expect(alert.text).toContain(`npm run deliveries:retry -- ${row.id}`);
    expect(alert.text).not.toContain(dpo);
    expect(mail.to(dpo)).toHaveLength(0);
    expect(request(c, r).status).toBe('recue');
  });
});

describe('CNAM channel', () => {
  it('batch mode: an NDJSON line and a signed manifest; an acknowledgement file applied once', async () => {
    const c = setup();
    addChannel(c.deps, 'cnam', { kind: 'cnam', mode: 'batch' });
    const r = await confirmedRequest(c, 'snds');
    expect(r.organisationId).toBe('cnam');

    expect(await round(c)).toEqual({ delivered: 1, retried: 0, dead: 0 });
    const row = onlyRow(c, r);
    expect(request(c, r)).toMatchObject({ status: 'transmise', receivedOn: '2026-03-02' });

    const cnamDir = join(c.t.dataDir, 'cnam');
    expect(verifyManifest(cnamDir, join('outbox', 'snds-objections-2026-03-02.manifest.json'), c.t.deps.config.cnamBatchKey)).toEqual({ ok: true, count: 1 });
    const lines = readFileSync(join(cnamDir, 'outbox', 'snds-objections-2026-03-02.ndjson'), 'utf8')
      .split('\n')
      .filter(Boolean);
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!) as { line_id: string; document: RequestDocument };
    expect(line.line_id).toBe(row.id);
    expect(line.document).toMatchObject({
      id: r.id,
      reference: r.reference,
      kind: 'opposition',
      scope: 'snds',
      insurance_scheme: 'cpam',
      organisation: { id: 'cnam' },
    });
    expect(line.document.identity!.nir).toBe(NIR);

    // The CNAM's side picks the file up, then drops an acknowledgement in the inbox.
    const cnam = createCnamSimulator(cnamDir, c.t.deps.config.cnamBatchKey);
    expect(cnam.pickUp().map((l) => l.line_id)).toEqual([row.id]);
    advance(86_400_000);
    cnam.acknowledge('accuses-2026-03-03.ndjson', [{ id: 'ack-0001', request: r.reference, type: 'acknowledged', at: '2026-03-03T08:00:00Z' }]);
    expect(await collectAcknowledgements(c.deps)).toBe(1);
    expect(request(c, r).status).toBe('accusee');
    const events = eventsOf(c.deps.db, r.id);
    expect(events.at(-1)).toMatchObject({ kind: 'acknowledged', actor: 'cnam' });
    expect(readdirSync(join(cnamDir, 'inbox')).filter((n) => n.endsWith('.ndjson'))).toEqual([]);
    expect(existsSync(join(cnamDir, 'inbox', 'processed', 'accuses-2026-03-03.ndjson'))).toBe(true);
    await flushMail(c.t.deps);
    expect(mailsTo(r.email, SUBJECT.acknowledged, r.reference)).toHaveLength(1);

    // The same acknowledgement id again, as is and with another content: neither is applied.
    cnam.acknowledge('accuses-2026-03-04.ndjson', [
      { id: 'ack-0001', request: r.reference, type: 'acknowledged' },
      { id: 'ack-0001', request: r.id, type: 'answered', outcome: 'granted', message: 'Opposition enregistrée.' },
    ]);
    expect(await collectAcknowledgements(c.deps)).toBe(0);
    expect(request(c, r).status).toBe('accusee');
    expect(eventsOf(c.deps.db, r.id)).toHaveLength(events.length);
    expect(existsSync(join(cnamDir, 'inbox', 'processed', 'accuses-2026-03-04.ndjson'))).toBe(true);
    await flushMail(c.t.deps);
    expect(mailsTo(r.email, SUBJECT.acknowledged, r.reference)).toHaveLength(1);
    expect(await collectAcknowledgements(c.deps)).toBe(0); // nothing left in the inbox
  });

  it('API mode: a signed POST like a webhook', async () => {
    const hook = await receiver(reply(202));
    const c = setup({ WEBHOOK_ALLOW: hook.origin });
    const secrets = [generateSecret(), generateSecret()];
    addChannel(c.deps, 'cnam', { kind: 'cnam', mode: 'api', url: hook.url, secrets });
    const r = await confirmedRequest(c, 'snds');

    expect(await round(c)).toEqual({ delivered: 1, retried: 0, dead: 0 });
    const row = onlyRow(c, r);
    expect(row.status).toBe('delivered');
    expect(hook.hits).toHaveLength(1);
    expect(hook.hits[0]!.headers['webhook-id']).toBe(row.id);
    expect(String(hook.hits[0]!.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expectSigned(hook.hits, [secrets[0]!]);
    expectSigned(hook.hits, [secrets[1]!]);
    const doc = JSON.parse(hook.hits[0]!.body) as RequestDocument;
    expect(doc).toMatchObject({ id: r.id, scope: 'snds', organisation: { id: 'cnam' } });
    expect(doc.identity!.nir).toBe(NIR);
    expect(doc.callback_url).toBe(`${c.t.deps.config.publicUrl.origin}/api/v1/callbacks/cnam`);
    expect(request(c, r).status).toBe('transmise');
    // The batch directory is not used in API mode.
    expect(existsSync(join(c.t.dataDir, 'cnam', 'outbox'))).toBe(false);
  });
});

describe('dead letters and retries', () => {
  it('no channel: dead at once, staff alerted; retried once a channel exists, then delivered with the same id', async () => {
    const hook = await receiver(reply(200));
    const c = setup({ WEBHOOK_ALLOW: hook.origin });
    organisation(c, 'org-nochannel', 'Organisme sans canal');
    const r = await confirmedRequest(c, { organisationId: 'org-nochannel' });
    const queued = onlyRow(c, r);
    expect(queued).toMatchObject({ status: 'pending', channelId: null });

    expect(await round(c)).toEqual({ delivered: 0, retried: 0, dead: 1 });
    expect(deliveryById(c.deps.db, queued.id)).toMatchObject({ status: 'dead', attempts: 1, lastError: expect.stringMatching(/^no channel/) });
    const alert = await adminAlert(c, r);
    expect(alert.text).toContain(`npm run deliveries:retry -- ${queued.id}`);

    const secret = generateSecret();
    const channelId = addChannel(c.deps, 'org-nochannel', { kind: 'webhook', url: hook.url, secrets: [secret] });
    advance(60_000);
    expect(retryDelivery(c.deps, queued.id)).toBe(true);
    expect(deliveryById(c.deps.db, queued.id)).toMatchObject({ status: 'pending', attempts: 0, deadAt: null, nextAttemptAt: clock.toISOString() });
    expect(retryDelivery(c.deps, queued.id)).toBe(false); // only a dead row goes back
    expect(retryDelivery(c.deps, 'no-such-delivery')).toBe(false);

    expect(await round(c)).toEqual({ delivered: 1, retried: 0, dead: 0 });
    expect(deliveryById(c.deps.db, queued.id)).toMatchObject({ status: 'delivered', attempts: 1, channelId });
    expect(hook.hits).toHaveLength(1);
    expect(hook.hits[0]!.headers['webhook-id']).toBe(queued.id);
    expectSigned(hook.hits, [secret]);
    expect(request(c, r)).toMatchObject({ status: 'transmise', receivedOn: '2026-03-02' });
    expect(rowsOf(c, r)).toHaveLength(1);
  });

  it('two workers at once never send the same row, and a crashed worker’s lease runs out', async () => {
    const hook = await receiver(after(100, reply(200)));
    const env = { WEBHOOK_ALLOW: hook.origin };
    const c = setup(env);
    organisation(c, 'org-busy-queue', 'File chargée', { kind: 'webhook', url: hook.url, secrets: [generateSecret()] });
    const requests: RequestRecord[] = [];
    for (let i = 0; i < 6; i += 1) requests.push(await confirmedRequest(c, { organisationId: 'org-busy-queue' }));
    await flushMail(c.t.deps);

    // A second process: its own connection to the same database file.
    const other = makeTestApp(
      { SMTP_URL: mail.url, ADMIN_EMAILS: ADMIN, WEBHOOK_TIMEOUT_MS: '5000', LOG_LEVEL: 'warn', ...env },
      { now: () => clock },
      { dataDir: c.t.dataDir },
    );
    try {
      const otherDeps: DeliveryDeps = {
        db: other.deps.database.db,
        cipher: other.deps.cipher,
        config: other.deps.config,
        logger: other.deps.logger,
        now: () => clock,
        i18n: other.deps.i18n,
        connectors: other.deps.connectors,
        kickMail: () => {},
      };
      const [a, b] = await Promise.all([deliverDue(c.deps, 'owner-a', 4), deliverDue(otherDeps, 'owner-b', 4)]);
      // Both worked at once, each on its own rows: leasing is one UPDATE ... RETURNING.
      expect([a.delivered, b.delivered]).toEqual([4, 2]);
      expect(a.retried + b.retried + a.dead + b.dead).toBe(0);
      const ids = requests.map((r) => onlyRow(c, r).id);
      expect(hook.hits.map((h) => h.headers['webhook-id']).sort()).toEqual([...ids].sort());
      expect(await deliverDue(otherDeps, 'owner-b')).toEqual({ delivered: 0, retried: 0, dead: 0 });
      expect(await round(c)).toEqual({ delivered: 0, retried: 0, dead: 0 });

      // A worker that leased a row and died (kill -9) holds it until its lease runs out; then it goes, same id.
      const late = await confirmedRequest(c, { organisationId: 'org-busy-queue' });
      const leased = leaseDueDeliveries(
        c.deps.db,
        'crashed',
        clock.toISOString(),
        new Date(clock.getTime() + c.t.deps.config.delivery.leaseSeconds * 1000).toISOString(),
        10,
      );
      expect(leased.map((l) => l.requestId)).toEqual([late.id]);
      expect(await deliverDue(otherDeps, 'owner-b')).toEqual({ delivered: 0, retried: 0, dead: 0 });
      advance(c.t.deps.config.delivery.leaseSeconds * 1000 + 1_000);
      expect(await deliverDue(otherDeps, 'owner-b')).toEqual({ delivered: 1, retried: 0, dead: 0 });
      expect(hook.hits).toHaveLength(7);
      expect(hook.hits[6]!.headers['webhook-id']).toBe(leased[0]!.id);
      expect(new Set(hook.hits.map((h) => h.headers['webhook-id'])).size).toBe(7);
    } finally {
      void other.deliveryWorker.stop();
      other.deps.mailWorker.stop();
      other.deps.mailer.close();
      other.deps.database.close();
    }
  });

  it('a request withdrawn before delivery is not delivered', async () => {
    const hook = await receiver(reply(200));
    const c = setup({ WEBHOOK_ALLOW: hook.origin });
    organisation(c, 'org-withdrawn', 'Organisme patient', { kind: 'webhook', url: hook.url, secrets: [generateSecret()] });
    const r = await confirmedRequest(c, { organisationId: 'org-withdrawn' });
    expect(withdrawRequest(c.req, r.id)).toBe(true);

    expect(await round(c)).toEqual({ delivered: 0, retried: 0, dead: 1 });
    expect(onlyRow(c, r)).toMatchObject({ status: 'dead', lastError: 'request retiree' });
    expect(hook.hits).toHaveLength(0);
    expect(request(c, r)).toMatchObject({ status: 'retiree', receivedOn: null });
    advance(86_400_000);
    expect(await round(c)).toEqual({ delivered: 0, retried: 0, dead: 0 });
    expect(hook.hits).toHaveLength(0);
    await flushMail(c.t.deps);
    expect(mailsTo(r.email, SUBJECT.forwarded, r.reference)).toHaveLength(0);
  });
});

describe('the legal clock (GDPR art. 12(3), Regulation 1182/71), on a controlled clock', () => {
  it('an SNDS objection confirmed on the Friday before Easter Monday: the month runs from that Friday, not from the later delivery (R1461-3 I, GDPR 26(3))', async () => {
    // The CNAM's API is down over the Easter weekend: the request reaches it on Tuesday.
    const hook = await receiver(inTurn(reply(503), reply(200)));
    const c = setup({ WEBHOOK_ALLOW: hook.origin });
    addChannel(c.deps, 'cnam', { kind: 'cnam', mode: 'api', url: hook.url, secrets: [generateSecret()] });
    clock = new Date('2027-03-26T10:00:00Z'); // Friday 26 March 2027; Easter Monday is 29 March
    const r = await confirmedRequest(c, 'snds');
    expect(request(c, r)).toMatchObject({ clock: 'confirmation', receivedOn: '2027-03-26', dueOn: '2027-04-26' });
    expect(await round(c)).toEqual({ delivered: 0, retried: 1, dead: 0 });
    clock = new Date('2027-03-30T08:00:00Z'); // Tuesday, after Easter Monday
    expect(await round(c)).toEqual({ delivered: 1, retried: 0, dead: 0 });
    // From a delivery on 30 March it would be 30 April: the confirmation day holds.
    expect(gdprDeadlines('2027-03-30').due.due).toBe('2027-04-30');
    expect(request(c, r)).toMatchObject({
      status: 'transmise',
      receivedOn: '2027-03-26',
      dueOn: '2027-04-26',
      extendedDueOn: gdprDeadlines('2027-03-26').extendedDue.due,
    });
    const doc = JSON.parse(hook.hits.at(-1)!.body) as RequestDocument;
    expect(doc).toMatchObject({ received_on: '2027-03-26', due_on: '2027-04-26' });
  });

  it('a controller in Alsace-Moselle: Good Friday and 26 December are holidays of its calendar, not of the mainland one', async () => {
    const hook = await receiver(reply(200));
    const c = setup({ WEBHOOK_ALLOW: hook.origin });
    upsertOrganisation(c.deps.db, { id: 'org-strasbourg', name: 'Centre hospitalier fictif de Strasbourg', zone: 'FR-67' }, clock.toISOString());
    upsertOrganisation(c.deps.db, { id: 'org-paris', name: 'Centre hospitalier fictif de Paris' }, clock.toISOString());
    for (const id of ['org-strasbourg', 'org-paris']) addChannel(c.deps, id, { kind: 'webhook', url: hook.url, secrets: [generateSecret()] });

    // Delivered on 26 February 2027: the month ends on Friday 26 March, Good Friday.
    clock = new Date('2027-02-26T10:00:00Z');
    const east = await confirmedRequest(c, { organisationId: 'org-strasbourg' });
    const paris = await confirmedRequest(c, { organisationId: 'org-paris' });
    expect(await round(c)).toEqual({ delivered: 2, retried: 0, dead: 0 });
    // Good Friday, then the weekend, then Easter Monday: Tuesday 30 March in Strasbourg; the Friday itself in Paris.
    expect(request(c, east)).toMatchObject({ receivedOn: '2027-02-26', dueOn: '2027-03-30' });
    expect(request(c, paris)).toMatchObject({ receivedOn: '2027-02-26', dueOn: '2027-03-26' });

    // Delivered on 26 November 2028: the month ends on Tuesday 26 December, St Stephen's Day in Alsace-Moselle.
    clock = new Date('2028-11-26T10:00:00Z');
    const east2 = await confirmedRequest(c, { organisationId: 'org-strasbourg' });
    const paris2 = await confirmedRequest(c, { organisationId: 'org-paris' });
    expect(await round(c)).toEqual({ delivered: 2, retried: 0, dead: 0 });
    expect(request(c, east2).dueOn).toBe('2028-12-27');
    expect(request(c, paris2).dueOn).toBe('2028-12-26');
  });

  it('a DPO acknowledging a portal request whose receipt day is unset sets it that day', async () => {
    const c = setup();
    organisation(c, 'org-portail', 'Organisme fictif au portail', { kind: 'portal', to: 'dpo-portail@example.org' });
    const r = await confirmedRequest(c, { organisationId: 'org-portail' });
    // The portal starts the clock when the person confirms ...
    expect(request(c, r)).toMatchObject({ receivedOn: '2026-03-02', dueOn: gdprDeadlines('2026-03-02').due.due });
    // ... and a request that reached the queue with no receipt day (say, confirmed before the portal channel
    // was set up, its delivery never recorded) gets one when the DPO acknowledges it.
    updateRequest(c.deps.db, r.id, { receivedOn: null, dueOn: null, extendedDueOn: null, answerDueOn: null });
    clock = new Date('2026-03-09T09:00:00Z');
    const out = applyRecipientUpdate(c.deps, 'org-portail', { id: 'ack-1', request: r.id, type: 'acknowledged' }, 'user:dpo');
    expect(out).toMatchObject({ ok: true, status: 'accusee' });
    expect(request(c, r)).toMatchObject({
      status: 'accusee',
      receivedOn: '2026-03-09',
      dueOn: gdprDeadlines('2026-03-09').due.due,
      extendedDueOn: gdprDeadlines('2026-03-09').extendedDue.due,
    });
  });
});
