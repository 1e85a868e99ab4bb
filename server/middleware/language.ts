/**
 * Chooses the language of the response: `?lang=fr|en`, then the `lang` cookie, then Accept-Language,
 * then French. A `?lang=` choice is remembered in a cookie so it sticks across pages, except on the
 * read-only API (/api/): its answers are public and cacheable, and a program names its language each time.
 */
import { setCookie } from 'hono/cookie';
import { cookie, header } from '../http';
import type { i18n as I18n } from 'i18next';
import { factory } from '../context';
import { DEFAULT_LANG, fromAcceptLanguage, isLang, LANGUAGES, translatorFor, type Lang, type Translator } from '../i18n';

export const LANG_COOKIE = 'lang';

export type LanguageOptions = { i18n: I18n; secureCookies: boolean };

export function language({ i18n, secureCookies }: LanguageOptions) {
  const translators = new Map<Lang, Translator>(LANGUAGES.map((l) => [l, translatorFor(i18n, l)]));
  return factory.createMiddleware(async (c, next) => {
    const fromQuery = c.req.query('lang');
    const fromCookie = cookie(c, LANG_COOKIE);
    let lang: Lang = DEFAULT_LANG;
    if (isLang(fromQuery)) {
      lang = fromQuery;
      if (fromCookie !== fromQuery && !c.req.path.startsWith('/api/')) {
        setCookie(c, LANG_COOKIE, fromQuery, { path: '/', sameSite: 'Lax', httpOnly: true, secure: secureCookies, maxAge: 60 * 60 * 24 * 365 });
      }
    } else if (isLang(fromCookie)) {
      lang = fromCookie;
    } else {
      lang = fromAcceptLanguage(header(c, 'accept-language')) ?? DEFAULT_LANG;
    }
    c.set('lang', lang);
    c.set('tr', translators.get(lang)!);
    c.header('Content-Language', lang);
    c.header('Vary', 'Accept-Language, Cookie', { append: true });
    await next();
  });
}
