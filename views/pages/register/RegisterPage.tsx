import type { Translator } from '../../../server/i18n';
import type { ProjectRow } from '../../../server/domain/register-schema';
import { PROJECT_STATUSES, PURPOSES } from '../../../server/domain/register-schema';
import { registerSearchString, SORTS, type RegisterParams } from '../../../server/domain/register-query';
import { FollowSearchLink } from '../../components/FollowLink';
import { Pagination } from '../../components/Pagination';
import { ProjectList } from '../../components/ProjectList';
import { Layout } from '../../layouts/Layout';
import type { PageContext } from '../../page-context';

export type RegisterResults = { params: RegisterParams; total: number; pages: number; rows: ProjectRow[] };
export type Option = { id: string; name: string };

function Select({
  name,
  label,
  value,
  options,
  anyLabel,
}: {
  name: string;
  label: string;
  value?: string;
  options: { value: string; label: string }[];
  anyLabel: string;
}) {
  return (
    <div class="field">
      <label for={`f-${name}`}>{label}</label>
      <select id={`f-${name}`} name={name}>
        <option value="">{anyLabel}</option>
        {options.map((o) => (
          <option value={o.value} selected={o.value === value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The part htmx swaps in place: count, results, pagination. Also the live region's text, out of band. */
export function RegisterResultsView({
  tr,
  results,
  basePath,
  oob,
  headingLevel = 2,
}: {
  tr: Translator;
  results: RegisterResults;
  basePath: string;
  oob?: boolean;
  headingLevel?: 2 | 3;
}) {
  const { t } = tr;
  const { params, total, pages, rows } = results;
  const countText = total === 0 ? t('register:results.none') : t('register:results.count', { count: total, formatted: tr.number(total) });
  const pastEnd = total > 0 && rows.length === 0;
  return (
    <>
      <p class="results-count" id="results-count">
        <strong>{countText}</strong>
        {pages > 1 && !pastEnd ? <span> {t('register:results.pageOf', { page: params.page, pages })}</span> : null}
      </p>
      {total === 0 ? (
        <div class="empty-state">
          <p>{params.q ? t('register:results.noneFor', { q: params.q }) : t('register:results.noneFilters')}</p>
          <ul>
            <li>{t('register:results.tipSpelling')}</li>
            <li>{t('register:results.tipFewer')}</li>
          </ul>
          <p>
            <a href={basePath}>{t('register:results.reset')}</a>
          </p>
        </div>
      ) : pastEnd ? (
        <div class="empty-state">
          <p>{t('register:results.pastEnd', { pages })}</p>
          <p>
            <a href={`${basePath}${registerSearchString(params, { page: pages })}`}>{t('register:results.lastPage')}</a>
          </p>
        </div>
      ) : (
        <ProjectList tr={tr} rows={rows} headingLevel={headingLevel} />
      )}
      <Pagination t={t} page={params.page} pages={pages} href={(p) => `${basePath}${registerSearchString(params, { page: p })}`} />
      {oob ? (
        <div id="results-announce" hx-swap-oob="innerHTML">
          {countText}
        </div>
      ) : null}
    </>
  );
}

/**
 * The sort as chosen, or undefined for the default one (relevance with words, latest changes without): the
 * form then keeps "default" selected, so that words typed afterwards are sorted by relevance.
 */
function explicitSort(p: RegisterParams): RegisterParams['tri'] | undefined {
  return p.tri !== (p.q ? 'pertinence' : 'recent') ? p.tri : undefined;
}

/** How many search criteria are set (words, filters, a sort other than the default), for the folded form's summary. */
export function criteriaCount(p: RegisterParams): number {
  return [p.q, p.statut, p.source, p.organisation, p.finalite, p.commercial, p.opposition, explicitSort(p)].filter(Boolean).length;
}

function CriteriaCount({ tr, params, oob }: { tr: Translator; params: RegisterParams; oob?: boolean }) {
  const n = criteriaCount(params);
  return (
    <span id="criteria-count" class="register__criteria" hx-swap-oob={oob ? 'true' : undefined}>
      {n > 0 ? tr.t('register:form.criteria', { count: n }) : ''}
    </span>
  );
}

/**
 * The download links, following the search: rendered with the page, and again out of band with each htmx
 * answer so that they keep the filters chosen since.
 */
export function OpenDataLinks({ tr, params, oob }: { tr: Translator; params: RegisterParams; oob?: boolean }) {
  const { t } = tr;
  const qs = registerSearchString({ ...params, page: 1 });
  return (
    <ul class="link-list" id="open-data-links" hx-swap-oob={oob ? 'true' : undefined}>
      <li>
        <a href={`/projets.csv${qs}`} download>
          {t('register:openData.csv')}
        </a>
      </li>
      <li>
        <a href={`/projets-tableur.csv${qs}`} download>
          {t('register:openData.spreadsheet')}
        </a>
        <span class="hint"> {t('register:openData.spreadsheetHint')}</span>
      </li>
      <li>
        <a href={`/projets.json${qs}`}>{t('register:openData.json')}</a>
      </li>
      <li>
        <a href={`/projets.atom${registerSearchString({ ...params, tri: undefined, page: 1 })}`}>{t('register:openData.atom')}</a>
      </li>
      <li>
        <a href="/projets/schema.json">{t('register:openData.schema')}</a>
      </li>
    </ul>
  );
}

/** What htmx gets for a search on /projets: the results, and out of band the live region, the summary's count and the downloads. */
export function RegisterSearchFragment({ tr, results }: { tr: Translator; results: RegisterResults }) {
  return (
    <>
      <RegisterResultsView tr={tr} results={results} basePath="/projets" oob />
      <CriteriaCount tr={tr} params={results.params} oob />
      <OpenDataLinks tr={tr} params={results.params} oob />
      <FollowSearchLink tr={tr} params={results.params} oob />
    </>
  );
}

export function RegisterPage({
  ctx,
  results,
  organisations,
  sources,
}: {
  ctx: PageContext;
  results: RegisterResults;
  organisations: Option[];
  sources: Option[];
}) {
  const { tr } = ctx;
  const { t } = tr;
  const p = results.params;
  return (
    <Layout ctx={ctx} title={t('register:title')} description={t('register:lead')} breadcrumb={[{ href: '/', label: t('common:breadcrumb.home') }]}>
      <h1 class="register__title">{t('register:title')}</h1>
      <p class="lead register__lead">{t('register:lead')}</p>
      <p class="register__my-data">
        {t('register:myData')} <a href="/comprendre/mes-donnees-dans-les-projets">{t('register:myDataLink')}</a>
      </p>
      {p.ignored.length > 0 ? (
        <div class="callout" role="status">
          <p>{t('register:ignored', { names: p.ignored.join(', ') })}</p>
        </div>
      ) : null}
      <div class="register">
        {/*
          On a phone the form folds behind its summary, so the first results show on the first screen; from
          768 px the CSS keeps it unfolded and hides the summary (where the browser can style a details'
          content; elsewhere the summary stays and opens it).
        */}
        <details class="register__fold">
          <summary class="register__summary">
            {t('register:form.fold')} <CriteriaCount tr={tr} params={p} />
          </summary>
          <form
            class="register__filters"
            method="get"
            action="/projets"
            role="search"
            hx-get="/projets"
            hx-target="#results"
            hx-push-url="true"
            hx-trigger="submit, change from:select, input changed delay:500ms from:#f-q"
          >
            <div class="field">
              <label for="f-q">{t('register:form.q')}</label>
              <p class="hint" id="f-q-hint">
                {t('register:form.qHint')}
              </p>
              <input type="search" id="f-q" name="q" value={p.q} maxlength={200} aria-describedby="f-q-hint" autocomplete="off" />
            </div>
            <fieldset>
              <legend>{t('register:form.filters')}</legend>
              <Select
                name="statut"
                label={t('register-fields:fields.statut.title')}
                value={p.statut}
                anyLabel={t('register:form.any')}
                options={PROJECT_STATUSES.map((s) => ({ value: s, label: t(`register-fields:values.statut.${s}`) }))}
              />
              <Select
                name="source"
                label={t('register-fields:fields.sources_noms.title')}
                value={p.source}
                anyLabel={t('register:form.anyFeminine')}
                options={sources.map((s) => ({ value: s.id, label: s.name }))}
              />
              <Select
                name="organisation"
                label={t('register:form.organisation')}
                value={p.organisation}
                anyLabel={t('register:form.any')}
                options={organisations.map((o) => ({ value: o.id, label: o.name }))}
              />
              <Select
                name="finalite"
                label={t('register-fields:fields.finalite.title')}
                value={p.finalite}
                anyLabel={t('register:form.anyFeminine')}
                options={PURPOSES.map((s) => ({ value: s, label: t(`register-fields:values.finalite.${s}`) }))}
              />
              <Select
                name="commercial"
                label={t('register-fields:fields.usage_commercial.title')}
                value={p.commercial}
                anyLabel={t('register:form.anyBoth')}
                options={[
                  { value: 'oui', label: t('register-fields:values.boolean.true') },
                  { value: 'non', label: t('register-fields:values.boolean.false') },
                ]}
              />
              <Select
                name="opposition"
                label={t('register-fields:fields.opposition_applicable.title')}
                value={p.opposition}
                anyLabel={t('register:form.anyBoth')}
                options={[
                  { value: 'oui', label: t('register-fields:values.boolean.true') },
                  { value: 'non', label: t('register-fields:values.boolean.false') },
                ]}
              />
            </fieldset>
            <Select
              name="tri"
              label={t('register:form.sort')}
              value={explicitSort(p)}
              anyLabel={t('register:form.sortDefault')}
              options={SORTS.map((s) => ({ value: s, label: t(`register:sort.${s}`) }))}
            />
            <div class="form-actions">
              <button type="submit" class="button">
                {t('register:form.submit')}
              </button>
              <a href="/projets" class="button button--secondary">
                {t('register:form.reset')}
              </a>
            </div>
          </form>
        </details>
        <section class="register__results" aria-labelledby="results-title">
          <h2 id="results-title" class="visually-hidden">
            {t('register:results.title')}
          </h2>
          <div id="results-announce" class="visually-hidden" role="status" aria-live="polite" aria-atomic="true"></div>
          <div id="results">
            <RegisterResultsView tr={tr} results={results} basePath="/projets" />
          </div>
          <FollowSearchLink tr={tr} params={p} />
          <p class="muted">{t('register:recordsInFrench')}</p>
        </section>
      </div>
      <section class="open-data" aria-labelledby="open-data-title">
        <h2 id="open-data-title">{t('register:openData.title')}</h2>
        <p>{t('register:openData.body')}</p>
        <OpenDataLinks tr={tr} params={p} />
        <p class="muted">{t('register:openData.licence')}</p>
      </section>
    </Layout>
  );
}
