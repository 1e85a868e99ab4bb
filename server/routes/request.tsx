/**
 * The rights request form (/demande), the address confirmation link, and request tracking (/suivi).
 * Post/redirect/get throughout; every form is a real form (no JavaScript needed); progress lives in a
 * server-side draft whose id is in a cookie, never in the URL. Personal pages are Cache-Control: no-store.
 */
import { TRACK_COOKIE, trackingCookie } from '../auth/tracking-cookie';
import { Hono, type Context } from 'hono';
import { setCookie } from 'hono/cookie';
import { cookie, formBody, clientAddress } from '../http';
import { HTTPException } from 'hono/http-exception';
import type { AppEnv } from '../context';
import { allOrganisations, organisationName, projectTitle, requestById } from '../db/requests';
import { daysBetween, todayIn } from '../domain/deadlines';
import { formatNir } from '../domain/nir';
import { FIELD_LIMITS, STEPS, TRACKING_LINK_MINUTES, nextStep, type Answers, type StepId } from '../domain/rights-request';
import { checkClarificationAnswer, checkStep, checkTrackForm } from '../services/request-form';
import {
  confirmationIsUsable,
  confirmRequest,
  asksNir,
  decryptIdentity,
  plannedParts,
  submittedParts,
  openTrackingLink,
  readDraft,
  requestTrackingLink,
  submitDraft,
  trackingView,
  withdrawRequest,
  answerClarification,
  latestClarificationQuestion,
  writeDraft,
  type RequestDeps,
} from '../services/rights-requests';
import { CheckPage, MessagePage, ReceiptPage, StartPage, TrackFormPage, TrackPage, type CheckRow } from '../../views/pages/request/OtherPages';
import { CsrfField } from '../../views/components/FormFields';
import { ProjectChoices, StepPage, type ProjectOption } from '../../views/pages/request/RequestPages';
import { projectRows, searchProjectIds } from '../db/register';
import { pageContext } from './render';
import { allowEach, createRateLimiter } from '../middleware/rate-limit';

const DRAFT_COOKIE = 'demande';
const TRACK_SESSION_MINUTES = 60;
/** Tracking-link requests in 15 minutes: per client address, and per reference and per e-mail address. */
export const TRACK_LIMIT_PER_ADDRESS = 10;
export const TRACK_LIMIT_PER_TARGET = 5;



function noStore(c: Context<AppEnv>) {
  c.header('Cache-Control', 'no-store');
}

