/**
 * Walking every route of the composed app: the paths come from the Hono app itself (`app.routes`), so a
 * route added later is walked too. The fixtures give each walk what a real visitor would hold (a CSRF
 * cookie and token, a draft, a tracking session, an administrator's session) and real ids to put in
 * the paths' parameters, so that requests reach the handlers rather than stopping at a 404.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { TRACK_COOKIE, trackingCookie } from '../../server/auth/tracking-cookie';
import { upsertOrganisation } from '../../server/db/register';
import { addEvent, insertRequest } from '../../server/db/requests';
import { insertSession, insertUser, type Role } from '../../server/db/staff';
import { addDays, todayIn } from '../../server/domain/deadlines';
import { createReference } from '../../server/domain/reference';
import { encryptUserEmail } from '../../server/services/staff';
import type { TestApp } from './app';
import { client } from './client';
import { csrfTokenFor } from './csrf';
import { encryptDetails, encryptIdentity } from '../../server/services/identity';

/** The distinct paths the app routes for this method (middleware-only and wildcard entries left out). */
export function routePaths(t: TestApp, method: 'GET' | 'POST'): string[] {
  return [...new Set(t.app.routes.filter((r) => r.method === method && !r.path.includes('*')).map((r) => r.path))];
}

export type WalkFixtures = {
  organisationId: string;
  requestId: string;
  reference: string;
  email: string;
  adminId: string;
  otherUserId: string;
  csrfToken: string;
  /** Every cookie of the visitor, with a new staff session each call (a walk may sign out), the administrator's unless told. */
  cookie: (staffId?: string) => string;
  /** The path with each `:param` replaced by a real id of the fixtures. */
  concrete: (path: string) => string;
};

export async function walkFixtures(t: TestApp): Promise<WalkFixtures> {
  const db = t.deps.database.db;
  const now = t.deps.now();
  const nowIso = now.toISOString();
  const organisationId = 'hopital-parcours';
  upsertOrganisation(db, { id: organisationId, name: 'Hôpital du parcours' }, nowIso);

  const requestId = randomUUID();
  const reference = createReference();
  const email = `parcours-${requestId.slice(0, 8)}@example.org`;
  const due = addDays(todayIn(now), 20);
  insertRequest(db, {
    id: requestId,
    reference,
    kind: 'acces',
    scope: 'responsable',
    organisationId,
    onBehalf: 'self',
    lang: 'fr',
    status: 'transmise',
    identityEnc: encryptIdentity(t.deps, requestId, { lastName: 'Durand', firstNames: 'Paule', birthDate: '1995-10-12', birthPlace: 'Lyon', email }),
    detailsEnc: encryptDetails(t.deps, requestId, {}),
    emailIndex: t.deps.index.email(email),
    nirIndex: null,
    createdAt: nowIso,
    confirmedAt: nowIso,
    receivedOn: addDays(due, -31),
    dueOn: due,
    extendedDueOn: addDays(due, 61),
  });
  addEvent(db, { requestId, kind: 'submitted', at: nowIso, actor: 'person' });
  addEvent(db, { requestId, kind: 'confirmed', at: nowIso, actor: 'person' });

  const user = (role: Role, organisation: string | null) => {
    const id = randomUUID();
    const address = `${role}-${id.slice(0, 8)}@example.org`;
    insertUser(db, {
      id,
      handle: randomBytes(16).toString('base64url'),
      emailEnc: encryptUserEmail(t.deps, id, address),
      emailIndex: t.deps.index.email(address),
      role,
      organisationId: organisation,
      createdAt: nowIso,
    });
    return id;
  };
  const adminId = user('admin', null);
  const otherUserId = user('dpo', organisationId);

  const { cookie: csrfCookie, token: csrfToken } = await csrfTokenFor(t);
  const visitor = client(t);
  await visitor.get('/demande');
  await visitor.post('/demande', {});
  const draft = visitor.jar.get('demande');
  if (!draft) throw new Error('no draft cookie after POST /demande');
  const track = trackingCookie(t.deps.config.sessionSecret, t.deps.now).value(requestId, now.getTime() + 3_600_000);

  const cookie = (staffId: string = adminId) => {
    const sessionId = randomBytes(32).toString('base64url');
    const at = t.deps.now();
    insertSession(db, {
      idHash: createHash('sha256').update(sessionId).digest('hex'),
      userId: staffId,
      createdAt: at.toISOString(),
      lastSeenAt: at.toISOString(),
      expiresAt: new Date(at.getTime() + 12 * 3_600_000).toISOString(),
    });
    return [csrfCookie, `demande=${draft}`, `${TRACK_COOKIE}=${track}`, `session=${sessionId}`].join('; ');
  };

  const concrete = (path: string) =>
    path.replace(/:(\w+)/g, (_, name: string) => {
      if (name === 'organisation') return organisationId;
      if (name === 'action') return 'repondre';
      if (name === 'token') return randomBytes(32).toString('base64url');
      if (name === 'channelId') return randomUUID();
      if (name !== 'id') return 'x';
      if (path.startsWith('/espace-pro/demandes/')) return requestId;
      if (path.startsWith('/espace-pro/admin/utilisateurs/')) return otherUserId;
      if (path.includes('/organisations/')) return organisationId;
      return randomUUID();
    });

  return { organisationId, requestId, reference, email, adminId, otherUserId, csrfToken, cookie, concrete };
}
