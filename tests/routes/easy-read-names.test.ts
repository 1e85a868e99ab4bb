/**
 * The easy-to-read pages name the site's actions with the main menu's words: a link to a page of the
 * menu is labelled as in the menu ("Exercer mes droits", "Suivre une demande"), and a page named in a
 * sentence (« Suivre une demande ») is named as in the menu. A reader who follows the steps finds, in
 * the menu, the words the page gave.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EASY_READ_PAGES } from '../../server/routes/content-pages';
import { makeTestApp, type TestApp } from '../helpers/app';

let t: TestApp;
beforeAll(() => {
  t = makeTestApp();
});
afterAll(() => t.close());

const PATHS = ['/facile-a-lire', ...EASY_READ_PAGES.map((s) => `/facile-a-lire/${s}`)];

const decode = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .trim();

/** href → label of each `<a>` in an HTML fragment (labels without nested tags). */
function links(html: string): [href: string, label: string][] {
  return [...html.matchAll(/<a href="([^"]+)"[^>]*>([^<]*)<\/a>/g)].map((m) => [decode(m[1]!), decode(m[2]!)]);
}

async function page(path: string, lang: 'fr' | 'en') {
  const res = await t.app.request(`${path}?lang=${lang}`);
  expect(res.status, path).toBe(200);
  const html = await res.text();
  const menu = new Map(links(/<ul class="main-nav__list">([\s\S]*?)<\/ul>/.exec(html)![1]!));
  const main = /<main[^>]*>([\s\S]*?)<\/main>/.exec(html)![1]!;
  return { menu, main };
}

describe.each(['fr', 'en'] as const)('easy-to-read pages use the menu’s words (%s)', (lang) => {
  it.each(PATHS)('%s: links to a page of the menu carry its label', async (path) => {
    const { menu, main } = await page(path, lang);
    expect(menu.size).toBeGreaterThan(5);
    const toMenu = links(main).filter(([href]) => menu.has(href));
    for (const [href, label] of toMenu) expect(label, `${path} → ${href}`).toBe(menu.get(href));
  });

  it.each(PATHS)('%s: a page named in the text is named as in the menu', async (path) => {
    const { menu, main } = await page(path, lang);
    const labels = new Set(menu.values());
    const text = decode(main.replace(/<[^>]+>/g, ' '));
    const quoted = [...text.matchAll(lang === 'fr' ? /«\s*([^»]+?)\s*»/g : /["“]([^"”]+)["”]/g)].map((m) => m[1]!);
    for (const name of quoted) expect(labels, `${path}: « ${name} »`).toContain(name);
  });

  it('the steps to object name the pages whose links follow them', async () => {
    const { menu, main } = await page('/facile-a-lire/m-opposer', lang);
    const text = decode(main.replace(/<[^>]+>/g, ' '));
    for (const href of ['/demande', '/suivi']) {
      expect(text).toContain(menu.get(href));
      expect(links(main)).toContainEqual([href, menu.get(href)]);
    }
  });
});
