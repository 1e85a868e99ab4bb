/**
 * Following the register by e-mail, without an account (DESIGN §13, issue 14), mounted at /suivre:
 * - /suivre/{projet,organisation,source}/<id> and /suivre/recherche?<filters>: the follow form (address,
 *   daily or weekly), double opt-in: a confirmation link is mailed, nothing else until it is used;
 * - /suivre/confirmer/<token>: a page with a button (a mail scanner opening the link confirms nothing);
 * - /suivre/desabonner/<token>: the List-Unsubscribe URL of every digest. A GET shows a button; a POST
 *   stops the follow at once, with neither CSRF token nor cookie (RFC 8058 §3.2: the mail client posts
 *   `List-Unsubscribe=One-Click` on its own; the path is exempt from CSRF in server/app.tsx);
 * - /suivre/gerer: the management link asked by address (mailed, once); /suivre/gerer/<token>: a button
 *   that opens /suivre/mes-suivis for an hour (a signed cookie holding the address's blind index).
 * Bad input: the form again, 422, nothing stored; too many requests: 429; a link that no longer works:
 * 404 with what to do. Pages answer `no-store` (server/middleware/no-store.ts).
 */
import { Hono, type Context } from 'hono';
import { setCookie } from 'hono/cookie';
import { HTTPException } from 'hono/http-exception';
import { FOLLOW_COOKIE, followCookie } from '../auth/follow-cookie';
import type { AppDeps, AppEnv } from '../context';
import { FOLLOW_CONFIRM_DAYS, MANAGE_LINK_MINUTES, MANAGE_SESSION_MINUTES, followFormPath, type FollowKind } from '../domain/follows';
import type { FieldError } from '../domain/form-errors';
import { clientAddress, formBody } from '../http';
import { allowEach, createRateLimiter } from '../middleware/rate-limit';
import { checkFollowForm, checkFrequency, checkManageForm } from '../services/follow-form';
import { describeTarget, findFollowTarget, targetPath } from '../services/follow-targets';
import {
  changeFrequency,
  confirmedFollow,
  confirmFollow,
  followsOf,
  followToConfirm,
  followToStop,
  manageLinkIsUsable,
  openManageLink,
  requestFollow,
  requestManageLink,
  stopFollows,
  unsubscribe,
  type FollowDeps,
} from '../services/follows';
import { ButtonPage, FollowFormPage, FollowLinkInvalidPage, ManageFormPage, MyFollowsPage } from '../../views/pages/follow/FollowPages';
import { MessagePage } from '../../views/pages/request/OtherPages';
import { pageContext } from './render';

/** The path /suivre/desabonner/ takes the one-click POST of mail clients: no CSRF token, no cookie (RFC 8058). */
export const UNSUBSCRIBE_PATH = '/suivre/desabonner/';
/** Follow and management-link requests in 15 minutes: per client address, and per e-mail address. */
export const FOLLOW_LIMIT_PER_CLIENT = 10;
export const FOLLOW_LIMIT_PER_EMAIL = 5;
const WINDOW_MS = 15 * 60_000;

const KINDS: Record<string, Exclude<FollowKind, 'search'>> = { projet: 'project', organisation: 'organisation', source: 'source' };

export function followRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const followDeps: FollowDeps = {
    db: deps.database.db,
    cipher: deps.cipher,
    index: deps.index,
    config: deps.config,
    logger: deps.logger,
    now: deps.now,
    i18n: deps.i18n,
    kickMail: deps.mailWorker.kick,
  };
  const perClient = createRateLimiter({ windowMs: WINDOW_MS, max: FOLLOW_LIMIT_PER_CLIENT, now: () => deps.now().getTime() });
  const perEmail = createRateLimiter({ windowMs: WINDOW_MS, max: FOLLOW_LIMIT_PER_EMAIL, now: () => deps.now().getTime() });
  /** Counts a request against the client and the address; false past either limit. */
  const allowed = (c: Context<AppEnv>, email: string) =>
    allowEach(perClient, [`ip:${clientAddress(c)}`]) && allowEach(perEmail, [`mail:${deps.index.email(email)}`]);
  followFormRoutes(app, followDeps, allowed);
  confirmRoutes(app, followDeps);
  unsubscribeRoutes(app, followDeps);
  manageRoutes(app, followDeps, allowed, followCookie(deps.config.sessionSecret, deps.now));
  return app;
}

type Allowed = (c: Context<AppEnv>, email: string) => boolean;
const TOO_MANY: FieldError = { field: 'email', key: 'follow:tooMany' };

