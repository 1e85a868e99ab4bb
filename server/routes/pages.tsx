/**
 * Home, the /comprendre and /facile-a-lire information pages, the pages about the service and the site map.
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
import { pageContext } from './render';

const understandSlugs = new Set<string>(UNDERSTAND_PAGES);
const easyReadSlugs = new Set<string>(EASY_READ_PAGES);

export function pagesRoutes() {
  const app = new Hono<AppEnv>();
  app.get('/', (c) => c.html(<HomePage ctx={pageContext(c)} />));
  understandRoutes(app);
  easyReadRoutes(app);
  serviceRoutes(app);
  return app;
}

/** /comprendre and its pages. */
function understandRoutes(app: Hono<AppEnv>) {
  app.get('/comprendre', (c) => {
    const ctx = pageContext(c);
    const { t, doc } = ctx.tr;
    const cards = UNDERSTAND_PAGES.map((slug) => {
      const page = doc<ContentDoc>(`pages/${slug}`);
      return { href: `/comprendre/${slug}`, title: page.title, summary: page.summary };
    });
    cards.splice(1, 0, { href: MY_DATA_PATH, title: t('my-data:title'), summary: t('my-data:summary') });
    return c.html(
      <IndexPage
        ctx={ctx}
        title={t('common:understand.title')}
        lead={t('common:understand.lead')}
        cards={cards}
        breadcrumb={[{ href: '/', label: t('common:breadcrumb.home') }]}
      />,
    );
  });

  app.get('/comprendre/:slug', (c) => {
    const slug = c.req.param('slug');
    if (!understandSlugs.has(slug)) throw new HTTPException(404);
    const ctx = pageContext(c);
    const { t, doc } = ctx.tr;
    const breadcrumb = [
      { href: '/', label: t('common:breadcrumb.home') },
      { href: '/comprendre', label: t('common:understand.title') },
    ];
    return c.html(<ContentPage ctx={ctx} doc={doc<ContentDoc>(`pages/${slug}`)} breadcrumb={breadcrumb} />);
  });
}

/** /facile-a-lire and its pages in easy-to-read French. */
function easyReadRoutes(app: Hono<AppEnv>) {
  app.get('/facile-a-lire', (c) => {
    const ctx = pageContext(c);
    const { t, doc } = ctx.tr;
    const intro = doc<ContentDoc>('pages/facile-a-lire-index');
    return c.html(<ContentPage ctx={ctx} doc={intro} breadcrumb={[{ href: '/', label: t('common:breadcrumb.home') }]} easyRead />);
  });

  app.get('/facile-a-lire/:slug', (c) => {
    const slug = c.req.param('slug');
    if (!easyReadSlugs.has(slug)) throw new HTTPException(404);
    const ctx = pageContext(c);
    const { t, doc } = ctx.tr;
    const intro = doc<ContentDoc>('pages/facile-a-lire-index');
    const breadcrumb = [
      { href: '/', label: t('common:breadcrumb.home') },
      { href: '/facile-a-lire', label: intro.title },
    ];
    return c.html(<ContentPage ctx={ctx} doc={doc<ContentDoc>(`pages/${slug}`)} breadcrumb={breadcrumb} easyRead />);
  });
}

/** The pages about the service, and the site map. */
function serviceRoutes(app: Hono<AppEnv>) {
  for (const slug of SERVICE_PAGES) {
    app.get(`/${slug}`, (c) => {
      const ctx = pageContext(c);
      const { t, doc } = ctx.tr;
      return c.html(<ContentPage ctx={ctx} doc={doc<ContentDoc>(`pages/${slug}`)} breadcrumb={[{ href: '/', label: t('common:breadcrumb.home') }]} />);
    });
  }

  app.get('/plan-du-site', (c) => {
    const ctx = pageContext(c);
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
    return c.html(<SitemapPage ctx={ctx} groups={groups} breadcrumb={[{ href: '/', label: t('common:breadcrumb.home') }]} />);
  });
}
