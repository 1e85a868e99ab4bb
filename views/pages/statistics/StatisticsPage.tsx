import type { Translator } from '../../../server/i18n';
import type { OrganisationFigures, PublicFigures } from '../../../server/domain/statistics-types';
import { ErrorSummary, FieldError, describedBy, type FormError } from '../../components/ErrorSummary';
import { TableRegion } from '../../components/TableRegion';
import { Layout } from '../../layouts/Layout';
import type { PageContext } from '../../page-context';
import { RATE_MIN_ANSWERED } from '../../../server/domain/statistics';
import { cellText, daysText, inTenSentence, monthLong, percent, periodText, quarterLabel, rateText, tooFewAnswers } from './format';
import { nextOrder, ORGANISATION_SORTS, type OrganisationSort, type OrganisationSortKey, sortOrganisations } from './organisation-sort';
import { AnswersSummary, CountTable, DemonstrationNotice, MonthlyAnswers, MonthlyRequests } from './parts';

/** The filter form's fields and their query parameters (French, like every public address). */
export const FILTER_PARAMS = { period: 'periode', kind: 'type' } as const;
export type FilterField = keyof typeof FILTER_PARAMS;
export type FilterValues = Record<FilterField, string>;

/** The filters as a query string ("?periode=2026-T3&type=acces"), empty ones left out; `extra` adds the sort. */
export function filtersQuery(values: Partial<FilterValues>, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const field of Object.keys(FILTER_PARAMS) as FilterField[]) if (values[field]) params.set(FILTER_PARAMS[field], values[field]!);
  for (const [k, v] of Object.entries(extra)) params.set(k, v);
  const s = params.toString();
  return s ? `?${s}` : '';
}

export type StatisticsView = {
  /** Null when the filters could not be read: the page then shows the form and its errors only. */
  figures: PublicFigures | null;
  values: FilterValues;
  errors: (FormError & { field: string })[];
  sort: OrganisationSort;
  kinds: readonly string[];
  /** The quarters published, newest first (YYYY-Tn). */
  periods: readonly string[];
  tables: { name: string; title: string }[];
};

/** "Le mois dernier, 8 demandes sur 10 ont reçu une réponse dans le délai", then the exact share and its interval in words. */
function Headline({ tr, figures }: { tr: Translator; figures: PublicFigures }) {
  const { t, lang } = tr;
  const { headline } = figures;
  const month = monthLong(lang, headline.month);
  return (
    <div class="stats-headline">
      {headline.rate ? (
        <>
          <p class="stats-headline__main">{inTenSentence(tr, headline.rate.share, month)}</p>
          <p>
            {t('statistics:headline.exact', {
              answered: cellText(tr, headline.answered),
              onTime: cellText(tr, headline.onTime),
              share: percent(lang, headline.rate.share),
              low: percent(lang, headline.rate.low),
              high: percent(lang, headline.rate.high),
            })}
          </p>
        </>
      ) : (
        <p class="stats-headline__main">
          {t(tooFewAnswers(headline.answered) ? 'statistics:headline.tooFew' : 'statistics:headline.withheld', {
            month,
            answered: cellText(tr, headline.answered),
            min: RATE_MIN_ANSWERED,
          })}
        </p>
      )}
      <p>
        {t('statistics:headline.period', {
          period: periodText(tr, figures.filters.period),
          received: cellText(tr, figures.totals.received),
          median: daysText(tr, figures.answers.medianDays),
        })}
      </p>
    </div>
  );
}

