/**
 * The rights request form and the address confirmation link, mounted at /demande (tracking: routes/tracking.tsx).
 * Post/redirect/get throughout; every form is a real form (no JavaScript needed); progress lives in a
 * server-side draft whose id is in a cookie, never in the URL. Personal pages are Cache-Control: no-store (server/middleware/no-store.ts).
 */
import { Hono, type Context } from 'hono';
import { setCookie } from 'hono/cookie';
import { HTTPException } from 'hono/http-exception';
import type { AppEnv } from '../context';
import { formatNir } from '../domain/nir';
import { STEPS, nextStep, type Answers, type StepId } from '../domain/rights-request';
import { answersAfterStep, pageAfterStep, skippedAheadTo } from '../domain/request-steps';
import { clientAddress, cookie, formBody } from '../http';
import { createRateLimiter } from '../middleware/rate-limit';
import { checkStep } from '../services/request-form';
import { findProjects as searchProjects, knownChoices, organisationChoices, organisationLabel, projectChoice as choiceOf } from '../services/request-choices';
import { confirmedByToken, receiptOf } from '../services/request-receipt';
import { confirmationIsUsable, confirmRequest, readDraft, submitDraft, writeDraft, type Draft, type RequestDeps } from '../services/rights-requests';
import { asksNir, plannedParts } from '../services/route-plan';
import { CheckPage, ConfirmAddressPage, ConfirmedPage, ConfirmInvalidPage, MessagePage, ReceiptPage, StartPage } from '../../views/pages/request/OtherPages';
import { ProjectChoices, StepPage, type ProjectOption } from '../../views/pages/request/RequestPages';
import { registerReads } from '../services/register-reads';
import { createPageCache } from './page-cache';
import { pageContext } from './render';

const DRAFT_COOKIE = 'demande';

type Drafts = {
  draftOf: (c: Context<AppEnv>) => Draft | undefined;
  saveDraft: (c: Context<AppEnv>, id: string | undefined, answers: Answers) => string;
};

/** The person's draft, by the id in its cookie (set on /demande only, 24 hours). */
function draftsOf(deps: RequestDeps): Drafts {
  const secure = deps.config.publicUrl.protocol === 'https:';
  return {
    draftOf: (c) => readDraft(deps, cookie(c, DRAFT_COOKIE)),
    saveDraft: (c, id, answers) => {
      const draftId = writeDraft(deps, id, answers);
      if (draftId !== id) setCookie(c, DRAFT_COOKIE, draftId, { path: '/demande', httpOnly: true, secure, sameSite: 'Lax', maxAge: 24 * 3600 });
      return draftId;
    },
  };
}

const projectChoiceOf = (deps: RequestDeps, answers: Answers) => choiceOf(deps, answers.projectId);

/** A step's fields from the answers kept: the birth date in its three fields, the NIR as it is written. */
function valuesOf(a: Answers): Record<string, string | undefined> {
  const [y, m, d] = (a.birthDate ?? '').split('-');
  return {
    ...(a as Record<string, string | undefined>),
    birthDay: d ? String(Number(d)) : undefined,
    birthMonth: m ? String(Number(m)) : undefined,
    birthYear: y,
    nir: a.nir ? formatNir(a.nir) : undefined,
  };
}

export function requestRoutes(deps: RequestDeps) {
  const app = new Hono<AppEnv>();
  const drafts = draftsOf(deps);
  startRoutes(app, deps, drafts);
  stepRoutes(app, deps, drafts);
  checkRoutes(app, deps, drafts);
  confirmationRoutes(app, deps);
  return app;
}

