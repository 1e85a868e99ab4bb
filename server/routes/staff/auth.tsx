/**
 * Signing in to the back office with passkeys (DESIGN §8): the home page, sign-in, enrolment from an
 * invitation, sign-out, and the page where a person names, adds and removes their passkeys.
 *
 * Each WebAuthn ceremony is a real form: the page carries the options and a challenge id, the browser
 * (views/assets/passkey.js) puts its result in a hidden field and posts the form with its CSRF token,
 * the server verifies (server/auth/webauthn.ts) and redirects (post/redirect/get). A refused attempt
 * shows the page again with an error summary and a fresh challenge. Sign-in and enrolment are rate
 * limited per address, and sign-in per account as well. The audit log records every outcome with a hash of the credential id, never
 * the browser's response.
 */
import { formBody, clientAddress } from '../../http';
import { Hono, type Context } from 'hono';
import { deliveryTrouble } from '../../db/deliveries';
import { HTTPException } from 'hono/http-exception';
import type { AppDeps, AppEnv } from '../../context';
import { auditFor, requireRole } from '../../auth/guard';
import { currentSessionId, endSession, startSession } from '../../auth/sessions';
import { claimedAccount, credentialIdHash, finishAuthentication, finishRegistration, startAuthentication, startRegistration, type WebAuthnDeps } from '../../auth/webauthn';
import type { Db } from '../../db/client';
import {
  consumeInvitation,
  credentialById,
  credentialsOf,
  deleteCredential,
  deleteUserSessions,
  insertCredential,
  insertUser,
  renameCredential,
  ROLES,
  usableInvitation,
  userByEmailIndex,
  userById,
  type InvitationRecord,
} from '../../db/staff';
import { createRateLimiter } from '../../middleware/rate-limit';
import { appendAudit, auditKey } from '../../services/audit';
import { encryptUserEmail, hashToken, invitationEmail, newUserHandle, newUserId, userEmail, type StaffDeps } from '../../services/staff';
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
const PASSKEY_NAME_MAX = 60;

const MESSAGES: readonly PasskeyMessage[] = ['enrolled', 'added', 'renamed', 'revoked'];
const TOKEN = /^[A-Za-z0-9_-]{43}$/;




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

/** A passkey's name: required, 60 characters at most. */
function checkName(raw: string | undefined): { name: string; error?: 'nameRequired' | 'nameTooLong' } {
  const name = (raw ?? '').replace(/\s+/g, ' ').trim();
  if (!name) return { name, error: 'nameRequired' };
  if (name.length > PASSKEY_NAME_MAX) return { name, error: 'nameTooLong' };
  return { name };
}

class EnrolmentConflict extends Error {
  override name = 'EnrolmentConflict';
}

