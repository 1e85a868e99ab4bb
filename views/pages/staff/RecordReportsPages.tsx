/**
 * The editors' queue of errors reported on records (/espace-pro/signalements): the reports by state,
 * oldest first, then one report with the form that changes its state. Editors never see the person's
 * address, only whether one was left. Plain forms and links: works without JavaScript.
 */
import type { FormError } from '../../../server/domain/form-errors';
import { RECORD_REPORT_STATUSES, type RecordReportStatus } from '../../../server/domain/record-reports';
import type { Translator } from '../../../server/i18n';
import { ErrorSummary } from '../../components/ErrorSummary';
import { CsrfField, Radios } from '../../components/FormFields';
import { Pagination } from '../../components/Pagination';
import { TableRegion } from '../../components/TableRegion';
import { Layout } from '../../layouts/Layout';
import type { Crumb, PageContext } from '../../page-context';
import { dateTime, Notice } from './admin/common';

const NS = 'staff-record-reports';
export const REPORTS_PATH = '/espace-pro/signalements';

export type ReportItem = {
  id: string;
  projectId: string;
  projectTitle: string;
  message: string;
  hasAddress: boolean;
  status: RecordReportStatus;
  createdAt: string;
  handledAt: string | null;
};

const homeCrumb = (tr: Translator): Crumb[] => [{ href: '/espace-pro', label: tr.t('staff:nav.home') }];

/** The first words of what was written, for the table; the whole text is on the report's page. */
const preview = (text: string, max = 160) => (text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text);

function StatusBadge({ tr, status }: { tr: Translator; status: RecordReportStatus }) {
  const tone = status === 'traite' ? ' badge--ok' : status === 'rejete' ? ' badge--termine' : status === 'nouveau' ? ' badge--new' : '';
  return <span class={`badge${tone}`}>{tr.t(`${NS}:statuses.${status}`)}</span>;
}

