/**
 * Form fields following the GOV.UK / DSFR patterns: a visible label, an optional hint, the field's own
 * error message, aria-describedby tying them to the input, aria-invalid on error; radios and dates in a
 * fieldset with a legend. Every value shown back is escaped by JSX.
 */
import type { Child } from 'hono/jsx';
import type { TFunction } from '../../server/i18n';
import { describedBy, FieldError } from './ErrorSummary';

export type FieldProps = { t: TFunction; name: string; label: string; hint?: string; error?: string; value?: string };

export function TextField({
  t,
  name,
  label,
  hint,
  error,
  value,
  type = 'text',
  autocomplete,
  width,
  inputmode,
  spellcheck,
}: FieldProps & {
  type?: string;
  autocomplete?: string;
  width?: 'short' | 'medium';
  inputmode?: 'text' | 'numeric' | 'email' | 'decimal';
  spellcheck?: boolean;
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
      <input
        type={type}
        id={id}
        name={name}
        value={value ?? ''}
        autocomplete={autocomplete}
        inputmode={inputmode}
        spellcheck={spellcheck}
        class={width ? `input--${width}` : undefined}
        aria-describedby={describedBy(hint && `${id}-hint`, error && `${id}-error`)}
        aria-invalid={error ? 'true' : undefined}
      />
    </div>
  );
}

/** A text area; `max` states the longest text it takes before the person types (nothing is cut). */
export function TextArea({ t, name, label, hint, error, value, rows = 5, max }: FieldProps & { rows?: number; max?: number }) {
  const id = `f-${name}`;
  const limit = max ? t('common:maxChars', { max }) : undefined;
  hint = [hint, limit].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`field${error ? ' field--error' : ''}`}>
      <label for={id}>{label}</label>
      {hint ? (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? <FieldError t={t} id={`${id}-error`} message={error} /> : null}
      <textarea
        id={id}
        name={name}
        rows={rows}
        aria-describedby={describedBy(hint && `${id}-hint`, error && `${id}-error`)}
        aria-invalid={error ? 'true' : undefined}
      >
        {value ?? ''}
      </textarea>
    </div>
  );
}

export type RadioOption = { value: string; label: string; hint?: string; conditional?: Child };

/** Radios in a fieldset; the first radio carries the id the error summary links to. */
export function Radios({
  t,
  name,
  legend,
  hint,
  error,
  value,
  options,
  legendAsHeading,
}: {
  t: TFunction;
  name: string;
  legend: string;
  hint?: string;
  error?: string;
  value?: string;
  options: RadioOption[];
  legendAsHeading?: boolean;
}) {
  const id = `f-${name}`;
  return (
    <div class={`field${error ? ' field--error' : ''}`}>
      <fieldset aria-describedby={describedBy(hint && `${id}-hint`, error && `${id}-error`)}>
        <legend class={legendAsHeading ? 'legend--heading' : undefined}>{legendAsHeading ? <h1>{legend}</h1> : legend}</legend>
        {hint ? (
          <p class="hint" id={`${id}-hint`}>
            {hint}
          </p>
        ) : null}
        {error ? <FieldError t={t} id={`${id}-error`} message={error} /> : null}
        <div class="radios">
          {options.map((o, i) => {
            const rid = i === 0 ? id : `${id}-${o.value}`;
            return (
              <div class="radio">
                <input type="radio" id={rid} name={name} value={o.value} checked={value === o.value} aria-describedby={o.hint ? `${rid}-hint` : undefined} />
                <label for={rid}>{o.label}</label>
                {o.hint ? (
                  <p class="hint radio__hint" id={`${rid}-hint`}>
                    {o.hint}
                  </p>
                ) : null}
                {o.conditional ? <div class="radio__conditional">{o.conditional}</div> : null}
              </div>
            );
          })}
        </div>
      </fieldset>
    </div>
  );
}

/** A date as three fields (day, month, year): the GOV.UK memorable-date pattern, easy to type and read aloud. */
export function DateField({
  t,
  name,
  legend,
  hint,
  error,
  day,
  month,
  year,
}: {
  t: TFunction;
  name: string;
  legend: string;
  hint?: string;
  error?: string;
  day?: string;
  month?: string;
  year?: string;
}) {
  const id = `f-${name}Day`;
  return (
    <div class={`field${error ? ' field--error' : ''}`}>
      <fieldset role="group" aria-describedby={describedBy(hint && `${id}-hint`, error && `${id}-error`)}>
        <legend>{legend}</legend>
        {hint ? (
          <p class="hint" id={`${id}-hint`}>
            {hint}
          </p>
        ) : null}
        {error ? <FieldError t={t} id={`${id}-error`} message={error} /> : null}
        <div class="date-input">
          {(
            [
              ['Day', day, 2, 'bday-day'],
              ['Month', month, 2, 'bday-month'],
              ['Year', year, 4, 'bday-year'],
            ] as const
          ).map(([part, v, size, ac]) => (
            <div class="date-input__item">
              <label for={`f-${name}${part}`}>{t(`common:date.${part.toLowerCase()}`)}</label>
              <input
                type="text"
                inputmode="numeric"
                id={`f-${name}${part}`}
                name={`${name}${part}`}
                value={v ?? ''}
                maxlength={size}
                class={`input--w${size}`}
                autocomplete={ac}
                aria-invalid={error ? 'true' : undefined}
              />
            </div>
          ))}
        </div>
      </fieldset>
    </div>
  );
}

export function CsrfField({ token }: { token: string }) {
  return <input type="hidden" name="_csrf" value={token} />;
}
