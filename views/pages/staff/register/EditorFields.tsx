/**
 * Pieces shared by the register's editing forms: a select and a checkbox group in the FormFields style
 * (label, hint, own error message, aria-describedby), required fields marked in words, the banner shown
 * after saving, the preview region that htmx may swap in place, and the buttons.
 */
import type { Child } from 'hono/jsx';
import type { TFunction } from '../../../../server/i18n';
import { describedBy, FieldError, type FormError } from '../../../components/ErrorSummary';

/** A label with "(obligatoire)" / "(required)" in words when the field must be filled. */
export function labelFor(t: TFunction, label: string, required: boolean): string {
  return required ? `${label} ${t('staff-register:form.required')}` : label;
}

/** The errors of a form in the order its fields appear (one home: the error summary's module). */
export { inFieldOrder } from '../../../components/ErrorSummary';

export function errorOf(errors: FormError[], field: string): string | undefined {
  return errors.find((e) => e.field === field)?.message;
}

export function Select({
  t,
  name,
  label,
  hint,
  error,
  value,
  options,
  placeholder,
}: {
  t: TFunction;
  name: string;
  label: string;
  hint?: string;
  error?: string;
  value?: string;
  options: { value: string; label: string }[];
  placeholder: string;
}) {
  const id = `f-${name}`;
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
        <option value="">{placeholder}</option>
        {options.map((o) => (
          <option value={o.value} selected={o.value === value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Checkboxes in a fieldset; the first carries the id the error summary links to (or the empty note, if none). */
export function Checkboxes({
  t,
  name,
  legend,
  hint,
  error,
  values,
  options,
  emptyText,
}: {
  t: TFunction;
  name: string;
  legend: string;
  hint?: string;
  error?: string;
  values: string[];
  options: { value: string; label: string }[];
  emptyText: string;
}) {
  const id = `f-${name}`;
  const chosen = new Set(values);
  return (
    <div class={`field${error ? ' field--error' : ''}`}>
      <fieldset aria-describedby={describedBy(hint && `${id}-hint`, error && `${id}-error`)}>
        <legend>{legend}</legend>
        {hint ? (
          <p class="hint" id={`${id}-hint`}>
            {hint}
          </p>
        ) : null}
        {error ? <FieldError t={t} id={`${id}-error`} message={error} /> : null}
        {options.length === 0 ? (
          <p id={id} tabindex={-1}>
            {emptyText}
          </p>
        ) : (
          <div class="radios">
            {options.map((o, i) => {
              const cid = i === 0 ? id : `${id}-${o.value}`;
              return (
                <div class="checkbox">
                  <input type="checkbox" id={cid} name={name} value={o.value} checked={chosen.has(o.value)} />
                  <label for={cid}>{o.label}</label>
                </div>
              );
            })}
          </div>
        )}
      </fieldset>
    </div>
  );
}

/** A group of fields under a heading read as the fieldset's legend. */
export function Group({ id, legend, children }: { id: string; legend: string; children?: Child }) {
  return (
    <fieldset class="field-group" id={id}>
      <legend class="legend--heading">
        <h2>{legend}</h2>
      </legend>
      {children}
    </fieldset>
  );
}

/** An id that cannot change once the record exists, shown as text. */
export function FixedId({ label, id }: { label: string; id: string }) {
  return (
    <div class="field">
      <p>
        <strong>{label}</strong>
        {' : '}
        <code>{id}</code>
      </p>
    </div>
  );
}

/** Shown after a save (post/redirect/get): what happened, and the public page to check it on. */
export function SavedBanner({ message, href, linkText }: { message: string; href?: string; linkText?: string }) {
  return (
    <div class="callout" role="status">
      <p>{message}</p>
      {href ? (
        <p>
          <a href={href}>{linkText}</a>
        </p>
      ) : null}
    </div>
  );
}

/**
 * The preview's place on the page, always present so htmx can swap a new preview into it; the form's
 * "preview" button posts the form without JavaScript too, and the page comes back with it filled in.
 */
export function PreviewRegion({ t, children }: { t: TFunction; children?: Child }) {
  if (!children) return <div id="apercu"></div>;
  return (
    <section id="apercu" class="preview" aria-labelledby="apercu-title" tabindex={-1} autofocus>
      <h2 id="apercu-title">{t('staff-register:preview.heading')}</h2>
      <p class="callout">{t('staff-register:preview.intro')}</p>
      {children}
      <p>
        <a href="#formulaire">{t('staff-register:preview.toForm')}</a>
      </p>
    </section>
  );
}

/** Save (the default when Enter is pressed: it comes first), preview, and back to the register. */
export function FormActions({ t, action }: { t: TFunction; action: string }) {
  return (
    <div class="form-actions">
      <button type="submit" name="action" value="enregistrer" class="button">
        {t('staff-register:form.save')}
      </button>
      <button
        type="submit"
        name="action"
        value="apercu"
        class="button button--secondary"
        hx-post={action}
        hx-target="#apercu"
        hx-swap="outerHTML show:#apercu:top"
      >
        {t('staff-register:form.preview')}
      </button>
      <a href="/espace-pro/registre">{t('staff-register:form.back')}</a>
    </div>
  );
}
