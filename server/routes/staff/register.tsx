/**
 * Over 300 lines: since the formatter; the project editing routes would go in their own sub-app.
 *
 * Editing the register, for editors and admins: the register's back-office home, and the
 * forms of projects, organisations and data sources. Each form posts to its own address with
 * `action=apercu` (re-render with a preview of the public page, nothing written) or `action=enregistrer`
 * (check, write, audit, then redirect 303 to the form with a banner). Every form works without
 * JavaScript; htmx only swaps the preview in place. Anyone else gets a 404, logged by requireRole.
 */
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AppDeps, AppEnv } from '../../context';
import { requireRole } from '../../auth/guard';
import { approvalTimeline, timelineAsOf } from '../../domain/approval-timeline';
import { todayIn } from '../../domain/deadlines';
import { resultsOverdue } from '../../domain/register-rows';
import { DATA_SOURCE_KINDS } from '../../domain/register-schema';
import { isHtmxRequest } from '../../htmx';
import { readForm } from '../../http';
import { translatorFor } from '../../i18n';
import { registerTableSchema } from '../../services/register';
import { dataSourceRecord, organisationRecord, projectChanges, projectChoices, projectRow, registerHome } from '../../services/staff-register-pages';
import {
  checkOrganisation,
  checkSource,
  describeProblem,
  emptyProjectForm,
  organisationFormFromBody,
  organisationFormFromRecord,
  ORGANISATION_KINDS,
  projectDraft,
  projectFormFromBody,
  projectFormFromRow,
  RecordNotFoundError,
  auditedEditing,
  saveOrganisation,
  saveProject,
  saveSource,
  sourceFormFromBody,
  sourceFormFromRecord,
  type FieldProblem,
  type FormValues,
} from '../../services/register-editing';
import type { FormError } from '../../../views/components/ErrorSummary';
import { organisationFacts, sourceFacts } from '../../../views/pages/register/EntityPage';
import {
  EntityFormPage,
  EntityPreview,
  ENTITY_FIELD_ORDER,
  entityFieldLabel,
  type EntityFormProps,
  type EntityKind,
} from '../../../views/pages/staff/register/EntityFormPage';
import {
  PreviewErrors,
  ProjectFormPage,
  ProjectPreview,
  PROJECT_FIELD_ORDER,
  projectFieldLabel,
  type ProjectFormProps,
} from '../../../views/pages/staff/register/ProjectFormPage';
import { RegisterHomePage } from '../../../views/pages/staff/register/RegisterHomePage';
import { pageContext } from '../render';

const BASE = '/espace-pro/registre';
const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const PAGE_SIZE = 50;
const OUTCOMES = new Set(['created', 'updated', 'unchanged']);

type Outcome = 'created' | 'updated' | 'unchanged';

/** The id in the path, or a 404 for anything that cannot be a register id. */
function idParam(c: Context<AppEnv>): string {
  const id = c.req.param('id') ?? '';
  if (!SLUG.test(id) || id.length > 80) throw new HTTPException(404);
  return id;
}

/** The banner's outcome after post/redirect/get, from `?enregistre=`. */
function savedOutcome(c: Context<AppEnv>): Outcome | undefined {
  const v = c.req.query('enregistre');
  return v && OUTCOMES.has(v) ? (v as Outcome) : undefined;
}

/** A record deleted between the check and the write is a 404, like one that never existed. */
function unlessGone<T>(write: () => T): T {
  try {
    return write();
  } catch (err) {
    if (err instanceof RecordNotFoundError) throw new HTTPException(404, { message: err.message, cause: err });
    throw err;
  }
}

const wantsPreview = (body: Record<string, unknown>) => (Array.isArray(body.action) ? body.action[0] : body.action) === 'apercu';

export function staffRegisterRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const guard = requireRole(deps, ['editor', 'admin']);
  app.use(BASE, guard);
  app.use(`${BASE}/*`, guard);
  const shared = registerShared(deps);
  app.route('/', projectRoutes(deps, shared));
  app.route('/', entityRoutes(deps, shared));
  return app;
}

/** What the parts below share: the database, the editors' deps (each save audited in its transaction), the register's schema for checking rows, who edits. */
function registerShared(deps: AppDeps) {
  const db = deps.database.db;
  // Checking a row does not depend on the language its titles are written in.
  const schema = registerTableSchema(translatorFor(deps.i18n, 'fr'), deps.config.publicUrl);
  const editing = auditedEditing(db, deps.now, deps.config.sessionSecret);
  const userOf = (c: Context<AppEnv>) => c.get('staff')!.user.id;

  return { db, schema, editing, userOf };
}
type RegisterShared = ReturnType<typeof registerShared>;