function FiltersForm({
  tr,
  values,
  errors,
  kinds,
  periods,
}: {
  tr: Translator;
  values: FilterValues;
  errors: StatisticsView['errors'];
  kinds: readonly string[];
  periods: readonly string[];
}) {
  const { t } = tr;
  const error = (field: FilterField) => errors.find((e) => e.field === field);
  const periodError = error('period');
  const kindError = error('kind');
  return (
    <form class="stats-filters" method="get" action="/statistiques" aria-labelledby="filters-title">
      <h2 id="filters-title">{t('statistics:filters.title')}</h2>
      <div class={periodError ? 'field field--error' : 'field'}>
        <label for="f-periode">{t('statistics:filters.period')}</label>
        <p class="hint" id="f-periode-hint">
          {t('statistics:filters.periodHint')}
        </p>
        {periodError ? <FieldError t={t} id="f-periode-error" message={periodError.message} /> : null}
        <select
          id="f-periode"
          name={FILTER_PARAMS.period}
          aria-describedby={describedBy('f-periode-hint', periodError && 'f-periode-error')}
          aria-invalid={periodError ? 'true' : undefined}
        >
          {periods.map((q) => (
            <option value={q} selected={values.period === q}>
              {quarterLabel(tr, q)}
            </option>
          ))}
        </select>
      </div>
      <div class={kindError ? 'field field--error' : 'field'}>
        <label for="f-type">{t('statistics:filters.kind')}</label>
        {kindError ? <FieldError t={t} id="f-type-error" message={kindError.message} /> : null}
        <select id="f-type" name={FILTER_PARAMS.kind} aria-describedby={kindError ? 'f-type-error' : undefined} aria-invalid={kindError ? 'true' : undefined}>
          <option value="">{t('statistics:filters.anyKind')}</option>
          {kinds.map((k) => (
            <option value={k} selected={values.kind === k}>
              {t(`statistics:labels.kind.${k}`)}
            </option>
          ))}
        </select>
      </div>
      <div class="form-actions">
        <button type="submit" class="button">
          {t('statistics:filters.submit')}
        </button>
        <a href="/statistiques" class="button button--secondary">
          {t('statistics:filters.reset')}
        </a>
      </div>
    </form>
  );
}

function SortHeader({
  tr,
  label,
  column,
  sort,
  values,
}: {
  tr: Translator;
  label: string;
  column: OrganisationSortKey;
  sort: OrganisationSort;
  values: FilterValues;
}) {
  const current = sort.key === column;
  const order = nextOrder(sort, column);
  const href = `/statistiques${filtersQuery(values, { tri: column, ordre: order })}#organisations`;
  return (
    <th scope="col" aria-sort={current ? (sort.order === 'asc' ? 'ascending' : 'descending') : undefined} class={column === 'nom' ? undefined : 'num'}>
      <a href={href} class="sort-link">
        {label}
        <span class="sort-link__icon" aria-hidden="true">
          {current ? (sort.order === 'asc' ? '▲' : '▼') : '⇅'}
        </span>
        <span class="visually-hidden"> {tr.t(`statistics:organisations.sortBy.${order}`)}</span>
      </a>
    </th>
  );
}

