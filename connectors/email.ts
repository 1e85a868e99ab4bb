/**
 * The e-mail connector: sends one request to the organisation's data protection mailbox, in the
 * organisation's language. The subject holds only the reference, the right and the due date; the body
 * lists the request, the deadline, the person's identity and details, and how to answer; the request
 * document is attached as JSON. The Message-ID is stable, so a retry is the same message for the receiver.
 */
import type { i18n as I18n } from 'i18next';
import { isLang, translatorFor, type Translator } from '../server/i18n';
import type { Mailer } from './mail';
import { sendResult } from './smtp-result';
import type { Connector, Delivery, RequestDocument } from './types';

export type MailConnectorOptions = {
  mailer: Mailer;
  i18n: I18n;
  /** The host name of PUBLIC_URL, for Message-IDs. */
  host: string;
  publicUrl: string;
};

/** One piece of a mail body, rendered both as text and as HTML. */
export type MailBlock =
  | { h: string }
  /** A paragraph; `link` is a URL of ours that the paragraph contains (made clickable in HTML). */
  | { p: string; link?: string }
  | { rows: [label: string, value: string][] };

export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The text and HTML bodies of a mail made of blocks. Every value is escaped in HTML. */
export function renderBlocks(tr: Translator, title: string, blocks: MailBlock[]): { text: string; html: string } {
  const sep = tr.t('connectors:separator');
  const text = blocks
    .map((b) => {
      if ('h' in b) return `${b.h}\n${'-'.repeat(b.h.length)}`;
      if ('p' in b) return b.p;
      return b.rows.map(([label, value]) => `${label}${sep}${value.replace(/\r\n|\r|\n/g, '\n    ')}`).join('\n');
    })
    .join('\n\n');
  const html = blocks
    .map((b) => {
      if ('h' in b) return `<h2 style="font-size:1.15em;margin:1.5em 0 .5em">${escapeHtml(b.h)}</h2>`;
      if ('p' in b) {
        const p = escapeHtml(b.p);
        if (!b.link) return `<p>${p}</p>`;
        const url = escapeHtml(b.link);
        return `<p>${p.split(url).join(`<a href="${url}">${url}</a>`)}</p>`;
      }
      const rows = b.rows.map(
        ([label, value]) =>
          `<tr><th scope="row" style="text-align:left;vertical-align:top;padding:2px 1em 2px 0">${escapeHtml(label)}</th><td style="vertical-align:top;padding:2px 0">${escapeHtml(value).replace(/\r\n|\r|\n/g, '<br>')}</td></tr>`,
      );
      return `<table style="border-collapse:collapse">${rows.join('')}</table>`;
    })
    .join('\n');
  return {
    text: `${text}\n`,
    html: `<!doctype html><html lang="${tr.lang}"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body>\n${html}\n</body></html>\n`,
  };
}

/** The translator for a delivery's language (French when unknown). */
export const translatorForDelivery = (i18n: I18n, delivery: Delivery) => translatorFor(i18n, isLang(delivery.lang) ? delivery.lang : 'fr');

/** A YYYY-MM-DD date for people ("12 janvier 2027"); anything else is shown as it is. */
export const day = (tr: Translator, iso: string) => (/^\d{4}-\d{2}-\d{2}$/.test(iso) && !Number.isNaN(Date.parse(iso)) ? tr.date(iso) : iso);

/** The back office, where organisations read and answer requests. */
export const backOffice = (publicUrl: string) => `${publicUrl.replace(/\/+$/, '')}/espace-pro`;

/** The subject of a mail about a request: the reference, the right and the due date, never personal data. */
export function requestSubject(tr: Translator, key: string, doc: RequestDocument): string {
  return tr.t(key, { reference: doc.reference, kind: tr.t(`connectors:kinds.${doc.kind}`), due: day(tr, doc.due_on) });
}

const filled = (value: string | null | undefined): value is string => typeof value === 'string' && value.trim() !== '';

