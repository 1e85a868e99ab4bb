import type { Child } from 'hono/jsx';
import { REFUSAL_CODES } from '../../../server/domain/status-updates';
import type { Answers } from '../../../server/domain/rights-request';
import { STEPS } from '../../../server/domain/rights-request';
import { formatNir } from '../../../server/domain/nir';
import { messageFor, toFormErrors, type FieldError as OneFieldError } from '../../../server/domain/form-errors';
import { ErrorSummary, FieldError } from '../../components/ErrorSummary';
import { CsrfField, TextArea, TextField } from '../../components/FormFields';
import { Layout } from '../../layouts/Layout';
import { RoutePlan, SndsErasureNote, type RoutePart } from '../../components/RoutePlan';
import type { PageContext } from '../../page-context';

type FieldErrors = OneFieldError[];

const home = (ctx: PageContext) => [{ href: '/', label: ctx.tr.t('common:breadcrumb.home') }];

/** A simple page: a title, paragraphs, links, and optionally a form or more content. */
export function MessagePage({
  ctx,
  title,
  paragraphs,
  links = [],
  children,
  status,
}: {
  ctx: PageContext;
  title: string;
  paragraphs: string[];
  links?: { href: string; label: string }[];
  children?: Child;
  status?: 'success' | 'info';
}) {
  return (
    <Layout ctx={ctx} title={title} breadcrumb={home(ctx)}>
      <div class={status ? `panel panel--${status}` : undefined}>
        <h1>{title}</h1>
      </div>
      {paragraphs.map((p) => (
        <p>{p}</p>
      ))}
      {children}
      {links.length > 0 ? (
        <ul class="link-list">
          {links.map((l) => (
            <li>
              <a href={l.href}>{l.label}</a>
            </li>
          ))}
        </ul>
      ) : null}
    </Layout>
  );
}

/** /demande: what the service does, what to have at hand, then a start button (a real form). */
export function StartPage({ ctx, project }: { ctx: PageContext; project?: { id: string; title: string; organisation: string } }) {
  const { t, doc } = ctx.tr;
  const start = doc<{
    start: { title: string; lead: string; needTitle: string; need: string[]; nextTitle: string; next: string[]; rightsLink: string; start: string };
  }>('request').start;
  return (
    <Layout ctx={ctx} title={start.title} description={start.lead} breadcrumb={home(ctx)}>
      <h1>{start.title}</h1>
      <p class="lead">{start.lead}</p>
      {project ? (
        <div class="callout">
          <p>{t('request:start.projectChosen', { title: project.title, organisation: project.organisation })}</p>
        </div>
      ) : null}
      <h2>{start.needTitle}</h2>
      <ul>
        {start.need.map((n) => (
          <li>{n}</li>
        ))}
      </ul>
      <h2>{start.nextTitle}</h2>
      <ol class="steps">
        {start.next.map((n) => (
          <li>{n}</li>
        ))}
      </ol>
      <p>
        <a href="/comprendre/vos-droits">{start.rightsLink}</a>
      </p>
      <form method="post" action="/demande">
        <CsrfField token={ctx.csrfToken()} />
        {project ? <input type="hidden" name="projet" value={project.id} /> : null}
        <button type="submit" class="button button--start">
          {start.start}
        </button>
      </form>
    </Layout>
  );
}

export type CheckRow = { key: string; label: string; value: string; step: (typeof STEPS)[number] };

/** The names a check page shows for the scope: the project's title, or the organisation's name. */
export type CheckNames = { projectTitle?: string; organisationName?: string };

