/**
 * What identifies the person on a request, and their free text: the fields, written once. The identity
 * is stored encrypted per request with only the part its recipient needs: the NIR only for a request that
 * goes through the CNAM, a controller never gets it (server/domain/routing.ts).
 */
import type { Answers } from './rights-request';

export const IDENTITY_FIELDS = [
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
export const DETAILS_FIELDS = ['reason', 'wrongData', 'correctData', 'accessScope', 'otherDetails'] as const;

export type Identity = Pick<Answers, (typeof IDENTITY_FIELDS)[number]>;
export type Details = Pick<Answers, (typeof DETAILS_FIELDS)[number]>;

/** The identity one request stores, from the answers: without the NIR unless its route goes through the CNAM. */
export function identityOf(a: Answers, opts: { withNir: boolean }): Identity {
  const identity: Identity = {};
  for (const f of IDENTITY_FIELDS) identity[f] = a[f];
  if (!opts.withNir) identity.nir = undefined;
  return identity;
}

export function detailsOf(a: Answers): Details {
  const details: Details = {};
  for (const f of DETAILS_FIELDS) details[f] = a[f];
  return details;
}
