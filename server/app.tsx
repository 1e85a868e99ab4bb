/**
 * createApp(deps): the composition root. Returns the Hono app; it never listens (server/main.ts does).
 */
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import type { AppDeps, AppEnv } from './context';
import { compression } from './middleware/compression';
import { closeUnreadBodies } from './middleware/connection-close';
import { csrf } from './middleware/csrf';
import { language } from './middleware/language';
import { requestLog } from './middleware/request-log';
import { noStore } from './middleware/no-store';
import { securityHeaders } from './middleware/security-headers';
import { sessionCookieName } from './auth/sessions';
import { cookie } from './http';
import { demoReceiverRoutes } from './routes/demo-receiver';
import { DEMO_RECEIVER_PATH } from './services/demo';
import { apiRoutes } from './routes/api';
import { apiV1Routes } from './routes/api-v1';
import { apiDocsRoutes } from './routes/api-docs';
import { assetRoutes } from './routes/assets';
import { staffRoutes } from './routes/staff';
import { DOCUMENT_BODY_LIMIT, DOCUMENT_UPLOAD_PATH } from './routes/staff/requests';
import { followRoutes, UNSUBSCRIBE_PATH } from './routes/follow';
import { healthRoutes } from './routes/health';
import { myDataRoutes } from './routes/my-data';
import { pagesRoutes } from './routes/pages';
import { recordReportRoutes } from './routes/record-reports';
import { registerRoutes } from './routes/register';
import { requestRoutes } from './routes/request';
import { statisticsRoutes } from './routes/statistics';
import { trackingRoutes } from './routes/tracking';
import { toolsRoutes } from './routes/tools';
import { pageContext } from './routes/render';
import { ErrorPage, type ErrorKind } from '../views/pages/errors/ErrorPage';

const ERROR_KINDS: Record<number, ErrorKind> = { 400: 'badRequest', 403: 'forbidden', 404: 'notFound', 413: 'tooLarge', 429: 'tooMany' };

/** Machine clients get JSON errors; people get a page in their language. */
function wantsJson(c: Context<AppEnv>): boolean {
  return c.req.path.startsWith('/api/') || c.req.path.endsWith('.json');
}

/** What every request goes through, in order: body, log, compression, headers, language, size limits, CSRF. */
function useMiddleware(app: Hono<AppEnv>, deps: AppDeps) {
  const { config, logger } = deps;
  const secureCookies = config.publicUrl.protocol === 'https:';
  app.use(closeUnreadBodies());
  app.use(requestLog(logger));
  app.use(compression());
  app.use(securityHeaders());
  app.use(noStore());
  app.use(language({ i18n: deps.i18n, secureCookies }));
  const tooLarge = () => {
    throw new HTTPException(413, { message: 'Payload too large' });
  };
  const limitBody = bodyLimit({ maxSize: config.bodyLimit, onError: tooLarge });
  // An answer from the back office may carry a document (up to 5 MB): its own, larger limit.
  const limitUpload = bodyLimit({ maxSize: Math.max(config.bodyLimit, DOCUMENT_BODY_LIMIT), onError: tooLarge });
  // GET and HEAD carry no body: skipping them spares building a full Request object for each page.
  // The larger limit only for a browser holding a staff session: an anonymous post to the upload path
  // gets the ordinary limit before anything reads its body (the role itself is checked by the route).
  const staffCookie = sessionCookieName(secureCookies);
  app.use((c, next) =>
    c.req.method === 'GET' || c.req.method === 'HEAD'
      ? next()
      : DOCUMENT_UPLOAD_PATH.test(c.req.path) && cookie(c, staffCookie)
        ? limitUpload(c, next)
        : limitBody(c, next),
  );
  app.use(
    csrf({
      secret: config.sessionSecret,
      allowedOrigins: [config.publicUrl.origin],
      secureCookies,
      // The first two authenticate each request by its Standard Webhooks signature instead. The one-click
      // unsubscribe of a digest is posted by the mail client with no token and no cookie (RFC 8058 §3.2);
      // its unguessable token in the path is what authorises it, and it can only stop that one follow.
      exempt: ['/api/v1/callbacks/', ...(config.demoData ? [DEMO_RECEIVER_PATH] : []), UNSUBSCRIBE_PATH],
    }),
  );
}

/** The site map: one sub-app per URL area. */
function mountRoutes(app: Hono<AppEnv>, deps: AppDeps) {
  const { config, logger } = deps;
  app.route('/', assetRoutes());
  app.route('/', healthRoutes(deps));
  app.route('/', myDataRoutes(deps));
  app.route('/', pagesRoutes());
  app.route('/', registerRoutes(deps));
  app.route('/', recordReportRoutes(deps));
  app.route('/', followRoutes(deps));
  app.route('/', toolsRoutes());
  app.route('/', apiDocsRoutes(deps));
  app.route('/', statisticsRoutes(deps));
  const requestDeps = {
    db: deps.database.db,
    cipher: deps.cipher,
    index: deps.index,
    mailer: deps.mailer,
    config,
    logger,
    now: deps.now,
    i18n: deps.i18n,
    kickMail: deps.mailWorker.kick,
    groupCommit: deps.database.groupCommit,
    kickDeliveries: deps.deliveryWorker.kick,
  };
  app.route('/demande', requestRoutes(requestDeps));
  app.route('/suivi', trackingRoutes(requestDeps));
  app.route('/', apiRoutes(deps));
  // After the callbacks: the read-only API answers every other path under /api/v1/ (a 404 problem at worst).
  app.route('/', apiV1Routes(deps));
  if (config.demoData) app.route('/', demoReceiverRoutes(deps));
  app.route('/', staffRoutes(deps));
}

/** A page not found and an error: JSON for machines, a page in their language for people; a 500 logged without personal data. */
function handleErrors(app: Hono<AppEnv>, deps: AppDeps) {
  const { logger } = deps;
  app.notFound((c) => {
    if (wantsJson(c)) return c.json({ error: 'not_found' }, 404);
    return c.html(<ErrorPage ctx={pageContext(c)} kind="notFound" />, 404);
  });

  app.onError((err, c) => {
    const status = err instanceof HTTPException ? err.status : 500;
    const kind = ERROR_KINDS[status];
    if (status >= 500 || !kind) {
      logger.error('unhandled error', { requestId: c.get('requestId'), name: err.name, message: err.message, stack: err.stack ?? null });
    } else {
      logger.warn('refused', { requestId: c.get('requestId'), status, reason: err.message });
    }
    c.header('Cache-Control', 'no-store');
    if (wantsJson(c)) return c.json({ error: kind ?? 'server_error' }, kind ? (status as 400) : 500);
    if (!c.get('tr')) return c.text('Internal Server Error', 500);
    return c.html(<ErrorPage ctx={pageContext(c)} kind={kind ?? 'server'} requestId={c.get('requestId')} />, kind ? (status as 400) : 500);
  });
}

export function createApp(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  useMiddleware(app, deps);
  mountRoutes(app, deps);
  handleErrors(app, deps);
  return app;
}