function QueueTable({ tr, reports }: { tr: Translator; reports: ReportItem[] }) {
  const { t } = tr;
  return (
    <TableRegion labelledBy="reports-caption">
      <table>
        <caption id="reports-caption">{t(`${NS}:queue.caption`)}</caption>
        <thead>
          <tr>
            <th scope="col">{t(`${NS}:queue.received`)}</th>
            <th scope="col">{t(`${NS}:queue.project`)}</th>
            <th scope="col">{t(`${NS}:queue.message`)}</th>
            <th scope="col">{t(`${NS}:queue.status`)}</th>
            <th scope="col">{t(`${NS}:queue.address`)}</th>
          </tr>
        </thead>
        <tbody>
          {reports.map((r) => (
            <tr>
              <th scope="row">
                <a href={`${REPORTS_PATH}/${r.id}`} aria-label={t(`${NS}:queue.open`, { date: dateTime(tr, r.createdAt) })}>
                  <time datetime={r.createdAt}>{dateTime(tr, r.createdAt)}</time>
                </a>
              </th>
              <td lang="fr">{r.projectTitle}</td>
              <td class="report__preview">{preview(r.message)}</td>
              <td>
                <StatusBadge tr={tr} status={r.status} />
              </td>
              <td>{t(r.hasAddress ? `${NS}:queue.yes` : `${NS}:queue.no`)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableRegion>
  );
}

export type QueuePageProps = {
  ctx: PageContext;
  filter: string;
  filters: readonly string[];
  counts: Record<RecordReportStatus, number>;
  reports: ReportItem[];
  page: number;
  pages: number;
};

/** /espace-pro/signalements: which reports (to do by default), then the table and its pages. */
export function RecordReportQueuePage({ ctx, filter, filters, counts, reports, page, pages }: QueuePageProps) {
  const { tr } = ctx;
  const { t } = tr;
  const title = t(`${NS}:queue.title`);
  const countOf = (f: string) =>
    f === 'ouverts'
      ? counts.nouveau + counts.en_cours
      : f === 'tous'
        ? RECORD_REPORT_STATUSES.reduce((n, s) => n + counts[s], 0)
        : (counts[f as RecordReportStatus] ?? 0);
  return (
    <Layout ctx={ctx} title={title} breadcrumb={homeCrumb(tr)}>
      <h1>{title}</h1>
      <p class="lead">{t(`${NS}:queue.lead`)}</p>
      <form method="get" action={REPORTS_PATH} class="inline-form">
        <div class="field">
          <label for="f-statut">{t(`${NS}:queue.filterLegend`)}</label>
          <select id="f-statut" name="statut">
            {filters.map((f) => (
              <option value={f} selected={f === filter}>
                {t(`${NS}:queue.filters.${f}`, { count: countOf(f) })}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="button button--secondary">
          {t(`${NS}:queue.filterSubmit`)}
        </button>
      </form>
      {reports.length === 0 ? <p class="empty-state">{t(`${NS}:queue.empty`)}</p> : <QueueTable tr={tr} reports={reports} />}
      <Pagination t={t} page={page} pages={pages} href={(p) => `${REPORTS_PATH}?statut=${filter}&page=${p}`} />
    </Layout>
  );
}

export type ReportPageProps = {
  ctx: PageContext;
  report: ReportItem;
  errors: FormError[];
  notice?: string;
};

/** /espace-pro/signalements/<id>: the report in full, links to the record, and its state to change. */
export function RecordReportPage({ ctx, report, errors, notice }: ReportPageProps) {
  const { tr } = ctx;
  const { t } = tr;
  const title = t(`${NS}:report.title`, { date: dateTime(tr, report.createdAt) });
  const facts: [string, unknown][] = [
    [
      t(`${NS}:report.project`),
      <a href={`/projets/${report.projectId}`} lang="fr">
        {report.projectTitle}
      </a>,
    ],
    [t(`${NS}:report.received`), dateTime(tr, report.createdAt)],
    [t(`${NS}:report.status`), <StatusBadge tr={tr} status={report.status} />],
    ...(report.handledAt ? [[t(`${NS}:report.handled`), dateTime(tr, report.handledAt)] as [string, unknown]] : []),
    [t(`${NS}:report.address`), t(report.hasAddress ? `${NS}:report.hasAddress` : `${NS}:report.noAddress`)],
  ];
  return (
    <Layout ctx={ctx} title={title} hasErrors={errors.length > 0} breadcrumb={[...homeCrumb(tr), { href: REPORTS_PATH, label: t(`${NS}:queue.title`) }]}>
      <ErrorSummary t={t} errors={errors} />
      <h1>{title}</h1>
      <Notice message={notice} />
      <dl class="summary-list">
        {facts.map(([label, value]) => (
          <div class="summary-list__row">
            <dt>{label}</dt>
            <dd class="summary-list__value">{value}</dd>
          </div>
        ))}
      </dl>
      <h2>{t(`${NS}:report.message`)}</h2>
      <blockquote class="report__message">{report.message}</blockquote>
      <ul class="link-list">
        <li>
          <a href={`/projets/${report.projectId}`}>{t(`${NS}:report.viewRecord`)}</a>
        </li>
        <li>
          <a href={`/espace-pro/registre/projets/${report.projectId}`}>{t(`${NS}:report.editRecord`)}</a>
        </li>
      </ul>
      <h2>{t(`${NS}:report.changeTitle`)}</h2>
      <form method="post" action={`${REPORTS_PATH}/${report.id}/etat`} novalidate>
        <CsrfField token={ctx.csrfToken()} />
        <Radios
          t={t}
          name="status"
          legend={t(`${NS}:report.legend`)}
          value={report.status}
          error={errors.find((e) => e.field === 'status')?.message}
          options={RECORD_REPORT_STATUSES.map((s) => ({ value: s, label: t(`${NS}:statuses.${s}`), hint: t(`${NS}:statusHints.${s}`) }))}
        />
        <div class="form-actions">
          <button type="submit" class="button">
            {t(`${NS}:report.submit`)}
          </button>
          <a href={REPORTS_PATH}>{t(`${NS}:report.back`)}</a>
        </div>
      </form>
    </Layout>
  );
}
