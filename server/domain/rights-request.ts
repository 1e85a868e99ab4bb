/**
 * Rights requests: the kinds of request, their scopes, who acts, the statuses, and the form's steps.
 */

/** GDPR art. 21 (objection; loi Informatique et Libertés art. 74 for the SNDS), 15 (access), 16 (rectification), 17 (erasure), 18 (restriction). */
export const KINDS = ['opposition', 'acces', 'rectification', 'effacement', 'limitation'] as const;
export type Kind = (typeof KINDS)[number];

/** All reuse of SNDS data (answered by the CNAM), one project of the register, or a named data controller. */
export const SCOPES = ['snds', 'projet', 'responsable'] as const;
export type Scope = (typeof SCOPES)[number];

/**
 * Who the person acts for, each with what the law lets them do:
 * - `child`: parental authority (Code civil art. 371-1); from 15, a minor may object to their parents'
 *   access in health research and then exercises the rights alone (loi Informatique et Libertés art. 70);
 * - `protected_adult`: the representative under tutelle, habilitation familiale or mandat de protection
 *   future, only when the person's state does not let them take an informed decision alone (LIL art. 70);
 *   a curateur assists but does not represent: the person acts and signs;
 * - `deceased`: an heir, only to settle the estate or to have the death taken into account, unless the
 *   person left a directive that says otherwise (LIL art. 85);
 * - `mandate`: anyone the person has mandated in writing (Code civil art. 1984).
 * The tie is declared; the controller may ask for proof of it.
 */
export const ON_BEHALF = ['self', 'child', 'protected_adult', 'deceased', 'mandate'] as const;
export type OnBehalf = (typeof ON_BEHALF)[number];

/**
 * Health insurance scheme, optional: the CNAM can find it from the NIR (RNIAM, the national directory of
 * the insured). An objection to the SNDS is handled by the director of the body that runs the person's
 * compulsory health insurance (Code de la santé publique R1461-9 III, marked "to confirm" in the
 * reference facts: the list is kept here, in one place): the general scheme's CPAM, the CGSS overseas,
 * the CSSM in Mayotte, the MSA for the agricultural scheme, or a special scheme's own body.
 */
export const INSURANCE_SCHEMES = [
  'cpam',
  'cgss',
  'cssm',
  'msa',
  'enim',
  'cnmss',
  'cprp_sncf',
  'ratp',
  'crpcen',
  'cavimac',
  'camieg',
  'banque_de_france',
  'assemblee_nationale',
  'senat',
  'inconnu',
] as const;
export type InsuranceScheme = (typeof INSURANCE_SCHEMES)[number];

export const STATUSES = [
  'a_confirmer',
  'recue',
  'transmise',
  'accusee',
  'precision_demandee',
  'prolongee',
  'repondue',
  'refusee',
  'cloturee',
  'retiree',
] as const;
export type Status = (typeof STATUSES)[number];
/** Statuses after which nothing more is awaited from the controller. */
export const FINAL_STATUSES: readonly Status[] = ['repondue', 'refusee', 'cloturee', 'retiree'];
/** Confirmed and not yet answered: what the recipient still has to deal with. */
export const OPEN_STATUSES: readonly Status[] = STATUSES.filter((s) => s !== 'a_confirmer' && !FINAL_STATUSES.includes(s));

/**
 * What the person did on a request that its organisation has not seen yet (the DPO queue marks it until
 * the organisation opens the request): answered a question, withdrew.
 */
export const PERSON_UPDATES = ['clarification_answered', 'withdrawn'] as const;
export type PersonUpdate = (typeof PERSON_UPDATES)[number];

/** Unconfirmed requests are deleted after 7 days, and the person is told. */
export const CONFIRMATION_DAYS = 7;
/** A draft expires a day after its last change. */
export const DRAFT_HOURS = 24;
/** Same person, same kind, same scope within 30 days: told and offered to follow the existing request. */
export const DUPLICATE_DAYS = 30;
/** A tracking link by mail is valid 15 minutes, once. */
export const TRACKING_LINK_MINUTES = 15;

/**
 * The longest text each field takes, in characters: the form says it before typing, and an answer too
 * long is refused with its length and this maximum (nothing is cut silently).
 */
export const FIELD_LIMITS = {
  requesterName: 200,
  relationship: 300,
  lastName: 100,
  firstNames: 200,
  birthName: 100,
  birthPlace: 200,
  email: 254,
  postalAddress: 500,
  reason: 2000,
  wrongData: 2000,
  correctData: 2000,
  accessScope: 2000,
  otherDetails: 2000,
  /** The person's answer to a controller's question. */
  answer: 5000,
} as const;

export const STEPS = ['type', 'portee', 'pour-qui', 'identite', 'contact', 'details'] as const;
export type StepId = (typeof STEPS)[number];

export type Answers = {
  kind?: Kind;
  scope?: Scope;
  projectId?: string;
  organisationId?: string;
  onBehalf?: OnBehalf;
  requesterName?: string;
  relationship?: string;
  lastName?: string;
  firstNames?: string;
  birthName?: string;
  birthDate?: string;
  birthPlace?: string;
  nir?: string;
  insuranceScheme?: InsuranceScheme;
  email?: string;
  postalAddress?: string;
  reason?: string;
  wrongData?: string;
  correctData?: string;
  accessScope?: string;
  otherDetails?: string;
  /** Steps the person has completed: the check page needs them all. */
  done?: StepId[];
  idempotencyKey?: string;
};

/** The first step not yet done, to send a person who skips ahead back where they left off. */
export function nextStep(answers: Answers): StepId | 'verifier' {
  return STEPS.find((s) => !answers.done?.includes(s)) ?? 'verifier';
}
