/**
 * Over 300 lines: since the formatter; the queue routes would go in their own sub-app.
 *
 * The back office's requests, for `dpo`, `cnam` and `admin`:
 * - GET /espace-pro/demandes: the queue, most urgent first, filtered by status, kind, due date (and
 *   organisation for administrators); a GET form that htmx enhances, answered with the results fragment;
 * - GET /espace-pro/demandes.csv: the same filters as CSV, without NIR nor identity;
 * - GET /espace-pro/demandes/<id>: one request, its decrypted identity (each read audited), timeline,
 *   deliveries, documents and action forms; POST /espace-pro/demandes/<id>/<action> for accuser,
 *   precision, prolonger, repondre (multipart, with an optional document) and cloturer: post/redirect/get;
 * - GET /suivi/document/<id>: the person downloads a document of their answer, with their tracking cookie.
 *
 * A request outside the user's scope, or that does not exist, is a 404, and the attempt is audited: the
 * back office does not reveal what exists to those who may not see it. An administrator sees every
 * request but acts on none: the page shows no action form, and a POST is refused with a 403 (audited).
 */
import { trackingCookie } from '../../auth/tracking-cookie';
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { stringify } from 'csv-stringify/sync';
import { REFUSAL_CODES } from '../../../connectors/types';
import { auditFor, requireRole } from '../../auth/guard';
import type { AppDeps, AppEnv } from '../../context';
import { todayIn } from '../../domain/deadlines';
import { KINDS } from '../../domain/rights-request';
import { formatNir, maskNir } from '../../domain/nir';
import { HX_TARGET, isHtmxRequest } from '../../htmx';
import { header, readForm } from '../../http';
import { MAX_DOCUMENT_BYTES, type UploadedDocument } from '../../domain/document-types';
import type { StaffAction as ActionName } from '../../domain/status-machine';
import { performStaffAction } from '../../services/staff-actions';
import { readDocument, trackedDocument } from '../../services/staff-documents';
import { CSV_COLUMNS, DUE_FILTERS, STATUS_FILTERS, exportRows, queueContext, staffQueue, type QueueParams } from '../../services/staff-queue';
import { markSeenByOrganisation, reloadRequest, staffRequestView, type StaffRequestView } from '../../services/staff-request-page';
import { mayAct, requestInScope, scopeOf } from '../../services/staff-scope';
import { parseQueueParams, queueSearchString } from './queue-params';
import type { FormError } from '../../../views/components/ErrorSummary';
import { QueuePage, QueueResults } from '../../../views/pages/staff/requests/QueuePage';
import { RequestPage, type RequestPageView } from '../../../views/pages/staff/requests/RequestPage';
import { pageContext } from '../render';
import { formErrors, sendDocument, shownAgain } from './request-responses';

const ACTIONS: readonly ActionName[] = ['accuser', 'precision', 'prolonger', 'repondre', 'cloturer'];

/**
 * The one route that takes a document: app.tsx gives it this body limit instead of the general one,
 * before anything reads the body (the CSRF check parses forms). The margin covers the multipart framing
 * and the message; a document over MAX_DOCUMENT_BYTES but within it gets the form's own error.
 */
export const DOCUMENT_UPLOAD_PATH = /^\/espace-pro\/demandes\/[^/]+\/repondre$/;
export const DOCUMENT_BODY_LIMIT = MAX_DOCUMENT_BYTES + 1024 * 1024;

const IDENTITY_FIELDS = [
  'lastName',
  'firstNames',
  'birthName',
  'birthDate',
  'birthPlace',
  'nir',
  'email',
  'postalAddress',
  'requesterName',
  'relationship',
] as const;
const DETAIL_FIELDS = ['reason', 'wrongData', 'correctData', 'accessScope', 'otherDetails'] as const;

