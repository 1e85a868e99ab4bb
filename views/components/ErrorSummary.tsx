import type { TFunction } from '../../server/i18n';

import type { FormError } from '../../server/domain/form-errors';

export type { FormError };

/**
 * The errors in the order of the fields on the page (WCAG 1.3.2, 2.4.3): `order` lists the fields as the
 * form shows them; errors of fields it does not name keep their order, after the others.
 */
export function inFieldOrder<E extends { field: string }>(errors: E[], order: readonly string[]): E[] {
  const rank = (e: E) => {
    const i = order.indexOf(e.field);
    return i === -1 ? order.length : i;
  };
  return [...errors].sort((a, b) => rank(a) - rank(b));
}

/**
 * The GOV.UK error summary: above the h1, a box announced at once (role="alert") that lists every error,
 * each a link to its field, in the order of the fields when `order` is given. It takes focus when the
 * page loads (`autofocus` on a tabindex=-1 container: no script needed), so keyboard and screen reader
 * users start from the list of what to fix. `title` defaults to `common:errorSummary.title`.
 */
export function ErrorSummary({ t, errors, title, order }: { t: TFunction; errors: FormError[]; title?: string; order?: readonly string[] }) {
  if (errors.length === 0) return null;
  const listed = order ? inFieldOrder(errors, order) : errors;
  return (
    <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex={-1} autofocus>
      <h2 class="error-summary__title" id="error-summary-title">
        {title ?? t('common:errorSummary.title')}
      </h2>
      <ul class="error-summary__list">
        {listed.map((e) => (
          <li>
            <a href={e.href}>{e.message}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * A field's own error message, placed between its label (and hint) and the input; the input points at
 * `id` with aria-describedby. Screen readers hear "Erreur : " before the message.
 */
export function FieldError({ t, id, message }: { t: TFunction; id: string; message: string }) {
  return (
    <p class="error-message" id={id}>
      <span class="visually-hidden">{t('common:errorPrefix')}</span>
      {message}
    </p>
  );
}

/** The aria-describedby value of an input from its hint and error ids, or undefined when there is neither. */
export function describedBy(...ids: (string | false | null | undefined)[]): string | undefined {
  const list = ids.filter((id): id is string => typeof id === 'string' && id.length > 0);
  return list.length > 0 ? list.join(' ') : undefined;
}
