/**
 * Translations (i18next). French is the source language; every file under locales/<lng>/ is one
 * namespace named by its path: locales/fr/pages/vos-droits.json is the namespace `pages/vos-droits`.
 */
import i18next, { type i18n as I18n } from 'i18next';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withFrenchArticle, withFrenchPreposition } from './domain/french';

export const LANGUAGES = ['fr', 'en'] as const;
export type Lang = (typeof LANGUAGES)[number];
export const DEFAULT_LANG: Lang = 'fr';
export const LOCALES_DIR = fileURLToPath(new URL('../locales', import.meta.url));

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

export type TFunction = (key: string, options?: Record<string, unknown>) => string;

/** What views receive: the language, a string lookup and a structured lookup for content documents. */
export type Translator = {
  lang: Lang;
  t: TFunction;
  /** The whole namespace (content pages are structured documents, not single strings). */
  doc: <T>(namespace: string) => T;
  /** Formats a date for people: "22 novembre 2026" / "22 November 2026". */
  date: (iso: string | Date) => string;
  number: (n: number) => string;
};

type Resources = Record<string, Record<string, Record<string, unknown>>>;

function jsonFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return jsonFiles(path);
    return name.endsWith('.json') ? [path] : [];
  });
}

export function loadResources(dir: string = LOCALES_DIR): Resources {
  const resources: Resources = {};
  for (const lang of LANGUAGES) {
    const base = join(dir, lang);
    resources[lang] = {};
    for (const file of jsonFiles(base)) {
      const ns = relative(base, file)
        .replace(/\\/g, '/')
        .replace(/\.json$/, '');
      resources[lang][ns] = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    }
  }
  return resources;
}

/** Instances on which a missing key throws (tests): see `createI18n`. */
const strictInstances = new WeakSet<I18n>();

/** A key looked up that the language lacks, in strict mode: a test fails instead of showing the key or French. */
export class MissingLocaleKeyError extends Error {
  constructor(
    readonly lang: string,
    readonly key: string,
  ) {
    super(`Missing locale key ${lang}:${key}`);
    this.name = 'MissingLocaleKeyError';
  }
}

/**
 * `strict` (the default under tests, NODE_ENV=test): a key that a language lacks throws
 * MissingLocaleKeyError from the translator's `t`, rather than falling back to French or to the key
 * itself; so a form error whose key is missing in one language fails its test loudly.
 */
export function createI18n(dir: string = LOCALES_DIR, options: { strict?: boolean } = {}): I18n {
  const resources = loadResources(dir);
  const instance = i18next.createInstance();
  if (options.strict ?? process.env.NODE_ENV === 'test') strictInstances.add(instance);
  void instance.init({
    resources,
    lng: DEFAULT_LANG,
    fallbackLng: DEFAULT_LANG,
    supportedLngs: [...LANGUAGES],
    ns: Object.keys(resources[DEFAULT_LANG] ?? {}),
    defaultNS: 'common',
    initAsync: false,
    returnNull: false,
    // hono/jsx escapes every text node; escaping here too would show "&amp;".
    interpolation: { escapeValue: false },
  });
  addFormats(instance);
  return instance;
}

/**
 * Formats that texts apply to a value (`{{organisation, à}}`, i18next's "formatting"): in French they
 * give an organisation's name its preposition and article (server/domain/french.ts); in English, the
 * name as it is. locales/README.md lists them for translators.
 */
function addFormats(instance: I18n): void {
  const french = (lng: string | undefined, value: unknown, form: (name: string) => string): string =>
    lng === 'fr' && typeof value === 'string' && value.trim() !== '' ? form(value) : String(value ?? '');
  const formatter = instance.services.formatter!;
  formatter.add('à', (value, lng) => french(lng, value, (name) => withFrenchPreposition('à', name)));
  formatter.add('de', (value, lng) => french(lng, value, (name) => withFrenchPreposition('de', name)));
  formatter.add('article', (value, lng) => french(lng, value, withFrenchArticle));
}

const dateFormats = new Map<Lang, Intl.DateTimeFormat>();
const numberFormats = new Map<Lang, Intl.NumberFormat>();

export function translatorFor(i18n: I18n, lang: Lang): Translator {
  const fixed = i18n.getFixedT(lang);
  let dateFormat = dateFormats.get(lang);
  if (!dateFormat) {
    dateFormat = new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
    dateFormats.set(lang, dateFormat);
  }
  let numberFormat = numberFormats.get(lang);
  if (!numberFormat) {
    numberFormat = new Intl.NumberFormat(lang === 'fr' ? 'fr-FR' : 'en-GB');
    numberFormats.set(lang, numberFormat);
  }
  const df = dateFormat;
  const nf = numberFormat;
  // Resources never change while the process runs: a key without options always gives the same string.
  const memo = new Map<string, string>();
  const strict = strictInstances.has(i18n);
  // A lookup that gives its own default is allowed to miss (register-editing.ts chains them).
  const check = (key: string, options?: Record<string, unknown>) => {
    if (strict && !(options && 'defaultValue' in options) && !i18n.exists(key, { ...options, lngs: [lang] } as never))
      throw new MissingLocaleKeyError(lang, key);
  };
  return {
    lang,
    t: (key, options) => {
      check(key, options);
      if (options) return fixed(key, options as never) as unknown as string;
      let text = memo.get(key);
      if (text === undefined) {
        text = fixed(key) as unknown as string;
        memo.set(key, text);
      }
      return text;
    },
    doc: <T>(namespace: string) => {
      const bundle = i18n.getResourceBundle(lang, namespace) as T | undefined;
      if (!bundle) throw new Error(`Missing locale namespace ${lang}/${namespace}`);
      return bundle;
    },
    date: (iso) => df.format(typeof iso === 'string' ? new Date(`${iso.slice(0, 10)}T00:00:00Z`) : iso),
    number: (n) => nf.format(n),
  };
}

/** Picks a supported language from an Accept-Language header, honouring q-values. */
export function fromAcceptLanguage(header: string | undefined): Lang | undefined {
  if (!header) return undefined;
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const quality = q ? Number(q.slice(2)) : 1;
      return { base: tag.toLowerCase().split('-')[0] ?? '', quality: Number.isFinite(quality) ? quality : 0, index };
    })
    .filter((entry) => entry.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  return ranked.find((entry) => isLang(entry.base))?.base as Lang | undefined;
}