export function staffRequestRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const guard = requireRole(deps, ['dpo', 'cnam', 'admin']);
  app.use('/espace-pro/demandes', guard);
  app.use('/espace-pro/demandes.csv', guard);
  app.use('/espace-pro/demandes/*', guard);
  const shared = requestsShared(deps);
  app.route('/', queueRoutes(deps, shared));
  app.route('/', requestPageRoutes(deps, shared));
  app.route('/', personDocumentRoutes(deps, shared));
  return app;
}

/** What the parts below share: the services' deps, the audit, who is signed in and which request they may see. */
function requestsShared(deps: AppDeps) {
  const db = deps.database.db;
  const audit = auditFor(deps);
  const sdeps = { db, cipher: deps.cipher, config: deps.config, now: deps.now };

  const staffOf = (c: Context<AppEnv>) => c.get('staff')!.user;

  /** The request if this user may see it; otherwise a 404, with the attempt in the audit log. */
  const visibleRequest = (c: Context<AppEnv>, id: string): StaffRequestView['request'] => {
    const user = staffOf(c);
    const request = requestInScope(db, scopeOf(user), id);
    if (!request) {
      audit(`user:${user.id}`, 'access.refused', { type: 'request', id: id.slice(0, 64) }, { role: user.role, path: c.req.path.slice(0, 200) });
      throw new HTTPException(404, { message: 'Request not in this user’s scope' });
    }
    return request;
  };

  /** Administrators choose an organisation; the others see theirs whatever the address says. */
  const queueParams = (c: Context<AppEnv>): QueueParams => {
    const params = parseQueueParams((n) => c.req.query(n));
    return staffOf(c).role === 'admin' ? params : { ...params, organisation: undefined, invalid: params.invalid.filter((f) => f !== 'organisation') };
  };

  return { db, audit, sdeps, staffOf, visibleRequest, queueParams };
}
type RequestsShared = ReturnType<typeof requestsShared>;

/** The queue and its CSV export. */
function queueRoutes(deps: AppDeps, shared: RequestsShared) {
  const app = new Hono<AppEnv>();
  app.get('/espace-pro/demandes', (c) => queuePage(c, shared));
  app.get('/espace-pro/demandes.csv', (c) => queueExport(c, deps, shared));
  return app;
}

/** The queue page, or only its results for htmx; a filter that cannot be read is a 400 with its message. */
function queuePage(c: Context<AppEnv>, { sdeps, staffOf, queueParams }: RequestsShared) {
  const user = staffOf(c);
  const tr = c.get('tr');
  const { t } = tr;
  const params = queueParams(c);
  const scope = scopeOf(user);
  const queue = staffQueue(sdeps, scope, params);
  const base = { ...params, page: 1 };
  const results = {
    items: queue.items,
    total: queue.total,
    capped: queue.capped,
    page: params.page,
    pages: queue.pages,
    pageHref: (p: number) => `/espace-pro/demandes${queueSearchString(params, { page: p })}`,
    csvHref: `/espace-pro/demandes.csv${queueSearchString(base)}`,
    showOrganisation: user.role === 'admin',
  };
  c.header('Vary', 'HX-Request', { append: true });
  if (isHtmxRequest(c) && header(c, HX_TARGET) === 'queue-results') return c.html(<QueueResults tr={tr} {...results} oob />);
  const errors: FormError[] = params.invalid.map((field) => ({
    field,
    href: `#f-${field === 'page' ? 'statut' : field}`,
    message: t(`staff-requests:errors.filters.${field}`),
  }));
  const { organisationName: organisation, organisations } = queueContext(sdeps, scope, user.role);
  const lead = !scope
    ? t('staff-requests:queue.noOrganisation')
    : organisation
      ? t('staff-requests:queue.leadOrganisation', { organisation })
      : t('staff-requests:queue.leadAll');
  return c.html(
    <QueuePage
      ctx={pageContext(c)}
      title={t('staff-requests:queue.title')}
      lead={lead}
      errors={errors}
      results={results}
      filters={{
        values: { statut: params.statut, type: params.type, echeance: params.echeance, organisation: params.organisation, reference: params.reference },
        statuses: [...STATUS_FILTERS],
        kinds: KINDS,
        dues: DUE_FILTERS,
        organisations,
      }}
    />,
    errors.length > 0 ? 400 : 200,
  );
}

