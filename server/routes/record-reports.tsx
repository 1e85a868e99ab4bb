/**
 * "Report an error on this record" (issue 14): /projets/<id>/signaler takes the short form of every
 * project page (and shows it on its own with its errors), /projets/<id>/signaler/merci says it was sent.
 * Bad input: the form again, 422, the text typed kept, nothing stored. Rate limited per client address
 * and per e-mail address (429, the form again, nothing stored). A robot filling the hidden field gets the
 * same answer as a person and nothing is kept. Pages answer `no-store` (server/middleware/no-store.ts).
 */
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AppDeps, AppEnv } from '../context';
import { toFormErrors, type FieldError } from '../domain/form-errors';
import { clientAddress, formBody } from '../http';
import { allowEach, createRateLimiter } from '../middleware/rate-limit';
import { checkReport, reportedProject, submitRecordReport } from '../services/record-reports';
import { RecordReportPage, RecordReportSentPage, reportPath, type ReportValues } from '../../views/pages/register/RecordReportPages';
import { pageContext } from './render';

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
/** Reports one client address, or one e-mail address, may send in an hour: enough for someone correcting several records. */
export const REPORTS_PER_HOUR = 10;

export function recordReportRoutes(deps: Pick<AppDeps, 'database' | 'cipher' | 'index' | 'now'>) {
  const app = new Hono<AppEnv>();
  const limiter = createRateLimiter({ windowMs: 3_600_000, max: REPORTS_PER_HOUR });
  const reportDeps = { db: deps.database.db, cipher: deps.cipher, now: deps.now };

  const projectOf = (c: Context<AppEnv>) => {
    const id = c.req.param('id') ?? '';
    const project = SLUG.test(id) && id.length <= 80 ? reportedProject(deps.database.db, id) : undefined;
    if (!project) throw new HTTPException(404);
    return project;
  };

  const form = (c: Context<AppEnv>, project: { id: string; title: string }, values: ReportValues, errors: FieldError[], status: 200 | 422 | 429 = 200) =>
    c.html(
      <RecordReportPage
        ctx={pageContext(c)}
        project={project}
        values={values}
        errors={toFormErrors(c.get('tr').t, errors, (f) => (f === 'form' ? 'f-message' : `f-${f}`))}
      />,
      status,
    );

  app.get('/projets/:id/signaler', (c) => form(c, projectOf(c), {}, []));

  app.post('/projets/:id/signaler', async (c) => {
    const project = projectOf(c);
    const body = await formBody(c);
    const values = { message: body.message, email: body.email };
    if (body.website) return c.redirect(`${reportPath(project.id)}/merci`, 303);
    const checked = checkReport(body);
    if (!checked.ok) return form(c, project, values, checked.errors, 422);
    const keys = [`ip:${clientAddress(c)}`, ...(checked.input.email ? [`mail:${deps.index.email(checked.input.email)}`] : [])];
    if (!allowEach(limiter, keys)) return form(c, project, values, [{ field: 'form', key: 'record-reports:errors.form.tooMany' }], 429);
    submitRecordReport(reportDeps, project.id, checked.input, c.get('lang'));
    return c.redirect(`${reportPath(project.id)}/merci`, 303);
  });

  app.get('/projets/:id/signaler/merci', (c) => c.html(<RecordReportSentPage ctx={pageContext(c)} project={projectOf(c)} />));

  return app;
}
