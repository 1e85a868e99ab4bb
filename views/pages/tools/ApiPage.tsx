/**
 * The human page of the read-only API (/outils/api): what it gives, a few curl examples, how pages,
 * updates, caching and the rate limit work, what each kind of error means (the `type` of a problem
 * points to its anchor here), and the OpenAPI document. Static text: it works without JavaScript.
 */
import { Layout } from '../../layouts/Layout';
import type { PageContext } from '../../page-context';

export const API_PAGE_PATH = '/outils/api';
export const PROBLEM_KINDS = ['parametres', 'introuvable', 'limite', 'erreur'] as const;

export type ApiPageProps = {
  ctx: PageContext;
  /** The API's base address, e.g. https://example.fr/api/v1. */
  base: string;
  /** Requests a minute per client address. */
  rateLimit: number;
  /** Each documented path and its summary, in the document's order. */
  operations: { path: string; summary: string }[];
  /** The curl commands shown, by example. */
  examples: { list: string; since: string; etag: string; figures: string };
  documentHref: string;
};

type PageWords = { paging: string[] };

/** A shell command, wrapped rather than scrolled on a phone. */
function Command({ text }: { text: string }) {
  return (
    <pre class="command" lang="en" translate="no">
      <code>{text}</code>
    </pre>
  );
}

export function ApiPage({ ctx, base, rateLimit, operations, examples, documentHref }: ApiPageProps) {
  const { t, doc } = ctx.tr;
  const words = doc<{ page: PageWords }>('api').page;
  const title = t('api:page.title');
  return (
    <Layout ctx={ctx} title={title} description={t('api:page.lead')} breadcrumb={[{ href: '/', label: t('common:breadcrumb.home') }]}>
      <article class="content">
        <h1>{title}</h1>
        <p class="lead">{t('api:page.lead')}</p>

        <section aria-labelledby="api-endpoints">
          <h2 id="api-endpoints">{t('api:page.endpointsTitle')}</h2>
          <p>{t('api:page.endpointsBody', { base })}</p>
          <dl class="facts-list">
            {operations.map((op) => (
              <div class="fact">
                <dt>
                  <code translate="no">{op.path}</code>
                </dt>
                <dd>{op.summary}</dd>
              </div>
            ))}
          </dl>
        </section>

        <section aria-labelledby="api-examples">
          <h2 id="api-examples">{t('api:page.examplesTitle')}</h2>
          <p>{t('api:page.examples.list')}</p>
          <Command text={examples.list} />
          <p>{t('api:page.examples.next')}</p>
          <p>{t('api:page.examples.since')}</p>
          <Command text={examples.since} />
          <p>{t('api:page.examples.etag')}</p>
          <Command text={examples.etag} />
          <p>{t('api:page.examples.figures')}</p>
          <Command text={examples.figures} />
        </section>

        <section aria-labelledby="api-paging">
          <h2 id="api-paging">{t('api:page.pagingTitle')}</h2>
          {words.paging.map((p) => (
            <p>{p}</p>
          ))}
        </section>

        <section aria-labelledby="api-rate">
          <h2 id="api-rate">{t('api:page.rateTitle')}</h2>
          <p>{t('api:page.rateBody', { limit: ctx.tr.number(rateLimit) })}</p>
        </section>

        <section aria-labelledby="api-errors">
          <h2 id="api-errors">{t('api:page.errorsTitle')}</h2>
          <p>{t('api:page.errorsBody')}</p>
          <dl class="facts-list">
            {PROBLEM_KINDS.map((kind) => (
              <div class="fact" id={`probleme-${kind}`}>
                <dt>{t(`api:problems.${kind}.title`)}</dt>
                <dd>{t(`api:page.problemHelp.${kind}`)}</dd>
              </div>
            ))}
          </dl>
        </section>

        <section aria-labelledby="api-document">
          <h2 id="api-document">{t('api:page.documentTitle')}</h2>
          <p>
            {t('api:page.documentBody')} <a href={documentHref}>{t('api:page.documentLink')}</a>.
          </p>
          <p>{t('api:page.licence')}</p>
        </section>
      </article>
    </Layout>
  );
}