/** The queue as CSV, streamed in batches, the export recorded in the audit log. */
function queueExport(c: Context<AppEnv>, deps: AppDeps, { audit, sdeps, staffOf, queueParams }: RequestsShared) {
  const user = staffOf(c);
  const params = queueParams(c);
  const scope = scopeOf(user);
  audit(
    `user:${user.id}`,
    'requests.export',
    { type: 'organisation', id: scope?.organisationId ?? params.organisation ?? '*' },
    { statut: params.statut, type: params.type ?? null, echeance: params.echeance ?? null },
  );
  const rows = exportRows(sdeps, scope, params);
  const encoder = new TextEncoder();
  let headerSent = false;
  // Batches of rows as the client reads: a long export never sits whole in memory.
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(stringify([[...CSV_COLUMNS]], { record_delimiter: '\r\n' })));
        return;
      }
      const batch: string[][] = [];
      for (let next = rows.next(); !next.done; next = batch.length < 1000 ? rows.next() : { done: true, value: undefined }) batch.push(next.value);
      if (batch.length === 0) {
        controller.close();
        return;
      }
      controller.enqueue(encoder.encode(stringify(batch, { record_delimiter: '\r\n' })));
    },
  });
  c.header('Content-Type', 'text/csv; charset=utf-8');
  c.header('Content-Disposition', `attachment; filename="demandes-${todayIn(deps.now())}.csv"`);
  return c.body(body);
}

type RenderOptions = { done?: ActionName; errors?: FormError[]; failed?: { action: ActionName; values: Record<string, string> } };

/** The request page: the view from the service, identity fields formatted for this role, the read audited. */
function renderRequest(
  { audit, sdeps, staffOf }: RequestsShared,
  c: Context<AppEnv>,
  request: StaffRequestView['request'],
  opts: RenderOptions = {},
  status: 200 | 403 | 422 = 200,
) {
  const user = staffOf(c);
  const tr = c.get('tr');
  const view = staffRequestView(sdeps, request, user.id);
  // Every read of decrypted identity data goes to the audit log.
  if (view.identity) audit(`user:${user.id}`, 'identity.read', { type: 'request', id: request.id }, { role: user.role });
  const identity = view.identity
    ? IDENTITY_FIELDS.flatMap((key): { key: string; value: string }[] => {
        const value = view.identity![key];
        if (!value) return [];
        if (key === 'birthDate') return [{ key, value: /^\d{4}-\d{2}-\d{2}$/.test(value) ? tr.date(value) : value }];
        // The CNAM needs the NIR whole to find the person (CSP R1461-3 II 3° b); others see its first digit and key.
        if (key === 'nir') return [{ key, value: user.role === 'cnam' ? formatNir(value) : maskNir(value) }];
        return [{ key, value }];
      })
    : null;
  const details = DETAIL_FIELDS.flatMap((key) => (view.details?.[key] ? [{ key, value: view.details[key]! }] : []));
  const page: RequestPageView = {
    id: request.id,
    reference: request.reference,
    kind: request.kind,
    scope: request.scope,
    onBehalf: request.onBehalf,
    lang: request.lang,
    status: request.status,
    organisationName: view.organisationName,
    projectTitle: view.projectTitle,
    createdAt: request.createdAt,
    receivedOn: request.receivedOn,
    dueOn: request.dueOn,
    extendedDueOn: request.extendedDueOn,
    due: view.due,
    estimatedDue: view.estimatedDue,
    refusalLate: view.refusalLate,
    extended: view.extended,
    daysLeft: view.daysLeft,
    erasedAt: request.erasedAt,
    identity,
    details,
    events: view.events,
    deliveries: view.deliveries,
    documents: view.documents,
    actions: view.actions,
    canAct: mayAct(user, request),
  };
  return c.html(
    <RequestPage
      ctx={pageContext(c)}
      view={page}
      refusalCodes={REFUSAL_CODES}
      maxDocumentMb={MAX_DOCUMENT_BYTES / 1024 / 1024}
      done={opts.done}
      errors={opts.errors}
      failed={opts.failed}
    />,
    status,
  );
}

