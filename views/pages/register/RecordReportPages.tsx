/**
 * "Signaler une erreur sur cette fiche": the short form at the end of every project page, its own page
 * (the form again with its errors, or after too many reports), and the page that says it was sent. A real
 * form (POST, CSRF token), so it works without JavaScript; the form says what becomes of the address and
 * on which legal basis.
 */
import type { FormError } from '../../../server/domain/form-errors';
import { REPORT_MESSAGE_MAX } from '../../../server/domain/record-reports';
import type { TFunction, Translator } from '../../../server/i18n';
import { ErrorSummary } from '../../components/ErrorSummary';
import { CsrfField, TextArea, TextField } from '../../components/FormFields';
import { Layout } from '../../layouts/Layout';
import type { PageContext } from '../../page-context';

const NS = 'record-reports';
export const reportPath = (projectId: string) => `/projets/${projectId}/signaler`;

export type ReportValues = { message?: string; email?: string };

function ReportForm({ t, token, projectId, values, errors }: { t: TFunction; token: string; projectId: string; values: ReportValues; errors: FormError[] }) {
  const errorOf = (field: string) => errors.find((e) => e.field === field)?.message;
  return (
    <form method="post" action={reportPath(projectId)} novalidate class="report-form">
      <CsrfField token={token} />
      <TextArea
        t={t}
        name="message"
        label={t(`${NS}:form.message`)}
        hint={t(`${NS}:form.messageHint`)}
        value={values.message}
        error={errorOf('message')}
        rows={4}
        max={REPORT_MESSAGE_MAX}
      />
      <TextField
        t={t}
        name="email"
        type="email"
        label={t(`${NS}:form.email`)}
        hint={t(`${NS}:form.emailHint`)}
        value={values.email}
        error={errorOf('email')}
        autocomplete="email"
        spellcheck={false}
      />
      <div class="honeypot" aria-hidden="true">
        <label for="f-website">{t(`${NS}:form.honeypot`)}</label>
        <input type="text" id="f-website" name="website" value="" tabindex={-1} autocomplete="off" />
      </div>
      <div class="callout">
        <p>
          <strong>{t(`${NS}:form.privacyTitle`)}</strong> {t(`${NS}:form.privacy`)}
        </p>
        <p class="source">
          <span class="source__label">{t('common:source')}</span> {t(`${NS}:form.privacySource`)}
        </p>
      </div>
      <div class="form-actions">
        <button type="submit" class="button button--secondary">
          {t(`${NS}:form.submit`)}
        </button>
      </div>
    </form>
  );
}

/** The end of a project page: the heading, one sentence, the form. `token` is the visitor's CSRF token. */
export function ReportSection({ tr, token, projectId }: { tr: Translator; token: string; projectId: string }) {
  const { t } = tr;
  return (
    <section aria-labelledby="signaler" class="project-section report">
      <h2 id="signaler">{t(`${NS}:section.title`)}</h2>
      <p>{t(`${NS}:section.lead`)}</p>
      <ReportForm t={t} token={token} projectId={projectId} values={{}} errors={[]} />
    </section>
  );
}

const crumbs = (ctx: PageContext, project: { id: string; title: string }) => [
  { href: '/', label: ctx.tr.t('common:breadcrumb.home') },
  { href: '/projets', label: ctx.tr.t('register:title') },
  { href: `/projets/${project.id}`, label: project.title },
];

/** /projets/<id>/signaler: the form on its own, with the errors of what was sent (422) or the rate limit (429). */
export function RecordReportPage({
  ctx,
  project,
  values,
  errors,
}: {
  ctx: PageContext;
  project: { id: string; title: string };
  values: ReportValues;
  errors: FormError[];
}) {
  const { t } = ctx.tr;
  const title = t(`${NS}:form.title`);
  return (
    <Layout ctx={ctx} title={title} hasErrors={errors.length > 0} breadcrumb={crumbs(ctx, project)}>
      <ErrorSummary t={t} errors={errors} order={['form', 'message', 'email']} />
      <h1>{title}</h1>
      <p class="lead">
        {t(`${NS}:form.project`)}{' '}
        <a href={`/projets/${project.id}`} lang="fr">
          {project.title}
        </a>
      </p>
      <p>{t(`${NS}:section.lead`)}</p>
      <ReportForm t={t} token={ctx.csrfToken()} projectId={project.id} values={values} errors={errors} />
    </Layout>
  );
}

/** /projets/<id>/signaler/merci: sent; what happens next. */
export function RecordReportSentPage({ ctx, project }: { ctx: PageContext; project: { id: string; title: string } }) {
  const { t, doc } = ctx.tr;
  const title = t(`${NS}:sent.title`);
  const body = doc<{ sent: { body: string[] } }>(NS).sent.body;
  return (
    <Layout ctx={ctx} title={title} breadcrumb={crumbs(ctx, project)}>
      <div class="panel panel--success">
        <h1>{title}</h1>
      </div>
      {body.map((_, i) => (
        <p>{t(`${NS}:sent.body.${i}`)}</p>
      ))}
      <p>
        <a href={`/projets/${project.id}`}>{t(`${NS}:sent.back`)}</a>
      </p>
    </Layout>
  );
}
