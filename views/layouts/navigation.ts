/** The main navigation, in order. Labels are keys of the `common` namespace. */
export const MAIN_NAV: { href: string; key: string }[] = [
  { href: '/', key: 'nav.home' },
  { href: '/comprendre', key: 'nav.understand' },
  { href: '/projets', key: 'nav.register' },
  { href: '/demande', key: 'nav.request' },
  { href: '/suivi', key: 'nav.track' },
  { href: '/outils/delai', key: 'nav.deadline' },
  { href: '/facile-a-lire', key: 'nav.easyRead' },
];

export const FOOTER_NAV: { href: string; key: string }[] = [
  { href: '/accessibilite', key: 'footer.accessibility' },
  { href: '/mentions-legales', key: 'footer.legal' },
  { href: '/confidentialite', key: 'footer.privacy' },
  { href: '/plan-du-site', key: 'footer.sitemap' },
];

/** A navigation item is current on its own page and, except home, on the pages beneath it. */
export function isCurrent(itemHref: string, path: string): 'page' | 'true' | undefined {
  if (itemHref === path) return 'page';
  if (itemHref !== '/' && path.startsWith(itemHref + '/')) return 'true';
  return undefined;
}