/** One request, its documents for staff, and the actions that answer the person. */
function requestPageRoutes(deps: AppDeps, shared: RequestsShared) {
  const app = new Hono<AppEnv>();
  const { audit, sdeps, staffOf, visibleRequest } = shared;
  const render = (c: Context<AppEnv>, request: StaffRequestView['request'], opts: RenderOptions = {}, status: 200 | 403 | 422 = 200) =>
    renderRequest(shared, c, request, opts, status);

  app.get('/espace-pro/demandes/:id', (c) => {
    const request = visibleRequest(c, c.req.param('id'));
    markSeenByOrganisation(sdeps, request, staffOf(c));
    const done = c.req.query('fait');
    return render(c, request, { done: (ACTIONS as readonly string[]).includes(done ?? '') ? (done as ActionName) : undefined });
  });

  app.get('/espace-pro/demandes/:id/documents/:documentId', (c) => {
    const request = visibleRequest(c, c.req.param('id'));
    const user = staffOf(c);
    const doc = readDocument(sdeps, request.id, c.req.param('documentId'));
    if (!doc) throw new HTTPException(404, { message: 'No such document on this request' });
    audit(`user:${user.id}`, 'document.read', { type: 'request', id: request.id }, { document: c.req.param('documentId') });
    return sendDocument(c, doc);
  });

  app.post('/espace-pro/demandes/:id/:action', async (c) => {
    const action = c.req.param('action') as ActionName;
    if (!ACTIONS.includes(action)) throw new HTTPException(404, { message: 'Unknown action' });
    const request = visibleRequest(c, c.req.param('id'));
    const user = staffOf(c);
    const body = await readForm(c);
    const fields: Record<string, string> = {};
    for (const [k, v] of Object.entries(body)) if (typeof v === 'string' && k !== '_csrf') fields[k] = v.slice(0, 20_000);
    let document: UploadedDocument = null;
    const file = body.document;
    if (action === 'repondre' && file instanceof File && (file.size > 0 || file.name !== '')) {
      document = { name: file.name, type: file.type, bytes: new Uint8Array(await file.arrayBuffer()) };
    }
    const result = performStaffAction(
      { ...sdeps, audit },
      { userId: user.id, role: user.role, organisationId: user.organisationId },
      request,
      action,
      fields,
      document,
    );
    if (!result.ok) {
      // Refused to this user (an administrator): 403 and the page without its forms; otherwise the form again.
      return render(
        c,
        reloadRequest(sdeps, request),
        { errors: formErrors(c.get('tr'), result.errors), failed: { action, values: shownAgain(fields) } },
        result.forbidden ? 403 : 422,
      );
    }
    deps.mailWorker.kick();
    return c.redirect(`/espace-pro/demandes/${request.id}?fait=${action}`, 303);
  });

  return app;
}

/** The person's documents, from their tracking session. */
function personDocumentRoutes(deps: AppDeps, { sdeps }: RequestsShared) {
  const app = new Hono<AppEnv>();

  const tracking = trackingCookie(deps.config.sessionSecret, deps.now);
  const trackedRequest = tracking.read;

  app.get('/suivi/document/:id', (c) => {
    c.header('Cache-Control', 'no-store');
    const requestId = trackedRequest(c);
    // Someone else's document, an expired session, an erased request: all the same 404.
    const doc = trackedDocument(sdeps, requestId, c.req.param('id'));
    if (!doc) throw new HTTPException(404, { message: 'No such document for this tracking session' });
    return sendDocument(c, doc);
  });

  return app;
}
