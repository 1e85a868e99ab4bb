/**
 * Signing in to the back office with passkeys: the home page, sign-in, enrolment from an
 * invitation, sign-out, and the page where a person names, adds and removes their passkeys.
 *
 * Each WebAuthn ceremony is a real form: the page carries the options and a challenge id, the browser
 * (views/assets/passkey.js) puts its result in a hidden field and posts the form with its CSRF token,
 * the server verifies (server/auth/webauthn.ts) and redirects (post/redirect/get). A refused attempt
 * shows the page again with an error summary and a fresh challenge. Sign-in and enrolment are rate limited
 * per address, sign-in per account too. The audit log records each outcome with a hash of the credential id,
 * never the browser's response.
 */
import { formBody, clientAddress } from '../../http';
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AppDeps, AppEnv } from '../../context';
import { requireRole } from '../../auth/guard';
import { clearSessionCookie, currentSessionId, setSessionCookie } from '../../auth/sessions';
import { createRateLimiter } from '../../middleware/rate-limit';
import { ROLES } from '../../services/staff';
import {
  addPasskey,
  checkPasskeyName,
  enrolFromInvitation,
  invitationCeremony,
  invitationFor,
  ownPasskey,
  ownPasskeyIndex,
  passkeysPage,
  renamePasskey,
  revokePasskey,
  type StaffPasskeyDeps,
} from '../../services/staff-passkeys';
import { accountClaimed, signIn, signInCeremony, signOut, staffHome } from '../../services/staff-sessions';
import type { FormError } from '../../../views/components/ErrorSummary';
import { InvitationInvalidPage, InvitationPage } from '../../../views/pages/staff/auth/InvitationPages';
import { PasskeysPage, RevokePage, type PasskeyMessage } from '../../../views/pages/staff/auth/PasskeysPage';
import { SignInPage } from '../../../views/pages/staff/auth/SignInPage';
import { StaffHomePage } from '../../../views/pages/staff/auth/StaffHomePage';
import { pageContext } from '../render';

/** Sign-in attempts per address and per account, enrolment attempts per address, in 10 minutes; pages that issue a challenge, more. */
export const SIGN_IN_LIMIT = 20;
const ENROL_LIMIT = 20;
const CHALLENGE_PAGE_LIMIT = 120;
const WINDOW_MS = 10 * 60_000;
const MESSAGES: readonly PasskeyMessage[] = ['enrolled', 'added', 'renamed', 'revoked'];

/**
 * Where to go after signing in: only a path of this site's back office (no other host, no scheme,
 * no `//`, no backslash), normalised; anything else gives undefined and the caller uses /espace-pro.
 */
export function safeReturn(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > 500) return undefined;
  if (!value.startsWith('/espace-pro') || value.includes('//') || /[\\\s\u0000-\u001f\u007f]/.test(value)) return undefined;
  const url = new URL(value, 'http://local.invalid');
  if (url.origin !== 'http://local.invalid' || !/^\/espace-pro(\/|$)/.test(url.pathname)) return undefined;
  if (/^\/espace-pro\/(connexion|deconnexion|invitation)(\/|$)/.test(url.pathname)) return undefined;
  return url.pathname + url.search;
}

/** What the three parts below share: the services' deps, the rate limiters (one count across parts), helpers. */
function authShared(deps: AppDeps) {
  const secure = deps.config.publicUrl.protocol === 'https:';
  const services: StaffPasskeyDeps = { db: deps.database.db, cipher: deps.cipher, index: deps.index, config: deps.config, now: deps.now };
  const clock = () => deps.now().getTime();
  const signInLimiter = createRateLimiter({ windowMs: WINDOW_MS, max: SIGN_IN_LIMIT, now: clock });
  const enrolLimiter = createRateLimiter({ windowMs: WINDOW_MS, max: ENROL_LIMIT, now: clock });
  const challengeLimiter = createRateLimiter({ windowMs: WINDOW_MS, max: CHALLENGE_PAGE_LIMIT, now: clock });
  const signedIn = requireRole(deps, ROLES);

  const limit = (c: Context<AppEnv>, limiter: { allow: (k: string) => boolean }) => {
    if (!limiter.allow(`ip:${clientAddress(c)}`)) throw new HTTPException(429, { message: 'Too many passkey attempts' });
  };
  const staffOf = (c: Context<AppEnv>) => {
    const staff = c.get('staff');
    if (!staff) throw new HTTPException(404);
    return staff;
  };
  return { secure, services, signInLimiter, enrolLimiter, challengeLimiter, signedIn, limit, staffOf };
}
type AuthShared = ReturnType<typeof authShared>;

export function staffAuthRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const shared = authShared(deps);
  app.route('/', signInRoutes(shared));
  app.route('/', invitationRoutes(shared));
  app.route('/', passkeyRoutes(shared));
  return app;
}

