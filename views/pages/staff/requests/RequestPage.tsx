import type { Child } from 'hono/jsx';
import type { TFunction } from '../../../../server/i18n';
import { DaysLeftBadge } from '../../../components/DaysLeftBadge';
import { DeliveryError } from '../../../components/DeliveryError';
import { ErrorSummary, FieldError, describedBy, type FormError } from '../../../components/ErrorSummary';
import { CsrfField, Radios, TextArea } from '../../../components/FormFields';
import { TableRegion } from '../../../components/TableRegion';
import { Layout } from '../../../layouts/Layout';
import type { PageContext } from '../../../page-context';

export type ActionName = 'accuser' | 'precision' | 'prolonger' | 'repondre' | 'cloturer';
type Availability = { ok: true } | { ok: false; reason: 'status' | 'already_extended' | 'first_month_over' };

export type DocumentView = { id: string; filename: string; contentType: string; size: number };

export type RequestPageView = {
  id: string;
  reference: string;
  kind: string;
  scope: string;
  onBehalf: string;
  lang: string;
  status: string;
  organisationName: string | null;
  projectTitle: string | null;
  createdAt: string;
  receivedOn: string | null;
  dueOn: string | null;
  extendedDueOn: string | null;
  due: string | null;
  /** Before receipt: the due date if it were received today. */
  estimatedDue: string | null;
  /** A refusal told now is late (GDPR art. 12(4)). */
  refusalLate: boolean;
  extended: boolean;
  daysLeft: number | null;
  erasedAt: string | null;
  /** Label key (staff-requests:identity.*) and value, in order; null once erased. */
  identity: { key: string; value: string }[] | null;
  details: { key: string; value: string }[];
  events: {
    kind: string;
    at: string;
    actor: 'person' | 'service' | 'staff' | 'organisation';
    ownAction: boolean;
    message?: string;
    detail: string | null;
    documents: DocumentView[];
  }[];
  deliveries: {
    id: string;
    channelKind: string | null;
    status: string;
    attempts: number;
    createdAt: string;
    deliveredAt: string | null;
    deadAt: string | null;
    lastError: string | null;
  }[];
  documents: DocumentView[];
  actions: Record<ActionName, Availability>;
  /**
   * Whether this user answers this request: its organisation's DPO, or the CNAM's agents for the CNAM's.
   * An administrator sees every request but acts on none (server/services/staff-requests.ts mayAct).
   */
  canAct: boolean;
};

/** The action forms' fields, in the order the page shows them (the error summary follows it). */
const FIELD_ORDER = ['actions', 'question', 'reason', 'prolonger', 'outcome', 'reasonCode', 'message', 'document'] as const;

export type RequestPageProps = {
  ctx: PageContext;
  view: RequestPageView;
  refusalCodes: readonly string[];
  maxDocumentMb: number;
  /** The action just done (post/redirect/get): a confirmation banner. */
  done?: ActionName;
  errors?: FormError[];
  /** The form in error and what was typed in it. */
  failed?: { action: ActionName; values: Record<string, string> };
};

function Lines({ text, lang }: { text: string; lang?: string }) {
  return (
    <blockquote lang={lang}>
      {text
        .split(/\n+/)
        .filter((line) => line.trim() !== '')
        .map((line) => (
          <p>{line}</p>
        ))}
    </blockquote>
  );
}

