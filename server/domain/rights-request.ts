/**
 * Rights requests: the kinds of request, their scopes, who acts, the statuses, and the form's steps.
 */

/** GDPR art. 21 (objection; loi Informatique et Libertés art. 74 for the SNDS), 15 (access), 16 (rectification), 17 (erasure), 18 (restriction). */
export const KINDS = ['opposition', 'acces', 'rectification', 'effacement', 'limitation'] as const;
export type Kind = (typeof KINDS)[number];

/** All reuse of SNDS data (answered by the CNAM), one project of the register, or a named data controller. */
export const SCOPES = ['snds', 'projet', 'responsable'] as const;
export type Scope = (typeof SCOPES)[number];

/** The person acts for themself, for their child (parental authority), a protected adult (guardian) or a deceased relative (heir). */
export const ON_BEHALF = ['self', 'child', 'protected_adult', 'deceased'] as const;
export type OnBehalf = (typeof ON_BEHALF)[number];

/**
 * Health insurance scheme: an objection to the SNDS is lodged with the person's compulsory health
 * insurance body (Code de la santé publique R1461-9 III, marked "to confirm" in the reference facts:
 * the rule is kept here, in one place). The service records the scheme so the CNAM can route it.
 */
export const INSURANCE_SCHEMES = ['general', 'agricole', 'autre'] as const;

export const STATUSES = ['a_confirmer', 'recue', 'transmise', 'accusee', 'precision_demandee', 'prolongee', 'repondue', 'refusee', 'cloturee', 'retiree'] as const;
export type Status = (typeof STATUSES)[number];
/** Statuses after which nothing more is awaited from the controller. */
export const FINAL_STATUSES: readonly Status[] = ['repondue', 'refusee', 'cloturee', 'retiree'];
/** Confirmed and not yet answered: what the recipient still has to deal with. */
export const OPEN_STATUSES: readonly Status[] = STATUSES.filter((s) => s !== 'a_confirmer' && !FINAL_STATUSES.includes(s));

/** Unconfirmed requests are deleted after 7 days, and the person is told (DESIGN §6). */
export const CONFIRMATION_DAYS = 7;
/** A draft expires a day after its last change. */
export const DRAFT_HOURS = 24;
/** Same person, same kind, same scope within 30 days: told and offered to follow the existing request. */
export const DUPLICATE_DAYS = 30;
/** A tracking link by mail is valid 15 minutes, once. */
export const TRACKING_LINK_MINUTES = 15;

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
  insuranceScheme?: (typeof INSURANCE_SCHEMES)[number];
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
