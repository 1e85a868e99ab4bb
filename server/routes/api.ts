/**
 * Machine interfaces:
 * - GET /api/v1/schemas/request.json: the JSON Schema of the request document recipients receive;
 * - POST /api/v1/callbacks/<organisation>: a recipient's signed status update.
 *
 * A callback is verified per the Standard Webhooks spec with the organisation's own webhook secrets
 * (headers webhook-id, webhook-timestamp, webhook-signature; at most 5 minutes old), its id is
 * recorded so a replay is refused, and the status machine decides whether the change is allowed.
 * Every refusal is a JSON error with a stable code and a sentence, and changes nothing.
 */
import { Hono } from 'hono';
import { verify } from '../../connectors/standard-webhooks';
import { requestDocumentSchema } from '../api/request-schema';
import type { AppDeps, AppEnv } from '../context';
import { firstIssue } from '../domain/form-errors';
import { statusUpdateFields, type StatusUpdate } from '../domain/status-updates';
import { header } from '../http';
import { callbackSecrets } from '../services/channels';
import { applyRecipientUpdate } from '../services/status-updates';

/** Unknown fields are refused: a callback carries nothing the update does not define. */
const updateSchema = statusUpdateFields.strict();

/** Plain-English explanations of each refusal, for the integrator reading the response. */
const EXPLAIN: Record<string, [number, string]> = {
  missing_headers: [401, 'The webhook-id, webhook-timestamp and webhook-signature headers are required (Standard Webhooks).'],
  bad_timestamp: [401, 'webhook-timestamp must be a Unix time in seconds.'],
  timestamp_too_old: [401, 'webhook-timestamp is more than 5 minutes old: send a fresh signature.'],
  timestamp_too_new: [401, 'webhook-timestamp is more than 5 minutes in the future: check your clock.'],
  bad_signature: [401, 'No signature matches: sign "id.timestamp.body" with HMAC-SHA256 and your endpoint secret.'],
  unknown_organisation: [404, 'No organisation with signed callbacks has this id.'],
  invalid_json: [400, 'The body is not valid JSON.'],
  invalid_body: [400, 'The body does not follow the status update format.'],
  replayed: [409, 'This webhook-id was already received: the update was not applied twice.'],
  unknown_request: [404, 'No request addressed to your organisation has this id or reference.'],
  not_confirmed: [422, 'This request is not confirmed yet.'],
  final_status: [422, 'This request is already closed: answered, refused, closed or withdrawn.'],
  transition_not_allowed: [422, 'The request’s current status does not allow this update.'],
  already_extended: [422, 'The period was already extended once.'],
  extension_after_first_month: [422, 'An extension must be notified within the first month after receipt (GDPR art. 12(3)).'],
  message_required: [422, 'This update needs a message (the question, or the reasons).'],
  message_too_long: [422, 'The message is longer than 5,000 characters.'],
  reason_code_required: [422, 'A refusal needs a reason_code.'],
  unknown_reason_code: [422, 'reason_code is not one of the documented codes.'],
  outcome_required: [422, 'An answer needs an outcome: granted or partial.'],
};

export function apiRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const d = { db: deps.database.db, cipher: deps.cipher, config: deps.config, now: deps.now };

  app.get('/api/v1/schemas/request.json', (c) => {
    c.header('Cache-Control', 'public, max-age=3600');
    c.header('Cross-Origin-Resource-Policy', 'cross-origin');
    return c.json(requestDocumentSchema(deps.config.publicUrl.origin));
  });

  app.post('/api/v1/callbacks/:organisation', async (c) => {
    c.header('Cache-Control', 'no-store');
    const refuse = (code: string, extra: Record<string, unknown> = {}) => {
      const [status, message] = EXPLAIN[code] ?? [422, 'Refused.'];
      deps.logger.warn('callback refused', { organisation: c.req.param('organisation').slice(0, 64), error: code });
      return c.json({ error: code, message, ...extra }, status as 400);
    };
    const organisation = c.req.param('organisation');
    const secrets = callbackSecrets(d, organisation);
    if (secrets.length === 0) return refuse('unknown_organisation');
    const body = await c.req.text();
    const verified = verify(
      secrets,
      { id: header(c, 'webhook-id'), timestamp: header(c, 'webhook-timestamp'), signature: header(c, 'webhook-signature') },
      body,
      Math.floor(deps.now().getTime() / 1000),
    );
    if (!verified.ok) return refuse(verified.error);
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return refuse('invalid_json');
    }
    const parsed = updateSchema.safeParse(json);
    if (!parsed.success) {
      return refuse('invalid_body', firstIssue(parsed.error));
    }
    const update: StatusUpdate = { id: verified.id, ...parsed.data };
    const result = applyRecipientUpdate(d, organisation, update, `callback:${organisation}`);
    if (!result.ok) return refuse(result.error);
    deps.deliveryWorker.kick();
    deps.mailWorker.kick();
    deps.logger.info('callback applied', { organisation, type: update.type, status: result.status });
    return c.json({ ok: true, reference: result.reference, status: result.status });
  });

  return app;
}
