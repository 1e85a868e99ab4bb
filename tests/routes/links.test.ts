/**
 * Every internal link on every public page leads somewhere. Links to areas that later issues build are
 * listed here with their issue, so the list shrinks as they land and a broken link still fails.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentUrls } from '../../server/routes/content-pages';
import { makeTestApp, type TestApp } from '../helpers/app';

const PLANNED: Record<string, string> = {};

let t: TestApp;
beforeAll(() => {
  t = makeTestApp();
});
afterAll(() => t.close());

describe('internal links', () => {
  it.each(['fr', 'en'])('all resolve in %s', async (lang) => {
    const targets = new Map<string, string>();
    for (const url of contentUrls()) {
      const html = await (await t.app.request(`${url}?lang=${lang}`)).text();
      for (const m of html.matchAll(/href="(\/[^"#]*)(#[^"]*)?"/g)) {
        const target = m[1]!.replace(/&amp;/g, '&');
        if (!target.startsWith('/assets/')) targets.set(target, url);
      }
    }
    const broken: string[] = [];
    for (const [target, from] of targets) {
      const path = target.split('?')[0]!;
      if (PLANNED[path]) continue;
      const res = await t.app.request(target);
      if (res.status !== 200) broken.push(`${target} (on ${from}): ${res.status}`);
    }
    expect(broken).toEqual([]);
    expect(targets.size).toBeGreaterThan(15);
  });

  it.each(['fr', 'en'])('fragment links in %s point at an element of the page', async (lang) => {
    for (const url of contentUrls()) {
      const html = await (await t.app.request(`${url}?lang=${lang}`)).text();
      for (const m of html.matchAll(/href="#([^"]+)"/g)) expect(html, `${url} #${m[1]}`).toContain(`id="${m[1]}"`);
    }
  });
});
