/**
 * Home, the /comprendre and /facile-a-lire information pages, the pages about the service and the site map.
 * They change only with a release: each is rendered once per language and address and then served from
 * memory, with each response's nonce put back (routes/page-cache.ts).
 */
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AppEnv } from '../context';
import { HomePage } from '../../views/pages/home/HomePage';
import { ContentPage } from '../../views/pages/content/ContentPage';
import { IndexPage } from '../../views/pages/content/IndexPage';
import { SitemapPage } from '../../views/pages/content/SitemapPage';
import { MY_DATA_PATH } from '../../views/pages/content/MyDataPage';
import type { ContentDoc } from '../../views/pages/content/content-types';
import { EASY_READ_PAGES, SERVICE_PAGES, UNDERSTAND_PAGES } from './content-pages';
import { createPageCache, type PageCache } from './page-cache';

const understandSlugs = new Set<string>(UNDERSTAND_PAGES);
const easyReadSlugs = new Set<string>(EASY_READ_PAGES);

export function pagesRoutes() {
  const app = new Hono<AppEnv>();
  const cached = createPageCache();
  app.get('/', (c) => cached(c, (ctx) => <HomePage ctx={ctx} />));
  understandRoutes(app, cached);
  easyReadRoutes(app, cached);
  serviceRoutes(app, cached);
  return app;
}

/** /comprendre and its pages. */
function understandRoutes(app: Hono<AppEnv>, cached: PageCache) {
  app.get('/comprendre', (c) => {
    return cached(c, (ctx) => {
      const { t, doc } = ctx.tr;
      const cards = UNDERSTAND_PAGES.map((slug) => {
        const page = doc<ContentDoc>(`pages/${slug}`);
        return { href: `/comprendre/${slug}`, title: page.title, summary: page.summary };
      });
      cards.splice(1, 0, { href: MY_DATA_PATH, title: t('my-data:title'), summary: t('my-data:summary') });
      return (
        <IndexPage
          ctx={ctx}
          title={t('common:understand.title')}
          lead={t('common:understand.lead')}
          cards={cards}
          breadcrumb={[{ href: '/', label: t('common:breadcrumb.home') }]}
        />
      );
    });
  });

  app.get('/comprendre/:slug', (c) => {
    const slug = c.req.param('slug');
    if (!understandSlugs.has(slug)) throw new HTTPException(404);
    return cached(c, (ctx) => {
      const { t, doc } = ctx.tr;
      const breadcrumb = [
        { href: '/', label: t('common:breadcrumb.home') },
        { href: '/comprendre', label: t('common:understand.title') },
      ];
      return <ContentPage ctx={ctx} doc={doc<ContentDoc>(`pages/${slug}`)} breadcrumb={breadcrumb} />;
    });
  });
}

/** /facile-a-lire and its pages in easy-to-read French. */
function easyReadRoutes(app: Hono<AppEnv>, cached: PageCache) {
  app.get('/facile-a-lire', (c) => {
    return cached(c, (ctx) => {
      const { t, doc } = ctx.tr;
      const intro = doc<ContentDoc>('pages/facile-a-lire-index');
      return <ContentPage ctx={ctx} doc={intro} breadcrumb={[{ href: '/', label: t('common:breadcrumb.home') }]} easyRead />;
    });
  });

  app.get('/facile-a-lire/:slug', (c) => {
    const slug = c.req.param('slug');
    if (!easyReadSlugs.has(slug)) throw new HTTPException(404);
    return cached(c, (ctx) => {
      const { t, doc } = ctx.tr;
      const intro = doc<ContentDoc>('pages/facile-a-lire-index');
      const breadcrumb = [
        { href: '/', label: t('common:breadcrumb.home') },
        { href: '/facile-a-lire', label: intro.title },
      ];
      return <ContentPage ctx={ctx} doc={doc<ContentDoc>(`pages/${slug}`)} breadcrumb={breadcrumb} easyRead />;
    });
  });
}

/** The pages about the service, and the site map. */
function serviceRoutes(app: Hono<AppEnv>, cached: PageCache) {
  for (const slug of SERVICE_PAGES) {
    app.get(`/${slug}`, (c) => {
      return cached(c, (ctx) => {
        const { t, doc } = ctx.tr;
        return <ContentPage ctx={ctx} doc={doc<ContentDoc>(`pages/${slug}`)} breadcrumb={[{ href: '/', label: t('common:breadcrumb.home') }]} />;
      });
    });
  }

  app.get('/plan-du-site', (c) => {
    return cached(c, (ctx) => {
      const { t, doc } = ctx.tr;
      const titleOf = (slug: string) => doc<ContentDoc>(`pages/${slug}`).title;
      const groups = [
        { title: t('common:nav.home'), href: '/', pages: [] },
        {
          title: t('common:understand.title'),
          href: '/comprendre',
          pages: [...UNDERSTAND_PAGES.map((s) => ({ href: `/comprendre/${s}`, title: titleOf(s) })), { href: MY_DATA_PATH, title: t('my-data:title') }],
        },
        {
          title: titleOf('facile-a-lire-index'),
          href: '/facile-a-lire',
          pages: EASY_READ_PAGES.map((s) => ({ href: `/facile-a-lire/${s}`, title: titleOf(s) })),
        },
        { title: t('common:nav.register'), href: '/projets', pages: [{ href: '/suivre/gerer', title: t('follow:manage.title') }] },
        { title: t('common:nav.request'), href: '/demande', pages: [] },
        { title: t('common:nav.track'), href: '/suivi', pages: [] },
        { title: t('common:nav.deadline'), href: '/outils/delai', pages: [] },
        { title: t('statistics:title'), href: '/statistiques', pages: [{ href: '/statistiques/methode', title: t('statistics:methods.title') }] },
        { title: t('api:page.title'), href: '/outils/api', pages: [] },
        ...SERVICE_PAGES.map((s) => ({ title: titleOf(s), href: `/${s}`, pages: [] })),
      ];
      return <SitemapPage ctx={ctx} groups={groups} breadcrumb={[{ href: '/', label: t('common:breadcrumb.home') }]} />;
    });
  });
}
