/**
 * Pieces shared by the statistics pages (/statistiques, an organisation's detail page, the figures on
 * /organisations/<id>): each chart with its data table, the counts tables, the answers in words.
 */
import type { Translator } from '../../../server/i18n';
import type { AnswerFigures, Cell, MonthFigures } from '../../../server/domain/statistics-types';
import { RATE_MIN_ANSWERED } from '../../../server/domain/statistics';
import { BarChart, RateChart } from '../../components/StatisticsCharts';
import { TableRegion } from '../../components/TableRegion';
import { cellText, cellValue, daysText, monthLong, monthShort, percent, rateText } from './format';

type H = 'h2' | 'h3';

/** A table of counts by one key: the key's label and its count, with a total row when given. */
export function CountTable({
  tr,
  id,
  caption,
  captionHidden,
  keyHeader,
  countHeader,
  rows,
  total,
}: {
  tr: Translator;
  id: string;
  caption: string;
  captionHidden?: boolean;
  keyHeader: string;
  countHeader?: string;
  rows: { label: string; count: Cell; lang?: string; href?: string }[];
  total?: Cell;
}) {
  const { t } = tr;
  return (
    <TableRegion labelledBy={`${id}-caption`}>
      <table class="stats-table stats-table--counts" id={id}>
        <caption id={`${id}-caption`} class={captionHidden ? 'visually-hidden' : undefined}>
          {caption}
        </caption>
        <thead>
          <tr>
            <th scope="col">{keyHeader}</th>
            <th scope="col" class="num">
              {countHeader ?? t('statistics:table.requests')}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr>
              <th scope="row" lang={r.lang}>
                {r.href ? <a href={r.href}>{r.label}</a> : r.label}
              </th>
              <td class="num">{cellText(tr, r.count)}</td>
            </tr>
          ))}
        </tbody>
        {total ? (
          <tfoot>
            <tr>
              <th scope="row">{t('statistics:table.total')}</th>
              <td class="num">{cellText(tr, total)}</td>
            </tr>
          </tfoot>
        ) : null}
      </table>
    </TableRegion>
  );
}

/** Whether a month's figures are final, still moving, or corrected (a new dated version with its reason). */
export function monthState(tr: Translator, m: MonthFigures): string {
  if (m.version > 1) return tr.t('statistics:month.corrected', { version: m.version });
  return tr.t(m.frozen ? 'statistics:month.frozen' : 'statistics:month.provisional');
}

