/**
 * The request document (version 2 of /api/v1/schemas/request.json): what one recipient of a confirmed
 * request receives, built from the stored request at each delivery attempt.
 */
import type { RequestDocument } from '../../connectors/types';
import { REQUEST_SCHEMA_ID } from '../api/request-schema';
import type { Config } from '../config';
import type { FieldCipher } from '../crypto/fields';
import type { Db } from '../db/client';
import { organisationName, projectRouting, projectTitle, type RequestRecord } from '../db/requests';
import { CNAM_ID, documentParts, type DeliveryRole } from '../domain/routing';
import { datesOf } from './request-clock';
import { decryptDetails, decryptIdentity } from './identity';

/**
 * The document one recipient receives (version 2 of /api/v1/schemas/request.json): the body that answers
 * gets the identity (with the NIR only through the CNAM); a notified controller gets what the request is
 * about and who answers it, and nothing about the person (server/domain/routing.ts, documentParts).
 */
export function requestDocument(
  deps: { db: Db; cipher: FieldCipher; config: Pick<Config, 'publicUrl'>; now: () => Date },
  request: RequestRecord,
  role: DeliveryRole = 'answer',
  recipientId: string = request.organisationId ?? '',
): RequestDocument | undefined {
  const identity = decryptIdentity(deps, request);
  const details = decryptDetails(deps, request) ?? {};
  if (!identity || !identity.email || !request.organisationId) return undefined;
  const dates = datesOf(deps, request);
  const project = request.projectId ? projectRouting(deps.db, request.projectId) : undefined;
  const projectName = request.projectId ? projectTitle(deps.db, request.projectId) : undefined;
  const sourceIds = new Set((request.sourceIds ?? '').split(';').filter(Boolean));
  const origin = deps.config.publicUrl.origin;
  const throughCnam = request.organisationId === CNAM_ID;
  const parts = documentParts(role, throughCnam ? 'identity_with_nir' : 'identity_without_nir');
  const name = (id: string) => organisationName(deps.db, id) ?? id;
  return {
    $schema: origin + REQUEST_SCHEMA_ID,
    version: 2,
    id: request.id,
    reference: request.reference,
    role,
    part: request.part as RequestDocument['part'],
    kind: request.kind as RequestDocument['kind'],
    scope: request.scope as RequestDocument['scope'],
    project: projectName ? { id: projectName.id, title: projectName.title } : null,
    sources: (project?.sources ?? []).filter((s) => sourceIds.has(s.id)).map((s) => ({ id: s.id, name: s.name, identifying: s.identifying })),
    organisation: { id: recipientId, name: name(recipientId) },
    answered_by: { id: request.organisationId, name: name(request.organisationId) },
    identity_step: throughCnam ? 'cnam' : 'controller',
    on_behalf: request.onBehalf as RequestDocument['on_behalf'],
    insurance_scheme: parts.nir ? ((request.insuranceScheme ?? null) as RequestDocument['insurance_scheme']) : null,
    language: request.lang === 'en' ? 'en' : 'fr',
    identity: parts.identity
      ? {
          last_name: identity.lastName ?? '',
          first_names: identity.firstNames ?? '',
          birth_name: identity.birthName || null,
          birth_date: identity.birthDate ?? '',
          birth_place: identity.birthPlace || null,
          nir: parts.nir ? identity.nir || null : null,
          email: identity.email,
          postal_address: identity.postalAddress || null,
          requester_name: identity.requesterName || null,
          relationship: identity.relationship || null,
        }
      : null,
    details: parts.details
      ? {
          reason: details.reason || null,
          wrong_data: details.wrongData || null,
          correct_data: details.correctData || null,
          access_scope: details.accessScope || null,
          other_details: details.otherDetails || null,
        }
      : null,
    submitted_at: request.createdAt,
    confirmed_at: request.confirmedAt ?? request.createdAt,
    received_on: dates.received,
    // The end of the first month: the day by which to answer or to tell the person of an extension.
    due_on: request.dueOn ?? dates.due,
    callback_url: role === 'answer' ? `${origin}/api/v1/callbacks/${encodeURIComponent(request.organisationId)}` : null,
  };
}
