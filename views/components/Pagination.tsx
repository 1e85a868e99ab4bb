import type { TFunction } from '../../server/i18n';

/** GOV.UK/DSFR-style pagination: previous, a window of page numbers, next; the current page marked. */
export function Pagination({ t, page, pages, href }: { t: TFunction; page: number; pages: number; href: (page: number) => string }) {
  if (pages <= 1) return null;
  const window = new Set([1, pages, page - 1, page, page + 1].filter((p) => p >= 1 && p <= pages));
  const numbers = [...window].sort((a, b) => a - b);
  const items: (number | 'gap')[] = [];
  numbers.forEach((n, i) => {
    if (i > 0 && n - numbers[i - 1]! > 1) items.push('gap');
    items.push(n);
  });
  return (
    <nav class="pagination" aria-label={t('register:pagination.label')}>
      <ul>
        {page > 1 && page <= pages ? (
          <li>
            <a href={href(page - 1)} rel="prev">
              {t('register:pagination.previous')}
            </a>
          </li>
        ) : null}
        {items.map((item) =>
          item === 'gap' ? (
            <li class="pagination__gap" aria-hidden="true">
              …
            </li>
          ) : (
            <li>
              <a href={href(item)} aria-current={item === page ? 'page' : undefined} aria-label={t('register:pagination.page', { page: item, pages })}>
                {item}
              </a>
            </li>
          ),
        )}
        {page < pages ? (
          <li>
            <a href={href(page + 1)} rel="next">
              {t('register:pagination.next')}
            </a>
          </li>
        ) : null}
      </ul>
    </nav>
  );
}
