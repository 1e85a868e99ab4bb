/**
 * A small browser stand-in over app.request: keeps cookies, follows nothing by itself, and posts forms
 * with the CSRF token the last page rendered, as a real form submission would.
 */
import type { TestApp } from './app';

export type Page = { status: number; location: string | null; html: string; headers: Headers };

export function client(t: TestApp, origin = t.deps.config.publicUrl.origin) {
  const jar = new Map<string, string>();
  let lastToken = '';
  const remember = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [name, ...rest] = pair!.split('=');
      const value = rest.join('=');
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(c) || value === '') jar.delete(name!);
      else jar.set(name!, value);
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const done = async (res: Response): Promise<Page> => {
    remember(res);
    const html = await res.text();
    const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
    if (token) lastToken = token;
    return { status: res.status, location: res.headers.get('location'), html, headers: res.headers };
  };
  return {
    jar,
    get: async (path: string, headers: Record<string, string> = {}) => done(await t.app.request(path, { headers: { cookie: cookie(), ...headers } })),
    post: async (path: string, fields: Record<string, string>, opts: { token?: string } = {}) =>
      done(
        await t.app.request(path, {
          method: 'POST',
          headers: { cookie: cookie(), origin, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ _csrf: opts.token ?? lastToken, ...fields }).toString(),
        }),
      ),
    /** Follows redirects from a response, GETting each Location. */
    follow: async function (this: unknown, page: Page): Promise<Page> {
      let p = page;
      for (let i = 0; i < 5 && p.location; i += 1) p = await done(await t.app.request(p.location, { headers: { cookie: cookie() } }));
      return p;
    },
  };
}
