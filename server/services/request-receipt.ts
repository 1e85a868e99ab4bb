/**
 * What the person's pages show of a submitted request: the receipt after sending (/demande/recu) and the
 * page after confirming the address.
 */
import { requestById, requestOfUsedToken, type RequestRecord } from '../db/requests';
import { decryptIdentity } from './identity';
import { hashToken } from './tracking-links';
import type { RequestDeps } from './rights-requests';
import { submittedParts, type RoutePart } from './route-plan';

export type Receipt = { reference: string; kind: string; scheme: string | undefined; email: string; parts: RoutePart[] };

/** The receipt of the request a draft was submitted as; undefined when there is none (yet, or any more). */
export function receiptOf(deps: Pick<RequestDeps, 'db' | 'cipher' | 'now'>, requestId: string | null | undefined): Receipt | undefined {
  const request = requestId ? requestById(deps.db, requestId) : undefined;
  if (!request) return undefined;
  return {
    reference: request.reference,
    kind: request.kind,
    scheme: request.insuranceScheme ?? undefined,
    email: decryptIdentity(deps, request)?.email ?? '',
    parts: submittedParts(deps, request),
  };
}

/** A confirmed request as its confirmation page shows it: the reference, and who answers by when. */
export function confirmationOf(
  deps: Pick<RequestDeps, 'db' | 'now'>,
  request: RequestRecord,
): { reference: string; dues: { organisation: string; date: string }[] } {
  return { reference: request.reference, dues: submittedParts(deps, request).map((p) => ({ organisation: p.answererName, date: p.due!.date })) };
}

/**
 * The page after a confirmation (post/redirect/get): shown from the link's token for an hour after it
 * was used, to whoever holds the link, as the confirming page was; after that, the link is invalid.
 */
const CONFIRMED_PAGE_MINUTES = 60;

export function confirmedByToken(deps: Pick<RequestDeps, 'db' | 'now'>, token: string): ReturnType<typeof confirmationOf> | undefined {
  if (!/^[A-Za-z0-9_-]{40,64}$/.test(token)) return undefined;
  const since = new Date(deps.now().getTime() - CONFIRMED_PAGE_MINUTES * 60_000).toISOString();
  const requestId = requestOfUsedToken(deps.db, hashToken(token), 'confirm', since);
  const request = requestId ? requestById(deps.db, requestId) : undefined;
  return request && request.status !== 'a_confirmer' ? confirmationOf(deps, request) : undefined;
}
