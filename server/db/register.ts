/**
 * Queries of the register. A project travels as a ProjectRow (every open-data column as text), so the
 * CSV, the JSON, the import and the project page all read and write the same shape.
 * Over 300 lines: the row's reading and writing (with its history) share private column maps; splitting
 * them would export those maps. To split when the PostgreSQL engine gives this module an interface.
 */
import { and, asc, count, desc, eq, getTableColumns, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from './client';
import { countUp, counterValue } from './meta-counters';
import { dataSources, meta, organisations, projectChanges, projectOrganisations, projects, projectSources } from './schema';
import { joinList, splitList } from '../domain/register-rows';
import { FIELD_NAMES, FIELDS_BY_NAME, type ProjectRow } from '../domain/register-schema';
import { ftsQuery, indexProject, matches, searchClause } from './register-search';

/** CSV column name → key of the projects table, for the columns stored on the project itself. */
const COLUMN_KEYS = new Map(Object.entries(getTableColumns(projects)).map(([key, column]) => [column.name, key]));
const RELATION_FIELDS = new Set([
  'responsable_nom',
  'responsable_siren',
  'partenaires_ids',
  'partenaires_noms',
  'sources_ids',
  'sources_noms',
  'sources_identifiantes',
]);

type ProjectRecord = typeof projects.$inferSelect;
type ProjectInsert = typeof projects.$inferInsert;

function toCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return String(value);
}

function fromCell(field: string, cell: string): string | number | boolean | null {
  if (cell === '') return null;
  const type = FIELDS_BY_NAME.get(field)?.type;
  if (type === 'boolean') return cell === 'true';
  if (type === 'integer') return Number(cell);
  return cell;
}

export type OrganisationRecord = typeof organisations.$inferSelect;
export type DataSourceRecord = typeof dataSources.$inferSelect;

/** The rows of the given projects (all projects when ids is omitted), in the order of ids or by id. */
export function projectRows(db: Db, ids?: string[]): ProjectRow[] {
  if (ids && ids.length === 0) return [];
  const records = ids ? db.select().from(projects).where(inArray(projects.id, ids)).all() : db.select().from(projects).orderBy(asc(projects.id)).all();
  const scope = ids ? inArray(projectOrganisations.projectId, ids) : undefined;
  const orgLinks = db
    .select({
      projectId: projectOrganisations.projectId,
      role: projectOrganisations.role,
      position: projectOrganisations.position,
      id: organisations.id,
      name: organisations.name,
      siren: organisations.siren,
    })
    .from(projectOrganisations)
    .innerJoin(organisations, eq(organisations.id, projectOrganisations.organisationId))
    .where(scope)
    .orderBy(asc(projectOrganisations.projectId), asc(projectOrganisations.position))
    .all();
  const sourceLinks = db
    .select({ projectId: projectSources.projectId, id: dataSources.id, name: dataSources.name, identifiante: dataSources.identifiante })
    .from(projectSources)
    .innerJoin(dataSources, eq(dataSources.id, projectSources.sourceId))
    .where(ids ? inArray(projectSources.projectId, ids) : undefined)
    .orderBy(asc(projectSources.projectId), asc(projectSources.position))
    .all();
  const orgsByProject = groupBy(orgLinks, (l) => l.projectId);
  const sourcesByProject = groupBy(sourceLinks, (l) => l.projectId);

  const rows = records.map((record) => {
    const row: ProjectRow = {};
    for (const name of FIELD_NAMES) {
      const key = COLUMN_KEYS.get(name);
      row[name] = key ? toCell(record[key as keyof ProjectRecord]) : '';
    }
    const orgs = orgsByProject.get(record.id) ?? [];
    const controller = orgs.find((o) => o.role === 'responsable');
    const partners = orgs.filter((o) => o.role === 'partenaire');
    row.responsable_nom = controller?.name ?? '';
    row.responsable_siren = controller?.siren ?? '';
    row.partenaires_ids = joinList(partners.map((p) => p.id));
    row.partenaires_noms = joinList(partners.map((p) => p.name));
    const sources = sourcesByProject.get(record.id) ?? [];
    row.sources_ids = joinList(sources.map((s) => s.id));
    row.sources_noms = joinList(sources.map((s) => s.name));
    row.sources_identifiantes = joinList(sources.map((s) => (s.identifiante ? 'true' : 'false')));
    return row;
  });
  if (!ids) return rows;
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const row = byId.get(id);
    return row ? [row] : [];
  });
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}