function Row({ label, children }: { label: string; children: Child }) {
  return (
    <div class="summary-list__row">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

const documentDownload = (requestId: string, d: DocumentView) => `/espace-pro/demandes/${requestId}/documents/${d.id}`;

function DocumentLinks({ t, requestId, documents }: { t: TFunction; requestId: string; documents: DocumentView[] }) {
  return (
    <ul class="link-list">
      {documents.map((d) => (
        <li>
          <a href={documentDownload(requestId, d)} download>
            {d.filename}
          </a>{' '}
          <span class="muted">
            (
            {t('staff-requests:tracking.documentFacts', {
              type: t(`staff-requests:documentTypes.${d.contentType.split(';')[0]!.replace('/', '_')}`),
              size: Math.max(1, Math.round(d.size / 1024)),
            })}
            )
          </span>
        </li>
      ))}
    </ul>
  );
}

/** Why an action cannot be taken now, in a sentence. */
function Unavailable({
  t,
  action,
  availability,
  status,
  date,
}: {
  t: TFunction;
  action: ActionName;
  availability: Availability;
  status: string;
  date: string;
}) {
  if (availability.ok) return null;
  return (
    <p>
      {t(`staff-requests:unavailable.${availability.reason}`, {
        action: t(`staff-requests:actions.${action}.title`),
        status: t(`staff-requests:statuses.${status}`),
        date,
      })}
    </p>
  );
}

export function RequestPage({ ctx, view, refusalCodes, maxDocumentMb, done, errors = [], failed }: RequestPageProps) {
  const { tr } = ctx;
  const { t, date } = tr;
  const title = t('staff-requests:request.title', { reference: view.reference });
  const errorOf = (field: string) => errors.find((e) => e.field === field)?.message;
  const value = (action: ActionName, field: string) => (failed?.action === action ? failed.values[field] : undefined);
  const csrf = ctx.csrfToken();
  const can = (action: ActionName) => view.canAct && view.actions[action].ok;
  const anyAction = Object.values(view.actions).some((a) => a.ok);
  const actionError = errorOf('actions');
  return (
    <Layout
      ctx={ctx}
      title={title}
      hasErrors={errors.length > 0}
      breadcrumb={[
        { href: '/espace-pro', label: t('staff:nav.home') },
        { href: '/espace-pro/demandes', label: t('staff:nav.requests') },
      ]}
    >
      <ErrorSummary t={t} errors={errors} order={FIELD_ORDER} />
      {done ? (
        <div class="notice notice--success" role="status">
          <p>{t(`staff-requests:done.${done}`)}</p>
        </div>
      ) : null}
      <h1>{title}</h1>
      <dl class="summary-list">
        <Row label={t('staff-requests:columns.reference')}>
          <span class="reference">{view.reference}</span>
        </Row>
        <Row label={t('staff-requests:columns.kind')}>{t(`staff-requests:kinds.${view.kind}`)}</Row>
        <Row label={t('staff-requests:columns.scope')}>
          {t(`staff-requests:scopes.${view.scope}`)}
          {view.projectTitle ? <span lang="fr"> — {view.projectTitle}</span> : null}
        </Row>
        <Row label={t('staff-requests:columns.organisation')}>
          <span lang="fr">{view.organisationName ?? '—'}</span>
        </Row>
        <Row label={t('staff-requests:columns.status')}>
          <strong>{t(`staff-requests:statuses.${view.status}`)}</strong>
        </Row>
        <Row label={t('staff-requests:request.submitted')}>{date(view.createdAt)}</Row>
        <Row label={t('staff-requests:columns.received')}>{view.receivedOn ? date(view.receivedOn) : t('staff-requests:queue.notDelivered')}</Row>
        <Row label={t('staff-requests:columns.due')}>
          <>
            {view.due ? (
              date(view.due)
            ) : view.estimatedDue ? (
              <>
                {date(view.estimatedDue)} <span class="hint">{t('staff-requests:request.estimatedDue')}</span>
              </>
            ) : null}{' '}
            <DaysLeftBadge t={t} daysLeft={view.daysLeft} />
            {view.extended ? <span class="hint"> {t('staff-requests:request.extendedFrom', { date: view.dueOn ? date(view.dueOn) : '—' })}</span> : null}
          </>
        </Row>
        <Row label={t('staff-requests:request.lang')}>{t(`staff-requests:languages.${view.lang}`, { defaultValue: view.lang })}</Row>
      </dl>

      <section aria-labelledby="identity-title">
        <h2 id="identity-title">{t('staff-requests:identity.title')}</h2>
        {view.identity ? (
          <>
            <p class="hint">{t('staff-requests:identity.audited')}</p>
            <dl class="summary-list">
              <Row label={t('staff-requests:identity.onBehalf')}>{t(`staff-requests:onBehalf.${view.onBehalf}`)}</Row>
              {view.identity.map((f) => (
                <Row label={t(`staff-requests:identity.${f.key}`)}>{f.value}</Row>
              ))}
            </dl>
          </>
        ) : (
          <p>{t('staff-requests:identity.erased', { date: view.erasedAt ? date(view.erasedAt) : '—' })}</p>
        )}
        {view.details.length > 0 ? (
          <>
            <h3>{t('staff-requests:details.title')}</h3>
            <dl class="summary-list">
              {view.details.map((f) => (
                <Row label={t(`staff-requests:details.${f.key}`)}>{f.value}</Row>
              ))}
            </dl>
          </>
        ) : null}
      </section>

      <section aria-labelledby="timeline-title">
        <h2 id="timeline-title">{t('staff-requests:timeline.title')}</h2>
        <ol class="timeline">
          {view.events.map((e) => (
            <li class="timeline__step">
              <p class="timeline__title">
                <strong>{t(`staff-requests:events.${e.kind}`, { defaultValue: e.kind })}</strong>
                {t('common:separator')}
                <time datetime={e.at}>{date(e.at)}</time> <span class="muted">{t(`staff-requests:actors.${e.ownAction ? 'you' : e.actor}`)}</span>
              </p>
              {e.kind === 'answered' && e.detail ? (
                <p class="timeline__check">
                  <strong>{t(`staff-requests:outcomes.${e.detail}`, { defaultValue: e.detail })}</strong>
                </p>
              ) : null}
              {e.kind === 'refused' && e.detail ? (
                <p class="timeline__check">
                  <strong>{t('staff-requests:timeline.reasonCode')}</strong> {t(`staff-requests:refusalCodes.${e.detail}`, { defaultValue: e.detail })}
                </p>
              ) : null}
              {e.message ? <Lines text={e.message} /> : null}
              {e.documents.length > 0 ? <DocumentLinks t={t} requestId={view.id} documents={e.documents} /> : null}
            </li>
          ))}
        </ol>
      </section>

      <section aria-labelledby="deliveries-title">
        <h2 id="deliveries-title">{t('staff-requests:deliveries.title')}</h2>
        {view.deliveries.length === 0 ? (
          <p>{t('staff-requests:deliveries.none')}</p>
        ) : (
          <TableRegion labelledBy="deliveries-caption">
            <table>
              <caption class="visually-hidden" id="deliveries-caption">
                {t('staff-requests:deliveries.title')}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t('staff-requests:deliveries.channel')}</th>
                  <th scope="col">{t('staff-requests:deliveries.status')}</th>
                  <th scope="col">{t('staff-requests:deliveries.attempts')}</th>
                  <th scope="col">{t('staff-requests:deliveries.when')}</th>
                  <th scope="col">{t('staff-requests:deliveries.lastError')}</th>
                </tr>
              </thead>
              <tbody>
                {view.deliveries.map((d) => (
                  <tr>
                    <td>{d.channelKind ? t(`staff-requests:channels.${d.channelKind}`) : t('staff-requests:channels.none')}</td>
                    <td>{t(`staff-requests:deliveries.statuses.${d.status}`)}</td>
                    <td>{d.attempts}</td>
                    <td>{date(d.deliveredAt ?? d.deadAt ?? d.createdAt)}</td>
                    <td>{d.lastError ? <DeliveryError t={t} error={d.lastError} /> : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableRegion>
        )}
      </section>

      <section id="actions" aria-labelledby="actions-title" tabindex={-1}>
        <h2 id="actions-title">{t('staff-requests:actions.title')}</h2>
        {actionError ? <FieldError t={t} id="actions-error" message={actionError} /> : null}
        {!view.canAct ? (
          <p class="callout">{t('staff-requests:actions.readOnly')}</p>
        ) : !anyAction ? (
          <p>{t('staff-requests:actions.none', { status: t(`staff-requests:statuses.${view.status}`) })}</p>
        ) : (
          <p class="hint">{t('staff-requests:actions.hint')}</p>
        )}

        {can('accuser') ? (
          <section class="action" id="accuser" aria-labelledby="accuser-title">
            <h3 id="accuser-title">{t('staff-requests:actions.accuser.title')}</h3>
            <p>{t('staff-requests:actions.accuser.body')}</p>
            <form method="post" action={`/espace-pro/demandes/${view.id}/accuser`}>
              <CsrfField token={csrf} />
              <button type="submit" class="button">
                {t('staff-requests:actions.accuser.submit')}
              </button>
            </form>
          </section>
        ) : null}

        {can('precision') ? (
          <section class="action" id="precision" aria-labelledby="precision-title">
            <h3 id="precision-title">{t('staff-requests:actions.precision.title')}</h3>
            <form method="post" action={`/espace-pro/demandes/${view.id}/precision`} novalidate>
              <CsrfField token={csrf} />
              <TextArea
                t={t}
                name="question"
                label={t('staff-requests:actions.precision.label')}
                hint={t('staff-requests:actions.precision.hint')}
                error={errorOf('question')}
                value={value('precision', 'question')}
              />
              <button type="submit" class="button">
                {t('staff-requests:actions.precision.submit')}
              </button>
            </form>
          </section>
        ) : null}

        {can('prolonger') ? (
          <section class="action" id="prolonger" aria-labelledby="prolonger-title">
            <h3 id="prolonger-title">{t('staff-requests:actions.prolonger.title')}</h3>
            <p>
              {t('staff-requests:actions.prolonger.body', {
                date: view.dueOn ? date(view.dueOn) : '—',
                extended: view.extendedDueOn ? date(view.extendedDueOn) : '—',
              })}
            </p>
            <form method="post" action={`/espace-pro/demandes/${view.id}/prolonger`} novalidate>
              <CsrfField token={csrf} />
              <TextArea
                t={t}
                name="reason"
                label={t('staff-requests:actions.prolonger.label')}
                hint={t('staff-requests:actions.prolonger.hint')}
                error={errorOf('reason')}
                value={value('prolonger', 'reason')}
              />
              <button type="submit" class="button">
                {t('staff-requests:actions.prolonger.submit')}
              </button>
            </form>
          </section>
        ) : can('precision') || errorOf('prolonger') ? (
          <section class={`action${errorOf('prolonger') ? ' field--error' : ''}`} id="prolonger" aria-labelledby="prolonger-title" tabindex={-1}>
            <h3 id="prolonger-title">{t('staff-requests:actions.prolonger.title')}</h3>
            {errorOf('prolonger') ? <FieldError t={t} id="prolonger-error" message={errorOf('prolonger')!} /> : null}
            <Unavailable t={t} action="prolonger" availability={view.actions.prolonger} status={view.status} date={view.dueOn ? date(view.dueOn) : '—'} />
          </section>
        ) : null}

        {can('repondre') ? (
          <section class="action" id="repondre" aria-labelledby="repondre-title">
            <h3 id="repondre-title">{t('staff-requests:actions.repondre.title')}</h3>
            <form method="post" action={`/espace-pro/demandes/${view.id}/repondre`} enctype="multipart/form-data" novalidate>
              <CsrfField token={csrf} />
              <Radios
                t={t}
                name="outcome"
                legend={t('staff-requests:actions.repondre.outcome')}
                error={errorOf('outcome')}
                value={value('repondre', 'outcome')}
                options={[
                  { value: 'granted', label: t('staff-requests:outcomes.granted') },
                  { value: 'partial', label: t('staff-requests:outcomes.partial') },
                  {
                    value: 'refused',
                    label: t('staff-requests:outcomes.refused'),
                    hint: view.refusalLate
                      ? `${t('staff-requests:actions.repondre.refusedHint')} ${t('staff-requests:actions.repondre.refusedLate', { date: view.dueOn ? date(view.dueOn) : '' })}`
                      : t('staff-requests:actions.repondre.refusedHint'),
                    conditional: (
                      <div class={`field${errorOf('reasonCode') ? ' field--error' : ''}`}>
                        <label for="f-reasonCode">{t('staff-requests:actions.repondre.reasonCode')}</label>
                        {errorOf('reasonCode') ? <FieldError t={t} id="f-reasonCode-error" message={errorOf('reasonCode')!} /> : null}
                        <select
                          id="f-reasonCode"
                          name="reasonCode"
                          aria-describedby={describedBy(errorOf('reasonCode') && 'f-reasonCode-error')}
                          aria-invalid={errorOf('reasonCode') ? 'true' : undefined}
                        >
                          <option value="">{t('staff-requests:actions.repondre.chooseReason')}</option>
                          {refusalCodes.map((code) => (
                            <option value={code} selected={value('repondre', 'reasonCode') === code}>
                              {t(`staff-requests:refusalCodes.${code}`)}
                            </option>
                          ))}
                        </select>
                      </div>
                    ),
                  },
                ]}
              />
              <TextArea
                t={t}
                name="message"
                label={t('staff-requests:actions.repondre.message')}
                hint={t('staff-requests:actions.repondre.messageHint')}
                error={errorOf('message')}
                value={value('repondre', 'message')}
                rows={8}
              />
              <div class={`field${errorOf('document') ? ' field--error' : ''}`}>
                <label for="f-document">{t('staff-requests:actions.repondre.document')}</label>
                <p class="hint" id="f-document-hint">
                  {t('staff-requests:actions.repondre.documentHint', { size: maxDocumentMb })}
                </p>
                {errorOf('document') ? <FieldError t={t} id="f-document-error" message={errorOf('document')!} /> : null}
                <input
                  type="file"
                  id="f-document"
                  name="document"
                  accept=".pdf,.png,.jpg,.jpeg,.txt,application/pdf,image/png,image/jpeg,text/plain"
                  aria-describedby={describedBy('f-document-hint', errorOf('document') && 'f-document-error')}
                  aria-invalid={errorOf('document') ? 'true' : undefined}
                />
              </div>
              <button type="submit" class="button">
                {t('staff-requests:actions.repondre.submit')}
              </button>
            </form>
          </section>
        ) : null}

        {can('cloturer') ? (
          <section class="action" id="cloturer" aria-labelledby="cloturer-title">
            <h3 id="cloturer-title">{t('staff-requests:actions.cloturer.title')}</h3>
            <p>{t('staff-requests:actions.cloturer.body')}</p>
            <form method="post" action={`/espace-pro/demandes/${view.id}/cloturer`}>
              <CsrfField token={csrf} />
              <button type="submit" class="button button--secondary">
                {t('staff-requests:actions.cloturer.submit')}
              </button>
            </form>
          </section>
        ) : null}
      </section>

      {view.documents.length > 0 ? (
        <section aria-labelledby="documents-title">
          <h2 id="documents-title">{t('staff-requests:documents.title')}</h2>
          <DocumentLinks t={t} requestId={view.id} documents={view.documents} />
        </section>
      ) : null}

      <p>
        <a href="/espace-pro/demandes" class="back-link">
          {t('staff-requests:request.back')}
        </a>
      </p>
    </Layout>
  );
}