export function staffAuthRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const db = deps.database.db;
  const secure = deps.config.publicUrl.protocol === 'https:';
  const audit = auditFor(deps);
  const key = auditKey(deps.config.sessionSecret);
  const webauthn: WebAuthnDeps = { db, config: deps.config, now: deps.now };
  const staffDeps: StaffDeps = { db, cipher: deps.cipher, index: deps.index, config: deps.config, now: deps.now };
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

  /* ---------- Home ---------- */

  app.get('/espace-pro', (c) => {
    const staff = c.get('staff');
    if (!staff) return c.redirect('/espace-pro/connexion', 303);
    // Deliveries in trouble: every one for an administrator, those of their organisation for a DPO or the CNAM.
    const role = staff.user.role;
    const trouble = role === 'admin' ? deliveryTrouble(db) : (role === 'dpo' || role === 'cnam') && staff.user.organisationId ? deliveryTrouble(db, staff.user.organisationId) : undefined;
    return c.html(<StaffHomePage ctx={pageContext(c)} role={role} passkeyCount={credentialsOf(db, staff.user.id).length} trouble={trouble} />);
  });

  /* ---------- Sign in ---------- */

  const renderSignIn = async (c: Context<AppEnv>, retour: string | undefined, failed: boolean) => {
    const { challengeId, options } = await startAuthentication(webauthn);
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
    const account = claimedAccount(webauthn, body.response ?? '');
    if (account && !signInLimiter.allow(`user:${account}`)) throw new HTTPException(429, { message: 'Too many passkey attempts on one account' });
    const retour = safeReturn(body.retour);
    const result = await finishAuthentication(webauthn, { challengeId: body.challengeId ?? '', response: body.response ?? '' });
    if (!result.ok) {
      audit(result.userId ? `user:${result.userId}` : 'anonymous', 'signin.failed', result.credentialIdHash ? { type: 'credential', id: result.credentialIdHash } : undefined, { reason: result.reason });
      return renderSignIn(c, retour, true);
    }
    // A new session id at every sign-in; whatever id the browser had before is dropped.
    startSession(c, db, result.user.id, deps.now(), secure, currentSessionId(c, secure));
    audit(`user:${result.user.id}`, 'signin', { type: 'credential', id: credentialIdHash(result.credentialId) });
    return c.redirect(retour ?? '/espace-pro', 303);
  });

  app.post('/espace-pro/deconnexion', (c) => {
    const staff = c.get('staff');
    endSession(c, db, secure);
    if (staff) audit(`user:${staff.user.id}`, 'signout');
    return c.redirect('/espace-pro/connexion', 303);
  });

  /* ---------- Enrolment from an invitation ---------- */

  /** The invitation behind a token, if it can still be used (unused, within 48 h, its person active). */
  const invitationFor = (token: string): InvitationRecord | undefined => {
    if (!TOKEN.test(token)) return undefined;
    const invitation = usableInvitation(db, hashToken(token), deps.now().toISOString());
    if (!invitation) return undefined;
    if (invitation.userId) {
      const user = userById(db, invitation.userId);
      if (!user || user.disabledAt) return undefined;
    }
    return invitation;
  };

  const renderInvitation = async (c: Context<AppEnv>, token: string, invitation: InvitationRecord, name: string | undefined, errors: FormError[], status: 200 | 400 | 422) => {
    const email = invitationEmail(staffDeps, invitation);
    const existing = invitation.userId ? userById(db, invitation.userId) : undefined;
    // A new person gets a random handle now; it is kept with the challenge until the passkey is verified.
    const userHandle = existing?.handle ?? newUserHandle();
    const { challengeId, options } = await startRegistration(webauthn, {
      userHandle,
      userName: email,
      exclude: existing ? credentialsOf(db, existing.id) : [],
      bind: { userId: existing?.id ?? userHandle, invitationHash: invitation.tokenHash },
    });
    return c.html(
      <InvitationPage ctx={pageContext(c)} invitation={{ token, role: invitation.role, existingUser: !!existing, expiresAt: invitation.expiresAt }} challengeId={challengeId} options={options} name={name} errors={errors} />,
      status,
    );
  };

  const invalidInvitation = (c: Context<AppEnv>) => c.html(<InvitationInvalidPage ctx={pageContext(c)} />, 404);

  app.get('/espace-pro/invitation/:token', async (c) => {
    const token = c.req.param('token');
    const invitation = invitationFor(token);
    if (!invitation) return invalidInvitation(c);
    limit(c, challengeLimiter);
    return renderInvitation(c, token, invitation, undefined, [], 200);
  });

  app.post('/espace-pro/invitation/:token', async (c) => {
    limit(c, enrolLimiter);
    const token = c.req.param('token');
    const invitation = invitationFor(token);
    if (!invitation) return invalidInvitation(c);
    const { t } = c.get('tr');
    const body = await formBody(c);
    const { name, error } = checkName(body.name);
    if (error) return renderInvitation(c, token, invitation, body.name, [{ field: 'name', href: '#f-name', message: t(`staff-auth:errors.${error}`) }], 422);

    const result = await finishRegistration(webauthn, { challengeId: body.challengeId ?? '', response: body.response ?? '', bind: { invitationHash: invitation.tokenHash } });
    if (!result.ok) {
      audit(invitation.userId ? `user:${invitation.userId}` : 'anonymous', 'enrol.failed', { type: 'invitation', id: invitation.tokenHash.slice(0, 16) }, { reason: result.reason, credential: result.credentialIdHash ?? null });
      return renderInvitation(c, token, invitation, name, [{ field: 'passkey', href: '#passkey-button', message: t('staff-auth:errors.enrol') }], 400);
    }

    const now = deps.now();
    const nowIso = now.toISOString();
    let userId: string;
    try {
      userId = db.transaction(
        (tx) => {
          const d = tx as unknown as Db;
          if (!consumeInvitation(d, invitation.tokenHash, nowIso)) throw new EnrolmentConflict('invitation already used');
          let id: string;
          if (invitation.userId) {
            const user = userById(d, invitation.userId);
            if (!user || user.disabledAt) throw new EnrolmentConflict('user disabled');
            id = user.id;
          } else {
            const email = invitationEmail(staffDeps, invitation);
            const emailIndex = deps.index.email(email);
            if (userByEmailIndex(d, emailIndex)) throw new EnrolmentConflict('address taken');
            id = newUserId();
            insertUser(d, { id, handle: result.challenge.userId!, emailEnc: encryptUserEmail(staffDeps, id, email), emailIndex, role: invitation.role, organisationId: invitation.organisationId, createdAt: nowIso });
          }
          insertCredential(d, { ...result.credential, userId: id, name, createdAt: nowIso, lastUsedAt: null });
          appendAudit(d, key, { actor: `user:${id}`, action: 'enrol', targetType: 'credential', targetId: credentialIdHash(result.credential.id), detail: { invitation: invitation.tokenHash.slice(0, 16), newUser: !invitation.userId, role: invitation.role } }, now);
          return id;
        },
        { behavior: 'immediate' },
      );
    } catch (err) {
      if (err instanceof EnrolmentConflict) return invalidInvitation(c);
      throw err;
    }
    startSession(c, db, userId, now, secure, currentSessionId(c, secure));
    return c.redirect('/espace-pro/cles?message=enrolled', 303);
  });

  /* ---------- My passkeys ---------- */

  app.use('/espace-pro/cles', signedIn);
  app.use('/espace-pro/cles/*', signedIn);

  const renderPasskeys = async (c: Context<AppEnv>, opts: { message?: PasskeyMessage; errors?: FormError[]; values?: Record<string, string | undefined>; status?: 200 | 400 | 422 }) => {
    const { user } = staffOf(c);
    const passkeys = credentialsOf(db, user.id);
    const add = await startRegistration(webauthn, { userHandle: user.handle, userName: userEmail(staffDeps, user), exclude: passkeys, bind: { userId: user.id } });
    return c.html(
      <PasskeysPage
        ctx={pageContext(c)}
        passkeys={passkeys.map((p) => ({ id: p.id, name: p.name, createdAt: p.createdAt, lastUsedAt: p.lastUsedAt, backedUp: p.backedUp }))}
        message={opts.message}
        errors={opts.errors ?? []}
        values={opts.values ?? {}}
        add={add}
      />,
      opts.status ?? 200,
    );
  };

  app.get('/espace-pro/cles', (c) => {
    const message = c.req.query('message');
    return renderPasskeys(c, { message: MESSAGES.find((m) => m === message) });
  });

  /** Adds a passkey for the signed-in person (a registration ceremony bound to them). */
  app.post('/espace-pro/cles', async (c) => {
    limit(c, enrolLimiter);
    const { user } = staffOf(c);
    const { t } = c.get('tr');
    const body = await formBody(c);
    const { name, error } = checkName(body.name);
    if (error) return renderPasskeys(c, { errors: [{ field: 'name', href: '#f-name', message: t(`staff-auth:errors.${error}`) }], values: { name: body.name }, status: 422 });
    const result = await finishRegistration(webauthn, { challengeId: body.challengeId ?? '', response: body.response ?? '', bind: { userId: user.id } });
    if (!result.ok) {
      audit(`user:${user.id}`, 'passkey.add.failed', result.credentialIdHash ? { type: 'credential', id: result.credentialIdHash } : undefined, { reason: result.reason });
      return renderPasskeys(c, { errors: [{ field: 'passkey', href: '#passkey-button', message: t('staff-auth:errors.enrol') }], values: { name }, status: 400 });
    }
    const now = deps.now();
    db.transaction(
      (tx) => {
        const d = tx as unknown as Db;
        insertCredential(d, { ...result.credential, userId: user.id, name, createdAt: now.toISOString(), lastUsedAt: null });
        appendAudit(d, key, { actor: `user:${user.id}`, action: 'passkey.add', targetType: 'credential', targetId: credentialIdHash(result.credential.id) }, now);
      },
      { behavior: 'immediate' },
    );
    return c.redirect('/espace-pro/cles?message=added', 303);
  });

  app.post('/espace-pro/cles/renommer', async (c) => {
    const { user } = staffOf(c);
    const { t } = c.get('tr');
    const body = await formBody(c);
    const credential = body.credential ?? '';
    const owned = credentialsOf(db, user.id);
    const index = owned.findIndex((p) => p.id === credential);
    if (index < 0) throw new HTTPException(404);
    const { name, error } = checkName(body.name);
    if (error) {
      return renderPasskeys(c, { errors: [{ field: `rename-${index}`, href: `#f-rename-${index}`, message: t(`staff-auth:errors.${error}`) }], values: { [`rename-${index}`]: body.name }, status: 422 });
    }
    renameCredential(db, user.id, credential, name);
    audit(`user:${user.id}`, 'passkey.rename', { type: 'credential', id: credentialIdHash(credential) });
    return c.redirect('/espace-pro/cles?message=renamed', 303);
  });

  /** One of the signed-in person's passkeys, or a 404: someone else's passkey does not exist for them. */
  const ownPasskey = (c: Context<AppEnv>, id: string | undefined) => {
    const { user } = staffOf(c);
    const passkey = id ? credentialById(db, id) : undefined;
    if (!passkey || passkey.userId !== user.id) throw new HTTPException(404);
    return { user, passkey, isLast: credentialsOf(db, user.id).length <= 1 };
  };

  app.get('/espace-pro/cles/supprimer', (c) => {
    const { passkey, isLast } = ownPasskey(c, c.req.query('cle'));
    return c.html(<RevokePage ctx={pageContext(c)} passkey={passkey} isLast={isLast} />);
  });

  app.post('/espace-pro/cles/supprimer', async (c) => {
    const body = await formBody(c);
    const { user, passkey, isLast } = ownPasskey(c, body.credential);
    if (isLast) return c.html(<RevokePage ctx={pageContext(c)} passkey={passkey} isLast />, 400);
    const now = deps.now();
    db.transaction(
      (tx) => {
        const d = tx as unknown as Db;
        deleteCredential(d, user.id, passkey.id);
        // A removed passkey may be a lost one: every session it could have opened ends with it.
        const ended = deleteUserSessions(d, user.id);
        appendAudit(d, key, { actor: `user:${user.id}`, action: 'passkey.revoke', targetType: 'credential', targetId: credentialIdHash(passkey.id), detail: { sessionsEnded: ended } }, now);
      },
      { behavior: 'immediate' },
    );
    // This browser keeps a session, under a new id.
    startSession(c, db, user.id, now, secure);
    return c.redirect('/espace-pro/cles?message=revoked', 303);
  });

  return app;
}