/** Creates or renames an organisation; a name or SIREN given by a row wins (the register is the source). */
export function upsertOrganisation(
  db: Db,
  org: { id: string; name: string; siren?: string | null; kind?: string | null; website?: string | null; zone?: string; description?: string | null },
  now: string,
): void {
  const existing = db.select().from(organisations).where(eq(organisations.id, org.id)).get();
  if (!existing) {
    db.insert(organisations)
      .values({
        id: org.id,
        name: org.name,
        siren: org.siren || null,
        kind: org.kind ?? null,
        website: org.website ?? null,
        zone: org.zone ?? 'FR',
        description: org.description ?? null,
        createdAt: now,
        updatedAt: now,
      })
      .run();
    bumpEntitiesVersion(db, now);
    return;
  }
  const changes: Partial<OrganisationRecord> = {};
  if (existing.name !== org.name) changes.name = org.name;
  if (org.siren !== undefined && (org.siren || null) !== existing.siren) changes.siren = org.siren || null;
  for (const k of ['kind', 'website', 'description'] as const) if (org[k] !== undefined && org[k] !== existing[k]) changes[k] = org[k] ?? null;
  if (org.zone !== undefined && org.zone !== existing.zone) changes.zone = org.zone;
  if (Object.keys(changes).length > 0) {
    db.update(organisations)
      .set({ ...changes, updatedAt: now })
      .where(eq(organisations.id, org.id))
      .run();
    bumpEntitiesVersion(db, now);
  }
}

export function upsertDataSource(
  db: Db,
  source: { id: string; name: string; kind?: string | null; holder?: string | null; partOfSnds?: boolean; identifiante?: boolean; description?: string | null },
  now: string = new Date().toISOString(),
): void {
  const existing = db.select().from(dataSources).where(eq(dataSources.id, source.id)).get();
  if (!existing) {
    db.insert(dataSources)
      .values({
        id: source.id,
        name: source.name,
        kind: source.kind ?? null,
        holder: source.holder ?? null,
        partOfSnds: source.partOfSnds ?? source.id === 'snds',
        identifiante: source.identifiante ?? false,
        description: source.description ?? null,
      })
      .run();
    bumpEntitiesVersion(db, now);
    return;
  }
  const changes: Partial<DataSourceRecord> = {};
  if (existing.name !== source.name) changes.name = source.name;
  for (const k of ['kind', 'holder', 'description'] as const) if (source[k] !== undefined && source[k] !== existing[k]) changes[k] = source[k] ?? null;
  if (source.partOfSnds !== undefined && source.partOfSnds !== existing.partOfSnds) changes.partOfSnds = source.partOfSnds;
  if (source.identifiante !== undefined && source.identifiante !== existing.identifiante) changes.identifiante = source.identifiante;
  if (Object.keys(changes).length > 0) {
    db.update(dataSources).set(changes).where(eq(dataSources.id, source.id)).run();
    bumpEntitiesVersion(db, now);
  }
}

export type WriteOutcome = 'created' | 'updated' | 'unchanged';

/**
 * Writes one project from a validated row, inside the caller's transaction: creates or updates it, its
 * organisations and sources, records each changed field in the public change history, and reindexes it.
 * Must run inside db.transaction (synchronous: better-sqlite3).
 */