/** Start: a new draft, or the one in progress, with the project the person came from. */
function startRoutes(app: Hono<AppEnv>, deps: RequestDeps, { draftOf, saveDraft }: Drafts) {
  // People start more requests than they send: three new drafts per submission allowed.
  const draftLimiter = createRateLimiter({ windowMs: 10 * 60_000, max: 3 * deps.config.submitRateLimit });

  // The first step is the same for everyone (no draft is read here): rendered once per language, address
  // and register version (it names the project the person came from), each visitor's CSRF token put back.
  const cached = createPageCache();
  const register = registerReads(deps.db);
  app.get('/', (c) => {
    const id = c.req.query('projet');
    const project = () => (id && /^[a-z0-9-]{1,80}$/.test(id) ? choiceOf(deps, id) : undefined);
    return cached(c, (ctx) => <StartPage ctx={ctx} project={project()} />, { version: register.version() });
  });

  app.post('/', async (c) => {
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

  app.get('/commencer', (c) => c.redirect('/demande', 303));
}

/** The steps, in order (server/domain/request-steps.ts), and the project search of the scope step. */
function stepRoutes(app: Hono<AppEnv>, deps: RequestDeps, { draftOf, saveDraft }: Drafts) {
  const known = knownChoices(deps);
  const projectChoice = (answers: Answers) => projectChoiceOf(deps, answers);

  /** Projects matching words typed on the scope step: the register's own full-text search. */
  const findProjects = (q: string): ProjectOption[] => searchProjects(deps, q);

  app.get('/projets/suggestions', (c) => {
    const q = (c.req.query('projectQuery') ?? '').trim();
    return c.html(<ProjectChoices t={c.get('tr').t} options={q ? findProjects(q) : []} searched={q.length > 0} />);
  });

  const renderStep = (
    c: Context<AppEnv>,
    step: StepId,
    answers: Answers,
    values: Record<string, string | undefined>,
    errors: { field: string; key: string }[],
    projectResults?: ProjectOption[],
  ) =>
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

  for (const step of STEPS) {
    app.get(`/${step}`, (c) => {
      const draft = draftOf(c);
      if (!draft || draft.requestId) return c.redirect('/demande', 303);
      const back = skippedAheadTo(draft.answers, step);
      if (back) return c.redirect(`/demande/${back}`, 303);
      return renderStep(c, step, draft.answers, valuesOf(draft.answers), []);
    });

    app.post(`/${step}`, async (c) => {
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
}

/** Check your answers, then submit. */
function checkRoutes(app: Hono<AppEnv>, deps: RequestDeps, { draftOf, saveDraft }: Drafts) {
  const limiter = createRateLimiter({ windowMs: 10 * 60_000, max: deps.config.submitRateLimit });
  const projectChoice = (answers: Answers) => projectChoiceOf(deps, answers);

  const renderCheck = (c: Context<AppEnv>, answers: Answers, errors: { field: string; key: string }[]) =>
    c.html(
      <CheckPage
        ctx={pageContext(c)}
        names={{ projectTitle: projectChoice(answers)?.title, organisationName: organisationLabel(deps, answers.organisationId) }}
        asksNir={asksNir(deps, answers)}
        answers={answers}
        errors={errors}
        parts={plannedParts(deps, answers)}
      />,
      errors.length ? 422 : 200,
    );

  app.get('/verifier', (c) => {
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

  app.post('/verifier', async (c) => {
    const body = await formBody(c);
    const draft = draftOf(c);
    if (!draft) return c.redirect('/demande', 303);
    if (draft.requestId) return c.redirect('/demande/recu', 303);
    // A robot fills the hidden field: it gets the same answer as a person and nothing is kept.
    if (body.website) return c.redirect('/demande/recu', 303);
    if (body.declaration !== 'oui') return renderCheck(c, draft.answers, [{ field: 'declaration', key: 'request:errors.declaration.required' }]);
    if (!limiter.allow(`ip:${clientAddress(c)}`) || (draft.answers.email && !limiter.allow(`mail:${deps.index.email(draft.answers.email)}`))) {
      throw new HTTPException(429);
    }
    const outcome = await submitDraft(deps, draft, { lang: c.get('lang') });
    if (outcome.outcome === 'incomplete') return c.redirect(`/demande/${nextStep(draft.answers)}`, 303);
    return c.redirect('/demande/recu', 303);
  });

  app.get('/recu', (c) => {
    const draft = draftOf(c);
    const receipt = receiptOf(deps, draft?.requestId);
    const { t } = c.get('tr');
    if (!receipt)
      return c.html(
        <MessagePage
          ctx={pageContext(c)}
          title={t('request:receipt.noneTitle')}
          paragraphs={[t('request:receipt.none')]}
          links={[
            { href: '/demande', label: t('request:receipt.startAgain') },
            { href: '/suivi', label: t('request:receipt.follow') },
          ]}
        />,
      );
    return c.html(
      <ReceiptPage
        ctx={pageContext(c)}
        reference={receipt.reference}
        parts={receipt.parts}
        kind={receipt.kind}
        scheme={receipt.scheme}
        email={receipt.email}
      />,
    );
  });
}

/** Confirming the address, from the link in the mail. */
function confirmationRoutes(app: Hono<AppEnv>, deps: RequestDeps) {
  app.get('/confirmer/:token', (c) => {
    const token = c.req.param('token');
    if (!confirmationIsUsable(deps, token)) return c.html(<ConfirmInvalidPage ctx={pageContext(c)} />, 404);
    // A button, not an automatic confirmation: mail scanners that open links must not confirm for the person.
    return c.html(<ConfirmAddressPage ctx={pageContext(c)} token={token} />);
  });

  app.post('/confirmer/:token', (c) => {
    const token = c.req.param('token');
    if (!confirmRequest(deps, token)) return c.html(<ConfirmInvalidPage ctx={pageContext(c)} />, 404);
    return c.redirect(`/demande/confirmer/${token}/fait`, 303);
  });

  app.get('/confirmer/:token/fait', (c) => {
    const confirmed = confirmedByToken(deps, c.req.param('token'));
    if (!confirmed) return c.html(<ConfirmInvalidPage ctx={pageContext(c)} />, 404);
    return c.html(<ConfirmedPage ctx={pageContext(c)} reference={confirmed.reference} dues={confirmed.dues} />);
  });
}
