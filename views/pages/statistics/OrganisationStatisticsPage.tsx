import type { Translator } from '../../../server/i18n';
import type { OrganisationFigures, PublicFigures } from '../../../server/domain/statistics-types';
import { Layout } from '../../layouts/Layout';
import type { PageContext } from '../../page-context';
import { cellText, daysText, periodText, rateText } from './format';
import { AnswersSummary, DemonstrationNotice, MonthlyAnswers, MonthlyRequests } from './parts';
import { ComputedNote, filtersQuery, type FilterValues } from './StatisticsPage';

export type OrganisationStatisticsView = {
  organisation: OrganisationFigures;
  context: Pick<PublicFigures, 'computedAt' | 'frozenThrough' | 'demonstration' | 'filters'>;
  values: FilterValues;
};

/** One answering organisation's figures: what it received, how it answered, month by month. */
export function OrganisationStatisticsPage({ ctx, view }: { ctx: PageContext; view: OrganisationStatisticsView }) {
  const { tr } = ctx;
  const { t } = tr;
  const { organisation: o, context, values } = view;
  const title = t('statistics:organisation.title', { organisation: o.name });
  return (
    <Layout
      ctx={ctx}
      title={title}
      description={t('statistics:organisation.lead', { organisation: o.name })}
      breadcrumb={[
        { href: '/', label: t('common:breadcrumb.home') },
        { href: `/statistiques${filtersQuery(values)}`, label: t('statistics:title') },
      ]}
    >
      <p class="project__kicker">{t('statistics:organisation.kicker')}</p>
      <h1>
        <span lang="fr">{o.name}</span>
      </h1>
      <p class="lead">
        {t('statistics:organisation.summary', {
          period: periodText(tr, context.filters.period),
          received: cellText(tr, o.received),
          answered: cellText(tr, o.answers.answered),
          rate: rateText(tr, o.answers.onTimeRate, o.answers.answered),
          median: daysText(tr, o.answers.medianDays),
        })}
      </p>
      {context.demonstration ? <DemonstrationNotice tr={tr} /> : null}
      <ComputedNote tr={tr} figures={context} />
      <p>
        <a href={`/organisations/${o.id}`}>{t('statistics:organisation.registerLink')}</a>
      </p>
      <section aria-labelledby="org-answers-title">
        <h2 id="org-answers-title">{t('statistics:organisation.answersTitle')}</h2>
        <AnswersSummary tr={tr} id="org-answers" answers={o.answers} heading="h3" />
      </section>
      <section aria-labelledby="org-monthly-title">
        <h2 id="org-monthly-title">{t('statistics:organisation.monthlyTitle')}</h2>
        <MonthlyRequests tr={tr} id="org-monthly-requests" months={o.monthly} />
        <MonthlyAnswers tr={tr} id="org-monthly-answers" months={o.monthly} />
      </section>
      <p>
        <a href={`/statistiques${filtersQuery(values)}#organisations`}>{t('statistics:organisation.allLink')}</a>
      </p>
    </Layout>
  );
}

/** The compact figures on an organisation's register page (/organisations/<id>), with a link to the detail. */
export function OrganisationFiguresBlock({
  tr,
  organisation: o,
  period,
}: {
  tr: Translator;
  organisation: OrganisationFigures;
  period: PublicFigures['filters']['period'];
}) {
  const { t } = tr;
  return (
    <section class="stats-compact" aria-labelledby="organisation-figures">
      <h2 id="organisation-figures">{t('statistics:compact.title')}</h2>
      <p>{t('statistics:compact.lead', { period: periodText(tr, period) })}</p>
      <dl class="facts-list">
        <div class="fact">
          <dt>{t('statistics:table.received')}</dt>
          <dd>{cellText(tr, o.received)}</dd>
        </div>
        <div class="fact">
          <dt>{t('statistics:table.answered')}</dt>
          <dd>{cellText(tr, o.answers.answered)}</dd>
        </div>
        <div class="fact">
          <dt>{t('statistics:answers.onTimeRate')}</dt>
          <dd>{rateText(tr, o.answers.onTimeRate, o.answers.answered)}</dd>
        </div>
        <div class="fact">
          <dt>{t('statistics:answers.median')}</dt>
          <dd>{daysText(tr, o.answers.medianDays)}</dd>
        </div>
      </dl>
      <p>
        <a href={`/statistiques/organisations/${o.id}`}>{t('statistics:compact.link')}</a>
      </p>
    </section>
  );
}
