/**
 * /espace-pro/signalements, for editors and administrators: the queue of errors reported on records, one
 * report, and the form that changes its state (audited in the change's transaction; the mail to the
 * person queued there too, then the mail worker kicked). Anyone else gets a 404, logged by requireRole.
 */
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AppDeps, AppEnv } from '../../context';
import { auditFor, requireRole } from '../../auth/guard';
import { toFormErrors, type FieldError } from '../../domain/form-errors';
import { isRecordReportStatus } from '../../domain/record-reports';
import { formBody } from '../../http';
import type { AdminDeps } from '../../services/admin-outcome';
import { changeRecordReportStatus, QUEUE_FILTERS, recordReport, recordReportQueue, type QueueFilter } from '../../services/record-reports';
import { RecordReportPage, RecordReportQueuePage, REPORTS_PATH } from '../../../views/pages/staff/RecordReportsPages';
import { pageContext } from '../render';
import { pageNumber } from './admin-forms';

const NOTICES = new Set(['saved', 'mailed']);

export function staffRecordReportRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const guard = requireRole(deps, ['editor', 'admin']);
  app.use(REPORTS_PATH, guard);
  app.use(`${REPORTS_PATH}/*`, guard);
  const db = deps.database.db;
  const reports = { db, cipher: deps.cipher, now: deps.now };
  const admin: AdminDeps = { db, cipher: deps.cipher, index: deps.index, config: deps.config, now: deps.now, audit: auditFor(deps) };

  app.get(REPORTS_PATH, (c) => {
    const asked = c.req.query('statut');
    const filter: QueueFilter = (QUEUE_FILTERS as readonly string[]).includes(asked ?? '') ? (asked as QueueFilter) : 'ouverts';
    const page = pageNumber(c);
    const queue = recordReportQueue(reports, filter, page);
    return c.html(
      <RecordReportQueuePage
        ctx={pageContext(c)}
        filter={filter}
        filters={QUEUE_FILTERS}
        counts={queue.counts}
        reports={queue.reports}
        page={page}
        pages={queue.pages}
      />,
    );
  });

  const reportPage = (c: Context<AppEnv>, id: string, errors: FieldError[]) => {
    const report = recordReport(reports, id);
    if (!report) throw new HTTPException(404);
    const done = c.req.query('fait');
    const notice = done && NOTICES.has(done) ? c.get('tr').t(`staff-record-reports:notices.${done}`) : undefined;
    const shown = toFormErrors(c.get('tr').t, errors);
    return c.html(
      <RecordReportPage ctx={pageContext(c)} report={report} errors={shown} notice={errors.length ? undefined : notice} />,
      errors.length ? 422 : 200,
    );
  };

  app.get(`${REPORTS_PATH}/:id`, (c) => reportPage(c, c.req.param('id'), []));

  app.post(`${REPORTS_PATH}/:id/etat`, async (c) => {
    const id = c.req.param('id');
    const { status } = await formBody(c);
    if (!isRecordReportStatus(status)) return reportPage(c, id, [{ field: 'status', key: 'record-reports:errors.status.required' }]);
    const changed = changeRecordReportStatus(admin, `user:${c.get('staff')!.user.id}`, id, status);
    if (!changed.ok) return reportPage(c, id, changed.errors);
    if (changed.value.mailed) deps.mailWorker.kick();
    return c.redirect(`${REPORTS_PATH}/${encodeURIComponent(id)}?fait=${changed.value.mailed ? 'mailed' : 'saved'}`, 303);
  });

  return app;
}