/** The follow form of a target, and its answer: mailed a confirmation link, or the form again with what is wrong. */
function followFormRoutes(app: Hono<AppEnv>, deps: FollowDeps, allowed: Allowed) {
  const targetOf = (c: Context<AppEnv>) => {
    const path = c.req.param('kind');
    const kind: FollowKind | undefined = path === undefined ? 'search' : KINDS[path];
    const target = kind ? findFollowTarget(deps.db, kind, c.req.param('id'), (n) => c.req.query(n)) : undefined;
    if (!target) throw new HTTPException(404);
    return target;
  };
  const form = (c: Context<AppEnv>, errors: FieldError[] = [], values: Record<string, string> = {}, status: 200 | 422 | 429 = 200) => {
    const target = targetOf(c);
    const label = describeTarget(c.get('tr'), target);
    return c.html(
      <FollowFormPage ctx={pageContext(c)} target={{ label, href: targetPath(target) }} action={followFormPath(target)} errors={errors} values={values} />,
      status,
    );
  };
  const post = async (c: Context<AppEnv>) => {
    const target = targetOf(c);
    const checked = checkFollowForm(await formBody(c));
    if (!checked.ok) return form(c, checked.errors, checked.values, 422);
    if (!allowed(c, checked.value.email)) return form(c, [TOO_MANY], { email: checked.value.email, frequency: checked.value.frequency }, 429);
    requestFollow(deps, { target, ...checked.value, lang: c.get('lang') });
    return c.redirect('/suivre/envoye', 303);
  };
  app.get('/suivre/recherche', (c) => form(c));
  app.post('/suivre/recherche', post);
  app.get('/suivre/:kind{projet|organisation|source}/:id', (c) => form(c));
  app.post('/suivre/:kind{projet|organisation|source}/:id', post);
  app.get('/suivre/envoye', (c) => {
    const { t } = c.get('tr');
    return c.html(
      <MessagePage
        ctx={pageContext(c)}
        title={t('follow:sent.title')}
        paragraphs={[t('follow:sent.body', { days: FOLLOW_CONFIRM_DAYS }), t('follow:sent.none')]}
        status="info"
      />,
    );
  });
}

/** The confirmation link: a button that confirms, once; then what is followed and how to stop. */
function confirmRoutes(app: Hono<AppEnv>, deps: FollowDeps) {
  app.get('/suivre/confirmer/:token', (c) => {
    const follow = followToConfirm(deps, c.req.param('token'), c.get('lang'));
    if (!follow) return c.html(<FollowLinkInvalidPage ctx={pageContext(c)} />, 404);
    const { t } = c.get('tr');
    const paragraphs = [t('follow:confirm.lead', { target: follow.label, frequency: t(`follow:frequency.${follow.frequency}`) })];
    return c.html(
      <ButtonPage ctx={pageContext(c)} title={t('follow:confirm.title')} paragraphs={paragraphs} action={c.req.path} button={t('follow:confirm.button')} />,
    );
  });
  app.post('/suivre/confirmer/:token', (c) => {
    const token = c.req.param('token');
    if (!confirmFollow(deps, token)) return c.html(<FollowLinkInvalidPage ctx={pageContext(c)} />, 404);
    return c.redirect(`/suivre/confirmer/${token}/fait`, 303);
  });
  app.get('/suivre/confirmer/:token/fait', (c) => {
    const follow = confirmedFollow(deps, c.req.param('token'), c.get('lang'));
    if (!follow) return c.html(<FollowLinkInvalidPage ctx={pageContext(c)} />, 404);
    const { t } = c.get('tr');
    return c.html(
      <MessagePage
        ctx={pageContext(c)}
        title={t('follow:confirmed.title')}
        status="success"
        paragraphs={[t('follow:confirmed.body', { target: follow.label, frequency: t(`follow:frequency.${follow.frequency}`) }), t('follow:confirmed.stop')]}
        links={[{ href: follow.href, label: t('follow:confirmed.see') }]}
      />,
    );
  });
}

/** The List-Unsubscribe URL: a GET shows the button (scanners open links), a POST stops the follow (RFC 8058 one-click). */
function unsubscribeRoutes(app: Hono<AppEnv>, deps: FollowDeps) {
  const invalid = (c: Context<AppEnv>) => c.html(<FollowLinkInvalidPage ctx={pageContext(c)} message={c.get('tr').t('follow:unsubscribe.invalid')} />, 404);
  app.get(`${UNSUBSCRIBE_PATH}:token`, (c) => {
    const follow = followToStop(deps, c.req.param('token'), c.get('lang'));
    if (!follow) return invalid(c);
    const { t } = c.get('tr');
    return c.html(
      <ButtonPage
        ctx={pageContext(c)}
        title={t('follow:unsubscribe.title')}
        paragraphs={[t('follow:unsubscribe.lead', { target: follow.label })]}
        action={c.req.path}
        button={t('follow:unsubscribe.button')}
        csrf={false}
      />,
    );
  });
  app.post(`${UNSUBSCRIBE_PATH}:token`, async (c) => {
    // The body is `List-Unsubscribe=One-Click` (RFC 8058 §3.2), or the button's empty form: nothing in it
    // decides, but it is read as every form is, so a body that does not parse is a 400 here too.
    await formBody(c);
    const follow = unsubscribe(deps, c.req.param('token'), c.get('lang'));
    if (!follow) return invalid(c);
    const { t } = c.get('tr');
    return c.html(
      <MessagePage
        ctx={pageContext(c)}
        title={t('follow:unsubscribe.doneTitle')}
        status="success"
        paragraphs={[t('follow:unsubscribe.done', { target: follow.label })]}
        links={[{ href: '/suivre/gerer', label: t('follow:form.manage') }]}
      />,
    );
  });
}

