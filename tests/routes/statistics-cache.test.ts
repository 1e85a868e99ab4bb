/**
 * A published quarter's pages come from the render cache (issue 13, speed at national scale): the second
 * request for /statistiques, an organisation's figures page or its register page renders nothing (the
 * caches' render counts stay), and the page is rendered again, with what changed, once a month is frozen
 * or a correction is recorded. A page with bad filters or of a quarter not wholly frozen is not cached.
 */
import { beforeEach, afterEach, describe, expect, it } from 'vitest';
import { registerPageCache } from '../../server/routes/register';
import { statisticsPageCache } from '../../server/routes/statistics';
import { seedDemoData } from '../../server/services/demo';
import { correctMonth, freezeEndedMonths } from '../../server/services/statistics';
import { makeTestApp, type TestApp } from '../helpers/app';

let t: TestApp;
const clock = { now: new Date('2026-06-15T10:00:00Z') };
const deps = () => ({ db: t.deps.database.db, now: () => clock.now });

beforeEach(() => {
  clock.now = new Date('2026-06-15T10:00:00Z');
  t = makeTestApp({}, { now: () => clock.now });
  seedDemoData({ database: t.deps.database, i18n: t.deps.i18n, config: t.deps.config, cipher: t.deps.cipher, now: () => clock.now });
});
afterEach(() => t.close());

const page = async (url: string, status = 200) => {
  const res = await t.app.request(url);
  expect(res.status, url).toBe(status);
  return res.text();
};
const statisticsRenders = () => statisticsPageCache(t.deps.database)!.renders();
const registerRenders = () => registerPageCache(t.deps.database)!.renders();
/** The page without its per-request CSP nonce. */
const withoutNonce = (html: string) => html.replace(/nonce="[^"]+"/g, 'nonce=""');

describe('the statistics pages of a published quarter', () => {
  it('/statistiques, with and without filters, is rendered once, each response with its own nonce', async () => {
    for (const url of ['/statistiques', '/statistiques?periode=2025-T4&type=acces&lang=en', '/statistiques/organisations/cnam']) {
      const before = statisticsRenders();
      const first = await page(url);
      expect(statisticsRenders(), url).toBe(before + 1);
      const second = await page(url);
      expect(statisticsRenders(), url).toBe(before + 1);
      expect(withoutNonce(second)).toBe(withoutNonce(first));
      expect(second.match(/nonce="([^"]+)"/)![1]).not.toBe(first.match(/nonce="([^"]+)"/)![1]);
    }
  });

  it('is rendered again once a correction is recorded, and shows it', async () => {
    await page('/statistiques');
    await page('/statistiques/organisations/cnam');
    const before = statisticsRenders();
    expect(correctMonth(deps(), '2026-02', 'Réponses reçues en retard par le service')).toEqual({ ok: true, version: 2 });
    const after = await page('/statistiques');
    expect(statisticsRenders()).toBe(before + 1);
    expect(after).toContain('Réponses reçues en retard par le service');
    await page('/statistiques/organisations/cnam');
    expect(statisticsRenders()).toBe(before + 2);
    await page('/statistiques');
    expect(statisticsRenders()).toBe(before + 2);
  });

  it('is rendered again once a month is frozen, which it then says', async () => {
    // July 10th: the second quarter is published, June not frozen yet (the worker has not run).
    clock.now = new Date('2026-07-10T10:00:00Z');
    const url = '/statistiques?periode=2026-T1';
    expect(await page(url)).toContain('Les chiffres jusqu’à mai 2026 sont définitifs.');
    const before = statisticsRenders();
    await page(url);
    expect(statisticsRenders()).toBe(before);
    expect(freezeEndedMonths(deps())).toEqual(['2026-06']);
    expect(await page(url)).toContain('Les chiffres jusqu’à juin 2026 sont définitifs.');
    expect(statisticsRenders()).toBe(before + 1);
  });

  it('is not cached while a month of its quarter is not frozen, nor with bad filters', async () => {
    clock.now = new Date('2026-07-10T10:00:00Z');
    const before = statisticsRenders();
    await page('/statistiques?periode=2026-T2');
    await page('/statistiques?periode=2026-T2');
    await page('/statistiques?periode=2099-T1', 400);
    await page('/statistiques?periode=2099-T1', 400);
    expect(statisticsRenders()).toBe(before);
  });
});

describe("an organisation's register page (/organisations/<id>) with its figures", () => {
  it('is rendered once, and again after a correction', async () => {
    const before = registerRenders();
    await page('/organisations/ap-hp');
    await page('/organisations/ap-hp');
    expect(registerRenders()).toBe(before + 1);
    expect(correctMonth(deps(), '2026-03', 'Correction de démonstration')).toEqual({ ok: true, version: 2 });
    await page('/organisations/ap-hp');
    expect(registerRenders()).toBe(before + 2);
  });

  it('is rendered again once the month that completes its quarter is frozen', async () => {
    clock.now = new Date('2026-07-10T10:00:00Z');
    await page('/organisations/ap-hp');
    const before = registerRenders();
    await page('/organisations/ap-hp');
    expect(registerRenders()).toBe(before);
    freezeEndedMonths(deps());
    await page('/organisations/ap-hp');
    expect(registerRenders()).toBe(before + 1);
  });
});
