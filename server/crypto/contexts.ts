/**
 * The additional data every encrypted column is bound to (server/crypto/fields.ts): its table, column
 * and row. A value decrypts only under the context it was written with, so a ciphertext copied to another
 * row or column fails; each context is written here once and every reader and writer uses it.
 */
import type { FieldContext } from './fields';

/** The person's identity on a request (server/domain/identity.ts lists its fields). */
export const requestIdentityContext = (requestId: string): FieldContext => ({ table: 'rights_requests', column: 'identity_enc', rowId: requestId });

/** The person's free text on a request: reason, data to correct, scope of an access. */
export const requestDetailsContext = (requestId: string): FieldContext => ({ table: 'rights_requests', column: 'details_enc', rowId: requestId });

/** The reason of an extension stored on the request. */
export const extensionReasonContext = (requestId: string): FieldContext => ({ table: 'rights_requests', column: 'extension_reason_enc', rowId: requestId });

/** An event's message: the row is the request, the kind of event and its instant. */
export const eventMessageContext = (requestId: string, kind: string, at: string): FieldContext => ({
  table: 'request_events',
  column: 'message_enc',
  rowId: `${requestId}/${kind}/${at}`,
});

/** A draft's answers, by the draft's id. */
export const draftAnswersContext = (draftId: string): FieldContext => ({ table: 'request_drafts', column: 'answers_enc', rowId: draftId });

/** A delivery channel's settings, webhook secrets included. */
export const channelConfigContext = (channelId: string): FieldContext => ({ table: 'organisation_channels', column: 'config_enc', rowId: channelId });

/** A member of staff's e-mail address. */
export const userEmailContext = (userId: string): FieldContext => ({ table: 'users', column: 'email', rowId: userId });

/** The address an invitation was sent to, by the hash of its token. */
export const invitationEmailContext = (tokenHash: string): FieldContext => ({ table: 'invitations', column: 'email', rowId: tokenHash });

/** A queued mail's template variables (they may hold links with tokens). */
export const mailVarsContext = (mailId: string): FieldContext => ({ table: 'mail_outbox', column: 'vars_enc', rowId: mailId });

/** A queued mail's recipient, when it is not the request's person. */
export const mailRecipientContext = (mailId: string): FieldContext => ({ table: 'mail_outbox', column: 'recipient_enc', rowId: mailId });

/** A document attached to an answer. */
export const attachmentContentContext = (attachmentId: string): FieldContext => ({ table: 'request_attachments', column: 'content_enc', rowId: attachmentId });

/** What a person wrote in a report of an error on a project's record. */
export const recordReportMessageContext = (reportId: string): FieldContext => ({ table: 'record_reports', column: 'message_enc', rowId: reportId });

/** The address a person left with a report, to be told when it is handled. */
export const recordReportEmailContext = (reportId: string): FieldContext => ({ table: 'record_reports', column: 'email_enc', rowId: reportId });

/** A queued mail's own headers (a digest's List-Unsubscribe link carries a token). */
export const mailHeadersContext = (mailId: string): FieldContext => ({ table: 'mail_outbox', column: 'headers_enc', rowId: mailId });

/** The address that follows the register (a follow, by its id). */
export const followEmailContext = (followId: string): FieldContext => ({ table: 'follows', column: 'email_enc', rowId: followId });
