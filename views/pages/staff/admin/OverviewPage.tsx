import { Layout } from '../../../layouts/Layout';
import type { PageContext } from '../../../page-context';
import { adminCrumbs, NS } from './common';

export type OverviewProps = {
  ctx: PageContext;
  deliveries: { pending: number; delivered: number; dead: number };
  organisations: number;
  activeUsers: number;
};

/** /espace-pro/admin: where deliveries stand, then the four areas. */
export function OverviewPage({ ctx, deliveries, organisations, activeUsers }: OverviewProps) {
  const { t, number } = ctx.tr;
  const title = t(`${NS}:overview.title`);
  const sections = [
    { href: '/espace-pro/admin/organisations', key: 'organisations', count: t(`${NS}:overview.organisationsCount`, { n: number(organisations) }) },
    { href: '/espace-pro/admin/utilisateurs', key: 'users', count: t(`${NS}:overview.usersCount`, { n: number(activeUsers) }) },
    { href: '/espace-pro/admin/livraisons', key: 'deadLetters', count: t(`${NS}:overview.deadCount`, { n: number(deliveries.dead) }) },
    { href: '/espace-pro/admin/journal', key: 'journal', count: null },
    { href: '/espace-pro/admin/moissonnage', key: 'harvest', count: null },
  ];
  return (
    <Layout ctx={ctx} title={title} breadcrumb={adminCrumbs(ctx, false)}>
      <h1>{title}</h1>
      <p class="lead">{t(`${NS}:overview.lead`)}</p>
      {deliveries.dead > 0 ? (
        <div class="callout callout--warning">
          <p>
            {t(`${NS}:overview.deadAlert`, { n: number(deliveries.dead) })} <a href="/espace-pro/admin/livraisons">{t(`${NS}:overview.deadAlertLink`)}</a>
          </p>
        </div>
      ) : null}
      <h2>{t(`${NS}:overview.deliveriesTitle`)}</h2>
      <dl class="summary-list">
        {(['pending', 'delivered', 'dead'] as const).map((k) => (
          <div class="summary-list__row">
            <dt>{t(`${NS}:overview.deliveries.${k}`)}</dt>
            <dd class="summary-list__value">{number(deliveries[k])}</dd>
          </div>
        ))}
      </dl>
      <h2>{t(`${NS}:overview.sectionsTitle`)}</h2>
      <ul class="cards">
        {sections.map((s) => (
          <li class="card">
            <h3 class="card__title">
              <a href={s.href}>{t(`${NS}:overview.sections.${s.key}.title`)}</a>
            </h3>
            <p class="card__summary">{t(`${NS}:overview.sections.${s.key}.summary`)}</p>
            {s.count ? <p class="muted">{s.count}</p> : null}
          </li>
        ))}
      </ul>
    </Layout>
  );
}