/** Every answer as a row of the check page, in the steps' order; the NIR and scheme only when the route asks for them. */
export function checkRows(tr: PageContext['tr'], a: Answers, names: CheckNames, asksNir: boolean): CheckRow[] {
  const { t, date } = tr;
  const rows: CheckRow[] = [
    { key: 'kind', label: t('request:check.rows.kind'), value: a.kind ? t(`request:kinds.${a.kind}.label`) : '', step: 'type' },
    {
      key: 'scope',
      label: t('request:check.rows.scope'),
      value:
        a.scope === 'projet'
          ? `${t('request:scopes.projet.label')}${t('common:separator')}${names.projectTitle ?? ''}`
          : a.scope === 'responsable'
            ? `${t('request:scopes.responsable.label')}${t('common:separator')}${names.organisationName ?? ''}`
            : t('request:scopes.snds.label'),
      step: 'portee',
    },
    {
      key: 'onBehalf',
      label: t('request:check.rows.onBehalf'),
      value: [a.onBehalf && t(`request:onBehalf.${a.onBehalf}.label`), a.requesterName, a.relationship].filter(Boolean).join(' – '),
      step: 'pour-qui',
    },
    {
      key: 'name',
      label: t('request:check.rows.name'),
      value: [a.firstNames, a.lastName, a.birthName ? `(${t('request:check.born', { name: a.birthName })})` : ''].filter(Boolean).join(' '),
      step: 'identite',
    },
    {
      key: 'birth',
      label: t('request:check.rows.birth'),
      value: [a.birthDate ? date(a.birthDate) : '', a.birthPlace].filter(Boolean).join(', '),
      step: 'identite',
    },
  ];
  if (asksNir) {
    rows.push({ key: 'nir', label: t('request:check.rows.nir'), value: a.nir ? formatNir(a.nir) : '', step: 'identite' });
    rows.push({ key: 'scheme', label: t('request:check.rows.scheme'), value: t(`request:schemes.${a.insuranceScheme ?? 'inconnu'}`), step: 'identite' });
  }
  rows.push({ key: 'email', label: t('request:check.rows.email'), value: a.email ?? '', step: 'contact' });
  rows.push({ key: 'postalAddress', label: t('request:check.rows.postalAddress'), value: a.postalAddress || t('request:check.none'), step: 'contact' });
  const details = [
    a.wrongData && `${t('request:fields.wrongData.label')} ${a.wrongData}`,
    a.correctData && `${t('request:fields.correctData.label')} ${a.correctData}`,
    a.reason,
    a.accessScope,
    a.otherDetails,
  ]
    .filter(Boolean)
    .join(' / ');
  rows.push({ key: 'details', label: t('request:check.rows.details'), value: details || t('request:check.none'), step: 'details' });
  return rows;
}

/** Check your answers: every answer with a change link, the declaration on honour, then submit. */
export function CheckPage({
  ctx,
  names,
  asksNir,
  answers,
  errors,
  parts,
}: {
  ctx: PageContext;
  names: CheckNames;
  asksNir: boolean;
  answers: Answers;
  errors: FieldErrors;
  parts: RoutePart[];
}) {
  const { t } = ctx.tr;
  const rows = checkRows(ctx.tr, answers, names, asksNir);
  const declarationError = errors.find((e) => e.field === 'declaration');
  return (
    <Layout ctx={ctx} title={t('request:check.title')} hasErrors={errors.length > 0} breadcrumb={home(ctx)}>
      <p>
        <a href={`/demande/${STEPS[STEPS.length - 1]}`} class="back-link">
          {t('request:back')}
        </a>
      </p>
      <ErrorSummary t={t} errors={toFormErrors(t, errors)} />
      <h1>{t('request:check.title')}</h1>
      <dl class="summary-list">
        {rows.map((r) => (
          <div class="summary-list__row">
            <dt>{r.label}</dt>
            <dd class="summary-list__value">{r.value}</dd>
            <dd class="summary-list__action">
              <a href={`/demande/${r.step}?retour=verifier`}>
                {t('request:check.change')}
                <span class="visually-hidden"> {r.label}</span>
              </a>
            </dd>
          </div>
        ))}
      </dl>
      <RoutePlan tr={ctx.tr} parts={parts} kind={answers.kind} scheme={answers.insuranceScheme} />
      <SndsErasureNote tr={ctx.tr} kind={answers.kind} parts={parts} />
      <h2>{t('request:check.nextTitle')}</h2>
      <p>{t('request:check.next')}</p>
      <form method="post" action="/demande/verifier" novalidate>
        <CsrfField token={ctx.csrfToken()} />
        <input type="hidden" name="idempotencyKey" value={answers.idempotencyKey ?? ''} />
        <div class="honeypot" aria-hidden="true">
          <label for="f-website">{t('request:check.honeypot')}</label>
          <input type="text" id="f-website" name="website" value="" tabindex={-1} autocomplete="off" />
        </div>
        <div class={`field${declarationError ? ' field--error' : ''}`}>
          <fieldset aria-describedby={declarationError ? 'f-declaration-error' : undefined}>
            <legend>{t('request:check.declarationLegend')}</legend>
            {declarationError ? <FieldError t={t} id="f-declaration-error" message={t(declarationError.key)} /> : null}
            <div class="checkbox">
              <input type="checkbox" id="f-declaration" name="declaration" value="oui" />
              <label for="f-declaration">{t('request:check.declaration')}</label>
            </div>
          </fieldset>
        </div>
        <div class="form-actions">
          <button type="submit" class="button">
            {t('request:check.submit')}
          </button>
        </div>
      </form>
    </Layout>
  );
}

