import type { Role } from '../../server/domain/staff-roles';

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

/** The back office's navigation, by role. Labels are keys of the `staff` namespace. */
export function staffNav(role: Role): { href: string; key: string }[] {
  const items = [{ href: '/espace-pro', key: 'staff:nav.home' }];
  if (role === 'admin' || role === 'dpo' || role === 'cnam') items.push({ href: '/espace-pro/demandes', key: 'staff:nav.requests' });
  if (role === 'admin' || role === 'editor') {
    items.push({ href: '/espace-pro/registre', key: 'staff:nav.register' });
    items.push({ href: '/espace-pro/signalements', key: 'staff:nav.reports' });
  }
  if (role === 'admin') items.push({ href: '/espace-pro/admin', key: 'staff:nav.admin' });
  items.push({ href: '/espace-pro/cles', key: 'staff:nav.passkeys' });
  return items;
}

export const FOOTER_NAV: { href: string; key: string }[] = [
  { href: '/accessibilite', key: 'footer.accessibility' },
  { href: '/mentions-legales', key: 'footer.legal' },
  { href: '/confidentialite', key: 'footer.privacy' },
  { href: '/plan-du-site', key: 'footer.sitemap' },
  { href: '/statistiques', key: 'footer.statistics' },
  { href: '/outils/api', key: 'footer.api' },
];

/** A navigation item is current on its own page and, except home, on the pages beneath it. */
export function isCurrent(itemHref: string, path: string): 'page' | 'true' | undefined {
  if (itemHref === path) return 'page';
  // Home pages (the site's, the back office's) are current only on themselves.
  if (itemHref !== '/' && itemHref !== '/espace-pro' && path.startsWith(itemHref + '/')) return 'true';
  return undefined;
}
