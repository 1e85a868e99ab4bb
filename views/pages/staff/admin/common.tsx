/**
 * What the administration pages share: their breadcrumb, a select field, the success notice shown after
 * a post/redirect/get, and the error summary items built from the form's errors (locale keys).
 */
import type { TFunction, Translator } from '../../../../server/i18n';
import { messageFor, toFormErrors, type FieldError as FieldErrorOf } from '../../../../server/domain/form-errors';
import { describedBy, FieldError, type FormError } from '../../../components/ErrorSummary';
import type { Crumb, PageContext } from '../../../page-context';

/** A form error as the routes give it: the field it belongs to, a full key under `staff-admin:errors`. */
export type AdminFormError = FieldErrorOf;
export type FormValues = Record<string, string | undefined>;

export const NS = 'staff-admin';

export function adminCrumbs(ctx: PageContext, withAdmin = true): Crumb[] {
  const { t } = ctx.tr;
  const crumbs: Crumb[] = [{ href: '/espace-pro', label: t('staff:nav.home') }];
  if (withAdmin) crumbs.push({ href: '/espace-pro/admin', label: t(`${NS}:overview.title`) });
  return crumbs;
}

export const errorMessage = (t: TFunction, e: AdminFormError) => t(e.key, e.values ?? {});

/** Error summary items; `idOf` maps a field to the id of its input (default `f-<field>`). */
export function summaryItems(t: TFunction, errors: AdminFormError[], idOf: (field: string) => string = (f) => `f-${f}`): FormError[] {
  return toFormErrors(t, errors, idOf);
}

export function errorFor(t: TFunction, errors: AdminFormError[], field: string): string | undefined {
  return messageFor(t, errors, field);
}

export type SelectOption = { value: string; label: string };

export function SelectField({
  t,
  id,
  name,
  label,
  hint,
  error,
  value,
  options,
}: {
  t: TFunction;
  id: string;
  name: string;
  label: string;
  hint?: string;
  error?: string;
  value?: string;
  options: SelectOption[];
}) {
  return (
    <div class={`field${error ? ' field--error' : ''}`}>
      <label for={id}>{label}</label>
      {hint ? (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? <FieldError t={t} id={`${id}-error`} message={error} /> : null}
      <select id={id} name={name} aria-describedby={describedBy(hint && `${id}-hint`, error && `${id}-error`)} aria-invalid={error ? 'true' : undefined}>
        {options.map((o) => (
          <option value={o.value} selected={o.value === (value ?? '')}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The confirmation of the last action, announced politely to screen readers. */
export function Notice({ message }: { message?: string }) {
  if (!message) return null;
  return (
    <div class="callout" role="status">
      <p>{message}</p>
    </div>
  );
}

/** Date and time, Paris time: "3 mars 2026 à 10:15" / "3 Mar 2026, 10:15". */
export function dateTime(tr: Translator, iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(tr.lang === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Paris' }).format(d);
}

/** The roles an administrator chooses from (server/domain/staff-roles.ts). */
export { ROLES as ROLE_VALUES } from '../../../../server/domain/staff-roles';

/** A value to copy (a secret, a link): a read-only field, so a long value scrolls instead of overflowing. */
export function CopyField({ id, label, value }: { id: string; label: string; value: string }) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input type="text" id={id} value={value} readonly spellcheck={false} autocomplete="off" />
    </div>
  );
}
