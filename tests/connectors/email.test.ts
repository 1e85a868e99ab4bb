/**
 * The e-mail and portal connectors against a real SMTP server: results from the server's answers (451
 * then accepted, 550, nobody listening), a stable Message-ID across retries, no personal data in the
 * subject, the JSON attachment, escaped HTML, English for English-speaking organisations, and a portal
 * notification with no personal data at all.
 */
import type { ParsedMail } from 'mailparser';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEmailConnector, type MailConnectorOptions } from '../../connectors/email';
import { createMailer, type Mailer } from '../../connectors/mail';
import { createPortalConnector } from '../../connectors/portal';
import { smtpFailure } from '../../connectors/smtp-result';
import type { Delivery, RequestDocument } from '../../connectors/types';
import { createI18n } from '../../server/i18n';
import { startSmtp, type SmtpOptions, type TestSmtp } from '../helpers/smtp';

const i18n = createI18n();
const PUBLIC_URL = 'https://droits.example.org';
const HOST = 'droits.example.org';
const DPO = 'dpo@organisme.example';
let dataDir: string;
const open: { smtp?: TestSmtp; mailer?: Mailer }[] = [];

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'connectors-email-'));
});
afterEach(async () => {
  for (const { smtp, mailer } of open.splice(0)) {
    mailer?.close();
    await smtp?.stop();
  }
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function documentFor(overrides: Partial<NonNullable<RequestDocument['identity']>> = {}): RequestDocument {
  return {
    $schema: `${PUBLIC_URL}/api/v1/schemas/request.json`,
    version: 2,
    id: '0b8c6a43-3d1e-4a59-9a52-6f1f7d2b0c11',
    reference: 'DS-7K3M-Q9XA',
    kind: 'opposition',
    scope: 'snds',
    project: null,
    organisation: { id: 'org-cnam', name: 'Caisse nationale de l’Assurance maladie' },
    answered_by: { id: 'org-cnam', name: 'Caisse nationale de l’Assurance maladie' },
    role: 'answer',
    part: 'snds',
    sources: [],
    identity_step: 'cnam',
    on_behalf: 'self',
    insurance_scheme: 'cpam',
    language: 'fr',
    identity: {
      last_name: 'Durandal',
      first_names: 'Éloïse Marthe',
      birth_name: 'Pichonneau',
      birth_date: '1985-03-27',
      birth_place: 'Quimperlé (29)',
      nir: '285032912345678',
      email: 'eloise.durandal@personne.example',
      postal_address: '12 rue des Tilleuls, 29300 Quimperlé',
      requester_name: null,
      relationship: null,
      ...overrides,
    },
    details: { reason: 'Je ne veux pas que mes données servent.', wrong_data: null, correct_data: null, access_scope: null, other_details: null },
    submitted_at: '2026-12-10T09:00:00.000Z',
    confirmed_at: '2026-12-10T09:05:00.000Z',
    received_on: '2026-12-12',
    due_on: '2027-01-12',
    callback_url: `${PUBLIC_URL}/api/v1/requests/0b8c6a43-3d1e-4a59-9a52-6f1f7d2b0c11/updates`,
  };
}

const IDENTITY_VALUES = ['Durandal', 'Éloïse', 'Pichonneau', 'Quimperlé', '285032912345678', 'eloise.durandal@personne.example', 'Tilleuls'];

function delivery(document: RequestDocument = documentFor(), lang: 'fr' | 'en' = 'fr', id = 'dlv-1'): Delivery {
  return { id, attempt: 1, document, lang };
}

async function setup(options: SmtpOptions = {}) {
  const smtp = await startSmtp(options);
  const mailer = createMailer({ smtpUrl: smtp.url, from: 'test@example.org', dataDir });
  open.push({ smtp, mailer });
  const opts: MailConnectorOptions = { mailer, i18n, host: HOST, publicUrl: PUBLIC_URL };
  return { smtp, email: createEmailConnector(opts), portal: createPortalConnector(opts) };
}

/** Everything a reader of the mail could see: headers' subject, text, HTML and every attachment. */
function everything(mail: ParsedMail): string {
  return [
    mail.subject ?? '',
    mail.text ?? '',
    typeof mail.html === 'string' ? mail.html : '',
    ...mail.attachments.map((a) => `${a.filename ?? ''}\n${a.content.toString('utf8')}`),
  ].join('\n');
}

describe('email connector', () => {
  it('retries after 451 with the same Message-ID, then delivers exactly one message', async () => {
    const { smtp, email } = await setup({ reject: (n) => (n === 1 ? { code: 451, message: `try later for <${DPO}>` } : undefined) });
    const first = await email.deliver(delivery(), { kind: 'email', to: DPO });
    expect(first).toEqual({ outcome: 'retry', error: 'SMTP 451' });
    expect(JSON.stringify(first)).not.toContain(DPO);
    const second = await email.deliver({ ...delivery(), attempt: 2 }, { kind: 'email', to: DPO });
    expect(second.outcome).toBe('delivered');
    const [mail] = await smtp.waitFor(1);
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.refused).toHaveLength(1);
    expect(mail!.messageId).toBe(`<delivery.dlv-1@${HOST}>`);
    expect(mail!.messageId).toBe(smtp.refused[0]!.messageId);
    expect(mail!.to && !Array.isArray(mail!.to) ? mail!.to.text : '').toBe(DPO);
  });

  it('fails for good on 550, without quoting the server', async () => {
    const { smtp, email } = await setup({ reject: () => ({ code: 550, message: `no such user <${DPO}>` }) });
    const result = await email.deliver(delivery(), { kind: 'email', to: DPO });
    expect(result).toEqual({ outcome: 'failed', error: 'SMTP 550' });
    expect(smtp.messages).toHaveLength(0);
  });

  it('retries when no server listens', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((r) => probe.close(() => r()));
    const mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${port}`, from: 'test@example.org', dataDir });
    open.push({ mailer });
    const email = createEmailConnector({ mailer, i18n, host: HOST, publicUrl: PUBLIC_URL });
    const result = await email.deliver(delivery(), { kind: 'email', to: DPO });
    expect(result.outcome).toBe('retry');
    expect(result.outcome === 'retry' && result.error).toMatch(/^E[A-Z]+$/);
  });

  it('puts the reference, the right and the due date in the subject, and no personal data', async () => {
    const { smtp, email } = await setup();
    expect((await email.deliver(delivery(), { kind: 'email', to: DPO })).outcome).toBe('delivered');
    const [mail] = await smtp.waitFor(1);
    expect(mail!.subject).toBe('Demande d’exercice de droits DS-7K3M-Q9XA : opposition — réponse attendue au plus tard le 12 janvier 2027');
    for (const value of IDENTITY_VALUES) expect(mail!.subject).not.toContain(value);
    expect(mail!.headers.get('content-language')).toBe('fr');
  });

  it('lists the request, deadline, identity and how to answer, and attaches the document as JSON', async () => {
    const { smtp, email } = await setup();
    const doc = documentFor();
    await email.deliver(delivery(doc), { kind: 'email', to: DPO });
    const [mail] = await smtp.waitFor(1);
    const text = mail!.text ?? '';
    for (const value of [
      'DS-7K3M-Q9XA',
      'Droit d’opposition',
      'Système national des données de santé',
      'Régime général',
      '12 décembre 2026',
      '12 janvier 2027',
      'article 12, paragraphe 3',
      'Durandal',
      'Éloïse Marthe',
      'Pichonneau',
      '27 mars 1985',
      'Quimperlé (29)',
      '285032912345678',
      'eloise.durandal@personne.example',
      '12 rue des Tilleuls',
      'Je ne veux pas que mes données servent.',
      `${PUBLIC_URL}/espace-pro`,
      doc.callback_url,
      'demande-DS-7K3M-Q9XA.json',
    ]) {
      expect(text).toContain(value);
    }
    expect(mail!.html).toContain(`<a href="${PUBLIC_URL}/espace-pro">`);
    expect(mail!.attachments).toHaveLength(1);
    const [attachment] = mail!.attachments;
    expect(attachment!.filename).toBe('demande-DS-7K3M-Q9XA.json');
    expect(attachment!.contentType).toBe('application/json');
    expect(attachment!.content.toString('utf8')).toContain('\n  "reference": "DS-7K3M-Q9XA"');
    expect(JSON.parse(attachment!.content.toString('utf8'))).toEqual(doc);
  });

  it('shows the NIR only when there is one', async () => {
    const { smtp, email } = await setup();
    await email.deliver(delivery({ ...documentFor({ nir: null }), part: 'controller', identity_step: 'controller', insurance_scheme: null }), {
      kind: 'email',
      to: DPO,
    });
    const [mail] = await smtp.waitFor(1);
    expect(mail!.text).not.toContain('NIR');
  });

  it('escapes what the person typed in the HTML', async () => {
    const { smtp, email } = await setup();
    const doc = documentFor({ last_name: '<script>alert(1)</script>', birth_place: '"><img src=x onerror=alert(1)>' });
    doc.details!.other_details = 'Ligne 1\n<b>Ligne 2</b>';
    await email.deliver(delivery(doc), { kind: 'email', to: DPO });
    const [mail] = await smtp.waitFor(1);
    const html = String(mail!.html);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('Ligne 1<br>&lt;b&gt;Ligne 2&lt;/b&gt;');
  });

  it('writes in English for an English-speaking organisation', async () => {
    const { smtp, email } = await setup();
    await email.deliver(delivery(documentFor(), 'en'), { kind: 'email', to: DPO });
    const [mail] = await smtp.waitFor(1);
    expect(mail!.subject).toBe('Data subject rights request DS-7K3M-Q9XA: objection — answer due by 12 January 2027 at the latest');
    expect(mail!.text).toContain('Right to object (GDPR, article 21)');
    expect(mail!.text).toContain('article 12(3)');
    expect(mail!.text).toContain('27 March 1985');
    expect(mail!.text).toContain('How to answer');
    expect(mail!.html).toContain('<html lang="en">');
    expect(mail!.headers.get('content-language')).toBe('en');
  });
});

describe('portal connector', () => {
  it('sends a notification with the reference, the right, the due date and the link, and no personal data', async () => {
    const { smtp, portal } = await setup();
    const result = await portal.deliver(delivery(), { kind: 'portal', to: DPO });
    expect(result.outcome).toBe('delivered');
    const [mail] = await smtp.waitFor(1);
    expect(mail!.messageId).toBe(`<portal.dlv-1@${HOST}>`);
    expect(mail!.attachments).toHaveLength(0);
    const all = everything(mail!);
    for (const value of [...IDENTITY_VALUES, 'Je ne veux pas', 'Caisse nationale']) expect(all).not.toContain(value);
    expect(mail!.subject).toContain('DS-7K3M-Q9XA');
    expect(mail!.text).toContain('12 janvier 2027');
    expect(mail!.text).toContain(`${PUBLIC_URL}/espace-pro`);
    expect(mail!.html).toContain(`<a href="${PUBLIC_URL}/espace-pro">`);
  });

  it('maps SMTP answers like the e-mail connector', async () => {
    const { portal } = await setup({ reject: (n) => (n === 1 ? { code: 451, message: 'later' } : { code: 550, message: 'no' }) });
    expect(await portal.deliver(delivery(), { kind: 'portal', to: DPO })).toEqual({ outcome: 'retry', error: 'SMTP 451' });
    expect(await portal.deliver(delivery(), { kind: 'portal', to: DPO })).toEqual({ outcome: 'failed', error: 'SMTP 550' });
  });
});

describe('smtpFailure', () => {
  it.each([
    [{ responseCode: 421 }, { outcome: 'retry', error: 'SMTP 421' }],
    [
      { responseCode: 451, code: 'EENVELOPE', message: 'try later <a@b.example>' },
      { outcome: 'retry', error: 'SMTP 451' },
    ],
    [
      { responseCode: 550, code: 'EENVELOPE', message: 'no such user <a@b.example>' },
      { outcome: 'failed', error: 'SMTP 550' },
    ],
    [{ code: 'ECONNREFUSED' }, { outcome: 'retry', error: 'ECONNREFUSED' }],
    [{ code: 'ETIMEDOUT' }, { outcome: 'retry', error: 'ETIMEDOUT' }],
    [{ code: 'ESOCKET' }, { outcome: 'retry', error: 'ESOCKET' }],
    [{ code: 'ECONNECTION' }, { outcome: 'retry', error: 'ECONNECTION' }],
    [{ code: 'something <a@b.example>' }, { outcome: 'retry', error: 'SMTP error' }],
    [new Error('boom <a@b.example>'), { outcome: 'retry', error: 'SMTP error' }],
  ])('%o gives %o', (err, expected) => {
    expect(smtpFailure(Object.assign(new Error('x'), err))).toEqual(expected);
  });
});
