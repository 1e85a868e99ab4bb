/**
 * The portal connector: the request waits in the back office (/espace-pro), and the organisation gets a
 * notification mail with no personal data at all: the reference, the right, the due date and the link.
 * The person's identity is read only in the back office, after signing in.
 */
import { backOffice, day, renderBlocks, renderNoticeMail, requestSubject, translatorForDelivery, type MailBlock, type MailConnectorOptions } from './email';
import { sendResult } from './smtp-result';
import type { Connector, RequestDocument } from './types';
import type { Translator } from '../server/i18n';

/** The notification mail (exported for tests and previews). */
export function renderPortalMail(tr: Translator, doc: RequestDocument, publicUrl: string) {
  const label = (key: string) => tr.t(`connectors:labels.${key}`);
  const subject = requestSubject(tr, 'connectors:portal.subject', doc);
  const link = backOffice(publicUrl);
  const blocks: MailBlock[] = [
    ...tr.doc<{ portal: { intro: string[] } }>('connectors').portal.intro.map((p) => ({ p })),
    {
      rows: [
        [label('reference'), doc.reference],
        [label('kind'), tr.t(`connectors:kindsLong.${doc.kind}`)],
        [label('due'), day(tr, doc.due_on)],
      ],
    },
    { p: tr.t('connectors:email.rule') },
    { p: tr.t('connectors:portal.open', { link }), link },
    { p: tr.t('connectors:portal.noPersonalData') },
    { p: tr.t('mail:signature') },
  ];
  return { subject, ...renderBlocks(tr, subject, blocks) };
}

export function createPortalConnector(opts: MailConnectorOptions): Connector {
  return {
    kind: 'portal',
    async deliver(delivery, channel) {
      if (channel.kind !== 'portal') return { outcome: 'failed', error: 'not a portal channel' };
      const tr = translatorForDelivery(opts.i18n, delivery);
      // A notice goes to the mailbox as it is: the organisation has nothing to answer in the back office.
      const mail = delivery.document.role === 'notice' ? renderNoticeMail(tr, delivery.document) : renderPortalMail(tr, delivery.document, opts.publicUrl);
      return sendResult(() => opts.mailer.send({ to: channel.to, ...mail, lang: tr.lang, messageId: `<portal.${delivery.id}@${opts.host}>` }));
    },
  };
}
