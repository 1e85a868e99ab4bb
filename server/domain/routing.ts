/**
 * Who receives a rights request, with which part of the person's data, and when the legal month starts
 * (CSP R1461-3 II 3° b, R1461-7 II 1°; GDPR art. 5(1)(c)). Pure: the caller gives the facts of the scope.
 *
 * The rule follows who can act on the person's identity:
 * - the SNDS bases and every extract made from them are pseudonymised: each project gets its own
 *   pseudonym and nobody holds both identity and pseudonym (Code de la santé publique R1461-7 II 1° a-b).
 *   Only the CNAM links the NIR to the pseudonyms "for the exercise of the rights" (R1461-3 II 3° b): a
 *   request on such data goes through the CNAM, with the NIR, and nobody else gets the identity;
 * - a holder of identifying data (a hospital data warehouse, a cohort, a registry) can act on a name: the
 *   request goes to that project's controller with the identity and without the NIR, which it does not
 *   need (GDPR art. 5(1)(c) data minimisation, art. 25 data protection by design);
 * - the project's controller of pseudonymised data is told that a request concerns its project, with no
 *   identity at all (GDPR art. 11: it need not hold more data to identify the person).
 */

/** The national health insurance fund: it links NIR and pseudonyms for rights (R1461-3 II 3° b). */
export const CNAM_ID = 'cnam';

/** The organisation a request is filed under when it has no answering body on record. */
export const UNKNOWN_ORGANISATION_ID = 'inconnu';

/** What part of the person's data a recipient gets. */
export type IdentityPart = 'identity_with_nir' | 'identity_without_nir' | 'none';

/**
 * When the GDPR month (art. 12(3)) starts for the answering body:
 * - `confirmation`: the HDH, which runs this service, is joint controller of the SNDS with the CNAM
 *   (R1461-3 I), so a person may exercise SNDS rights against either (GDPR art. 26(3)): the request is
 *   received when the person confirms it, and relaying it to the CNAM never pushes the date back;
 * - `delivery`: another controller receives the request when its channel delivers it (the portal: when
 *   the person confirms it, since the request is then in the organisation's own queue).
 */
export const CLOCKS = ['confirmation', 'delivery'] as const;
export type Clock = (typeof CLOCKS)[number];

/** One body that must answer, the sources its answer covers, and who is only told of the request. */
export const ROUTE_PARTS = ['snds', 'pseudonymised', 'identifying', 'controller'] as const;
export type RoutePart = (typeof ROUTE_PARTS)[number];

export type RouteLeg = {
  /** `snds`: all reuse of SNDS data; `pseudonymised`/`identifying`: that part of one project's sources; `controller`: a named controller. */
  part: RoutePart;
  answerer: string;
  identity: Exclude<IdentityPart, 'none'>;
  clock: Clock;
  /** The project's sources this answer covers (empty outside the project scope). */
  sourceIds: string[];
  /** Organisations told of the request with no identity (the project's controller of pseudonymised data). */
  notified: string[];
};

export type RouteInput =
  | { scope: 'snds' }
  | { scope: 'responsable'; organisationId: string }
  | { scope: 'projet'; controllerId: string; sources: { id: string; identifying: boolean }[] };

export function routeRequest(input: RouteInput): RouteLeg[] {
  if (input.scope === 'snds') return [{ part: 'snds', answerer: CNAM_ID, identity: 'identity_with_nir', clock: 'confirmation', sourceIds: [], notified: [] }];
  if (input.scope === 'responsable')
    return [{ part: 'controller', answerer: input.organisationId, identity: 'identity_without_nir', clock: 'delivery', sourceIds: [], notified: [] }];
  const pseudonymised = input.sources.filter((s) => !s.identifying).map((s) => s.id);
  const identifying = input.sources.filter((s) => s.identifying).map((s) => s.id);
  const legs: RouteLeg[] = [];
  // A project with no source on record is treated like a pseudonymised one: the register's projects
  // reuse SNDS data, and sending a name where it may not be needed is the error the law forbids.
  if (pseudonymised.length > 0 || identifying.length === 0) {
    legs.push({
      part: 'pseudonymised',
      answerer: CNAM_ID,
      identity: 'identity_with_nir',
      clock: 'confirmation',
      sourceIds: pseudonymised,
      notified: input.controllerId === CNAM_ID ? [] : [input.controllerId],
    });
  }
  if (identifying.length > 0) {
    legs.push({ part: 'identifying', answerer: input.controllerId, identity: 'identity_without_nir', clock: 'delivery', sourceIds: identifying, notified: [] });
  }
  return legs;
}

/** The NIR is asked exactly when the route goes through the CNAM, which needs it (R1461-3 II 3° b). */
export function routeNeedsNir(legs: readonly RouteLeg[]): boolean {
  return legs.some((l) => l.identity === 'identity_with_nir');
}

/** What a delivery carries: the request to answer, or a notice with no identity. */
export const DELIVERY_ROLES = ['answer', 'notice'] as const;
export type DeliveryRole = (typeof DELIVERY_ROLES)[number];

/** The parts of the request document each role receives: the JSON Schema (version 2) says the same. */
export function documentParts(
  role: DeliveryRole,
  identity: Exclude<IdentityPart, 'none'>,
): { identity: boolean; nir: boolean; details: boolean; contact: boolean } {
  if (role === 'notice') return { identity: false, nir: false, details: false, contact: false };
  return { identity: true, nir: identity === 'identity_with_nir', details: true, contact: true };
}