export function ReceiptPage({
  ctx,
  reference,
  parts,
  kind,
  scheme,
  email,
}: {
  ctx: PageContext;
  reference: string;
  parts: RoutePart[];
  kind: string;
  scheme?: string;
  email: string;
}) {
  const { t } = ctx.tr;
  return (
    <Layout ctx={ctx} title={t('request:receipt.title')} breadcrumb={home(ctx)}>
      <div class="panel panel--success">
        <h1>{t('request:receipt.title')}</h1>
        <p class="panel__body">
          {t('request:receipt.reference')}
          <br />
          <strong class="reference">{reference}</strong>
        </p>
      </div>
      <p>{t('request:receipt.keep')}</p>
      <h2>{t('request:receipt.confirmTitle')}</h2>
      <p>{t('request:receipt.confirm', { email })}</p>
      <p>{t('request:receipt.confirmDeadline')}</p>
      <h2>{t('request:receipt.nextTitle')}</h2>
      <p>{t('request:receipt.next')}</p>
      <RoutePlan tr={ctx.tr} parts={parts} kind={kind} scheme={scheme} headingLevel={3} />
      <p>
        <a href="/suivi">{t('request:receipt.follow')}</a>
      </p>
    </Layout>
  );
}

/** /suivi: reference and e-mail, then a single-use link by mail; a malformed pair comes back with its errors. */
export function TrackFormPage({ ctx, errors = [], values = {} }: { ctx: PageContext; errors?: FieldErrors; values?: Record<string, string> }) {
  const { t } = ctx.tr;
  const err = (field: string) => messageFor(t, errors, field);
  return (
    <Layout ctx={ctx} title={t('request:trackForm.title')} hasErrors={errors.length > 0} breadcrumb={home(ctx)}>
      <ErrorSummary t={t} errors={toFormErrors(t, errors)} />
      <h1>{t('request:trackForm.title')}</h1>
      <p>{t('request:trackForm.lead')}</p>
      <form method="post" action="/suivi" novalidate>
        <CsrfField token={ctx.csrfToken()} />
        <TextField
          t={t}
          name="reference"
          label={t('request:trackForm.reference')}
          hint={t('request:trackForm.referenceHint')}
          error={err('reference')}
          value={values.reference}
          width="medium"
          autocomplete="off"
          spellcheck={false}
        />
        <TextField
          t={t}
          name="email"
          type="email"
          label={t('request:fields.email.label')}
          error={err('email')}
          value={values.email}
          autocomplete="email"
          spellcheck={false}
        />
        <button type="submit" class="button">
          {t('request:trackForm.submit')}
        </button>
      </form>
    </Layout>
  );
}

/** `message`: what the organisation wrote to the person; `detail`: an answer's outcome or a refusal's code. */
export type TimelineItem = {
  kind: string;
  at: string;
  message?: string;
  detail?: string | null;
  late?: boolean;
  documents?: { id: string; filename: string; contentType: string; size: number }[];
};

const OUTCOMES = ['granted', 'partial'];

/** The label shown above the organisation's message, by kind of event. */
const MESSAGE_LABELS: Record<string, string> = {
  clarification_asked: 'request:answers.question',
  clarification_answered: 'request:answers.yourAnswer',
  extended: 'request:answers.extendedReason',
  answered: 'request:answers.answer',
  refused: 'request:answers.refusalMessage',
};