/** The number of requests received each month: the bar chart, then its table. */
export function MonthlyRequests({ tr, id, months, heading: Heading = 'h3' }: { tr: Translator; id: string; months: MonthFigures[]; heading?: H }) {
  const { t, lang } = tr;
  const title = t('statistics:monthly.requests.title');
  const suppressed = months.map((m) => m.received).find((c) => 'suppressed' in c);
  return (
    <section class="stats-block" aria-labelledby={`${id}-heading`}>
      <Heading id={`${id}-heading`}>{title}</Heading>
      <TableRegion labelledBy={`${id}-heading`}>
        <BarChart
          id={`${id}-chart`}
          title={title}
          desc={t('statistics:chart.seeTable')}
          format={(n) => tr.number(n)}
          data={months.map((m) => ({
            label: monthShort(lang, m.month),
            value: cellValue(m.received),
            below: 'below' in m.received ? m.received.below : undefined,
          }))}
        />
      </TableRegion>
      {suppressed && 'below' in suppressed ? (
        <p class="chart-legend">{t('statistics:chart.suppressedLegend', { below: tr.number(suppressed.below) })}</p>
      ) : null}
      <TableRegion labelledBy={`${id}-caption`}>
        <table class="stats-table">
          <caption id={`${id}-caption`}>{t('statistics:monthly.requests.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('statistics:table.month')}</th>
              <th scope="col" class="num">
                {t('statistics:table.received')}
              </th>
              <th scope="col" class="num">
                {t('statistics:table.confirmed')}
              </th>
              <th scope="col" class="num">
                {t('statistics:table.neverConfirmed')}
              </th>
              <th scope="col" class="num">
                {t('statistics:table.withdrawn')}
              </th>
              <th scope="col">{t('statistics:table.state')}</th>
            </tr>
          </thead>
          <tbody>
            {months.map((m) => (
              <tr>
                <th scope="row" class="nowrap">
                  {monthLong(lang, m.month)}
                </th>
                <td class="num">{cellText(tr, m.received)}</td>
                <td class="num">{cellText(tr, m.confirmed)}</td>
                <td class="num">{cellText(tr, m.neverConfirmed)}</td>
                <td class="num">{cellText(tr, m.withdrawn)}</td>
                <td>{monthState(tr, m)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableRegion>
      <Corrections tr={tr} months={months} />
    </section>
  );
}

/** Under a monthly table: each corrected month with the reason of its correction. */
function Corrections({ tr, months }: { tr: Translator; months: MonthFigures[] }) {
  const corrected = months.filter((m) => m.version > 1);
  if (corrected.length === 0) return null;
  return (
    <ul class="stats-corrections">
      {corrected.map((m) => (
        <li>
          {tr.t('statistics:month.correction', { month: monthLong(tr.lang, m.month), version: m.version })} <span lang="fr">{m.correctedReason ?? ''}</span>
        </li>
      ))}
    </ul>
  );
}

/** The answers given each month and the share on time with its interval: the line chart, then its table. */
export function MonthlyAnswers({ tr, id, months, heading: Heading = 'h3' }: { tr: Translator; id: string; months: MonthFigures[]; heading?: H }) {
  const { t, lang } = tr;
  const title = t('statistics:monthly.onTime.title');
  const gaps = months.some((m) => m.onTime === null);
  return (
    <section class="stats-block" aria-labelledby={`${id}-heading`}>
      <Heading id={`${id}-heading`}>{title}</Heading>
      <TableRegion labelledBy={`${id}-heading`}>
        <RateChart
          id={`${id}-chart`}
          title={title}
          desc={t('statistics:chart.seeTable')}
          format={(s) => percent(lang, s)}
          data={months.map((m) => ({ label: monthShort(lang, m.month), share: m.onTime?.share ?? null, low: m.onTime?.low, high: m.onTime?.high }))}
        />
      </TableRegion>
      <p class="chart-legend">
        {t('statistics:chart.rateLegend')}
        {gaps ? ` ${t('statistics:chart.gapLegend', { min: tr.number(RATE_MIN_ANSWERED) })}` : ''}
      </p>
      <TableRegion labelledBy={`${id}-caption`}>
        <table class="stats-table">
          <caption id={`${id}-caption`}>{t('statistics:monthly.onTime.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('statistics:table.month')}</th>
              <th scope="col" class="num">
                {t('statistics:table.answered')}
              </th>
              <th scope="col" class="num">
                {t('statistics:table.onTime')}
              </th>
              <th scope="col" class="num">
                {t('statistics:table.late')}
              </th>
              <th scope="col" class="num">
                {t('statistics:table.openPastDue')}
              </th>
              <th scope="col">{t('statistics:table.onTimeRate')}</th>
            </tr>
          </thead>
          <tbody>
            {months.map((m) => (
              <tr>
                <th scope="row" class="nowrap">
                  {monthLong(lang, m.month)}
                </th>
                <td class="num">{cellText(tr, m.answered)}</td>
                <td class="num">{cellText(tr, m.answeredOnTime)}</td>
                <td class="num">{cellText(tr, m.answeredLate)}</td>
                <td class="num">{cellText(tr, m.openPastDue)}</td>
                <td>{rateText(tr, m.onTime, m.answered)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableRegion>
    </section>
  );
}

/** The answers over the period as a list of facts, then the refusals by reason. */
export function AnswersSummary({ tr, id, answers, heading: Heading = 'h3' }: { tr: Translator; id: string; answers: AnswerFigures; heading?: H }) {
  const { t } = tr;
  const facts: [string, string][] = [
    [t('statistics:answers.answered'), cellText(tr, answers.answered)],
    [t('statistics:answers.onTime'), cellText(tr, answers.onTime)],
    [t('statistics:answers.late'), cellText(tr, answers.late)],
    [t('statistics:answers.openPastDue'), cellText(tr, answers.openPastDue)],
    [t('statistics:answers.onTimeRate'), rateText(tr, answers.onTimeRate, answers.answered)],
    [t('statistics:answers.median'), daysText(tr, answers.medianDays)],
    [t('statistics:answers.p90'), daysText(tr, answers.p90Days)],
    [t('statistics:answers.extensions'), cellText(tr, answers.extensions)],
    [t('statistics:answers.extensionsToldInTime'), cellText(tr, answers.extensionsToldInTime)],
  ];
  return (
    <>
      <dl class="facts-list stats-facts" id={id}>
        {facts.map(([label, value]) => (
          <div class="fact">
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <Heading id={`${id}-refusals`}>{t('statistics:answers.refusals.title')}</Heading>
      {answers.refusals.length === 0 ? (
        <p>{t('statistics:answers.refusals.none')}</p>
      ) : (
        <CountTable
          tr={tr}
          id={`${id}-refusals-table`}
          captionHidden
          caption={t('statistics:answers.refusals.caption')}
          keyHeader={t('statistics:table.reason')}
          rows={answers.refusals.map((r) => ({ label: t(`statistics:labels.refusal.${r.code}`, { defaultValue: r.code }), count: r.count }))}
        />
      )}
    </>
  );
}

/** The notice on every page built from demonstration data. */
export function DemonstrationNotice({ tr }: { tr: Translator }) {
  return (
    <div class="callout callout--warning" role="note">
      <p>
        <strong>{tr.t('statistics:demonstration.title')}</strong> {tr.t('statistics:demonstration.body')}
      </p>
    </div>
  );
}
