import type { TFunction } from '../../server/i18n';

export type FormError = { field: string; href: string; message: string };

/**
 * The GOV.UK error summary: above the h1, a box announced at once (role="alert") that lists every error,
 * each a link to its field. `title` defaults to `common:errorSummary.title` ("Il y a un problème").
 */
export function ErrorSummary({ t, errors, title }: { t: TFunction; errors: FormError[]; title?: string }) {
  if (errors.length === 0) return null;
  return (
    <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex={-1}>
      <h2 class="error-summary__title" id="error-summary-title">
        {title ?? t('common:errorSummary.title')}
      </h2>
      <ul class="error-summary__list">
        {errors.map((e) => (
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
