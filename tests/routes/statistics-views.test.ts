/**
 * What the statistics pages say in cases the demonstration history may not hold on a given day, from
 * a fixed PublicFigures object (tests/fixtures/statistics.ts): every suppressed cell, a rate withheld
 * under 10 answers and one withheld with enough answers, a corrected month with its reason, the
 * headline's wording at the edges, the demonstration notice shown only for demonstration data.
 */
import { describe, expect, it } from 'vitest';
import type { PublicFigures } from '../../server/domain/statistics-types';
import { FIXTURE_FIGURES } from '../fixtures/statistics';
import { statisticsViewsApp } from '../helpers/statistics-views';

const page = async (url: string, figures: PublicFigures = FIXTURE_FIGURES) => {
  const res = await statisticsViewsApp(figures).request(url);
  expect(res.status).toBe(200);
  const html = await res.text();
  // Every placeholder of the texts is filled.
  expect(html).not.toMatch(/\{\{|statistics:/);
  return html;
};
const withHeadline = (rate: NonNullable<PublicFigures['headline']['rate']> | null, answered = 50): PublicFigures => ({
  ...FIXTURE_FIGURES,
  headline: { ...FIXTURE_FIGURES.headline, answered: { value: answered }, rate },
});

describe('statistics views', () => {
  it('writes suppressed counts as "moins de 5", and a rate under 10 answers without any share', async () => {
    const html = await page('/statistiques/organisations/chu-limoges?lang=fr');
    expect(html).toContain('moins de 5');
    expect(html).toContain('moins de 10 réponses');
    expect(html).toContain('non publié (moins de 10 réponses)');
    // The CHU's rate is withheld: no percentage on its summary line.
    expect(/<p class="lead">([^<]*)<\/p>/.exec(html)![1]).not.toMatch(/%/);
  });

  it('says "non publiée" for a rate withheld although there were 10 answers or more', async () => {
    const figures: PublicFigures = {
      ...FIXTURE_FIGURES,
      organisations: FIXTURE_FIGURES.organisations.map((o) => (o.id === 'ap-hp' ? { ...o, answers: { ...o.answers, onTimeRate: null } } : o)),
    };
    const html = await page('/statistiques?lang=fr', figures);
    const row = /<a href="\/statistiques\/organisations\/ap-hp[^"]*">[\s\S]*?<\/tr>/.exec(html)![0];
    expect(row).toContain('non publiée');
    expect(row).not.toContain('moins de 10');
  });

  it('shows a corrected month as a new version with its reason', async () => {
    const html = await page('/statistiques?lang=fr');
    expect(html).toContain('corrigés (version 2)');
    expect(html).toContain('mars 2026, version 2 :');
    expect(html).toContain('Deux réponses enregistrées en retard ont été rattachées au bon mois.');
  });

  it.each([
    [{ share: 1, low: 0.9, high: 1, answered: 40 }, 'toutes les demandes ont reçu leur réponse dans le délai'],
    [{ share: 0.97, low: 0.9, high: 0.99, answered: 40 }, 'plus de 9 demandes sur 10'],
    [{ share: 0.12, low: 0.05, high: 0.2, answered: 40 }, '1 demande sur 10 a reçu sa réponse'],
    [{ share: 0.03, low: 0.01, high: 0.1, answered: 40 }, 'moins de 1 demande sur 10'],
    [{ share: 0, low: 0, high: 0.1, answered: 40 }, 'aucune demande n’a reçu sa réponse dans le délai'],
  ])('words the headline for a share of %o', async (rate, words) => {
    expect(await page('/statistiques?lang=fr', withHeadline(rate))).toContain(`En novembre 2026, ${words}`);
  });

  it('says why the headline has no share: too few answers, or withheld', async () => {
    expect(await page('/statistiques?lang=fr', withHeadline(null, 7))).toContain('C’est trop peu pour publier une part dans le délai');
    expect(await page('/statistiques?lang=en', withHeadline(null, 70))).toContain('The on-time share is not published for that month');
  });

  it('marks demonstration data, and only demonstration data', async () => {
    expect(await page('/statistiques?lang=fr')).toContain('Données de démonstration.');
    expect(await page('/statistiques?lang=fr', { ...FIXTURE_FIGURES, demonstration: false })).not.toContain('Données de démonstration.');
  });

  it('sorts organisations with no rate after every one that has one, whatever the order', async () => {
    for (const ordre of ['asc', 'desc']) {
      const html = await page(`/statistiques?tri=taux&ordre=${ordre}`);
      const ids = [...html.matchAll(/<a href="\/statistiques\/organisations\/([a-z-]+)/g)].map((m) => m[1]);
      expect(ids[ids.length - 1]).toBe('chu-limoges');
      expect(ids.slice(0, 2)).toEqual(ordre === 'desc' ? ['cnam', 'ap-hp'] : ['ap-hp', 'cnam']);
    }
  });

  it('draws a suppressed month as a dashed bar and says so under the chart', async () => {
    const html = await page('/statistiques/organisations/chu-limoges?lang=en');
    expect(html).toContain('chart__bar chart__bar--suppressed');
    expect(html).toContain('A dashed bar means: fewer than 5 requests that month.');
  });
});
