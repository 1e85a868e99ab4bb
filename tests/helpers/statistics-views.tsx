/**
 * A tiny app that renders the statistics views from a PublicFigures object (tests/fixtures/statistics.ts),
 * with the site's language and security middleware and its assets: for tests of what the pages say in
 * cases a database would take long to build (a corrected month, every kind of suppressed cell).
 */
import { quarterOf } from '../../server/domain/statistics-periods';
import { Hono } from 'hono';
import type { AppEnv } from '../../server/context';
import { createI18n } from '../../server/i18n';
import { language } from '../../server/middleware/language';
import { securityHeaders } from '../../server/middleware/security-headers';
import { assetRoutes } from '../../server/routes/assets';
import { pageContext } from '../../server/routes/render';
import type { PublicFigures } from '../../server/domain/statistics-types';
import { KINDS } from '../../server/domain/rights-request';
import { OrganisationStatisticsPage } from '../../views/pages/statistics/OrganisationStatisticsPage';
import { parseOrganisationSort } from '../../views/pages/statistics/organisation-sort';
import { StatisticsPage } from '../../views/pages/statistics/StatisticsPage';
import { FIXTURE_FIGURES } from '../fixtures/statistics';

export function statisticsViewsApp(figures: PublicFigures = FIXTURE_FIGURES) {
  const app = new Hono<AppEnv>();
  app.use(securityHeaders());
  app.use(language({ i18n: createI18n(), secureCookies: false }));
  app.use(async (c, next) => {
    c.set('csrfToken', () => 'test');
    await next();
  });
  app.route('/', assetRoutes());
  const values = { period: quarterOf(figures.filters.period.from), kind: figures.filters.kind ?? '' };
  app.get('/statistiques', (c) => {
    const sort = parseOrganisationSort(c.req.query('tri'), c.req.query('ordre'));
    return c.html(
      <StatisticsPage
        ctx={pageContext(c)}
        view={{
          figures,
          values,
          errors: [],
          sort,
          kinds: KINDS,
          periods: [quarterOf(figures.filters.period.from)],
          tables: [{ name: 'mois', title: 'Demandes et réponses, par mois' }],
        }}
      />,
    );
  });
  app.get('/statistiques/organisations/:id', (c) => {
    const organisation = figures.organisations.find((o) => o.id === c.req.param('id'));
    if (!organisation) return c.notFound();
    return c.html(<OrganisationStatisticsPage ctx={pageContext(c)} view={{ organisation, context: figures, values }} />);
  });
  return app;
}