/** What the organisation said at one step: outcome or reason for a refusal, its own words, and the way to complain. */
function EventDetails({ ctx, event }: { ctx: PageContext; event: TimelineItem }) {
  const { t } = ctx.tr;
  const label = MESSAGE_LABELS[event.kind];
  // A code the service does not know yet reads as "another reason": the message then explains it.
  const refusal = event.kind === 'refused' && event.detail ? ((REFUSAL_CODES as readonly string[]).includes(event.detail) ? event.detail : 'other') : undefined;
  return (
    <>
      {event.kind === 'answered' && event.detail && OUTCOMES.includes(event.detail) ? (
        <p class="timeline__check">
          <strong>{t(`request:answers.outcomes.${event.detail}`)}</strong>
        </p>
      ) : null}
      {refusal ? (
        <p class="timeline__check">
          <strong>{t('request:answers.refusalReason')}</strong> {t(`request:refusalReasons.${refusal}`)}
        </p>
      ) : null}
      {event.late ? (
        <p>
          <strong class="badge badge--late">{t('request:track.overdue')}</strong> {t('request:track.refusedLate')}
        </p>
      ) : null}
      {label && event.message ? (
        <>
          <p class="timeline__check">
            <strong>{t(label)}</strong>
          </p>
          <blockquote>
            {event.message
              .split(/\n+/)
              .filter((line) => line.trim() !== '')
              .map((line) => (
                <p>{line}</p>
              ))}
          </blockquote>
        </>
      ) : null}
      {event.documents && event.documents.length > 0 ? (
        <>
          <p class="timeline__check">
            <strong>{t('staff-requests:tracking.documents', { count: event.documents.length })}</strong>
          </p>
          <ul class="link-list">
            {event.documents.map((d) => (
              <li>
                <a href={`/suivi/document/${d.id}`} download>
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
        </>
      ) : null}
      {event.kind === 'refused' || event.kind === 'answered' ? (
        <>
          <p>{t(event.kind === 'refused' ? 'request:answers.complaint' : 'request:answers.answeredComplaint')}</p>
          <p>
            <a href={t('request:answers.cnilUrl')} rel="noopener">
              {t('request:track.cnil')} <span class="visually-hidden">{t('common:externalLink')}</span>
            </a>
          </p>
        </>
      ) : null}
    </>
  );
}

const FINAL = ['repondue', 'refusee', 'cloturee', 'retiree'];
const FINAL_EVENT: Record<string, string> = { repondue: 'answered', refusee: 'refused', cloturee: 'closed', retiree: 'withdrawn' };

/** The request's state in one sentence, first on the page: what happened last, or what is awaited and by when. */
function currentState(
  t: PageContext['tr']['t'],
  date: PageContext['tr']['date'],
  view: { status: string; events: TimelineItem[]; due: string; daysLeft: number; overdue: boolean; estimated: boolean; recipient?: string },
): string {
  const organisation = view.recipient ?? '';
  if (FINAL.includes(view.status)) {
    const last = [...view.events].reverse().find((e) => e.kind === FINAL_EVENT[view.status]);
    const on = last ? date(last.at) : '';
    if (view.status === 'repondue')
      return t('request:track.state.answered', { date: on, outcome: t(`request:track.state.outcomes.${last?.detail === 'partial' ? 'partial' : 'granted'}`) });
    if (view.status === 'refusee') {
      const code = last?.detail && (REFUSAL_CODES as readonly string[]).includes(last.detail) ? last.detail : 'other';
      return t('request:track.state.refused', { date: on, reason: t(`request:refusalReasons.${code}`) });
    }
    return t(`request:track.state.${view.status === 'cloturee' ? 'closed' : 'withdrawn'}`, { date: on });
  }
  if (view.status === 'a_confirmer') return t('request:track.state.toConfirm');
  if (view.status === 'precision_demandee') return t('request:track.state.question', { organisation, date: date(view.due) });
  if (view.overdue) return t('request:track.state.overdue', { organisation, date: date(view.due), count: -view.daysLeft });
  if (view.estimated) return t('request:track.state.notYetReceived', { organisation, date: date(view.due) });
  return t('request:track.state.waiting', { organisation, date: date(view.due), count: view.daysLeft });
}

export function TrackPage({
  ctx,
  view,
  clarification,
  answerSent,
}: {
  ctx: PageContext;
  clarification?: { question?: string; error?: string; value?: string; max: number };
  answerSent?: { organisation: string };
  view: {
    submittedOn: string;
    reference: string;
    kind: string;
    scope: string;
    status: string;
    recipient?: string;
    project?: string;
    events: TimelineItem[];
    due: string;
    extendedDue: string;
    estimated: boolean;
    daysLeft: number;
    overdue: boolean;
    canWithdraw: boolean;
    parts: { reference: string; organisation: string; status: string; current: boolean }[];
    notified: string[];
    delivery: 'delivered' | 'waiting' | 'retrying' | 'dead';
  };
}) {
  const { t, date } = ctx.tr;
  return (
    <Layout ctx={ctx} title={t('track.title', { ns: 'request' })} breadcrumb={home(ctx)}>
      {answerSent ? (
        <div class="panel panel--success" role="status">
          <p class="panel__body">{t('request:clarification.sent', { organisation: answerSent.organisation })}</p>
        </div>
      ) : null}
      <h1>{t('request:track.title')}</h1>
      <p class="lead track__state">{currentState(t, date, view)}</p>
      <dl class="summary-list">
        <div class="summary-list__row">
          <dt>{t('request:track.reference')}</dt>
          <dd class="reference">{view.reference}</dd>
        </div>
        <div class="summary-list__row">
          <dt>{t('request:track.kind')}</dt>
          <dd>{t(`request:kinds.${view.kind}.label`)}</dd>
        </div>
        <div class="summary-list__row">
          <dt>{t('request:track.recipient')}</dt>
          <dd lang="fr">{view.recipient ?? '—'}</dd>
        </div>
        {view.project ? (
          <div class="summary-list__row">
            <dt>{t('request:track.project')}</dt>
            <dd lang="fr">{view.project}</dd>
          </div>
        ) : null}
        <div class="summary-list__row">
          <dt>{t('request:track.status')}</dt>
          <dd>
            <strong>{t(`request:statuses.${view.status}`)}</strong>
          </dd>
        </div>
        <div class="summary-list__row">
          <dt>{t('request:track.due')}</dt>
          <dd>
            {date(view.due)}
            {view.estimated ? <span class="hint"> {t('request:track.estimated')}</span> : null}
            {/* Once answered or closed, nothing is awaited: no countdown. */}
            {FINAL.includes(view.status) ? null : view.overdue ? (
              <strong class="badge badge--late">{t('request:track.overdue')}</strong>
            ) : !view.estimated ? (
              <span> {t('request:track.daysLeft', { count: view.daysLeft })}</span>
            ) : null}
          </dd>
        </div>
      </dl>
      {view.delivery === 'retrying' || view.delivery === 'dead' ? (
        <div class="callout callout--warning" role="status">
          <h2>{t(`request:track.delivery.${view.delivery}Title`)}</h2>
          <p>{t(`request:track.delivery.${view.delivery}`, { organisation: view.recipient ?? '' })}</p>
        </div>
      ) : null}
      {view.parts.length > 1 || view.notified.length > 0 ? (
        <section aria-labelledby="parts-title">
          <h2 id="parts-title">{t('request:track.parts')}</h2>
          <ul>
            {view.parts.map((p) => (
              <li>
                {t('request:track.partRow', { organisation: p.organisation, reference: p.reference, status: t(`request:statuses.${p.status}`) })}
                {p.current ? <span class="hint"> ({t('request:track.thisPart')})</span> : null}
              </li>
            ))}
            {view.notified.map((n) => (
              <li>{t('request:route.notified', { organisation: n })}</li>
            ))}
          </ul>
        </section>
      ) : null}
      {clarification ? (
        <section class="callout" aria-labelledby="clarification-title">
          <h2 id="clarification-title">{t('request:clarification.title')}</h2>
          {clarification.question ? (
            <blockquote>
              <p>{clarification.question}</p>
            </blockquote>
          ) : (
            <p>{t('request:clarification.noQuestion')}</p>
          )}
          <ErrorSummary t={t} errors={clarification.error ? [{ field: 'answer', href: '#f-answer', message: clarification.error }] : []} />
          <form method="post" action="/suivi/precision" novalidate>
            <CsrfField token={ctx.csrfToken()} />
            <TextArea
              t={t}
              name="answer"
              label={t('request:clarification.label')}
              hint={t('request:clarification.hint')}
              error={clarification.error}
              value={clarification.value}
              rows={5}
              max={clarification.max}
            />
            <button type="submit" class="button">
              {t('request:clarification.submit')}
            </button>
          </form>
        </section>
      ) : null}
      {view.overdue ? (
        <div class="callout callout--warning">
          <h2>{t('request:track.overdueTitle')}</h2>
          <p>{t('request:track.overdueBody')}</p>
          <div class="field">
            <label for="f-reminder">{t('request:track.reminderLabel')}</label>
            <p class="hint" id="f-reminder-hint">
              {t('request:track.reminderHint')}
            </p>
            <textarea id="f-reminder" rows={9} readonly aria-describedby="f-reminder-hint">
              {t('request:track.reminderText', {
                reference: view.reference,
                recipient: view.recipient ?? '',
                submitted: date(view.submittedOn),
                due: date(view.due),
              })}
            </textarea>
          </div>
          <p>
            <a href="https://www.cnil.fr/fr/plaintes" rel="noopener">
              {t('request:track.cnil')} <span class="visually-hidden">{t('common:externalLink')}</span>
            </a>
          </p>
        </div>
      ) : null}
      <h2>{t('request:track.timeline')}</h2>
      <ol class="timeline">
        {view.events.map((e) => (
          <li class="timeline__step">
            <p class="timeline__title">
              <strong>{t(`request:events.${e.kind}`)}</strong>
              {t('common:separator')}
              <time datetime={e.at}>{date(e.at)}</time>
            </p>
            <EventDetails ctx={ctx} event={e} />
          </li>
        ))}
      </ol>
      {view.canWithdraw ? (
        <p>
          <a href="/suivi/retirer" class="button button--secondary">
            {t('request:track.withdraw')}
          </a>
        </p>
      ) : null}
    </Layout>
  );
}

/** The confirmation link opened: a button, not an automatic confirmation (mail scanners open links too). */
export function ConfirmAddressPage({ ctx, token }: { ctx: PageContext; token: string }) {
  const { t } = ctx.tr;
  return (
    <MessagePage ctx={ctx} title={t('request:confirm.title')} paragraphs={[t('request:confirm.body')]}>
      <form method="post" action={`/demande/confirmer/${token}`}>
        <CsrfField token={ctx.csrfToken()} />
        <button type="submit" class="button">
          {t('request:confirm.button')}
        </button>
      </form>
    </MessagePage>
  );
}

/** A confirmation link used, expired or unknown. */
export function ConfirmInvalidPage({ ctx }: { ctx: PageContext }) {
  const { t } = ctx.tr;
  return (
    <MessagePage
      ctx={ctx}
      title={t('request:confirm.invalidTitle')}
      paragraphs={[t('request:confirm.invalid')]}
      links={[{ href: '/suivi', label: t('request:receipt.follow') }]}
    />
  );
}

/** The request confirmed: its reference and, for each body that answers, the date it must answer by. */
export function ConfirmedPage({ ctx, reference, dues }: { ctx: PageContext; reference: string; dues: { organisation: string; date: string }[] }) {
  const { t, date } = ctx.tr;
  return (
    <MessagePage
      ctx={ctx}
      status="success"
      title={t('request:confirm.doneTitle')}
      paragraphs={[
        t('request:confirm.done', { reference }),
        ...dues.map((d) => t('request:confirm.due', { organisation: d.organisation, date: date(d.date) })),
      ]}
      links={[{ href: '/suivi', label: t('request:receipt.follow') }]}
    />
  );
}

/** Withdrawing a request: the person confirms, or goes back to the tracking page. */
export function WithdrawPage({ ctx }: { ctx: PageContext }) {
  const { t } = ctx.tr;
  return (
    <MessagePage ctx={ctx} title={t('request:withdraw.title')} paragraphs={[t('request:withdraw.body')]}>
      <form method="post" action="/suivi/retirer">
        <CsrfField token={ctx.csrfToken()} />
        <div class="form-actions">
          <button type="submit" class="button button--warning">
            {t('request:withdraw.confirm')}
          </button>
          <a href="/suivi/demande">{t('request:withdraw.cancel')}</a>
        </div>
      </form>
    </MessagePage>
  );
}