/** How each kind of entity is loaded, read from a form, checked and described. */
function entityDefinitions(db: RegisterShared['db']) {
  return {
    organisation: {
      path: 'organisations',
      kinds: ORGANISATION_KINDS,
      load: (id: string) => {
        const o = organisationRecord(db, id);
        return o && organisationFormFromRecord(o);
      },
      fromBody: organisationFormFromBody,
      check: checkOrganisation,
      facts: (c: Context<AppEnv>, v: FormValues) => organisationFacts(c.get('tr'), { siren: v.siren || null, website: v.website || null }),
    },
    source: {
      path: 'sources',
      kinds: DATA_SOURCE_KINDS,
      load: (id: string) => {
        const s = dataSourceRecord(db, id);
        return s && sourceFormFromRecord(s);
      },
      fromBody: sourceFormFromBody,
      check: checkSource,
      facts: (c: Context<AppEnv>, v: FormValues) =>
        sourceFacts(c.get('tr'), { holder: v.holder || null, partOfSnds: v.partOfSnds === 'true', identifiante: v.identifiante === 'true' }),
    },
  } as const;
}

/** The editors' project list, and one project: new, edit, preview. */
function projectRoutes(deps: AppDeps, shared: RegisterShared) {
  const app = new Hono<AppEnv>();
  const { db } = shared;
  app.get(BASE, (c) => {
    const q = (c.req.query('q') ?? '').trim().slice(0, 200);
    const page = Math.max(1, Math.min(10_000, Number.parseInt(c.req.query('page') ?? '1', 10) || 1));
    const home = registerHome(db, { q, page, pageSize: PAGE_SIZE });
    return c.html(
      <RegisterHomePage
        ctx={pageContext(c)}
        q={q}
        page={page}
        pages={home.pages}
        total={home.total}
        projects={home.projects}
        organisations={home.organisations}
        sources={home.sources}
      />,
    );
  });

  const { showProject, postProject } = projectEditing(deps, shared);
  app.get(`${BASE}/projets/nouveau`, (c) => showProject(c));
  app.post(`${BASE}/projets/nouveau`, (c) => postProject(c));
  app.get(`${BASE}/projets/:id`, (c) => showProject(c, idParam(c)));
  app.post(`${BASE}/projets/:id`, (c) => postProject(c, idParam(c)));
  return app;
}

/** A project's form: shown empty or filled, then checked, previewed (with htmx or without) and saved. */
function projectEditing(deps: AppDeps, { db, schema, editing, userOf }: RegisterShared) {
  const choices = () => projectChoices(db);

  const projectErrors = (c: Context<AppEnv>, problems: FieldProblem[]): FormError[] => {
    const tr = c.get('tr');
    return problems.map((p) => ({ field: p.field, href: `#f-${p.field}`, message: describeProblem(tr, 'project', p, projectFieldLabel(tr.t, p.field)) }));
  };

  const projectPage = (c: Context<AppEnv>, props: Omit<ProjectFormProps, 'ctx' | 'action' | 'organisations' | 'sources'>, status: 200 | 422 = 200) =>
    c.html(
      <ProjectFormPage ctx={pageContext(c)} action={props.id ? `${BASE}/projets/${props.id}` : `${BASE}/projets/nouveau`} {...choices()} {...props} />,
      status,
    );

  const showProject = (c: Context<AppEnv>, id?: string) => {
    const row = id ? projectRow(db, id) : undefined;
    if (id && !row) throw new HTTPException(404);
    const outcome = savedOutcome(c);
    const saved = id && outcome ? { message: c.get('tr').t(`staff-register:saved.project.${outcome}`), href: `/projets/${id}` } : undefined;
    return projectPage(c, { id, values: row ? projectFormFromRow(row) : emptyProjectForm(todayIn(deps.now())), errors: [], saved });
  };

  const postProject = async (c: Context<AppEnv>, id?: string) => {
    const before = id ? projectRow(db, id) : undefined;
    if (id && !before) throw new HTTPException(404);
    const body = await readForm(c, { all: true });
    const values = projectFormFromBody(body);
    const today = todayIn(deps.now());
    const draft = projectDraft(db, schema, values, { id, before, today });
    const preview = wantsPreview(body);
    const htmx = preview && isHtmxRequest(c);
    c.header('Vary', 'HX-Request', { append: true });
    if (draft.problems.length > 0) {
      const errors = projectErrors(c, draft.problems);
      // htmx swaps only successful answers: the errors come back as the preview region's content.
      if (htmx) return c.html(<PreviewErrors tr={c.get('tr')} errors={errors} order={PROJECT_FIELD_ORDER} />);
      return projectPage(c, { id, values, errors }, 422);
    }
    if (preview) {
      const row = draft.row;
      const view = {
        row,
        timeline: approvalTimeline(row, today),
        resultsOverdue: resultsOverdue(row, today),
        history: id ? projectChanges(db, id) : [],
        asOf: timelineAsOf(row, today),
      };
      if (htmx) return c.html(<ProjectPreview tr={c.get('tr')} preview={view} />);
      return projectPage(c, { id, values, errors: [], preview: view });
    }
    // The audit entry is written in the save's transaction (services/register-editing.ts auditSave).
    const mode = id ? 'update' : 'create';
    const result = unlessGone(() => saveProject(editing, draft.row, { mode, origin: `editor:${userOf(c)}`, actor: `user:${userOf(c)}` }));
    if (!result.ok) return projectPage(c, { id, values, errors: projectErrors(c, result.problems) }, 422);
    const projectId = draft.row.id!;
    return c.redirect(`${BASE}/projets/${projectId}?enregistre=${result.outcome}`, 303);
  };

  return { showProject, postProject };
}

