import type { TFunction } from '../../server/i18n';
import type { Crumb } from '../page-context';

/** DSFR-style breadcrumb: the trail of parents as links, then the current page, not a link. */
export function Breadcrumb({ t, items, current }: { t: TFunction; items: Crumb[]; current: string }) {
  return (
    <nav class="breadcrumb" aria-label={t('common:breadcrumb.label')}>
      <ol>
        {items.map((item) => (
          <li>
            <a href={item.href}>{item.label}</a>
          </li>
        ))}
        <li>
          <span aria-current="page">{current}</span>
        </li>
      </ol>
    </nav>
  );
}