export function writeProject(db: Db, row: ProjectRow, opts: { origin: string; changedAt: string; today: string }): WriteOutcome {
  const before = projectRows(db, [row.id!])[0];
  // A row without sources_identifiantes leaves each source as it is (new ones count as pseudonymised).
  if (!row.sources_identifiantes) {
    const known = new Map(
      db
        .select({ id: dataSources.id, identifiante: dataSources.identifiante })
        .from(dataSources)
        .where(inArray(dataSources.id, splitList(row.sources_ids)))
        .all()
        .map((s) => [s.id, s.identifiante]),
    );
    row = { ...row, sources_identifiantes: joinList(splitList(row.sources_ids).map((id) => (known.get(id) ? 'true' : 'false'))) };
  }
  const changed = before ? FIELD_NAMES.filter((name) => (before[name] ?? '') !== (row[name] ?? '') && name !== 'mis_a_jour') : [];
  if (before && changed.length === 0) return 'unchanged';

  upsertOrganisation(db, { id: row.responsable_id!, name: row.responsable_nom!, siren: row.responsable_siren ?? '' }, opts.changedAt);
  const partnerIds = splitList(row.partenaires_ids);
  const partnerNames = splitList(row.partenaires_noms);
  partnerIds.forEach((id, i) => upsertOrganisation(db, { id, name: partnerNames[i] ?? id }, opts.changedAt));
  const sourceIds = splitList(row.sources_ids);
  const sourceNames = splitList(row.sources_noms);
  const identifying = splitList(row.sources_identifiantes);
  sourceIds.forEach((id, i) => upsertDataSource(db, { id, name: sourceNames[i]!, ...(identifying[i] ? { identifiante: identifying[i] === 'true' } : {}) }));

  const values: Record<string, unknown> = {};
  for (const name of FIELD_NAMES) {
    if (RELATION_FIELDS.has(name)) continue;
    const key = COLUMN_KEYS.get(name);
    if (key) values[key] = fromCell(name, row[name] ?? '');
  }
  // An update made now is dated now; a new row keeps the dates it carries (an import restores a register).
  if (before) values.misAJour = row.mis_a_jour && row.mis_a_jour !== before.mis_a_jour ? row.mis_a_jour : opts.today;
  const record = values as ProjectInsert;
  if (before) db.update(projects).set(record).where(eq(projects.id, row.id!)).run();
  else db.insert(projects).values(record).run();

  db.delete(projectOrganisations).where(eq(projectOrganisations.projectId, row.id!)).run();
  db.insert(projectOrganisations)
    .values([
      { projectId: row.id!, organisationId: row.responsable_id!, role: 'responsable' as const, position: 0 },
      ...partnerIds.map((id, i) => ({ projectId: row.id!, organisationId: id, role: 'partenaire' as const, position: i + 1 })),
    ])
    .run();
  db.delete(projectSources).where(eq(projectSources.projectId, row.id!)).run();
  if (sourceIds.length > 0)
    db.insert(projectSources)
      .values(sourceIds.map((id, i) => ({ projectId: row.id!, sourceId: id, position: i })))
      .run();

  if (before) {
    db.insert(projectChanges)
      .values(
        changed.map((field) => ({
          projectId: row.id!,
          field,
          oldValue: before[field] || null,
          newValue: row[field] || null,
          changedAt: opts.changedAt,
          origin: opts.origin,
        })),
      )
      .run();
  } else {
    db.insert(projectChanges)
      .values({ projectId: row.id!, field: 'creation', oldValue: null, newValue: null, changedAt: opts.changedAt, origin: opts.origin })
      .run();
  }
  indexProject(db, row);
  return before ? 'updated' : 'created';
}

export function projectHistory(db: Db, id: string) {
  return db.select().from(projectChanges).where(eq(projectChanges.projectId, id)).orderBy(desc(projectChanges.changedAt), desc(projectChanges.id)).all();
}

export function organisationById(db: Db, id: string) {
  return db.select().from(organisations).where(eq(organisations.id, id)).get();
}

export function dataSourceById(db: Db, id: string) {
  return db.select().from(dataSources).where(eq(dataSources.id, id)).get();
}

/** Organisations that run at least one project, for the filter; by name. */
export function organisationsWithProjects(db: Db) {
  return db
    .selectDistinct({ id: organisations.id, name: organisations.name })
    .from(organisations)
    .innerJoin(projectOrganisations, eq(projectOrganisations.organisationId, organisations.id))
    .orderBy(asc(organisations.name))
    .all();
}

export function dataSourcesWithProjects(db: Db) {
  return db
    .selectDistinct({ id: dataSources.id, name: dataSources.name })
    .from(dataSources)
    .innerJoin(projectSources, eq(projectSources.sourceId, dataSources.id))
    .orderBy(asc(dataSources.name))
    .all();
}

/**
 * A number that changes whenever the register changes: every project write appends to project_changes,
 * and every write to an organisation or a data source (which project_changes does not see: an editor
 * or an admin may change one without touching a project) counts up a counter in `meta`. Both only grow,
 * so their sum changes at every write. Each is read from a primary key: O(1).
 */
const ENTITIES_VERSION_KEY = 'register.entities_version';

/** Counts up the register's version: for a change project_changes does not see (a harvest's last read time). */
export function bumpEntitiesVersion(db: Db, now: string): void {
  countUp(db, ENTITIES_VERSION_KEY, now);
}

// A bare max() over the primary key: SQLite answers it from the b-tree's last entry without a scan.
const versionQuery = (db: Db) => ({
  changes: db
    .select({ v: sql<number | null>`max(${projectChanges.id})` })
    .from(projectChanges)
    .prepare(),
});
const versionQueries = new WeakMap<Db, ReturnType<typeof versionQuery>>();

