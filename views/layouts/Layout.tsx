import type { Child } from 'hono/jsx';
import { raw } from 'hono/html';
import type { Crumb, PageContext } from '../page-context';
import { Breadcrumb } from '../components/Breadcrumb';
import { FOOTER_NAV, isCurrent, MAIN_NAV, staffNav } from './navigation';

export type LayoutProps = {
  ctx: PageContext;
  title: string;
  description?: string;
  breadcrumb?: Crumb[];
  /** Prefixes the title with "Erreur : " when the page shows validation errors (GOV.UK pattern). */
  hasErrors?: boolean;
  bodyClass?: string;
  children?: Child;
};

/** "dpo@hopital.example (DPO de Hôpital A)", or the role alone when the address cannot be read. */
function signedInLabel(t: PageContext['tr']['t'], staff: NonNullable<PageContext['staff']>): string {
  const role =
    staff.role === 'dpo'
      ? staff.organisationName
        ? t('staff:nav.roles.dpo', { organisation: staff.organisationName })
        : t('staff:nav.roles.dpoNoOrganisation')
      : t(`staff:nav.roles.${staff.role}`);
  return staff.email ? t('staff:nav.signedInRole', { who: staff.email, role }) : role;
}

const HTMX_CONFIG = JSON.stringify({ includeIndicatorStyles: false, allowEval: false, allowScriptTags: false, historyCacheSize: 0 });

export function Layout({ ctx, title, description, breadcrumb, hasErrors, bodyClass, children }: LayoutProps) {
  const { tr, nonce, path, alternates, assetVersion, staff } = ctx;
  const nav = staff ? staffNav(staff.role) : MAIN_NAV;
  const { t, lang } = tr;
  const other = lang === 'fr' ? 'en' : 'fr';
  const fullTitle = `${hasErrors ? t('common:errorPrefix') : ''}${title} – ${t('common:site.name')}`;
  return (
    <>
      {raw('<!doctype html>')}
      <html lang={lang} dir="ltr">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{fullTitle}</title>
          {description ? <meta name="description" content={description} /> : null}
          <meta name="htmx-config" content={HTMX_CONFIG} />
          <link rel="stylesheet" href={`/assets/app.css?v=${assetVersion}`} />
          <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
          <link rel="alternate" hreflang="fr" href={alternates.fr} />
          <link rel="alternate" hreflang="en" href={alternates.en} />
          <script src={`/assets/htmx.min.js?v=${assetVersion}`} defer nonce={nonce}></script>
        </head>
        <body class={bodyClass}>
          <div class="skiplinks">
            <ul>
              <li>
                <a href="#contenu">{t('common:skip.content')}</a>
              </li>
              <li>
                <a href="#navigation">{t('common:skip.nav')}</a>
              </li>
              <li>
                <a href="#pied-de-page">{t('common:skip.footer')}</a>
              </li>
            </ul>
          </div>
          <header class="site-header">
            <div class="container site-header__inner">
              <a class="brand" href="/" title={t('common:site.homeTitle')}>
                <span class="brand__mark" aria-hidden="true"></span>
                <span class="brand__text">
                  <span class="brand__name">{t('common:site.name')}</span>
                  <span class="brand__tagline">{t('common:site.tagline')}</span>
                </span>
              </a>
              <nav class="lang-switch" aria-label={t('common:lang.label')}>
                <a href={alternates[other]} hreflang={other} rel="alternate">
                  <span lang={other}>{t(`common:lang.switchTo.${other}`)}</span>
                  <span class="visually-hidden"> {t(`common:lang.switchHint.${other}`)}</span>
                </a>
              </nav>
            </div>
            {/*
              Below 640 px the links fold behind a "Menu" button with no script: the summary of an empty
              <details> opens and closes it (its state is announced), and the CSS shows the panel that
              follows it only while it is open. From 640 px the button is hidden and the links always shown.
            */}
            <nav id="navigation" class="main-nav" aria-label={t(staff ? 'staff:nav.label' : 'common:nav.label')}>
              <div class="container main-nav__inner">
                <details class="main-nav__toggle">
                  <summary aria-controls="main-nav-panel">
                    <span class="main-nav__icon" aria-hidden="true"></span>
                    {t('common:nav.menu')}
                  </summary>
                </details>
                <div class="main-nav__panel" id="main-nav-panel">
                  <ul class="main-nav__list">
                    {nav.map((item) => (
                      <li>
                        <a href={item.href} aria-current={isCurrent(item.href, path)}>
                          {t(item.key.includes(':') ? item.key : `common:${item.key}`)}
                        </a>
                      </li>
                    ))}
                  </ul>
                  {staff ? (
                    <div class="main-nav__who">
                      <p>{t('staff:nav.signedIn', { who: signedInLabel(t, staff) })}</p>
                      <form method="post" action="/espace-pro/deconnexion" class="inline-form">
                        <input type="hidden" name="_csrf" value={ctx.csrfToken()} />
                        <button type="submit" class="link-button">
                          {t('staff:nav.signOut')}
                        </button>
                      </form>
                    </div>
                  ) : null}
                </div>
              </div>
            </nav>
          </header>
          <div class="demo-banner" role="note">
            <p class="container">{t('common:demoBanner')}</p>
          </div>
          <div class="container page">
            {breadcrumb && breadcrumb.length > 0 ? <Breadcrumb t={t} items={breadcrumb} current={title} /> : null}
            <main id="contenu" tabindex={-1}>
              {children}
            </main>
          </div>
          <footer id="pied-de-page" class="site-footer">
            <div class="container">
              <p class="site-footer__about">{t('common:footer.about')}</p>
              <ul class="site-footer__links">
                {FOOTER_NAV.map((item) => (
                  <li>
                    <a href={item.href} aria-current={isCurrent(item.href, path)}>
                      {t(`common:${item.key}`)}
                    </a>
                  </li>
                ))}
              </ul>
              <p class="site-footer__licence">{t('common:footer.licence')}</p>
            </div>
          </footer>
        </body>
      </html>
    </>
  );
}
