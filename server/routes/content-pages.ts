/**
 * The plain-language pages: their slugs and where they sit. The text lives in
 * locales/<lng>/pages/<slug>.json. "Which projects may use my data?" sits among them, though it is built
 * from the register (server/routes/my-data.tsx).
 */
import { MY_DATA_PATH } from '../../views/pages/content/MyDataPage';
export const UNDERSTAND_PAGES = [
  'snds-et-catalogue',
  'health-data-hub',
  'acces-aux-donnees',
  'vos-droits',
  'securite',
  'questions-frequentes',
  'glossaire',
] as const;

export const EASY_READ_PAGES = ['mes-donnees', 'mes-droits', 'm-opposer'] as const;

/** Pages about the service itself, at the root, linked from the footer. */
export const SERVICE_PAGES = ['accessibilite', 'mentions-legales', 'confidentialite'] as const;

/** Every public content URL, for the site map and the tests that walk the site. */
export function contentUrls(): string[] {
  return [
    '/',
    '/comprendre',
    ...UNDERSTAND_PAGES.map((s) => `/comprendre/${s}`),
    MY_DATA_PATH,
    '/facile-a-lire',
    ...EASY_READ_PAGES.map((s) => `/facile-a-lire/${s}`),
    ...SERVICE_PAGES.map((s) => `/${s}`),
    '/plan-du-site',
  ];
}
