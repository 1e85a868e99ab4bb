import { cookiesFrom, type TestApp } from './app';

/**
 * A visitor's CSRF cookie and the token a form would carry, obtained the way a browser does:
 * by loading a page that renders a form. Until a route renders one, it asks the middleware directly
 * through a throwaway route-free request.
 */
export async function csrfTokenFor(t: TestApp): Promise<{ cookie: string; token: string }> {
  const { Hono } = await import('hono');
  const { csrf } = await import('../../server/middleware/csrf');
  const probe = new Hono<import('../../server/context').AppEnv>();
  probe.use(csrf({ secret: t.deps.config.sessionSecret, allowedOrigins: [t.deps.config.publicUrl.origin], secureCookies: false }));
  probe.get('/', (c) => c.text(c.get('csrfToken')()));
  const res = await probe.request('/');
  return { cookie: cookiesFrom(res), token: await res.text() };
}