/** The back office home, sign-in and sign-out. */
function signInRoutes({ secure, services, signInLimiter, challengeLimiter, limit }: AuthShared) {
  const app = new Hono<AppEnv>();

  /* ---------- Home ---------- */

  app.get('/espace-pro', (c) => {
    const staff = c.get('staff');
    if (!staff) return c.redirect('/espace-pro/connexion', 303);
    const home = staffHome(services, staff.user);
    return c.html(<StaffHomePage ctx={pageContext(c)} role={staff.user.role} passkeyCount={home.passkeyCount} trouble={home.trouble} />);
  });

  /* ---------- Sign in ---------- */

  const renderSignIn = async (c: Context<AppEnv>, retour: string | undefined, failed: boolean) => {
    const { challengeId, options } = await signInCeremony(services);
    return c.html(<SignInPage ctx={pageContext(c)} challengeId={challengeId} options={options} retour={retour} failed={failed} />, failed ? 400 : 200);
  };

  app.get('/espace-pro/connexion', async (c) => {
    const retour = safeReturn(c.req.query('retour'));
    if (c.get('staff')) return c.redirect(retour ?? '/espace-pro', 303);
    limit(c, challengeLimiter);
    return renderSignIn(c, retour, false);
  });

  app.post('/espace-pro/connexion', async (c) => {
    limit(c, signInLimiter);
    const body = await formBody(c);
    // Per account too: attempts on one account spread over many addresses stop all the same.
    const account = accountClaimed(services, body.response ?? '');
    if (account && !signInLimiter.allow(`user:${account}`)) throw new HTTPException(429, { message: 'Too many passkey attempts on one account' });
    const retour = safeReturn(body.retour);
    const result = await signIn(services, {
      challengeId: body.challengeId ?? '',
      response: body.response ?? '',
      previousSessionId: currentSessionId(c, secure),
    });
    if (!result.ok) return renderSignIn(c, retour, true);
    setSessionCookie(c, result.sessionId, secure);
    return c.redirect(retour ?? '/espace-pro', 303);
  });

  app.post('/espace-pro/deconnexion', (c) => {
    signOut(services, { sessionId: currentSessionId(c, secure), userId: c.get('staff')?.user.id });
    clearSessionCookie(c, secure);
    return c.redirect('/espace-pro/connexion', 303);
  });

  return app;
}

/** Enrolment from an invitation: the person (new or known) and their first passkey. */
function invitationRoutes({ secure, services, enrolLimiter, challengeLimiter, limit }: AuthShared) {
  const app = new Hono<AppEnv>();

  const renderInvitation = async (
    c: Context<AppEnv>,
    token: string,
    invitation: NonNullable<ReturnType<typeof invitationFor>>,
    name: string | undefined,
    errors: FormError[],
    status: 200 | 400 | 422,
  ) => {
    const { challengeId, options, existingUser } = await invitationCeremony(services, invitation);
    return c.html(
      <InvitationPage
        ctx={pageContext(c)}
        invitation={{ token, role: invitation.role, existingUser, expiresAt: invitation.expiresAt }}
        challengeId={challengeId}
        options={options}
        name={name}
        errors={errors}
      />,
      status,
    );
  };

  const invalidInvitation = (c: Context<AppEnv>) => c.html(<InvitationInvalidPage ctx={pageContext(c)} />, 404);

  app.get('/espace-pro/invitation/:token', async (c) => {
    const token = c.req.param('token');
    const invitation = invitationFor(services, token);
    if (!invitation) return invalidInvitation(c);
    limit(c, challengeLimiter);
    return renderInvitation(c, token, invitation, undefined, [], 200);
  });

  app.post('/espace-pro/invitation/:token', async (c) => {
    limit(c, enrolLimiter);
    const token = c.req.param('token');
    const invitation = invitationFor(services, token);
    if (!invitation) return invalidInvitation(c);
    const { t } = c.get('tr');
    const body = await formBody(c);
    const { name, error } = checkPasskeyName(body.name);
    if (error) return renderInvitation(c, token, invitation, body.name, [{ field: 'name', href: '#f-name', message: t(`staff-auth:errors.${error}`) }], 422);
    const result = await enrolFromInvitation(services, {
      invitation,
      name,
      challengeId: body.challengeId ?? '',
      response: body.response ?? '',
      previousSessionId: currentSessionId(c, secure),
    });
    if (!result.ok && result.reason === 'ceremony') {
      return renderInvitation(c, token, invitation, name, [{ field: 'passkey', href: '#passkey-button', message: t('staff-auth:errors.enrol') }], 400);
    }
    if (!result.ok) return invalidInvitation(c);
    setSessionCookie(c, result.sessionId, secure);
    return c.redirect('/espace-pro/cles?message=enrolled', 303);
  });

  return app;
}

