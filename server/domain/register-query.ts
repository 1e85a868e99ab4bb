/**
 * Reading the register's URL parameters (its stable URL contract: q, statut, source, organisation, finalite, tri, page,
 * plus commercial and opposition). Unknown or malformed values are dropped, never an error: a shared
 * link with an old filter still opens.
 */
import { PROJECT_STATUSES, PURPOSES } from './register-schema';

export const PAGE_SIZE = 20;
export const MAX_QUERY_LENGTH = 200;
export const SORTS = ['pertinence', 'recent', 'titre', 'statut'] as const;
export type Sort = (typeof SORTS)[number];

export type RegisterParams = {
  q: string;
  statut?: string;
  source?: string;
  organisation?: string;
  finalite?: string;
  commercial?: 'oui' | 'non';
  opposition?: 'oui' | 'non';
  tri: Sort;
  page: number;
  /** Parameters given but not understood, so the page can say they were ignored. */
  ignored: string[];
};

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const oneOf = <T extends string>(values: readonly T[], v: string | undefined): T | undefined =>
  v !== undefined && (values as readonly string[]).includes(v) ? (v as T) : undefined;

export function parseRegisterParams(get: (name: string) => string | undefined): RegisterParams {
  const ignored: string[] = [];
  const pick = <T extends string>(name: string, ok: (v: string) => T | undefined): T | undefined => {
    const raw = get(name);
    if (raw === undefined || raw === '') return undefined;
    const value = ok(raw);
    if (value === undefined) ignored.push(name);
    return value;
  };
  const q = (get('q') ?? '').replace(/\s+/g, ' ').trim().slice(0, MAX_QUERY_LENGTH);
  const statut = pick('statut', (v) => oneOf(PROJECT_STATUSES, v));
  const finalite = pick('finalite', (v) => oneOf(PURPOSES, v));
  const source = pick('source', (v) => (v.length <= 80 && SLUG.test(v) ? v : undefined));
  const organisation = pick('organisation', (v) => (v.length <= 80 && SLUG.test(v) ? v : undefined));
  const commercial = pick('commercial', (v) => oneOf(['oui', 'non'] as const, v));
  const opposition = pick('opposition', (v) => oneOf(['oui', 'non'] as const, v));
  let tri = pick('tri', (v) => oneOf(SORTS, v)) ?? (q ? 'pertinence' : 'recent');
  if (tri === 'pertinence' && !q) tri = 'recent';
  const pageRaw = pick('page', (v) => (/^\d{1,7}$/.test(v) && Number(v) >= 1 ? v : undefined));
  return { q, statut, source, organisation, finalite, commercial, opposition, tri, page: pageRaw ? Number(pageRaw) : 1, ignored };
}

/** The query string of a register view: only what differs from the defaults, in a stable order. */
export function registerSearchString(p: Partial<RegisterParams>, overrides: Partial<Record<keyof RegisterParams, string | number | undefined>> = {}): string {
  const merged: Record<string, string | number | undefined> = {
    q: p.q || undefined,
    statut: p.statut,
    source: p.source,
    organisation: p.organisation,
    finalite: p.finalite,
    commercial: p.commercial,
    opposition: p.opposition,
    tri: p.tri && p.tri !== (p.q ? 'pertinence' : 'recent') ? p.tri : undefined,
    page: p.page && p.page > 1 ? p.page : undefined,
    ...overrides,
  };
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(merged)) if (v !== undefined && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s ? `?${s}` : '';
}
