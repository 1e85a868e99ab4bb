/**
 * Who in the back office sees which rights request, and who answers it: a `dpo` their
 * organisation's requests, a `cnam` agent the CNAM's, an `admin` all of them. Requests still waiting for
 * the person's confirmation are nobody's yet.
 */
import type { Config } from '../config';
import type { FieldCipher } from '../crypto/fields';
import type { Db } from '../db/client';
import { requestById, type RequestRecord } from '../db/requests';
import type { UserRecord } from '../db/staff';
import { CNAM_ID } from '../domain/routing';

/** What the staff request services take. */
export type StaffDeps = { db: Db; cipher: FieldCipher; config: Config; now: () => Date };
/** Appends to the audit log (server/auth/guard.ts auditFor), on the same database connection. */
export type Audit = (
  actor: string,
  action: string,
  target?: { type: string; id: string },
  detail?: Record<string, string | number | boolean | null>,
) => unknown;

/** `organisationId` undefined: every organisation. `null` scope: nothing (a DPO without an organisation). */
export type StaffScope = { organisationId: string | undefined } | null;

export function scopeOf(user: Pick<UserRecord, 'role' | 'organisationId'>): StaffScope {
  if (user.role === 'admin') return { organisationId: undefined };
  if (user.role === 'cnam') return { organisationId: CNAM_ID };
  if (user.role === 'dpo' && user.organisationId) return { organisationId: user.organisationId };
  return null;
}

/**
 * Whether this user answers this request: a DPO their organisation's, a CNAM agent the CNAM's. An
 * administrator sees every request but acts on none: the answer is owed by the controller (GDPR art. 12),
 * or the CNAM for the SNDS, and the platform's staff must not speak in their name.
 */
export function mayAct(user: Pick<UserRecord, 'role' | 'organisationId'>, request: Pick<RequestRecord, 'organisationId'>): boolean {
  if (!request.organisationId) return false;
  if (user.role === 'dpo') return user.organisationId === request.organisationId;
  if (user.role === 'cnam') return request.organisationId === CNAM_ID;
  return false;
}

/** The request if this scope may see it; undefined otherwise (the route answers 404 either way). */
export function requestInScope(db: Db, scope: StaffScope, id: string): RequestRecord | undefined {
  if (!scope || !UUID.test(id)) return undefined;
  const request = requestById(db, id);
  if (!request || request.status === 'a_confirmer') return undefined;
  if (scope.organisationId !== undefined && request.organisationId !== scope.organisationId) return undefined;
  return request;
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
