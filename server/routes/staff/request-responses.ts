/**
 * How routes/staff/requests.tsx answers: refusals as form errors linked to their field, the fields typed
 * back without refused characters, a document sent so that it can run nothing.
 */
import type { Context } from 'hono';
import type { AppEnv } from '../../context';
import { withoutForbiddenCharacters } from '../../domain/plain-text';
import type { Translator } from '../../i18n';
import type { ActionError } from '../../services/staff-actions';
import { toFormErrors, type FormError } from '../../domain/form-errors';

function errorHref(field: string): string {
  if (field === 'actions') return '#actions';
  if (field === 'prolonger') return '#prolonger';
  return `#f-${field}`;
}

export function formErrors(tr: Translator, errors: ActionError[]): FormError[] {
  // Dates are shown as people write them ("22 novembre 2026").
  const shown = errors.map((e) =>
    e.values
      ? {
          ...e,
          values: Object.fromEntries(Object.entries(e.values).map(([k, v]) => [k, typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? tr.date(v) : v])),
        }
      : e,
  );
  return toFormErrors(tr.t, shown, (field) => errorHref(field).slice(1));
}

/** What the form shows again after a refusal: the fields without the characters refused, for staff to check and send. */
export function shownAgain(fields: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, withoutForbiddenCharacters(v)]));
}

/** A file name for a Content-Disposition header: ASCII fallback and the exact name (RFC 6266). */
function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

export function sendDocument(c: Context<AppEnv>, doc: { filename: string; contentType: string; bytes: Buffer }) {
  c.header('Content-Type', doc.contentType);
  c.header('Content-Disposition', contentDisposition(doc.filename));
  c.header('Cache-Control', 'no-store');
  // Opened directly, the document can run nothing and reach nothing.
  c.header('Content-Security-Policy', "default-src 'none'; sandbox");
  return c.body(new Uint8Array(doc.bytes));
}