function OrganisationsTable({
  tr,
  organisations,
  sort,
  values,
}: {
  tr: Translator;
  organisations: OrganisationFigures[];
  sort: OrganisationSort;
  values: FilterValues;
}) {
  const { t } = tr;
  const sorted = sortOrganisations(organisations, sort, tr.lang);
  const labels: Record<OrganisationSortKey, string> = {
    nom: t('statistics:organisations.name'),
    recues: t('statistics:table.received'),
    reponses: t('statistics:table.answered'),
    taux: t('statistics:table.onTimeRate'),
    mediane: t('statistics:answers.median'),
  };
  return (
    <TableRegion labelledBy="organisations-caption">
      <table class="stats-table stats-table--organisations">
        <caption id="organisations-caption">
          {t('statistics:organisations.caption')}{' '}
          <span class="caption-note">{t(`statistics:organisations.sortedBy.${sort.order}`, { column: labels[sort.key] })}</span>
        </caption>
        <thead>
          <tr>
            {ORGANISATION_SORTS.map((column) => (
              <SortHeader tr={tr} label={labels[column]} column={column} sort={sort} values={values} />
            ))}
          </tr>
        </thead>
        <tbody>
          {sorted.map((o) => (
            <tr>
              <th scope="row" lang="fr">
                <a href={`/statistiques/organisations/${o.id}${filtersQuery(values)}`}>{o.name}</a>
              </th>
              <td class="num">{cellText(tr, o.received)}</td>
              <td class="num">{cellText(tr, o.answers.answered)}</td>
              <td class="num">{rateText(tr, o.answers.onTimeRate, o.answers.answered)}</td>
              <td class="num">{daysText(tr, o.answers.medianDays)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableRegion>
  );
}

function RegisterFiguresView({ tr, figures }: { tr: Translator; figures: PublicFigures }) {
  const { t } = tr;
  const r = figures.register;
  const yesNo = (key: string) => t(`statistics:labels.boolean.${key}`, { defaultValue: key });
  return (
    <section aria-labelledby="register-figures">
      <h2 id="register-figures">{t('statistics:register.title')}</h2>
      <p>{t('statistics:register.lead')}</p>
      <div class="stats-grid">
        <CountTable
          tr={tr}
          id="register-status"
          countHeader={t('statistics:table.projects')}
          caption={t('statistics:register.byStatus')}
          keyHeader={t('statistics:register.status')}
          rows={r.byStatus.map((b) => ({ label: t(`statistics:labels.projectStatus.${b.key}`, { defaultValue: b.key }), count: b.count }))}
        />
        <CountTable
          tr={tr}
          id="register-purpose"
          countHeader={t('statistics:table.projects')}
          caption={t('statistics:register.byPurpose')}
          keyHeader={t('statistics:register.purpose')}
          rows={r.byPurpose.map((b) => ({ label: t(`statistics:labels.purpose.${b.key}`, { defaultValue: b.key }), count: b.count }))}
        />
        <CountTable
          tr={tr}
          id="register-source"
          countHeader={t('statistics:table.projects')}
          caption={t('statistics:register.bySource')}
          keyHeader={t('statistics:register.source')}
          rows={r.bySource.map((b) => ({ label: b.key, href: `/sources/${b.key}`, count: b.count }))}
        />
        <CountTable
          tr={tr}
          id="register-commercial"
          countHeader={t('statistics:table.projects')}
          caption={t('statistics:register.commercial')}
          keyHeader={t('statistics:register.answer')}
          rows={r.commercial.map((b) => ({ label: yesNo(b.key), count: b.count }))}
        />
        <CountTable
          tr={tr}
          id="register-ai"
          countHeader={t('statistics:table.projects')}
          caption={t('statistics:register.aiTraining')}
          keyHeader={t('statistics:register.answer')}
          rows={r.aiTraining.map((b) => ({ label: yesNo(b.key), count: b.count }))}
        />
      </div>
      <h3 id="register-controllers">{t('statistics:register.controllers.title')}</h3>
      <p>{t('statistics:register.controllers.lead')}</p>
      <TableRegion labelledBy="register-controllers-caption">
        <table class="stats-table">
          <caption id="register-controllers-caption">{t('statistics:register.controllers.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('statistics:register.controllers.name')}</th>
              <th scope="col" class="num">
                {t('statistics:register.controllers.finished')}
              </th>
              <th scope="col" class="num">
                {t('statistics:register.controllers.published')}
              </th>
              <th scope="col" class="num">
                {t('statistics:register.controllers.overdue')}
              </th>
            </tr>
          </thead>
          <tbody>
            {r.controllers.map((c) => (
              <tr>
                <th scope="row" lang="fr">
                  <a href={`/organisations/${c.id}`}>{c.name}</a>
                </th>
                <td class="num">{tr.number(c.finished)}</td>
                <td class="num">{tr.number(c.resultsPublished)}</td>
                <td class="num">{tr.number(c.overdue18Months)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableRegion>
    </section>
  );
}

/** The open-data downloads, following the filters: each table as CSV, JSON and its Table Schema. */
export function StatisticsOpenData({ tr, tables, values }: { tr: Translator; tables: { name: string; title: string }[]; values: Partial<FilterValues> }) {
  const { t } = tr;
  const qs = filtersQuery(values);
  return (
    <section class="open-data" aria-labelledby="open-data-title">
      <h2 id="open-data-title">{t('statistics:openData.title')}</h2>
      <p>{t('statistics:openData.body')}</p>
      <ul class="stats-downloads">
        {tables.map((table) => (
          <li>
            <span class="stats-downloads__title">{table.title}</span>{' '}
            <a href={`/statistiques/${table.name}.csv${qs}`} download>
              {t('statistics:openData.csv')}
              <span class="visually-hidden"> : {table.title}</span>
            </a>
            {' · '}
            <a href={`/statistiques/${table.name}.json${qs}`}>
              {t('statistics:openData.json')}
              <span class="visually-hidden"> : {table.title}</span>
            </a>
            {' · '}
            <a href={`/statistiques/${table.name}.schema.json`}>
              {t('statistics:openData.schema')}
              <span class="visually-hidden"> : {table.title}</span>
            </a>
          </li>
        ))}
      </ul>
      <p class="muted">{t('statistics:openData.licence')}</p>
    </section>
  );
}

/** What a figure is built from and when it was computed, under the title. */
export function ComputedNote({ tr, figures }: { tr: Translator; figures: Pick<PublicFigures, 'computedAt' | 'frozenThrough'> }) {
  const { t } = tr;
  return (
    <p class="muted">
      {t('statistics:computedAt', { date: tr.date(figures.computedAt) })}{' '}
      {figures.frozenThrough ? t('statistics:frozenThrough', { month: monthLong(tr.lang, figures.frozenThrough) }) : t('statistics:noneFrozen')}{' '}
      <a href="/statistiques/methode">{t('statistics:methodsLink')}</a>
    </p>
  );
}

export function StatisticsPage({ ctx, view }: { ctx: PageContext; view: StatisticsView }) {
  const { tr } = ctx;
  const { t } = tr;
  const { figures, values, errors, sort, kinds, tables } = view;
  return (
    <Layout
      ctx={ctx}
      title={t('statistics:title')}
      description={t('statistics:lead')}
      hasErrors={errors.length > 0}
      breadcrumb={[{ href: '/', label: t('common:breadcrumb.home') }]}
    >
      <ErrorSummary t={t} errors={errors} order={['from', 'to', 'period', 'kind']} />
      <h1>{t('statistics:title')}</h1>
      <p class="lead">{t('statistics:lead')}</p>
      {figures?.demonstration ? <DemonstrationNotice tr={tr} /> : null}
      {figures ? (
        <>
          <Headline tr={tr} figures={figures} />
          <ComputedNote tr={tr} figures={figures} />
        </>
      ) : null}
      <FiltersForm tr={tr} values={values} errors={errors} kinds={kinds} periods={view.periods} />
      {figures ? (
        <>
          <section aria-labelledby="requests-title">
            <h2 id="requests-title">{t('statistics:requests.title')}</h2>
            <p>
              {t('statistics:requests.lead', {
                period: periodText(tr, figures.filters.period),
                received: cellText(tr, figures.totals.received),
                confirmed: cellText(tr, figures.totals.confirmed),
                neverConfirmed: cellText(tr, figures.totals.neverConfirmed),
                withdrawn: cellText(tr, figures.totals.withdrawn),
              })}
            </p>
            <MonthlyRequests tr={tr} id="monthly-requests" months={figures.history} />
            <div class="stats-grid">
              <CountTable
                tr={tr}
                id="by-kind"
                caption={t('statistics:requests.byKind')}
                keyHeader={t('statistics:table.kind')}
                rows={figures.byKind.map((b) => ({ label: t(`statistics:labels.kind.${b.key}`, { defaultValue: b.key }), count: b.count }))}
                total={figures.totals.received}
              />
              <CountTable
                tr={tr}
                id="by-scope"
                caption={t('statistics:requests.byScope')}
                keyHeader={t('statistics:table.scope')}
                rows={figures.byScope.map((b) => ({ label: t(`statistics:labels.scope.${b.key}`, { defaultValue: b.key }), count: b.count }))}
                total={figures.totals.received}
              />
              <CountTable
                tr={tr}
                id="by-status"
                caption={t('statistics:requests.byStatus')}
                keyHeader={t('statistics:table.status')}
                rows={figures.byStatus.map((b) => ({ label: t(`statistics:labels.status.${b.key}`, { defaultValue: b.key }), count: b.count }))}
                total={figures.totals.received}
              />
            </div>
          </section>
          <section aria-labelledby="answers-title">
            <h2 id="answers-title">{t('statistics:answers.title')}</h2>
            <p>{t('statistics:answers.lead')}</p>
            <MonthlyAnswers tr={tr} id="monthly-answers" months={figures.history} />
            <h3>{t('statistics:answers.periodTitle', { period: periodText(tr, figures.filters.period) })}</h3>
            <AnswersSummary tr={tr} id="answers" answers={figures.answers} heading="h3" />
          </section>
          <section aria-labelledby="organisations">
            <h2 id="organisations" tabindex={-1}>
              {t('statistics:organisations.title')}
            </h2>
            <p>{t('statistics:organisations.lead')}</p>
            <OrganisationsTable tr={tr} organisations={figures.organisations} sort={sort} values={values} />
          </section>
          <RegisterFiguresView tr={tr} figures={figures} />
          <StatisticsOpenData tr={tr} tables={tables} values={values} />
        </>
      ) : (
        <p>
          <a href="/statistiques">{t('statistics:filters.showAll')}</a>
        </p>
      )}
    </Layout>
  );
}
