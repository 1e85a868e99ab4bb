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
import { daysBetween, todayIn } from '../domain/deadlines';
import { formatNir } from '../domain/nir';
import { FIELD_LIMITS, STEPS, TRACKING_LINK_MINUTES, nextStep, type Answers, type StepId } from '../domain/rights-request';
import { answersAfterStep, pageAfterStep, skippedAheadTo } from '../domain/request-steps';
import { checkClarificationAnswer, checkStep, checkTrackForm } from '../services/request-form';
import {
  confirmationIsUsable,
  confirmRequest,
  asksNir,
  plannedParts,
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
import { CheckPage, ConfirmAddressPage, ConfirmedPage, ConfirmInvalidPage, MessagePage, ReceiptPage, StartPage, TrackFormPage, TrackPage, WithdrawPage } from '../../views/pages/request/OtherPages';
import { ProjectChoices, StepPage, type ProjectOption } from '../../views/pages/request/RequestPages';
import { findProjects as searchProjects, knownChoices, organisationChoices, organisationLabel, projectChoice as choiceOf } from '../services/request-choices';
import { confirmedByToken, receiptOf } from '../services/request-receipt';
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
  const known = knownChoices(deps);
  const projectChoice = (answers: Answers) => choiceOf(deps, answers.projectId);

  /* ---------- Start ---------- */

  app.get('/demande', (c) => {
    noStore(c);
    const id = c.req.query('projet');
    return c.html(<StartPage ctx={pageContext(c)} project={id && /^[a-z0-9-]{1,80}$/.test(id) ? choiceOf(deps, id) : undefined} />);
  });

  app.post('/demande', async (c) => {
    const body = await formBody(c);
    const existing = draftOf(c);
    const p = body.projet && /^[a-z0-9-]{1,80}$/.test(body.projet) ? choiceOf(deps, body.projet) : undefined;
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
  const findProjects = (q: string): ProjectOption[] => searchProjects(deps, q);

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
        organisations={organisationChoices(deps)}
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
      const back = skippedAheadTo(draft.answers, step);
      if (back) return c.redirect(`/demande/${back}`, 303);
      return renderStep(c, step, draft.answers, valuesOf(draft.answers), []);
    });

    app.post(`/demande/${step}`, async (c) => {
      noStore(c);
      const draft = draftOf(c);
      if (!draft || draft.requestId) return c.redirect('/demande', 303);
      const back = skippedAheadTo(draft.answers, step);
      if (back) return c.redirect(`/demande/${back}`, 303);
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
      const answers = answersAfterStep(draft.answers, step, result.values, (x) => asksNir(deps, x));
      saveDraft(c, draft.id, answers);
      return c.redirect(`/demande/${pageAfterStep(step, answers, c.req.query('retour') === 'verifier')}`, 303);
    });
  }

  /* ---------- Check your answers, submit ---------- */

  const renderCheck = (c: Context<AppEnv>, answers: Answers, errors: { field: string; key: string }[]) =>
    c.html(<CheckPage ctx={pageContext(c)} names={{ projectTitle: projectChoice(answers)?.title, organisationName: organisationLabel(deps, answers.organisationId) }} asksNir={asksNir(deps, answers)} answers={answers} errors={errors} parts={plannedParts(deps, answers)} />, errors.length ? 422 : 200);

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
    const receipt = receiptOf(deps, draft?.requestId);
    const { t } = c.get('tr');
    if (!receipt) return c.html(<MessagePage ctx={pageContext(c)} title={t('request:receipt.noneTitle')} paragraphs={[t('request:receipt.none')]} links={[{ href: '/demande', label: t('request:receipt.startAgain') }, { href: '/suivi', label: t('request:receipt.follow') }]} />);
    return c.html(<ReceiptPage ctx={pageContext(c)} reference={receipt.reference} parts={receipt.parts} kind={receipt.kind} scheme={receipt.scheme} email={receipt.email} />);
  });

  /* ---------- Confirming the address ---------- */

  app.get('/demande/confirmer/:token', (c) => {
    noStore(c);
    const token = c.req.param('token');
    if (!confirmationIsUsable(deps, token)) return c.html(<ConfirmInvalidPage ctx={pageContext(c)} />, 404);
    // A button, not an automatic confirmation: mail scanners that open links must not confirm for the person.
    return c.html(<ConfirmAddressPage ctx={pageContext(c)} token={token} />);
  });

  app.post('/demande/confirmer/:token', (c) => {
    noStore(c);
    const token = c.req.param('token');
    if (!confirmRequest(deps, token)) return c.html(<ConfirmInvalidPage ctx={pageContext(c)} />, 404);
    return c.redirect(`/demande/confirmer/${token}/fait`, 303);
  });

  app.get('/demande/confirmer/:token/fait', (c) => {
    noStore(c);
    const confirmed = confirmedByToken(deps, c.req.param('token'));
    if (!confirmed) return c.html(<ConfirmInvalidPage ctx={pageContext(c)} />, 404);
    return c.html(<ConfirmedPage ctx={pageContext(c)} reference={confirmed.reference} dues={confirmed.dues} />);
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
    return c.html(<WithdrawPage ctx={pageContext(c)} />);
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