export function requestRoutes(deps: RequestDeps) {
  const app = new Hono<AppEnv>();
  const secure = deps.config.publicUrl.protocol === 'https:';
  const limiter = createRateLimiter({ windowMs: 10 * 60_000, max: deps.config.submitRateLimit });
  const trackLimiter = createRateLimiter({ windowMs: 15 * 60_000, max: TRACK_LIMIT_PER_ADDRESS });
  const trackTargetLimiter = createRateLimiter({ windowMs: 15 * 60_000, max: TRACK_LIMIT_PER_TARGET });
  // People start more requests than they send: three new drafts per submission allowed.
  const draftLimiter = createRateLimiter({ windowMs: 10 * 60_000, max: 3 * deps.config.submitRateLimit });

  const draftOf = (c: Context<AppEnv>) => readDraft(deps, cookie(c, DRAFT_COOKIE));
  const saveDraft = (c: Context<AppEnv>, id: string | undefined, answers: Answers) => {
    const draftId = writeDraft(deps, id, answers);
    if (draftId !== id) setCookie(c, DRAFT_COOKIE, draftId, { path: '/demande', httpOnly: true, secure, sameSite: 'Lax', maxAge: 24 * 3600 });
    return draftId;
  };
  const known = {
    projectExists: (id: string) => !!projectTitle(deps.db, id),
    organisationExists: (id: string) => !!organisationName(deps.db, id),
    asksNir: (a: Answers) => asksNir(deps, a),
  };
  const projectChoice = (answers: Answers) => {
    if (!answers.projectId) return undefined;
    const p = projectTitle(deps.db, answers.projectId);
    return p ? { id: p.id, title: p.title, organisation: p.organisationName } : undefined;
  };

  /* ---------- Start ---------- */

  app.get('/demande', (c) => {
    noStore(c);
    const id = c.req.query('projet');
    const p = id && /^[a-z0-9-]{1,80}$/.test(id) ? projectTitle(deps.db, id) : undefined;
    return c.html(<StartPage ctx={pageContext(c)} project={p ? { id: p.id, title: p.title, organisation: p.organisationName } : undefined} />);
  });

  app.post('/demande', async (c) => {
    const body = await formBody(c);
    const existing = draftOf(c);
    const p = body.projet && /^[a-z0-9-]{1,80}$/.test(body.projet) ? projectTitle(deps.db, body.projet) : undefined;
    const reused = existing && !existing.requestId ? existing : undefined;
    if (!reused && !draftLimiter.allow(`ip:${clientAddress(c)}`)) throw new HTTPException(429, { message: 'Too many new drafts' });
    const answers: Answers = reused ? reused.answers : {};
    if (p) Object.assign(answers, { scope: 'projet', projectId: p.id, organisationId: undefined });
    saveDraft(c, reused?.id, answers);
    return c.redirect('/demande/type', 303);
  });

  app.get('/demande/commencer', (c) => c.redirect('/demande', 303));

  /* ---------- Steps ---------- */

  /** Projects matching words typed on the scope step: the register's own full-text search. */
  const findProjects = (q: string): ProjectOption[] => {
    const { ids } = searchProjectIds(deps.db, { q: q.slice(0, 200), sort: 'pertinence', page: 1, pageSize: 10 });
    return projectRows(deps.db, ids).map((r) => ({ id: r.id!, title: r.titre_clair!, organisation: r.responsable_nom! }));
  };

  app.get('/demande/projets/suggestions', (c) => {
    noStore(c);
    const q = (c.req.query('projectQuery') ?? '').trim();
    return c.html(<ProjectChoices t={c.get('tr').t} options={q ? findProjects(q) : []} searched={q.length > 0} />);
  });

  const renderStep = (c: Context<AppEnv>, step: StepId, answers: Answers, values: Record<string, string | undefined>, errors: { field: string; key: string }[], projectResults?: ProjectOption[]) =>
    c.html(
      <StepPage
        ctx={pageContext(c)}
        step={step}
        values={values}
        answers={answers}
        errors={errors}
        organisations={allOrganisations(deps.db)}
        projectChoice={projectChoice(answers)}
        projectResults={projectResults}
        asksNir={asksNir(deps, answers)}
        returnToCheck={c.req.query('retour') === 'verifier'}
      />,
      errors.length ? 422 : 200,
    );

  const valuesOf = (a: Answers): Record<string, string | undefined> => {
    const [y, m, d] = (a.birthDate ?? '').split('-');
    return { ...(a as Record<string, string | undefined>), birthDay: d ? String(Number(d)) : undefined, birthMonth: m ? String(Number(m)) : undefined, birthYear: y, nir: a.nir ? formatNir(a.nir) : undefined };
  };

  for (const step of STEPS) {
    app.get(`/demande/${step}`, (c) => {
      noStore(c);
      const draft = draftOf(c);
      if (!draft || draft.requestId) return c.redirect('/demande', 303);
      // The steps after this one depend on it: a person who skips ahead goes back to the first step not done.
      const first = nextStep(draft.answers);
      if (first !== 'verifier' && STEPS.indexOf(step) > STEPS.indexOf(first)) return c.redirect(`/demande/${first}`, 303);
      return renderStep(c, step, draft.answers, valuesOf(draft.answers), []);
    });

    app.post(`/demande/${step}`, async (c) => {
      noStore(c);
      const draft = draftOf(c);
      if (!draft || draft.requestId) return c.redirect('/demande', 303);
      // The steps build on each other: a post to a step after the first one not done goes back there.
      const first = nextStep(draft.answers);
      if (first !== 'verifier' && STEPS.indexOf(step) > STEPS.indexOf(first)) return c.redirect(`/demande/${first}`, 303);
      const body = await formBody(c);
      // Without JavaScript, "Search" submits the step's form: show the matching projects, save nothing.
      // (Enter in a form presses its first button, "Search": only a project scope means a search.)
      if (step === 'portee' && body._action === 'search' && body.scope === 'projet') {
        const values = { ...valuesOf(draft.answers), scope: 'projet', projectQuery: (body.projectQuery ?? '').slice(0, 200), projectId: body.projectId };
        return renderStep(c, step, draft.answers, values, [], findProjects(body.projectQuery ?? ''));
      }
      const result = checkStep(step, body, draft.answers, known);
      if (!result.ok) {
        // A search typed and not chosen keeps its results; never the project the person came from instead.
        const typed = step === 'portee' && body.scope === 'projet' ? (body.projectQuery ?? '').trim() : '';
        return renderStep(c, step, draft.answers, result.values, result.errors, typed ? findProjects(typed) : undefined);
      }
      const done = [...new Set([...(draft.answers.done ?? []), step])];
      let answers: Answers = { ...draft.answers, ...result.values, done };
      // A scope with another route changes what the identity step asks (the NIR, routing.ts): ask it again.
      if (step === 'portee' && draft.answers.scope && asksNir(deps, draft.answers) !== asksNir(deps, answers)) answers = { ...answers, done: done.filter((s) => s !== 'identite'), nir: undefined, insuranceScheme: undefined };
      if (step === 'type' && draft.answers.kind && draft.answers.kind !== answers.kind) answers = { ...answers, done: done.filter((s) => s !== 'details') };
      saveDraft(c, draft.id, answers);
      const next = nextStep(answers);
      if (c.req.query('retour') === 'verifier' && next === 'verifier') return c.redirect('/demande/verifier', 303);
      const after = STEPS[STEPS.indexOf(step) + 1];
      return c.redirect(after && !answers.done?.includes(after) ? `/demande/${after}` : `/demande/${next}`, 303);
    });
  }

  /* ---------- Check your answers, submit ---------- */

  const checkRows = (c: Context<AppEnv>, a: Answers): CheckRow[] => {
    const { t, date } = c.get('tr');
    const rows: CheckRow[] = [
      { key: 'kind', label: t('request:check.rows.kind'), value: t(`request:kinds.${a.kind}.label`), step: 'type' },
      {
        key: 'scope',
        label: t('request:check.rows.scope'),
        value:
          a.scope === 'projet'
            ? `${t('request:scopes.projet.label')}${t('common:separator')}${projectChoice(a)?.title ?? ''}`
            : a.scope === 'responsable'
              ? `${t('request:scopes.responsable.label')}${t('common:separator')}${organisationName(deps.db, a.organisationId ?? '') ?? ''}`
              : t('request:scopes.snds.label'),
        step: 'portee',
      },
      { key: 'onBehalf', label: t('request:check.rows.onBehalf'), value: [t(`request:onBehalf.${a.onBehalf}.label`), a.requesterName, a.relationship].filter(Boolean).join(' – '), step: 'pour-qui' },
      { key: 'name', label: t('request:check.rows.name'), value: [a.firstNames, a.lastName, a.birthName ? `(${t('request:check.born', { name: a.birthName })})` : ''].filter(Boolean).join(' '), step: 'identite' },
      { key: 'birth', label: t('request:check.rows.birth'), value: [a.birthDate ? date(a.birthDate) : '', a.birthPlace].filter(Boolean).join(', '), step: 'identite' },
    ];
    if (asksNir(deps, a)) {
      rows.push({ key: 'nir', label: t('request:check.rows.nir'), value: a.nir ? formatNir(a.nir) : '', step: 'identite' });
      rows.push({ key: 'scheme', label: t('request:check.rows.scheme'), value: t(`request:schemes.${a.insuranceScheme ?? 'inconnu'}`), step: 'identite' });
    }
    rows.push({ key: 'email', label: t('request:check.rows.email'), value: a.email ?? '', step: 'contact' });
    rows.push({ key: 'postalAddress', label: t('request:check.rows.postalAddress'), value: a.postalAddress || t('request:check.none'), step: 'contact' });
    const details = [a.wrongData && `${t('request:fields.wrongData.label')} ${a.wrongData}`, a.correctData && `${t('request:fields.correctData.label')} ${a.correctData}`, a.reason, a.accessScope, a.otherDetails].filter(Boolean).join(' / ');
    rows.push({ key: 'details', label: t('request:check.rows.details'), value: details || t('request:check.none'), step: 'details' });
    return rows;
  };

  const renderCheck = (c: Context<AppEnv>, answers: Answers, errors: { field: string; key: string }[]) =>
    c.html(<CheckPage ctx={pageContext(c)} rows={checkRows(c, answers)} answers={answers} errors={errors} parts={plannedParts(deps, answers)} />, errors.length ? 422 : 200);

  app.get('/demande/verifier', (c) => {
    noStore(c);
    const draft = draftOf(c);
    if (!draft || draft.requestId) return c.redirect('/demande', 303);
    const first = nextStep(draft.answers);
    if (first !== 'verifier') return c.redirect(`/demande/${first}`, 303);
    let answers = draft.answers;
    if (!answers.idempotencyKey) {
      answers = { ...answers, idempotencyKey: crypto.randomUUID() };
      saveDraft(c, draft.id, answers);
    }
    return renderCheck(c, answers, []);
  });

  app.post('/demande/verifier', async (c) => {
    noStore(c);
    const body = await formBody(c);
    const draft = draftOf(c);
    if (!draft) return c.redirect('/demande', 303);
    if (draft.requestId) return c.redirect('/demande/recu', 303);
    // A robot fills the hidden field: it gets the same answer as a person and nothing is kept.
    if (body.website) return c.redirect('/demande/recu', 303);
    if (body.declaration !== 'oui') return renderCheck(c, draft.answers, [{ field: 'declaration', key: 'declaration.required' }]);
    if (!limiter.allow(`ip:${clientAddress(c)}`) || (draft.answers.email && !limiter.allow(`mail:${deps.index.email(draft.answers.email)}`))) {
      throw new HTTPException(429);
    }
    const outcome = await submitDraft(deps, draft, { lang: c.get('lang') });
    if (outcome.outcome === 'incomplete') return c.redirect(`/demande/${nextStep(draft.answers)}`, 303);
    return c.redirect('/demande/recu', 303);
  });

  app.get('/demande/recu', (c) => {
    noStore(c);
    const draft = draftOf(c);
    const request = draft?.requestId ? requestById(deps.db, draft.requestId) : undefined;
    const { t } = c.get('tr');
    if (!request) return c.html(<MessagePage ctx={pageContext(c)} title={t('request:receipt.noneTitle')} paragraphs={[t('request:receipt.none')]} links={[{ href: '/demande', label: t('request:receipt.startAgain') }, { href: '/suivi', label: t('request:receipt.follow') }]} />);
    const identity = decryptIdentity(deps, request);
    return c.html(<ReceiptPage ctx={pageContext(c)} reference={request.reference} parts={submittedParts(deps, request)} kind={request.kind} scheme={request.insuranceScheme ?? undefined} email={identity?.email ?? ''} />);
  });

  /* ---------- Confirming the address ---------- */

  app.get('/demande/confirmer/:token', (c) => {
    noStore(c);
    const token = c.req.param('token');
    const { t } = c.get('tr');
    if (!confirmationIsUsable(deps, token)) {
      return c.html(<MessagePage ctx={pageContext(c)} title={t('request:confirm.invalidTitle')} paragraphs={[t('request:confirm.invalid')]} links={[{ href: '/suivi', label: t('request:receipt.follow') }]} />, 404);
    }
    // A button, not an automatic confirmation: mail scanners that open links must not confirm for the person.
    return c.html(
      <MessagePage ctx={pageContext(c)} title={t('request:confirm.title')} paragraphs={[t('request:confirm.body')]}>
        <form method="post" action={`/demande/confirmer/${token}`}>
          <CsrfField token={c.get('csrfToken')()} />
          <button type="submit" class="button">{t('request:confirm.button')}</button>
        </form>
      </MessagePage>,
    );
  });

  app.post('/demande/confirmer/:token', (c) => {
    noStore(c);
    const request = confirmRequest(deps, c.req.param('token'));
    const { t, date } = c.get('tr');
    if (!request) return c.html(<MessagePage ctx={pageContext(c)} title={t('request:confirm.invalidTitle')} paragraphs={[t('request:confirm.invalid')]} links={[{ href: '/suivi', label: t('request:receipt.follow') }]} />, 404);
    return c.html(
      <MessagePage
        ctx={pageContext(c)}
        status="success"
        title={t('request:confirm.doneTitle')}
        paragraphs={[t('request:confirm.done', { reference: request.reference }), ...submittedParts(deps, request).map((p) => t('request:confirm.due', { organisation: p.answererName, date: date(p.due!.date) }))]}
        links={[{ href: '/suivi', label: t('request:receipt.follow') }]}
      />,
    );
  });

  /* ---------- Tracking ---------- */

  const tracking = trackingCookie(deps.config.sessionSecret, deps.now);
  const trackedRequest = tracking.read;

  app.get('/suivi', (c) => {
    noStore(c);
    return c.html(<TrackFormPage ctx={pageContext(c)} />);
  });

  app.post('/suivi', async (c) => {
    noStore(c);
    const body = await formBody(c);
    if (!trackLimiter.allow(`ip:${clientAddress(c)}`)) throw new HTTPException(429);
    const checked = checkTrackForm(body);
    if (!checked.ok) return c.html(<TrackFormPage ctx={pageContext(c)} errors={checked.errors} values={checked.values} />, 422);
    // Per reference and per e-mail as well: attempts on one request spread over many addresses stop too.
    if (!allowEach(trackTargetLimiter, [`ref:${checked.reference}`, `mail:${deps.index.email(checked.email)}`])) throw new HTTPException(429);
    await requestTrackingLink(deps, checked.reference, checked.email);
    return c.redirect('/suivi/envoye', 303);
  });

  app.get('/suivi/envoye', (c) => {
    const { t } = c.get('tr');
    return c.html(<MessagePage ctx={pageContext(c)} title={t('request:trackForm.sentTitle')} paragraphs={[t('request:trackForm.sent', { minutes: TRACKING_LINK_MINUTES }), t('request:trackForm.sentNone')]} links={[{ href: '/suivi', label: t('request:trackForm.again') }]} />);
  });

  /** The tracking page; after the person's answer to a question, with its confirmation or its error. */
  const renderTracking = (c: Context<AppEnv>, id: string, opts: { answer?: { error: { key: string; values?: Record<string, number> }; value: string }; sent?: boolean } = {}) => {
    const view = trackingView(deps, id);
    if (!view) return c.redirect('/suivi', 303);
    const { t } = c.get('tr');
    const today = todayIn(deps.now());
    // The date that applies (the three-month one once extended, GDPR art. 12(3)), stored on the request.
    const due = view.dates.due;
    return c.html(
      <TrackPage
        ctx={pageContext(c)}
        clarification={view.request.status === 'precision_demandee' ? { question: latestClarificationQuestion(deps, view.request.id), error: opts.answer ? t(`request:errors.${opts.answer.error.key}`, opts.answer.error.values) : undefined, value: opts.answer?.value, max: FIELD_LIMITS.answer } : undefined}
        answerSent={opts.sent && view.request.status !== 'precision_demandee' ? { organisation: view.recipientName ?? '' } : undefined}
        view={{
          submittedOn: view.request.createdAt.slice(0, 10),
          reference: view.request.reference,
          kind: view.request.kind,
          scope: view.request.scope,
          status: view.request.status,
          recipient: view.recipientName,
          project: view.projectTitle,
          events: view.events,
          due,
          extendedDue: view.dates.extendedDue,
          estimated: view.dates.estimated,
          daysLeft: daysBetween(today, due),
          overdue: view.overdue,
          canWithdraw: view.canWithdraw,
          parts: view.parts.map((p) => ({ reference: p.reference, organisation: p.answererName, status: p.status, current: p.id === view.request.id })),
          notified: view.notified,
          delivery: view.delivery,
        }}
      />,
      opts.answer ? 422 : 200,
    );
  };

  app.get('/suivi/demande', (c) => {
    noStore(c);
    const id = trackedRequest(c);
    if (!id) return c.redirect('/suivi', 303);
    return renderTracking(c, id, { sent: c.req.query('fait') === 'precision' });
  });

  app.post('/suivi/precision', async (c) => {
    noStore(c);
    const id = trackedRequest(c);
    if (!id) return c.redirect('/suivi', 303);
    const checked = checkClarificationAnswer(await formBody(c));
    // An empty or too long answer: the same page, what was typed kept, nothing stored.
    if (!checked.ok) return renderTracking(c, id, { answer: { error: checked.error, value: checked.value } });
    answerClarification(deps, id, checked.value);
    return c.redirect('/suivi/demande?fait=precision', 303);
  });

  app.get('/suivi/retirer', (c) => {
    noStore(c);
    const id = trackedRequest(c);
    if (!id) return c.redirect('/suivi', 303);
    const { t } = c.get('tr');
    return c.html(
      <MessagePage ctx={pageContext(c)} title={t('request:withdraw.title')} paragraphs={[t('request:withdraw.body')]}>
        <form method="post" action="/suivi/retirer">
          <CsrfField token={c.get('csrfToken')()} />
          <div class="form-actions">
            <button type="submit" class="button button--warning">{t('request:withdraw.confirm')}</button>
            <a href="/suivi/demande">{t('request:withdraw.cancel')}</a>
          </div>
        </form>
      </MessagePage>,
    );
  });

  app.post('/suivi/retirer', (c) => {
    noStore(c);
    const id = trackedRequest(c);
    if (!id) return c.redirect('/suivi', 303);
    withdrawRequest(deps, id);
    return c.redirect('/suivi/demande', 303);
  });

  app.get('/suivi/:token', (c) => {
    noStore(c);
    const id = openTrackingLink(deps, c.req.param('token'));
    const { t } = c.get('tr');
    if (!id) return c.html(<MessagePage ctx={pageContext(c)} title={t('request:trackForm.invalidTitle')} paragraphs={[t('request:trackForm.invalid')]} links={[{ href: '/suivi', label: t('request:trackForm.again') }]} />, 404);
    const exp = deps.now().getTime() + TRACK_SESSION_MINUTES * 60_000;
    setCookie(c, TRACK_COOKIE, tracking.value(id, exp), { path: '/suivi', httpOnly: true, secure, sameSite: 'Lax', maxAge: TRACK_SESSION_MINUTES * 60 });
    return c.redirect('/suivi/demande', 303);
  });

  return app;
}

