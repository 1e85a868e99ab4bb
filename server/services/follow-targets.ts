/**
 * What a follow follows: a project, an organisation, a data source or a register search, found in the
 * register and said in words in a language (for the follow pages and the mails), with the page that shows
 * it, and which projects of a list it covers (for the digests).
 */
import type { Db } from '../db/client';
import { dataSourceById, organisationById, searchProjectIds } from '../db/register';
import { projectTitles, projectsLinkedTo } from '../db/follows';
import { searchTarget, type FollowKind } from '../domain/follows';
import { parseRegisterParams, type RegisterParams } from '../domain/register-query';
import type { Translator } from '../i18n';
import { queryOfParams } from './register-reads';

/** A target found in the register: its kind and stored target, its name, and for a search its filters. */
export type FollowTarget = {
  kind: FollowKind;
  target: string;
  /** The project's title, the organisation's or the source's name. */
  name?: string;
  /** A search's filters, with the names of the organisation and the source it filters on. */
  search?: { params: RegisterParams; organisationName?: string; sourceName?: string };
};

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** The register parameters a search follow stores, read back. */
export function searchParamsOf(target: string): RegisterParams {
  const query = new URLSearchParams(target);
  return parseRegisterParams((name) => query.get(name) ?? undefined);
}

/**
 * The target of a follow asked on /suivre/<kind>/<id> (or /suivre/recherche?<filters>): undefined when
 * the register has no such project, organisation or source. A search keeps only the filters it understands.
 */
export function findFollowTarget(db: Db, kind: FollowKind, id: string | undefined, query?: (name: string) => string | undefined): FollowTarget | undefined {
  if (kind === 'search') {
    const params = parseRegisterParams(query ?? (() => undefined));
    return describeSearch(db, searchTarget(params));
  }
  if (!id || !SLUG.test(id) || id.length > 80) return undefined;
  const name = kind === 'project' ? projectTitles(db, [id]).get(id) : kind === 'organisation' ? organisationById(db, id)?.name : dataSourceById(db, id)?.name;
  return name === undefined ? undefined : { kind, target: id, name };
}

/** A stored follow's target as the pages and mails show it (a project since removed keeps its id as its name). */
export function storedFollowTarget(db: Db, kind: FollowKind, target: string): FollowTarget {
  return kind === 'search' ? describeSearch(db, target) : (findFollowTarget(db, kind, target) ?? { kind, target, name: target });
}

function describeSearch(db: Db, target: string): FollowTarget {
  const params = searchParamsOf(target);
  const organisationName = params.organisation ? (organisationById(db, params.organisation)?.name ?? params.organisation) : undefined;
  const sourceName = params.source ? (dataSourceById(db, params.source)?.name ?? params.source) : undefined;
  return { kind: 'search', target, search: { params, organisationName, sourceName } };
}

/** The public page of a target: the project, the organisation, the source, or the register with the search's filters. */
export function targetPath(t: Pick<FollowTarget, 'kind' | 'target'>): string {
  if (t.kind === 'search') return t.target ? `/projets?${t.target}` : '/projets';
  return `/${t.kind === 'project' ? 'projets' : t.kind === 'organisation' ? 'organisations' : 'sources'}/${t.target}`;
}

/** The target in words: "the project “…”", "the projects of …", "the projects of your search: words “cancer”, …". */
export function describeTarget(tr: Translator, t: FollowTarget): string {
  const { t: tt } = tr;
  if (t.kind === 'project') return tt('follow:target.project', { title: t.name });
  if (t.kind === 'organisation') return tt('follow:target.organisation', { organisation: t.name });
  if (t.kind === 'source') return tt('follow:target.source', { source: t.name });
  const s = t.search!;
  const p = s.params;
  const yesNo = (v: 'oui' | 'non') => tt(`register-fields:values.boolean.${v === 'oui' ? 'true' : 'false'}`);
  const parts = [
    p.q ? tt('follow:target.words', { q: p.q }) : undefined,
    p.statut ? `${tt('register-fields:fields.statut.title')}${tt('common:separator')}${tt(`register-fields:values.statut.${p.statut}`)}` : undefined,
    s.sourceName ? `${tt('register-fields:fields.sources_noms.title')}${tt('common:separator')}${s.sourceName}` : undefined,
    s.organisationName ? `${tt('register:form.organisation')}${tt('common:separator')}${s.organisationName}` : undefined,
    p.finalite ? `${tt('register-fields:fields.finalite.title')}${tt('common:separator')}${tt(`register-fields:values.finalite.${p.finalite}`)}` : undefined,
    p.commercial ? `${tt('register-fields:fields.usage_commercial.title')}${tt('common:separator')}${yesNo(p.commercial)}` : undefined,
    p.opposition ? `${tt('register-fields:fields.opposition_applicable.title')}${tt('common:separator')}${yesNo(p.opposition)}` : undefined,
  ].filter((x): x is string => !!x);
  return parts.length === 0 ? tt('follow:target.everything') : tt('follow:target.search', { filters: parts.join(tt('follow:target.and')) });
}

/**
 * Of these projects (changed since a digest), those the target covers now: the project itself, the
 * projects the organisation runs or the source feeds, the projects the search finds.
 */
export function projectsCovered(db: Db, target: Pick<FollowTarget, 'kind' | 'target'>, ids: string[]): Set<string> {
  if (ids.length === 0) return new Set();
  if (target.kind === 'project') return new Set(ids.filter((id) => id === target.target));
  if (target.kind === 'organisation') return new Set(projectsLinkedTo(db, ids, { organisation: target.target }));
  if (target.kind === 'source') return new Set(projectsLinkedTo(db, ids, { source: target.target }));
  const among = new Set(ids);
  const found = searchProjectIds(db, queryOfParams(searchParamsOf(target.target), null)).ids;
  return new Set(found.filter((id) => among.has(id)));
}
