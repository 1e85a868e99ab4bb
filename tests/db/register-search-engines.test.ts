/**
 * The register's search, one suite run on both engines (issue 16): SQLite FTS5 (server/db/register-search.ts)
 * and PostgreSQL tsvector with unaccent and French stemming (server/db/pg/register-search.ts). The cases
 * are those of the register's route tests (tests/routes/register.test.ts), asserted on what the search
 * returns: accents and case, stems of plurals and inflections, a word being typed, several words,
 * organisation and source names, filters, the orders, pages, and what a person may type that is no query.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, type SearchSubject } from '../helpers/register-engines';
import { FILLER, FIXTURES, INFLECTIONS } from '../helpers/register-fixtures';
import { PG_HOOK_TIMEOUT_MS } from '../helpers/postgres-run';

describe.each(ENGINES)('the register’s search on $name', (engine) => {
  let main: SearchSubject;
  let french: SearchSubject;
  beforeAll(async () => {
    main = await engine.open([...FIXTURES, ...FILLER]);
    french = await engine.open(INFLECTIONS);
  }, PG_HOOK_TIMEOUT_MS);
  afterAll(async () => {
    await main?.close();
    await french?.close();
  });

  const ids = async (q: string, subject = main) => (await subject.search({ q })).ids;
  const sorted = async (q: string, subject = main) => (await ids(q, subject)).sort();

  describe('words', () => {
    it('ignores accents and case', async () => {
      for (const q of ['bacteriemies', 'BACTERIEMIES', 'Bactériémies']) expect(await ids(q)).toEqual(['bacteriemies']);
    });

    it('finds a project by a word of its summary, and by prefix', async () => {
      expect(await ids('parkinson')).toEqual(['ns-park']);
      expect(await ids('neurolog')).toEqual(['ns-park']);
      expect(await ids('prescripteurs')).toEqual(['pimpon']);
    });

    it('finds a project by its organisation or data source, all words required', async () => {
      expect(await ids('vidal')).toEqual(['pimpon']);
      expect(await ids('cohorte ns-park')).toEqual(['ns-park']);
      expect(await ids('cohorte vidal')).toEqual([]);
    });

    it('counts what it found, and finds nothing for an unknown word', async () => {
      expect(await main.search({ q: 'parkinson' })).toEqual({ total: 1, ids: ['ns-park'] });
      expect(await main.search({ q: 'xylophone' })).toEqual({ total: 0, ids: [] });
    });
  });

  describe('French: plurals and inflections', () => {
    const f = (q: string) => ids(q, french);
    const fs = (q: string) => sorted(q, french);

    it('finds the same projects from the singular and the plural', async () => {
      expect(await fs('cancer')).toEqual(['gorge', 'sein']);
      expect(await fs('cancers')).toEqual(['gorge', 'sein']);
      expect(await fs('hospitalisation')).toEqual(['coeur', 'urgences']);
      expect(await fs('hospitalisations')).toEqual(['coeur', 'urgences']);
      expect(await f('interaction')).toEqual(['sein']);
      expect(await f('médicament')).toEqual(['sein']);
    });

    it('matches a whole word by its stem only, not every word sharing its first letters', async () => {
      expect(await f('médicaments')).toEqual(['sein']);
      expect(await f('médical')).toEqual(['diabete']);
    });

    it('finds common inflections: participles, adjectives, irregular plurals', async () => {
      expect(await f('hospitalisé')).toContain('coeur');
      expect(await fs('hospitalisées')).toEqual(['coeur', 'urgences']);
      expect(await f('diabétique')).toEqual(['diabete']);
      expect(await f('diabète')).toEqual(['diabete']);
      expect(await f('hôpital')).toEqual(['urgences']);
    });

    it('still ignores accents and case, and still matches a word being typed', async () => {
      expect(await fs('HOSPITALISATIONS')).toEqual(['coeur', 'urgences']);
      expect(await f('diabetiques')).toEqual(['diabete']);
      expect(await f('hopitaux')).toEqual(['urgences']);
      expect(await fs('hospitalisati')).toEqual(['coeur', 'urgences']);
      expect(await f('chimio')).toEqual(['sein']);
      expect(await f('ile de france')).toEqual(['urgences']);
    });

    it('ranks a match in the title before a match in the summary', async () => {
      expect(await f('urgence')).toEqual(['urgences']);
      expect(await f('cardiaques')).toEqual(['coeur']);
      // "gorge" is the more recent: by date it would come first.
      expect(await f('cancers')).toEqual(['sein', 'gorge']);
    });

    it('orders a search by date when asked, not by relevance', async () => {
      expect((await french.search({ q: 'cancers', sort: 'recent' })).ids).toEqual(['gorge', 'sein']);
    });
  });

  describe('filters, orders and pages', () => {
    const found = async (query: Parameters<SearchSubject['search']>[0]) => (await main.search(query)).ids;

    it('combine: status, source, organisation, purpose, commercial use, objection, with or without words', async () => {
      expect(await found({ source: 'ns-park' })).toEqual(['ns-park']);
      expect(await found({ organisation: 'ap-hp', statut: 'autorise' })).toEqual(['retard']);
      expect(await found({ organisation: 'f-crin' })).toEqual(['ns-park']);
      expect(await found({ finalite: 'outil', commercial: true })).toEqual(['pimpon']);
      expect(await found({ finalite: 'outil', commercial: false })).toEqual(['ns-park']);
      expect(await found({ opposition: false })).toEqual(['etat-stats']);
      expect(await found({ q: 'antibiotiques', source: 'edsaphp', organisation: 'ap-hp' })).toEqual(['bacteriemies']);
      expect(await found({ q: 'antibiotiques', organisation: 'vidal' })).toEqual([]);
    });

    it('sorts by latest change by default, by title, or by stage', async () => {
      expect((await found({})).slice(0, 3)).toEqual(['ns-park', 'bacteriemies', 'pimpon']);
      expect((await found({ sort: 'titre' })).at(-1)).toBe('retard');
      expect((await found({ sort: 'titre' })).slice(0, 2)).toEqual(['pimpon', 'bacteriemies']);
      expect((await found({ sort: 'statut' }))[0]).toBe('ns-park');
    });

    it('gives the page asked for and the total, and an empty page past the end', async () => {
      const all = await found({});
      expect(all).toHaveLength(45);
      const second = await main.search({ page: 2, pageSize: 20 });
      expect(second).toEqual({ total: 45, ids: all.slice(20, 40) });
      expect(await main.search({ page: 3, pageSize: 20 })).toEqual({ total: 45, ids: all.slice(40) });
      expect(await main.search({ page: 9, pageSize: 20 })).toEqual({ total: 45, ids: [] });
    });
  });

  describe('what a person may type', () => {
    it('reads operators, quotes, SQL and markup as words, or as nothing', async () => {
      for (const q of [
        'a'.repeat(10_000),
        "' OR 1=1; DROP TABLE projects; --",
        '"NEAR( AND OR NOT * ^ {col}:x',
        '<script>alert(1)</script>',
        '"><img src=x onerror=alert(1)>',
        "parkinson:* | ! & <-> 'x'",
      ])
        expect((await main.search({ q })).ids, q).toEqual([]);
      expect(await ids('💉 parkinson')).toEqual(['ns-park']);
      // No word at all: no criterion, every project.
      expect((await main.search({ q: '💉 !!! ...' })).total).toBe(45);
      expect(await main.search({ q: 'remplissage' })).toMatchObject({ total: 40 });
      expect((await main.search({})).total).toBe(45);
    });

    it('keeps at most twelve words', async () => {
      expect(await ids(`${'parkinson '.repeat(12)} xylophone`)).toEqual(['ns-park']);
    });
  });
});
