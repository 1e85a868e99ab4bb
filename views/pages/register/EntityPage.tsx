import { FollowLink } from '../../components/FollowLink';
import type { Translator } from '../../../server/i18n';
import { Layout } from '../../layouts/Layout';
import type { PageContext } from '../../page-context';
import type { OrganisationFigures, Period } from '../../../server/domain/statistics-types';
import { OrganisationFiguresBlock } from '../statistics/OrganisationStatisticsPage';
import { RegisterResultsView, type RegisterResults } from './RegisterPage';

export type EntityFact = { label: string; value: string; href?: string; lang?: string };

/** What the public page says of an organisation: SIREN and website, when known. */
export function organisationFacts(tr: Translator, o: { siren: string | null; website: string | null }): EntityFact[] {
  return [
    ...(o.siren ? [{ label: 'SIREN', value: o.siren }] : []),
    ...(o.website ? [{ label: tr.t('register:entity.website'), value: o.website, href: o.website }] : []),
  ];
}

/** What the public page says of a data source: its holder, and whether it is part of the SNDS. */
export function sourceFacts(tr: Translator, s: { holder: string | null; partOfSnds: boolean; identifiante: boolean }): EntityFact[] {
  return [
    ...(s.holder ? [{ label: tr.t('register:entity.holder'), value: s.holder, lang: 'fr' }] : []),
    { label: tr.t('register:entity.partOfSnds'), value: tr.t(`register-fields:values.boolean.${s.partOfSnds ? 'true' : 'false'}`) },
    // Who can act on a person's identity decides where a request goes (server/domain/routing.ts).
    { label: tr.t('register:entity.identifiante'), value: tr.t(`register:entity.identifianteValues.${s.identifiante ? 'true' : 'false'}`) },
  ];
}

/**
 * The top of an organisation's or a source's public page: kind, name, description, facts. The public page
 * shows it with the name as the h1; the back office shows it as a preview, the name at `headingLevel`.
 */
export function EntitySummary({
  tr,
  kind,
  name,
  description,
  facts,
  headingLevel = 1,
}: {
  tr: Translator;
  kind: 'organisation' | 'source';
  name: string;
  description?: string | null;
  facts: EntityFact[];
  headingLevel?: number;
}) {
  const Tag = `h${Math.min(Math.max(headingLevel, 1), 6)}` as 'h1';
  return (
    <>
      <p class="project__kicker">{tr.t(`register:entity.${kind}`)}</p>
      <Tag lang="fr">{name}</Tag>
      {description ? (
        <p class="lead" lang="fr">
          {description}
        </p>
      ) : null}
      {facts.length > 0 ? (
        <dl class="facts-list">
          {facts.map((f) => (
            <div class="fact">
              <dt>{f.label}</dt>
              <dd lang={f.lang}>
                {f.href ? (
                  <a href={f.href} rel="noopener">
                    {f.value}
                  </a>
                ) : (
                  f.value
                )}
              </dd>
            </div>
          ))}
        </dl>
      ) : null}
    </>
  );
}

/** An organisation or a data source: what it is, then every project it runs or feeds; an organisation's answer figures after them. */
export function EntityPage({
  ctx,
  kind,
  id,
  name,
  description,
  facts,
  results,
  basePath,
  searchHref,
  figures,
}: {
  ctx: PageContext;
  kind: 'organisation' | 'source';
  id: string;
  name: string;
  description?: string | null;
  facts: EntityFact[];
  results: RegisterResults;
  basePath: string;
  searchHref: string;
  figures?: { organisation: OrganisationFigures; period: Period };
}) {
  const { tr } = ctx;
  const { t } = tr;
  return (
    <Layout
      ctx={ctx}
      title={name}
      description={description ?? undefined}
      breadcrumb={[
        { href: '/', label: t('common:breadcrumb.home') },
        { href: '/projets', label: t('register:title') },
      ]}
    >
      <EntitySummary tr={tr} kind={kind} name={name} description={description} facts={facts} />
      <FollowLink tr={tr} kind={kind} target={id} />
      <section aria-labelledby="entity-projects">
        <h2 id="entity-projects">{t(`register:entity.projects.${kind}`)}</h2>
        <RegisterResultsView tr={tr} results={results} basePath={basePath} headingLevel={3} />
        <p>
          <a href={searchHref}>{t('register:entity.searchThese')}</a>
        </p>
      </section>
      {figures ? <OrganisationFiguresBlock tr={tr} organisation={figures.organisation} period={figures.period} /> : null}
    </Layout>
  );
}
