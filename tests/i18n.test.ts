import { describe, expect, it } from 'vitest';
import { fromAcceptLanguage, loadResources } from '../server/i18n';

/** The shape of a document: its keys, list lengths and value types, without the words. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shape);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, shape((value as Record<string, unknown>)[k])]),
    );
  }
  return typeof value;
}

function emptyStrings(value: unknown, path = ''): string[] {
  if (typeof value === 'string') return value.trim() === '' ? [path] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => emptyStrings(v, `${path}[${i}]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => emptyStrings(v, path ? `${path}.${k}` : k));
  return [];
}

describe('locales', () => {
  const resources = loadResources();
  const fr = resources.fr!;
  const en = resources.en!;

  it('have the same namespaces in French and English', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(fr).sort());
  });

  it.each(Object.keys(fr).sort())('%s: English has exactly the keys and list lengths of French', (ns) => {
    expect(shape(en[ns])).toEqual(shape(fr[ns]));
  });

  it('have no empty strings', () => {
    for (const lang of ['fr', 'en'] as const) {
      for (const [ns, doc] of Object.entries(resources[lang]!)) expect(emptyStrings(doc), `${lang}/${ns}`).toEqual([]);
    }
  });

  it('never carry HTML: the views escape plain text', () => {
    for (const lang of ['fr', 'en'] as const) {
      for (const [ns, doc] of Object.entries(resources[lang]!)) expect(JSON.stringify(doc), `${lang}/${ns}`).not.toMatch(/<\/?[a-z][^>]*>/i);
    }
  });
});

describe('fromAcceptLanguage', () => {
  it.each([
    [undefined, undefined],
    ['', undefined],
    ['en', 'en'],
    ['en-GB,en;q=0.9', 'en'],
    ['de, fr;q=0.3, en;q=0.7', 'en'],
    ['fr-FR', 'fr'],
    ['es', undefined],
    ['en;q=0, fr;q=0.1', 'fr'],
    ['*', undefined],
  ])('%s gives %s', (header, expected) => {
    expect(fromAcceptLanguage(header)).toBe(expected);
  });
});