/** Asking for the management link, opening it (a button, then a cookie for an hour), and the management page. */
function manageRoutes(app: Hono<AppEnv>, deps: FollowDeps, allowed: Allowed, cookie: ReturnType<typeof followCookie>) {
  app.get('/suivre/gerer', (c) => c.html(<ManageFormPage ctx={pageContext(c)} />));
  app.post('/suivre/gerer', async (c) => {
    const checked = checkManageForm(await formBody(c));
    if (!checked.ok) return c.html(<ManageFormPage ctx={pageContext(c)} errors={checked.errors} values={checked.values} />, 422);
    if (!allowed(c, checked.value.email)) return c.html(<ManageFormPage ctx={pageContext(c)} errors={[TOO_MANY]} values={checked.value} />, 429);
    requestManageLink(deps, checked.value.email, c.get('lang'));
    return c.redirect('/suivre/gerer/envoye', 303);
  });
  app.get('/suivre/gerer/envoye', (c) => {
    const { t } = c.get('tr');
    return c.html(
      <MessagePage
        ctx={pageContext(c)}
        title={t('follow:manage.sentTitle')}
        paragraphs={[t('follow:manage.sent', { minutes: MANAGE_LINK_MINUTES })]}
        status="info"
      />,
    );
  });
  app.get('/suivre/gerer/:token', (c) => {
    if (!manageLinkIsUsable(deps, c.req.param('token'))) return c.html(<FollowLinkInvalidPage ctx={pageContext(c)} />, 404);
    const { t } = c.get('tr');
    return c.html(
      <ButtonPage
        ctx={pageContext(c)}
        title={t('follow:manage.openTitle')}
        paragraphs={[t('follow:manage.open')]}
        action={c.req.path}
        button={t('follow:manage.openButton')}
      />,
    );
  });
  app.post('/suivre/gerer/:token', (c) => {
    const emailIndex = openManageLink(deps, c.req.param('token'));
    if (!emailIndex) return c.html(<FollowLinkInvalidPage ctx={pageContext(c)} />, 404);
    const exp = deps.now().getTime() + MANAGE_SESSION_MINUTES * 60_000;
    const secure = deps.config.publicUrl.protocol === 'https:';
    setCookie(c, FOLLOW_COOKIE, cookie.value(emailIndex, exp), {
      path: '/suivre',
      httpOnly: true,
      secure,
      sameSite: 'Lax',
      maxAge: MANAGE_SESSION_MINUTES * 60,
    });
    return c.redirect('/suivre/mes-suivis', 303);
  });
  myFollowsRoutes(app, deps, cookie.read);
}

/** The follows of the address of the management cookie: change a rhythm, stop one, stop all. */
function myFollowsRoutes(app: Hono<AppEnv>, deps: FollowDeps, address: (c: Context<AppEnv>) => string | undefined) {
  const DONE = new Set(['frequency', 'stopped', 'all']);
  app.get('/suivre/mes-suivis', (c) => {
    const emailIndex = address(c);
    if (!emailIndex) return c.redirect('/suivre/gerer', 303);
    const done = c.req.query('fait');
    return c.html(<MyFollowsPage ctx={pageContext(c)} follows={followsOf(deps, emailIndex, c.get('lang'))} done={done && DONE.has(done) ? done : undefined} />);
  });
  const action = (path: string, run: (emailIndex: string, body: Record<string, string | undefined>) => string | undefined) =>
    app.post(`/suivre/mes-suivis/${path}`, async (c) => {
      const emailIndex = address(c);
      if (!emailIndex) return c.redirect('/suivre/gerer', 303);
      const done = run(emailIndex, await formBody(c));
      // An unknown follow or rhythm (a tampered form): nothing changed, the page as it is.
      if (!done) throw new HTTPException(400);
      return c.redirect(`/suivre/mes-suivis?fait=${done}`, 303);
    });
  action('frequence', (emailIndex, body) => {
    const frequency = checkFrequency(body.frequency);
    return frequency && changeFrequency(deps, emailIndex, body.id ?? '', frequency) ? 'frequency' : undefined;
  });
  action('arreter', (emailIndex, body) => (stopFollows(deps, emailIndex, body.id === 'all' ? '' : (body.id ?? '')) > 0 ? 'stopped' : undefined));
  action('tout-arreter', (emailIndex) => (stopFollows(deps, emailIndex, 'all') >= 0 ? 'all' : undefined));
}
