/**
 * The table of organisations on /statistiques sorts without JavaScript: each column header is a link
 * (`?tri=<column>&ordre=asc|desc`) and the sorted column says so with aria-sort. Suppressed counts sort
 * just under their threshold, organisations without a rate or a median after every one that has one.
 */
import type { Cell, OrganisationFigures } from '../../../server/domain/statistics-types';

export const ORGANISATION_SORTS = ['nom', 'recues', 'reponses', 'taux', 'mediane'] as const;
export type OrganisationSortKey = (typeof ORGANISATION_SORTS)[number];
export type SortOrder = 'asc' | 'desc';
export type OrganisationSort = { key: OrganisationSortKey; order: SortOrder };

export const DEFAULT_SORT: OrganisationSort = { key: 'nom', order: 'asc' };

/** The order a column sorts in when first chosen: names A to Z, figures largest first, the median shortest first. */
export const FIRST_ORDER: Record<OrganisationSortKey, SortOrder> = { nom: 'asc', recues: 'desc', reponses: 'desc', taux: 'desc', mediane: 'asc' };

/** The sort asked for; an unknown column or order falls back to the default (a sort is never an error). */
export function parseOrganisationSort(tri: string | undefined, ordre: string | undefined): OrganisationSort {
  const key = (ORGANISATION_SORTS as readonly string[]).includes(tri ?? '') ? (tri as OrganisationSortKey) : DEFAULT_SORT.key;
  const order = ordre === 'asc' || ordre === 'desc' ? ordre : FIRST_ORDER[key];
  return { key, order };
}

const cellKey = (c: Cell) => ('value' in c ? c.value : c.below - 0.5);

function sortValue(o: OrganisationFigures, key: OrganisationSortKey): number | string | null {
  switch (key) {
    case 'nom':
      return o.name;
    case 'recues':
      return cellKey(o.received);
    case 'reponses':
      return cellKey(o.answers.answered);
    case 'taux':
      return o.answers.onTimeRate?.share ?? null;
    case 'mediane':
      return o.answers.medianDays;
  }
}

export function sortOrganisations(list: readonly OrganisationFigures[], sort: OrganisationSort, lang: string): OrganisationFigures[] {
  const collator = new Intl.Collator(lang === 'fr' ? 'fr-FR' : 'en-GB', { sensitivity: 'base' });
  const sign = sort.order === 'asc' ? 1 : -1;
  return [...list].sort((a, b) => {
    const va = sortValue(a, sort.key);
    const vb = sortValue(b, sort.key);
    // Missing values (no rate, no median) always last, whatever the order.
    if (va === null || vb === null) return va === vb ? collator.compare(a.name, b.name) : va === null ? 1 : -1;
    const diff = typeof va === 'string' ? collator.compare(va, vb as string) : va - (vb as number);
    return diff !== 0 ? sign * diff : collator.compare(a.name, b.name);
  });
}

/** The order a header link asks for: the other order on the sorted column, the column's first order elsewhere. */
export function nextOrder(sort: OrganisationSort, key: OrganisationSortKey): SortOrder {
  if (sort.key !== key) return FIRST_ORDER[key];
  return sort.order === 'asc' ? 'desc' : 'asc';
}
