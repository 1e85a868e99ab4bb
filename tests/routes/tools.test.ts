/**
 * The legal deadline calculator (GDPR art. 12(3); Regulation 1182/71): the /outils/delai.json contract, its 400 errors that
 * name the field, and the /outils/delai page with and without JavaScript-free form submissions.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZONES } from '../../server/domain/holidays';
import { makeTestApp, type TestApp } from '../helpers/app';

let t: TestApp;
beforeAll(() => {
  t = makeTestApp();
});
afterAll(() => t.close());

async function api(query: string) {
  const res = await t.app.request(`/outils/delai.json${query}`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, res };
}
async function page(url: string, headers: Record<string, string> = {}) {
  const res = await t.app.request(url, { headers });
  return { status: res.status, html: await res.text(), res };
}
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
const CONTRACT_KEYS = ['calendar', 'days', 'due', 'extended_due', 'months', 'received', 'skipped'];

describe('GET /outils/delai.json: the public contract', () => {
  it('answers a one-month period with exactly the contract fields, and the GDPR extended deadline', async () => {
    const { status, body, res } = await api('?recu=2026-04-30&mois=1&calendrier=FR');
    expect(status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(Object.keys(body).sort()).toEqual(CONTRACT_KEYS);
    // Received Thursday 30 April 2026; one month later is Saturday 30 May (Regulation 1182/71 art. 3(2)(c)),
    // moved over Saturday 30 and Sunday 31 May to Monday 1 June (art. 3(4)). Three months: Thursday 30 July,
    // a working day. (`date -d 2026-05-30 +%A` gives Saturday.)
    expect(body).toEqual({
      received: '2026-04-30',
      calendar: 'FR',
      months: 1,
      days: null,
      due: '2026-06-01',
      extended_due: '2026-07-30',
      skipped: [
        { date: '2026-05-30', reason: 'saturday' },
        { date: '2026-05-31', reason: 'sunday' },
      ],
    });
  });

  it('answers a period in days with months and extended_due null', async () => {
    const { status, body } = await api('?recu=2026-04-30&jours=7');
    expect(status).toBe(200);
    expect(Object.keys(body).sort()).toEqual(CONTRACT_KEYS);
    // 30 April + 7 days = Thursday 7 May 2026, a working day (8 May, the holiday, is the day after).
    expect(body).toEqual({ received: '2026-04-30', calendar: 'FR', months: null, days: 7, due: '2026-05-07', extended_due: null, skipped: [] });
  });

  it('gives extended_due only for mois=1', async () => {
    const { body } = await api('?recu=2026-04-30&mois=3');
    expect(body.months).toBe(3);
    expect(body.days).toBeNull();
    expect(body.extended_due).toBeNull();
    expect(body.due).toBe('2026-07-30');
  });

  it('uses the mainland calendar by default', async () => {
    expect((await api('?recu=2026-04-30&mois=1')).body.calendar).toBe('FR');
    expect((await api('?recu=2026-04-30&mois=1&calendrier=')).body.calendar).toBe('FR');
  });

  it('Alsace-Moselle: Good Friday is skipped in FR-57, not in mainland France', async () => {
    // Received Tuesday 3 March 2026; one month later is Friday 3 April 2026, Good Friday (Easter: 5 April).
    // Mainland: a working day. Moselle (Code du travail L3134-13): Good Friday, Saturday 4, Sunday 5,
    // Easter Monday 6 April are skipped: due Tuesday 7 April.
    expect((await api('?recu=2026-03-03&mois=1&calendrier=FR')).body.due).toBe('2026-04-03');
    const moselle = await api('?recu=2026-03-03&mois=1&calendrier=FR-57');
    expect(moselle.body.due).toBe('2026-04-07');
    expect(moselle.body.skipped).toEqual([
      { date: '2026-04-03', reason: 'good_friday' },
      { date: '2026-04-04', reason: 'saturday' },
      { date: '2026-04-05', reason: 'sunday' },
      { date: '2026-04-06', reason: 'easter_monday' },
    ]);
  });

  it('Alsace-Moselle: 26 December is skipped in FR-57, not in mainland France', async () => {
    // Received Wednesday 26 November 2025; one month later is Friday 26 December 2025. Mainland: a working
    // day. Moselle: St Stephen's Day, then the weekend: due Monday 29 December.
    expect((await api('?recu=2025-11-26&mois=1')).body.due).toBe('2025-12-26');
    const moselle = await api('?recu=2025-11-26&mois=1&calendrier=FR-57');
    expect(moselle.body).toMatchObject({
      calendar: 'FR-57',
      due: '2025-12-29',
      skipped: [
        { date: '2025-12-26', reason: 'st_stephen' },
        { date: '2025-12-27', reason: 'saturday' },
        { date: '2025-12-28', reason: 'sunday' },
      ],
    });
  });

  it('overseas: the abolition-of-slavery day of Guadeloupe (27 May) is skipped there only', async () => {
    // 27 April + 1 month = Wednesday 27 May 2026: a working day in mainland France, a holiday in Guadeloupe.
    expect((await api('?recu=2026-04-27&mois=1')).body.due).toBe('2026-05-27');
    const guadeloupe = await api('?recu=2026-04-27&mois=1&calendrier=FR-971');
    expect(guadeloupe.body).toMatchObject({ due: '2026-05-28', skipped: [{ date: '2026-05-27', reason: 'abolition_of_slavery' }] });
  });

  it('accepts a lower-case calendar code and answers the canonical one', async () => {
    expect((await api('?recu=2026-03-03&mois=1&calendrier=fr-57')).body.calendar).toBe('FR-57');
  });

  it('can be read from any origin', async () => {
    for (const q of ['?recu=2026-04-30&mois=1', '?recu=nope&mois=1']) {
      const { res } = await api(q);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    }
  });
});

describe('GET /outils/delai.json: bad input is a 400 naming the field', () => {
  it.each([
    ['', 'recu'],
    ['?mois=1', 'recu'],
    ['?recu=&mois=1', 'recu'],
    ['?recu=2026-02-30&mois=1', 'recu'],
    ['?recu=30/04/2026&mois=1', 'recu'],
    ['?recu=2026-4-30&mois=1', 'recu'],
    ['?recu=1899-12-31&mois=1', 'recu'],
    ['?recu=2201-01-01&mois=1', 'recu'],
    ['?recu=2026-04-30', 'mois'],
    ['?recu=2026-04-30&mois=&jours=', 'mois'],
    ['?recu=2026-04-30&mois=1&jours=7', 'jours'],
    ['?recu=2026-04-30&mois=1.5', 'mois'],
    ['?recu=2026-04-30&mois=un', 'mois'],
    ['?recu=2026-04-30&mois=1e2', 'mois'],
    ['?recu=2026-04-30&mois=0', 'mois'],
    ['?recu=2026-04-30&mois=-1', 'mois'],
    ['?recu=2026-04-30&mois=121', 'mois'],
    ['?recu=2026-04-30&jours=0', 'jours'],
    ['?recu=2026-04-30&jours=3651', 'jours'],
    ['?recu=2026-04-30&jours=7.0', 'jours'],
    ['?recu=2026-04-30&mois=1&calendrier=FR-75', 'calendrier'],
    ['?recu=2026-04-30&mois=1&calendrier=57', 'calendrier'],
  ])('%s → field %s', async (query, field) => {
    const { status, body, res } = await api(query);
    expect(status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(Object.keys(body).sort()).toEqual(['error', 'field']);
    expect(body.field).toBe(field);
    expect(typeof body.error).toBe('string');
    expect((body.error as string).length).toBeGreaterThan(10);
  });

  it('accepts the largest allowed periods', async () => {
    expect((await api('?recu=2200-12-31&mois=120')).status).toBe(200);
    expect((await api('?recu=2200-12-31&jours=3650')).status).toBe(200);
    expect((await api('?recu=1900-01-01&jours=1')).status).toBe(200);
  });

  it('writes its messages in the language asked for', async () => {
    expect((await api('?recu=2026-04-30&mois=121')).body.error).toBe('Le nombre de mois doit être au plus 120.');
    expect((await api('?recu=2026-04-30&mois=121&lang=en')).body.error).toBe('The number of months must be at most 120.');
    expect((await api('?recu=2026-04-30&mois=1&calendrier=X&lang=en')).body.error).toContain('FR, FR-57, FR-67, FR-68, FR-971, FR-972, FR-973, FR-974, FR-976');
  });

  it('refuses a parameter given twice instead of guessing', async () => {
    for (const [query, field] of [
      ['?recu=2026-04-30&recu=2026-05-01&mois=1', 'recu'],
      ['?recu=2026-04-30&mois=1&mois=2', 'mois'],
      ['?recu=2026-04-30&jours=1&jours=2', 'jours'],
      ['?recu=2026-04-30&mois=1&calendrier=FR&calendrier=FR-57', 'calendrier'],
    ] as const) {
      const { status, body } = await api(query);
      expect(status, query).toBe(400);
      expect(body.field, query).toBe(field);
    }
  });

  it('never answers 500 to hostile values', async () => {
    const hostile = [
      `?recu=${encodeURIComponent('<script>alert(1)</script>')}&mois=1`,
      `?recu=2026-04-30&mois=${'9'.repeat(400)}`,
      `?recu=2026-04-30&jours=${'9'.repeat(20)}`,
      '?recu=2026-04-30&mois=9007199254740993',
      '?recu=2026-04-30&mois=Infinity',
      '?recu=2026-04-30&mois=NaN',
      '?recu=2026-04-30&mois=0x10',
      '?recu[]=2026-04-30&mois=1',
      '?recu=2026-04-30&mois[]=1',
      '?recu=%E0%A4%A&mois=1',
      `?recu=${'2'.repeat(10_000)}&mois=1`,
      '?recu=99999-01-01&mois=1',
      '?recu=0000-01-01&mois=1',
      '?recu=2026-04-30&mois=1&calendrier=__proto__',
      '?recu=2026-04-30&mois=1&calendrier=constructor',
      '?recu=2026-04-30&mois=1&calendrier=%00',
    ];
    for (const q of hostile) {
      const { status, body } = await api(q);
      expect(status, q).toBe(400);
      expect(typeof body.field, q).toBe('string');
    }
  });

  it('any date in range and any allowed period gives a due date on or after the nominal end (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2200-12-31T00:00:00Z'), noInvalidDate: true }),
        fc.oneof(fc.record({ mois: fc.integer({ min: 1, max: 120 }) }), fc.record({ jours: fc.integer({ min: 1, max: 3650 }) })),
        fc.constantFrom(...ZONES),
        async (date, period, zone) => {
          const recu = date.toISOString().slice(0, 10);
          const p = 'mois' in period ? `mois=${period.mois}` : `jours=${period.jours}`;
          const { status, body } = await api(`?recu=${recu}&${p}&calendrier=${zone}`);
          expect(status).toBe(200);
          expect((body.due as string) > recu).toBe(true);
          expect(body.extended_due === null).toBe(!('mois' in period && period.mois === 1));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('any string in any parameter gives 200 or 400, never 500 (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('recu', 'mois', 'jours', 'calendrier'), fc.string({ maxLength: 40 }), async (name, value) => {
        const base = new URLSearchParams({ recu: '2026-04-30', mois: '1' });
        base.set(name, value);
        const { status } = await api(`?${base.toString()}`);
        expect([200, 400]).toContain(status);
      }),
      { numRuns: 100 },
    );
  });
});

describe('GET /outils/delai: the calculator page', () => {
  it('without parameters shows the empty form: date, one month by default, the calendars by name', async () => {
    const { status, html } = await page('/outils/delai');
    expect(status).toBe(200);
    expect(html).toContain('<h1>Calculer la date limite de réponse</h1>');
    expect(html).toMatch(/<form class="deadline-form" method="get" action="\/outils\/delai"/);
    expect(html).toMatch(/<input type="date" id="f-recu" name="recu" value=""/);
    expect(html).toMatch(/<input type="text" id="f-mois" name="mois" value="1"/);
    expect(html).toMatch(/<input type="text" id="f-jours" name="jours" value=""/);
    expect(html).toContain('<label for="f-recu">');
    expect(html).toContain('<option value="FR" selected="">France métropolitaine</option>');
    for (const name of [
      'Moselle (57)',
      'Bas-Rhin (67)',
      'Haut-Rhin (68)',
      'Guadeloupe (971)',
      'Martinique (972)',
      'Guyane (973)',
      'La Réunion (974)',
      'Mayotte (976)',
    ]) {
      expect(html).toContain(`>${name}</option>`);
    }
    expect(html).not.toContain('role="alert"');
    expect(html).not.toContain('Résultat');
    expect(html).toContain('href="/outils/delai.json?recu=2026-04-30&amp;mois=1&amp;calendrier=FR"');
    expect(text(html)).toContain('Règlement (CEE, Euratom) n° 1182/71');
  });

  it('with valid parameters shows the due date, the extension and each skipped day in words (French)', async () => {
    const { status, html } = await page('/outils/delai?recu=2026-04-30&mois=1&jours=&calendrier=FR');
    expect(status).toBe(200);
    const words = text(html);
    expect(words).toContain('L’organisme doit vous répondre au plus tard le lundi 1 juin 2026.');
    // Each skipped day says why without repeating its weekday.
    expect(words).toContain('samedi 30 mai 2026 : week-end');
    expect(words).toContain('dimanche 31 mai 2026 : week-end');
    expect(words).not.toMatch(/(samedi|dimanche) \d+ mai 2026 : (samedi|dimanche)/);
    expect(words).toContain('Il doit alors vous prévenir au plus tard le lundi 1 juin 2026');
    expect(words).toContain('au plus tard le jeudi 30 juillet 2026.');
    // Every rule cites its source.
    for (const source of ['article 3, paragraphe 1', 'RGPD), article 12, paragraphe 3', 'L3133-1', 'L3134-13', 'L3422-2']) expect(words).toContain(source);
    expect(html).toContain('href="/outils/delai.json?recu=2026-04-30&amp;mois=1&amp;calendrier=FR"');
    // The values stay in the form for another calculation.
    expect(html).toMatch(/<input type="date" id="f-recu" name="recu" value="2026-04-30"/);
  });

  it('names holidays, in English too', async () => {
    const { status, html } = await page('/outils/delai?recu=2026-03-03&mois=1&jours=&calendrier=FR-57&lang=en');
    expect(status).toBe(200);
    const words = text(html);
    expect(words).toContain('The organisation must answer you by Tuesday, 7 April 2026 at the latest.');
    // A holiday by its name, which may hold a weekday already; a weekend day with its weekday.
    expect(words).toContain('3 April 2026: Good Friday, public holiday');
    expect(words).not.toContain('Friday, 3 April 2026: Good Friday');
    expect(words).toContain('Saturday, 4 April 2026: weekend');
    expect(words).toContain('Sunday, 5 April 2026: weekend');
    expect(words).toContain('6 April 2026: Easter Monday, public holiday');
    expect(words).not.toContain('Monday, 6 April 2026: Easter Monday');
    expect(words).toContain('Public holidays of: Moselle (57).');
    expect(html).toContain('<option value="FR-57" selected="">Moselle (57)</option>');
  });

  it('a period in days has no extension paragraph', async () => {
    const { status, html } = await page('/outils/delai?recu=2026-04-30&mois=&jours=7&calendrier=FR');
    expect(status).toBe(200);
    const words = text(html);
    expect(words).toContain('Le délai se termine le jeudi 7 mai 2026.');
    expect(words).toContain('Durée du délai : 7 jours.');
    expect(words).toContain('n’est pas reporté');
    expect(words).not.toContain('prolonger le délai de deux mois. Il doit alors');
  });

  it('with an invalid date answers 422 with the error summary, the field message and the typed value escaped', async () => {
    const typed = '<script>alert(1)</script>';
    const { status, html } = await page(`/outils/delai?recu=${encodeURIComponent(typed)}&mois=1&jours=&calendrier=FR`);
    expect(status).toBe(422);
    expect(html).toMatch(/<title>Erreur : Calculer la date limite de réponse – /);
    const summary = /<div class="error-summary" role="alert"[^>]*>([\s\S]*?)<\/div>/.exec(html)?.[1] ?? '';
    expect(summary).toContain('Il y a un problème');
    expect(summary).toContain('<a href="#f-recu">La date de réception doit être une vraie date');
    // The summary comes before the h1.
    expect(html.indexOf('role="alert"')).toBeLessThan(html.indexOf('<h1>'));
    expect(html).toContain(
      '<p class="error-message" id="f-recu-error"><span class="visually-hidden">Erreur : </span>La date de réception doit être une vraie date',
    );
    const input = /<input type="date" id="f-recu"[^>]*>/.exec(html)?.[0] ?? '';
    expect(input).toContain('aria-invalid="true"');
    expect(input).toContain('aria-describedby="f-recu-hint f-recu-error"');
    expect(input).toContain('value="&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(html).not.toContain(typed);
    expect(html).not.toContain('id="result-title"');
  });

  it('lists every field in error, in the order of the form, and keeps what was typed', async () => {
    const { status, html } = await page('/outils/delai?recu=&mois=1&jours=abc&calendrier=XX&lang=en');
    expect(status).toBe(422);
    const links = [...html.matchAll(/<li><a href="(#f-[a-z]+)">/g)].map((m) => m[1]);
    expect(links).toEqual(['#f-recu', '#f-jours', '#f-calendrier']);
    expect(html).toContain('There is a problem');
    expect(html).toMatch(/<title>Error: /);
    expect(html).toMatch(/<input type="text" id="f-jours" name="jours" value="abc"[^>]*aria-invalid="true"/);
    expect(html).toMatch(/<input type="text" id="f-mois" name="mois" value="1"(?![^>]*aria-invalid)/);
    expect(html).toContain('id="f-calendrier-error"');
  });

  it('asks for one of months or days when both are given', async () => {
    const { status, html } = await page('/outils/delai?recu=2026-04-30&mois=1&jours=10&calendrier=FR');
    expect(status).toBe(422);
    expect(html).toContain('<a href="#f-jours">Indiquez un nombre de mois ou un nombre de jours, pas les deux.');
  });

  it('a link may preset the calendar without submitting the form', async () => {
    const { status, html } = await page('/outils/delai?calendrier=FR-974');
    expect(status).toBe(200);
    expect(html).toContain('<option value="FR-974" selected="">La Réunion (974)</option>');
    expect(html).not.toContain('role="alert"');
  });

  it('has the same keys in French and English (no key shown raw)', async () => {
    for (const url of ['/outils/delai?lang=en', '/outils/delai?recu=2026-11-26&mois=1&calendrier=FR-67&lang=en', '/outils/delai?recu=x&mois=0&lang=en']) {
      const { html } = await page(url);
      expect(html, url).not.toMatch(/tools:|errors\.|result\.|reasons\./);
    }
  });
});
