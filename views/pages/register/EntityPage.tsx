import { Layout } from '../../layouts/Layout';
import type { PageContext } from '../../page-context';
import { RegisterResultsView, type RegisterResults } from './RegisterPage';

export type EntityFact = { label: string; value: string; href?: string; lang?: string };

/** An organisation or a data source: what it is, then every project it runs or feeds. */
export function EntityPage({ ctx, kind, name, description, facts, results, basePath, searchHref }: { ctx: PageContext; kind: 'organisation' | 'source'; name: string; description?: string | null; facts: EntityFact[]; results: RegisterResults; basePath: string; searchHref: string }) {
  const { tr } = ctx;
  const { t } = tr;
  return (
    <Layout ctx={ctx} title={name} description={description ?? undefined} breadcrumb={[{ href: '/', label: t('common:breadcrumb.home') }, { href: '/projets', label: t('register:title') }]}>
      <p class="project__kicker">{t(`register:entity.${kind}`)}</p>
      <h1 lang="fr">{name}</h1>
      {description ? <p class="lead" lang="fr">{description}</p> : null}
      {facts.length > 0 ? (
        <dl class="facts-list">
          {facts.map((f) => (
            <div class="fact">
              <dt>{f.label}</dt>
              <dd lang={f.lang}>{f.href ? <a href={f.href} rel="noopener">{f.value}</a> : f.value}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      <section aria-labelledby="entity-projects">
        <h2 id="entity-projects">{t(`register:entity.projects.${kind}`)}</h2>
        <RegisterResultsView tr={tr} results={results} basePath={basePath} headingLevel={3} />
        <p>
          <a href={searchHref}>{t('register:entity.searchThese')}</a>
        </p>
      </section>
    </Layout>
  );
}