export function registerVersion(db: Db): number {
  let query = versionQueries.get(db);
  if (!query) {
    query = versionQuery(db);
    versionQueries.set(db, query);
  }
  return (query.changes.get()?.v ?? 0) + counterValue(db, ENTITIES_VERSION_KEY);
}

export function countProjects(db: Db): number {
  return db.select({ n: count() }).from(projects).get()?.n ?? 0;
}

/* ---------- Search ---------- */

export type RegisterSort = 'pertinence' | 'recent' | 'titre' | 'statut';

export type RegisterQuery = {
  q?: string;
  statut?: string;
  source?: string;
  organisation?: string;
  finalite?: string;
  commercial?: boolean;
  opposition?: boolean;
  sort: RegisterSort;
  /** 1-based. */
  page: number;
  /** Page size; null for every result (open-data exports). */
  pageSize: number | null;
};

/** The order of statuses along a project's life, for sorting by status. */
export const STATUS_ORDER = sql`CASE ${projects.statut} WHEN 'depose' THEN 1 WHEN 'en_instruction' THEN 2 WHEN 'avis_cesrees' THEN 3 WHEN 'autorise' THEN 4 WHEN 'en_cours' THEN 5 WHEN 'termine' THEN 6 WHEN 'refuse' THEN 7 WHEN 'abandonne' THEN 8 ELSE 9 END`;

/**
 * The filters of a register query as SQL conditions, the full-text match first when there is one (the
 * search page and the API, server/db/register-api.ts, filter alike); `match` is the FTS5 query.
 */
export function searchConditions(query: Omit<RegisterQuery, 'sort' | 'page' | 'pageSize'>): { conditions: (SQL | undefined)[]; match?: string } {
  const conditions: (SQL | undefined)[] = [];
  const match = query.q ? ftsQuery(query.q) : undefined;
  if (match) conditions.push(searchClause(match));
  if (query.statut) conditions.push(eq(projects.statut, query.statut));
  if (query.finalite) conditions.push(eq(projects.finalite, query.finalite));
  if (query.commercial !== undefined) conditions.push(eq(projects.usageCommercial, query.commercial));
  if (query.opposition !== undefined) conditions.push(eq(projects.oppositionApplicable, query.opposition));
  if (query.source)
    conditions.push(sql`${projects.id} IN (SELECT ${projectSources.projectId} FROM ${projectSources} WHERE ${projectSources.sourceId} = ${query.source})`);
  if (query.organisation)
    conditions.push(
      sql`${projects.id} IN (SELECT ${projectOrganisations.projectId} FROM ${projectOrganisations} WHERE ${projectOrganisations.organisationId} = ${query.organisation})`,
    );
  return { conditions, match };
}

export function searchProjectIds(db: Db, query: RegisterQuery): { total: number; ids: string[] } {
  const { conditions, match } = searchConditions(query);
  const where = and(...conditions);

  const total = db.select({ n: count() }).from(projects).where(where).get()?.n ?? 0;
  const ranked = query.sort === 'pertinence' && match;
  const order =
    query.sort === 'titre'
      ? [sql`${projects.titreClair} COLLATE NOCASE`, asc(projects.id)]
      : query.sort === 'statut'
        ? [STATUS_ORDER, desc(projects.misAJour), asc(projects.id)]
        : ranked
          ? [sql`matches.score`, desc(projects.misAJour), asc(projects.id)]
          : [desc(projects.misAJour), asc(projects.id)];
  const base = db.select({ id: projects.id }).from(projects);
  // With relevance, the full-text match is joined once (its score reused for sorting) instead of filtered.
  let select = (ranked ? base.innerJoin(matches(match), sql`matches.search_rowid = ${projects.searchRowid}`) : base)
    .where(ranked ? and(...conditions.slice(1)) : where)
    .orderBy(...order)
    .$dynamic();
  if (query.pageSize !== null) select = select.limit(query.pageSize).offset((query.page - 1) * query.pageSize);
  return { total, ids: select.all().map((r) => r.id) };
}

/** Every organisation that is the data controller of at least one project. */
export function projectControllers(db: Db): string[] {
  return db
    .selectDistinct({ id: projectOrganisations.organisationId })
    .from(projectOrganisations)
    .where(eq(projectOrganisations.role, 'responsable'))
    .orderBy(projectOrganisations.organisationId)
    .all()
    .map((r) => r.id);
}