/** The structured mail for the organisation's mailbox (exported for tests and previews). */
export function renderRequestMail(tr: Translator, doc: RequestDocument, publicUrl: string) {
  if (doc.role === 'notice' || !doc.identity || !doc.details) return renderNoticeMail(tr, doc);
  const label = (key: string) => tr.t(`connectors:labels.${key}`);
  const optional = (key: string, value: string | null | undefined): [string, string][] => (filled(value) ? [[label(key), value]] : []);
  const file = attachmentName(doc);
  const subject = requestSubject(tr, 'connectors:email.subject', doc);
  const id = doc.identity;
  const d = doc.details;
  const details: [string, string][] = [
    ...optional('reason', d.reason),
    ...optional('wrongData', d.wrong_data),
    ...optional('correctData', d.correct_data),
    ...optional('accessScope', d.access_scope),
    ...optional('otherDetails', d.other_details),
  ];
  const blocks: MailBlock[] = [
    ...tr.doc<{ email: { intro: string[] } }>('connectors').email.intro.map((p) => ({ p })),
    { p: tr.t('connectors:email.confidential') },
    { h: tr.t('connectors:email.requestTitle') },
    {
      rows: [
        [label('reference'), doc.reference],
        [label('kind'), tr.t(`connectors:kindsLong.${doc.kind}`)],
        [label('scope'), tr.t(`connectors:scopes.${doc.scope}`)],
        ...(doc.project ? ([[label('project'), `${doc.project.title} (${doc.project.id})`]] as [string, string][]) : []),
        ...(doc.sources.length ? ([[label('sources'), doc.sources.map((s) => s.name).join(', ')]] as [string, string][]) : []),
        [label('organisation'), doc.organisation.name],
        [label('onBehalf'), tr.t(`connectors:onBehalf.${doc.on_behalf}`)],
        ...(doc.insurance_scheme ? ([[label('scheme'), tr.t(`request:schemes.${doc.insurance_scheme}`)]] as [string, string][]) : []),
      ],
    },
    { h: tr.t('connectors:email.deadlineTitle') },
    {
      rows: [
        [label('received'), day(tr, doc.received_on)],
        [label('due'), day(tr, doc.due_on)],
      ],
    },
    { p: tr.t('connectors:email.rule') },
    { p: tr.t(doc.identity_step === 'cnam' ? 'connectors:email.identityStepCnam' : 'connectors:email.identityStepController') },
    { h: tr.t('connectors:email.personTitle') },
    {
      rows: [
        [label('lastName'), id.last_name],
        [label('firstNames'), id.first_names],
        ...optional('birthName', id.birth_name),
        [label('birthDate'), day(tr, id.birth_date)],
        ...optional('birthPlace', id.birth_place),
        ...optional('nir', id.nir),
        [label('email'), id.email],
        ...optional('postalAddress', id.postal_address),
        ...optional('requesterName', id.requester_name),
        ...optional('relationship', id.relationship),
      ],
    },
    { h: tr.t('connectors:email.detailsTitle') },
    details.length ? { rows: details } : { p: tr.t('connectors:email.noDetails') },
    { h: tr.t('connectors:email.answerTitle') },
    { p: tr.t('connectors:email.answer') },
    { p: tr.t('connectors:email.answerPortal', { link: backOffice(publicUrl) }), link: backOffice(publicUrl) },
    ...(filled(doc.callback_url) ? [{ p: tr.t('connectors:email.answerApi', { link: doc.callback_url }), link: doc.callback_url }] : []),
    { p: tr.t('connectors:email.attachment', { file }) },
    { p: tr.t('mail:signature') },
  ];
  return { subject, ...renderBlocks(tr, subject, blocks) };
}

/**
 * The mail to a project's controller told of a request on its pseudonymised sources: what the request
 * is about and who answers it, and nothing about the person (server/domain/routing.ts). The same text
 * serves the mailbox and the portal's notification.
 */
export function renderNoticeMail(tr: Translator, doc: RequestDocument) {
  const label = (key: string) => tr.t(`connectors:labels.${key}`);
  const subject = tr.t('connectors:notice.subject', { reference: doc.reference, kind: tr.t(`connectors:kinds.${doc.kind}`) });
  const blocks: MailBlock[] = [
    ...tr.doc<{ notice: { intro: string[] } }>('connectors').notice.intro.map((p) => ({ p })),
    {
      rows: [
        [label('reference'), doc.reference],
        [label('kind'), tr.t(`connectors:kindsLong.${doc.kind}`)],
        ...(doc.project ? ([[label('project'), `${doc.project.title} (${doc.project.id})`]] as [string, string][]) : []),
        ...(doc.sources.length ? ([[label('sources'), doc.sources.map((s) => s.name).join(', ')]] as [string, string][]) : []),
        [label('answeredBy'), doc.answered_by.name],
      ],
    },
    { p: tr.t('connectors:notice.who', { answeredBy: doc.answered_by.name }) },
    { p: tr.t('connectors:notice.noIdentity') },
    { p: tr.t('connectors:notice.act') },
    { p: tr.t('mail:signature') },
  ];
  return { subject, ...renderBlocks(tr, subject, blocks) };
}

/** `demande-DS-7K3M-Q9XA.json`. */
export const attachmentName = (doc: RequestDocument) => `demande-${doc.reference.replace(/[^A-Za-z0-9-]/g, '_')}.json`;

export function createEmailConnector(opts: MailConnectorOptions): Connector {
  return {
    kind: 'email',
    async deliver(delivery, channel) {
      if (channel.kind !== 'email') return { outcome: 'failed', error: 'not an email channel' };
      const tr = translatorForDelivery(opts.i18n, delivery);
      const mail = renderRequestMail(tr, delivery.document, opts.publicUrl);
      return sendResult(() =>
        opts.mailer.send({
          to: channel.to,
          ...mail,
          lang: tr.lang,
          messageId: `<delivery.${delivery.id}@${opts.host}>`,
          attachments: [
            { filename: attachmentName(delivery.document), content: `${JSON.stringify(delivery.document, null, 2)}\n`, contentType: 'application/json' },
          ],
        }),
      );
    },
  };
}
