import { Layout } from '../../layouts/Layout';
import type { Crumb, PageContext } from '../../page-context';

export type SitemapGroup = { title: string; href: string; pages: { href: string; title: string }[] };

/** The site map: a second way to reach every page (RGAA criterion 12.1). */
export function SitemapPage({ ctx, groups, breadcrumb }: { ctx: PageContext; groups: SitemapGroup[]; breadcrumb: Crumb[] }) {
  const { t } = ctx.tr;
  return (
    <Layout ctx={ctx} title={t('common:sitemap.title')} breadcrumb={breadcrumb}>
      <h1>{t('common:sitemap.title')}</h1>
      <p class="lead">{t('common:sitemap.lead')}</p>
      <ul class="sitemap">
        {groups.map((group) => (
          <li>
            <a href={group.href}>{group.title}</a>
            {group.pages.length > 0 ? (
              <ul>
                {group.pages.map((page) => (
                  <li>
                    <a href={page.href}>{page.title}</a>
                  </li>
                ))}
              </ul>
            ) : null}
          </li>
        ))}
      </ul>
    </Layout>
  );
}
