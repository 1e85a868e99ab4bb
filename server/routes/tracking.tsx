/**
 * Request tracking, mounted at /suivi: a one-time link asked with the reference and the e-mail address,
 * the tracking page it opens (a signed cookie for an hour), the answer to a question, the withdrawal.
 * Post/redirect/get throughout; personal pages are Cache-Control: no-store (server/middleware/no-store.ts).
 */
import { Hono, type Context } from 'hono';
import { setCookie } from 'hono/cookie';
import { HTTPException } from 'hono/http-exception';
import { TRACK_COOKIE, trackingCookie } from '../auth/tracking-cookie';
import type { AppEnv } from '../context';
import { daysBetween, todayIn } from '../domain/deadlines';
import { FIELD_LIMITS, TRACKING_LINK_MINUTES } from '../domain/rights-request';
import { clientAddress, formBody } from '../http';
import { allowEach, createRateLimiter } from '../middleware/rate-limit';
import { checkClarificationAnswer, checkTrackForm } from '../services/request-form';
import type { FieldError } from '../domain/form-errors';
import type { RequestDeps } from '../services/rights-requests';
import { answerClarification, latestClarificationQuestion, openTrackingLink, requestTrackingLink, trackingView, withdrawRequest } from '../services/tracking';
import { MessagePage, TrackFormPage, TrackPage, WithdrawPage } from '../../views/pages/request/OtherPages';
import { pageContext } from './render';

const TRACK_SESSION_MINUTES = 60;
/** Tracking-link requests in 15 minutes: per client address, and per reference and per e-mail address. */
export const TRACK_LIMIT_PER_ADDRESS = 10;
export const TRACK_LIMIT_PER_TARGET = 5;

/** The tracking page; after the person's answer to a question, with its confirmation or its error. */
function renderTracking(c: Context<AppEnv>, deps: RequestDeps, id: string, opts: { answer?: { error: FieldError; value: string }; sent?: boolean } = {}) {
  const view = trackingView(deps, id);
  if (!view) return c.redirect('/suivi', 303);
  const { t } = c.get('tr');
  const today = todayIn(deps.now());
  // The date that applies (the three-month one once extended, GDPR art. 12(3)), stored on the request.
  const due = view.dates.due;
  return c.html(
    <TrackPage
      ctx={pageContext(c)}
      clarification={
        view.request.status === 'precision_demandee'
          ? {
              question: latestClarificationQuestion(deps, view.request.id),
              error: opts.answer ? t(opts.answer.error.key, opts.answer.error.values) : undefined,
              value: opts.answer?.value,
              max: FIELD_LIMITS.answer,
            }
          : undefined
      }
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
}

export function trackingRoutes(deps: RequestDeps) {
  const app = new Hono<AppEnv>();
  const tracking = trackingCookie(deps.config.sessionSecret, deps.now);
  linkRequestRoutes(app, deps);
  trackingPageRoutes(app, deps, tracking.read);
  // Last: `/:token` would otherwise take the pages' paths.
  linkOpenRoutes(app, deps, tracking);
  return app;
}

/** Asking for a tracking link: the reference and the e-mail address, limited per client, reference and address. */
function linkRequestRoutes(app: Hono<AppEnv>, deps: RequestDeps) {
  const trackLimiter = createRateLimiter({ windowMs: 15 * 60_000, max: TRACK_LIMIT_PER_ADDRESS });
  const trackTargetLimiter = createRateLimiter({ windowMs: 15 * 60_000, max: TRACK_LIMIT_PER_TARGET });

  app.get('/', (c) => {
    return c.html(<TrackFormPage ctx={pageContext(c)} />);
  });

  app.post('/', async (c) => {
    const body = await formBody(c);
    if (!trackLimiter.allow(`ip:${clientAddress(c)}`)) throw new HTTPException(429);
    const checked = checkTrackForm(body);
    if (!checked.ok) return c.html(<TrackFormPage ctx={pageContext(c)} errors={checked.errors} values={checked.values} />, 422);
    // Per reference and per e-mail as well: attempts on one request spread over many addresses stop too.
    if (!allowEach(trackTargetLimiter, [`ref:${checked.reference}`, `mail:${deps.index.email(checked.email)}`])) throw new HTTPException(429);
    await requestTrackingLink(deps, checked.reference, checked.email);
    return c.redirect('/suivi/envoye', 303);
  });

  app.get('/envoye', (c) => {
    const { t } = c.get('tr');
    return c.html(
      <MessagePage
        ctx={pageContext(c)}
        title={t('request:trackForm.sentTitle')}
        paragraphs={[t('request:trackForm.sent', { minutes: TRACKING_LINK_MINUTES }), t('request:trackForm.sentNone')]}
        links={[{ href: '/suivi', label: t('request:trackForm.again') }]}
      />,
    );
  });
}

/** The tracking page, the answer to a question, the withdrawal: for the request of the tracking cookie. */
function trackingPageRoutes(app: Hono<AppEnv>, deps: RequestDeps, trackedRequest: (c: Context<AppEnv>) => string | undefined) {
  app.get('/demande', (c) => {
    const id = trackedRequest(c);
    if (!id) return c.redirect('/suivi', 303);
    return renderTracking(c, deps, id, { sent: c.req.query('fait') === 'precision' });
  });

  app.post('/precision', async (c) => {
    const id = trackedRequest(c);
    if (!id) return c.redirect('/suivi', 303);
    const checked = checkClarificationAnswer(await formBody(c));
    // An empty or too long answer: the same page, what was typed kept, nothing stored.
    if (!checked.ok) return renderTracking(c, deps, id, { answer: { error: checked.error, value: checked.value } });
    answerClarification(deps, id, checked.value);
    return c.redirect('/suivi/demande?fait=precision', 303);
  });

  app.get('/retirer', (c) => {
    const id = trackedRequest(c);
    if (!id) return c.redirect('/suivi', 303);
    return c.html(<WithdrawPage ctx={pageContext(c)} />);
  });

  app.post('/retirer', (c) => {
    const id = trackedRequest(c);
    if (!id) return c.redirect('/suivi', 303);
    withdrawRequest(deps, id);
    return c.redirect('/suivi/demande', 303);
  });
}

/** The link from the mail: opens the tracking page for an hour, in a signed cookie. */
function linkOpenRoutes(app: Hono<AppEnv>, deps: RequestDeps, tracking: ReturnType<typeof trackingCookie>) {
  const secure = deps.config.publicUrl.protocol === 'https:';
  app.get('/:token', (c) => {
    const id = openTrackingLink(deps, c.req.param('token'));
    const { t } = c.get('tr');
    if (!id)
      return c.html(
        <MessagePage
          ctx={pageContext(c)}
          title={t('request:trackForm.invalidTitle')}
          paragraphs={[t('request:trackForm.invalid')]}
          links={[{ href: '/suivi', label: t('request:trackForm.again') }]}
        />,
        404,
      );
    const exp = deps.now().getTime() + TRACK_SESSION_MINUTES * 60_000;
    setCookie(c, TRACK_COOKIE, tracking.value(id, exp), { path: '/suivi', httpOnly: true, secure, sameSite: 'Lax', maxAge: TRACK_SESSION_MINUTES * 60 });
    return c.redirect('/suivi/demande', 303);
  });
}