/** Organisations and data sources: new, edit. */
function entityRoutes(deps: AppDeps, { db, editing, userOf }: RegisterShared) {
  const app = new Hono<AppEnv>();
  const entities = entityDefinitions(db);

  const entityPage = (c: Context<AppEnv>, kind: EntityKind, props: Omit<EntityFormProps, 'ctx' | 'kind' | 'action' | 'kinds'>, status: 200 | 422 = 200) => {
    const { path, kinds } = entities[kind];
    return c.html(
      <EntityFormPage
        ctx={pageContext(c)}
        kind={kind}
        kinds={kinds}
        action={props.id ? `${BASE}/${path}/${props.id}` : `${BASE}/${path}/nouveau`}
        {...props}
      />,
      status,
    );
  };

  const entityErrors = (c: Context<AppEnv>, kind: EntityKind, problems: FieldProblem[]): FormError[] => {
    const tr = c.get('tr');
    return problems.map((p) => ({ field: p.field, href: `#f-${p.field}`, message: describeProblem(tr, kind, p, entityFieldLabel(tr.t, kind, p.field)) }));
  };

  const showEntity = (c: Context<AppEnv>, kind: EntityKind, id?: string) => {
    const values = id ? entities[kind].load(id) : Object.fromEntries(ENTITY_FIELD_ORDER[kind].map((f) => [f, '']));
    if (!values) throw new HTTPException(404);
    const outcome = savedOutcome(c);
    const saved = id && outcome ? { message: c.get('tr').t(`staff-register:saved.${kind}.${outcome}`), href: `/${entities[kind].path}/${id}` } : undefined;
    return entityPage(c, kind, { id, values, errors: [], saved });
  };

  const postEntity = async (c: Context<AppEnv>, kind: EntityKind, id?: string) => {
    const entity = entities[kind];
    if (id && !entity.load(id)) throw new HTTPException(404);
    const body = await readForm(c, { all: true });
    const values = entity.fromBody(body, id);
    const mode = id ? 'update' : 'create';
    const checked = entity.check(values, mode);
    const preview = wantsPreview(body);
    const htmx = preview && isHtmxRequest(c);
    c.header('Vary', 'HX-Request', { append: true });
    if (!checked.input) {
      const errors = entityErrors(c, kind, checked.problems);
      if (htmx) return c.html(<PreviewErrors tr={c.get('tr')} errors={errors} order={ENTITY_FIELD_ORDER[kind]} />);
      return entityPage(c, kind, { id, values, errors }, 422);
    }
    if (preview) {
      const view = { name: values.name!, description: values.description || null, facts: entity.facts(c, values) };
      if (htmx) return c.html(<EntityPreview tr={c.get('tr')} kind={kind} preview={view} />);
      return entityPage(c, kind, { id, values, errors: [], preview: view });
    }
    // The audit entry is written in the save's transaction (services/register-editing.ts auditSave).
    const options: Parameters<typeof saveSource>[2] = { mode, origin: `editor:${userOf(c)}`, actor: `user:${userOf(c)}` };
    const result = unlessGone(() =>
      kind === 'organisation'
        ? saveOrganisation(editing, checked.input as Parameters<typeof saveOrganisation>[1], options)
        : saveSource(editing, checked.input as Parameters<typeof saveSource>[1], options),
    );
    if (!result.ok) return entityPage(c, kind, { id, values, errors: entityErrors(c, kind, result.problems) }, 422);
    const entityId = values.id!;
    return c.redirect(`${BASE}/${entity.path}/${entityId}?enregistre=${result.outcome}`, 303);
  };

  for (const kind of ['organisation', 'source'] as const) {
    const path = `${BASE}/${entities[kind].path}`;
    app.get(`${path}/nouveau`, (c) => showEntity(c, kind));
    app.post(`${path}/nouveau`, (c) => postEntity(c, kind));
    app.get(`${path}/:id`, (c) => showEntity(c, kind, idParam(c)));
    app.post(`${path}/:id`, (c) => postEntity(c, kind, idParam(c)));
  }

  return app;
}
