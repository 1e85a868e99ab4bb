import { cookiesFrom, type TestApp } from './app';

/**
 * A visitor's CSRF cookie and the token a form would carry, obtained the way a browser does:
 * by loading a page that renders a form (the tracking form).
 */
export async function csrfTokenFor(t: TestApp): Promise<{ cookie: string; token: string }> {
  const res = await t.app.request('/suivi');
  const token = /name="_csrf" value="([^"]+)"/.exec(await res.text())?.[1];
  if (!token) throw new Error('no CSRF token on /suivi');
  return { cookie: cookiesFrom(res), token };
}