/** The page where a signed-in person names, adds and removes their passkeys. */
function passkeyRoutes({ secure, services, enrolLimiter, signedIn, limit, staffOf }: AuthShared) {
  const app = new Hono<AppEnv>();
  app.use('/espace-pro/cles', signedIn);
  app.use('/espace-pro/cles/*', signedIn);
  const renderPasskeys: RenderPasskeys = async (c, opts) => {
    const { passkeys, add } = await passkeysPage(services, staffOf(c).user);
    return c.html(
      <PasskeysPage ctx={pageContext(c)} passkeys={passkeys} message={opts.message} errors={opts.errors ?? []} values={opts.values ?? {}} add={add} />,
      opts.status ?? 200,
    );
  };
  app.get('/espace-pro/cles', (c) => {
    const message = c.req.query('message');
    return renderPasskeys(c, { message: MESSAGES.find((m) => m === message) });
  });
  addAndRenameRoutes(app, { services, enrolLimiter, limit, staffOf }, renderPasskeys);
  revokeRoutes(app, { secure, services, staffOf });
  return app;
}

type RenderPasskeys = (
  c: Context<AppEnv>,
  opts: { message?: PasskeyMessage; errors?: FormError[]; values?: Record<string, string | undefined>; status?: 200 | 400 | 422 },
) => Promise<Response>;

/** Adding a passkey and renaming one: both show the passkeys page again with the error. */
function addAndRenameRoutes(
  app: Hono<AppEnv>,
  { services, enrolLimiter, limit, staffOf }: Pick<AuthShared, 'services' | 'enrolLimiter' | 'limit' | 'staffOf'>,
  renderPasskeys: RenderPasskeys,
) {
  /** Adds a passkey for the signed-in person (a registration ceremony bound to them). */
  app.post('/espace-pro/cles', async (c) => {
    limit(c, enrolLimiter);
    const { user } = staffOf(c);
    const { t } = c.get('tr');
    const body = await formBody(c);
    const { name, error } = checkPasskeyName(body.name);
    if (error)
      return renderPasskeys(c, {
        errors: [{ field: 'name', href: '#f-name', message: t(`staff-auth:errors.${error}`) }],
        values: { name: body.name },
        status: 422,
      });
    const result = await addPasskey(services, { userId: user.id, name, challengeId: body.challengeId ?? '', response: body.response ?? '' });
    if (!result.ok)
      return renderPasskeys(c, {
        errors: [{ field: 'passkey', href: '#passkey-button', message: t('staff-auth:errors.enrol') }],
        values: { name },
        status: 400,
      });
    return c.redirect('/espace-pro/cles?message=added', 303);
  });

  app.post('/espace-pro/cles/renommer', async (c) => {
    const { user } = staffOf(c);
    const { t } = c.get('tr');
    const body = await formBody(c);
    const credential = body.credential ?? '';
    const index = ownPasskeyIndex(services, user.id, credential);
    if (index < 0) throw new HTTPException(404);
    const { name, error } = checkPasskeyName(body.name);
    if (error) {
      return renderPasskeys(c, {
        errors: [{ field: `rename-${index}`, href: `#f-rename-${index}`, message: t(`staff-auth:errors.${error}`) }],
        values: { [`rename-${index}`]: body.name },
        status: 422,
      });
    }
    if (!renamePasskey(services, { userId: user.id, credentialId: credential, name })) throw new HTTPException(404);
    return c.redirect('/espace-pro/cles?message=renamed', 303);
  });
}

/** Removing a passkey: a confirmation page, then the removal (never the last one). */
function revokeRoutes(app: Hono<AppEnv>, { secure, services, staffOf }: Pick<AuthShared, 'secure' | 'services' | 'staffOf'>) {
  app.get('/espace-pro/cles/supprimer', (c) => {
    // Someone else's passkey does not exist for them: a 404.
    const own = ownPasskey(services, staffOf(c).user.id, c.req.query('cle'));
    if (!own) throw new HTTPException(404);
    return c.html(<RevokePage ctx={pageContext(c)} passkey={own.passkey} isLast={own.isLast} />);
  });

  app.post('/espace-pro/cles/supprimer', async (c) => {
    const body = await formBody(c);
    const result = revokePasskey(services, { userId: staffOf(c).user.id, credentialId: body.credential });
    if (!result.ok && result.reason === 'last' && result.passkey) return c.html(<RevokePage ctx={pageContext(c)} passkey={result.passkey} isLast />, 400);
    if (!result.ok) throw new HTTPException(404);
    setSessionCookie(c, result.sessionId, secure);
    return c.redirect('/espace-pro/cles?message=revoked', 303);
  });
}
