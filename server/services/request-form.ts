/**
 * The steps of the rights request form: what each asks, how it is checked, and what it stores.
 * Error messages are full i18n keys (`request:errors.<field>.<rule>`, server/domain/form-errors.ts); the page shows them in the person's language.
 */
import { z } from 'zod';
import { checkNir, normalizeNir } from '../domain/nir';
import { normalizeReference } from '../domain/reference';
import { parseIsoDate } from '../domain/deadlines';
import { hasForbiddenCharacters, normalizeLine, normalizeMultiline, withoutForbiddenCharacters } from '../domain/plain-text';
import { zodErrors, type FieldError } from '../domain/form-errors';
import { FIELD_LIMITS as L, INSURANCE_SCHEMES, KINDS, ON_BEHALF, SCOPES, type Answers, type StepId } from '../domain/rights-request';

export type { FieldError };
export type StepResult = { ok: true; values: Partial<Answers> } | { ok: false; errors: FieldError[]; values: Record<string, string> };

type Body = Record<string, string | undefined>;

/** A field left out of the form is a field left empty (zod would say 'Required', which is no key of ours). */
const str = () => z.string({ required_error: 'required', invalid_type_error: 'required' });
/** Plain text only (server/domain/plain-text.ts); the `control` message names the field. */
const plain = z.string().refine((s) => !hasForbiddenCharacters(s), 'control');
const text = (max: number) => str().transform(normalizeLine).pipe(plain).pipe(z.string().max(max, 'tooLong'));
const longText = (max: number) => str().transform(normalizeMultiline).pipe(plain).pipe(z.string().max(max, 'tooLong'));
const required = (max: number) => text(max).pipe(z.string().min(1, 'required'));
const optional = (max: number) => z.union([z.undefined(), text(max)]).transform((v) => v || undefined);
const oneOf = <T extends readonly [string, ...string[]]>(values: T) => z.enum(values, { errorMap: () => ({ message: 'choose' }) });

/** A plausible e-mail address: one @, a dot in the domain, no spaces (what people mistype, not RFC 5322). */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** Every key of this form is in the `request` namespace, under `errors.<field>.<rule>`. */
const key = (field: string, rule: string) => `request:errors.${field}.${rule}`;
const error = (field: string, rule: string): FieldError => ({ field, key: key(field, rule) });

/** The first problem of each field; a text too long says how long it is and the maximum (the person sees both). */
const issues = (e: z.ZodError, body: Body = {}): FieldError[] => zodErrors(e, { key, body });

/** Birth date from three fields (day, month, year), as the GOV.UK date pattern asks. */
function birthDate(body: Body): { value?: string; error?: string } {
  const day = (body.birthDay ?? '').trim();
  const month = (body.birthMonth ?? '').trim();
  const year = (body.birthYear ?? '').trim();
  if (!day && !month && !year) return { error: 'required' };
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) return { error: 'invalid' };
  const iso = parseIsoDate(`${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`);
  if (!iso) return { error: 'invalid' };
  const today = new Date().toISOString().slice(0, 10);
  if (iso > today) return { error: 'future' };
  if (iso < '1900-01-01') return { error: 'invalid' };
  return { value: iso };
}

type Known = {
  projectExists: (id: string) => boolean;
  organisationExists: (id: string) => boolean;
  /** Whether the route of these answers goes through the CNAM (server/domain/routing.ts). */ asksNir: (answers: Answers) => boolean;
};
type Checked = { ok: true; values: Partial<Answers> } | { ok: false; errors: FieldError[] };
type Checker = (body: Body, answers: Answers, known: Known) => Checked;

const failed = (errors: FieldError[]): Checked => ({ ok: false, errors });
const optionalLong = (max: number) => z.union([z.undefined(), longText(max)]).transform((v) => v || undefined);

function checkType(body: Body): Checked {
  const r = z.object({ kind: oneOf(KINDS) }).safeParse(body);
  return r.success ? { ok: true, values: r.data } : failed(issues(r.error, body));
}

/** A project or an organisation chosen by its id: given, well formed and known. */
function chosenId(raw: string | undefined, field: 'projectId' | 'organisationId', exists: (id: string) => boolean): { id: string } | { error: FieldError } {
  const id = (raw ?? '').trim();
  if (!id) return { error: error(field, 'required') };
  if (!SLUG.test(id) || !exists(id)) return { error: error(field, 'unknown') };
  return { id };
}

function checkScope(body: Body, _answers: Answers, known: Known): Checked {
  const r = z.object({ scope: oneOf(SCOPES), projectId: z.string().optional(), organisationId: z.string().optional() }).safeParse(body);
  if (!r.success) return failed(issues(r.error, body));
  const { scope } = r.data;
  if (scope === 'projet') {
    const chosen = chosenId(r.data.projectId, 'projectId', known.projectExists);
    return 'error' in chosen ? failed([chosen.error]) : { ok: true, values: { scope, projectId: chosen.id, organisationId: undefined } };
  }
  if (scope === 'responsable') {
    const chosen = chosenId(r.data.organisationId, 'organisationId', known.organisationExists);
    return 'error' in chosen ? failed([chosen.error]) : { ok: true, values: { scope, organisationId: chosen.id, projectId: undefined } };
  }
  return { ok: true, values: { scope, projectId: undefined, organisationId: undefined } };
}

function checkOnBehalf(body: Body): Checked {
  const r = z.object({ onBehalf: oneOf(ON_BEHALF), requesterName: optional(L.requesterName), relationship: optional(L.relationship) }).safeParse(body);
  if (!r.success) return failed(issues(r.error, body));
  if (r.data.onBehalf === 'self') return { ok: true, values: { onBehalf: 'self', requesterName: undefined, relationship: undefined } };
  const errors: FieldError[] = [];
  if (!r.data.requesterName) errors.push(error('requesterName', 'required'));
  if (!r.data.relationship) errors.push(error('relationship', 'required'));
  return errors.length ? failed(errors) : { ok: true, values: r.data };
}

/** The NIR and the insurance scheme, when the route asks them; errors are pushed to `errors`. */
function nirAndScheme(
  body: Body,
  raw: string | undefined,
  birth: string | undefined,
  errors: FieldError[],
): { nir?: string; scheme?: Answers['insuranceScheme'] } {
  let nir: string | undefined;
  let scheme: Answers['insuranceScheme'];
  // One message per field: a NIR already refused (too long, invisible characters) is not checked again.
  if (errors.some((e) => e.field === 'nir')) nir = undefined;
  else if (!raw) errors.push(error('nir', 'required'));
  else {
    const checked = checkNir(raw, birth);
    if (checked.ok) nir = checked.nir;
    else errors.push(error('nir', checked.error));
  }
  // Optional: the CNAM can find the scheme from the NIR (legal review C).
  const s = (body.insuranceScheme ?? '').trim();
  if (s && !(INSURANCE_SCHEMES as readonly string[]).includes(s)) errors.push(error('insuranceScheme', 'choose'));
  else if (s) scheme = s as Answers['insuranceScheme'];
  return { nir, scheme };
}

function checkIdentity(body: Body, answers: Answers, known: Known): Checked {
  // The NIR is asked exactly when the route goes through the CNAM, which needs it (routing.ts); the
  // birth place then is optional, since the NIR encodes it and holders of pseudonymised data cannot
  // use it (legal review C, GDPR art. 5(1)(c)); a controller holding identities may need it.
  const withNir = known.asksNir(answers);
  const r = z
    .object({
      lastName: required(L.lastName),
      firstNames: required(L.firstNames),
      birthName: optional(L.birthName),
      birthPlace: withNir ? optional(L.birthPlace) : required(L.birthPlace),
      nir: optional(40),
      insuranceScheme: z.string().optional(),
    })
    .safeParse(body);
  const errors = r.success ? [] : issues(r.error, body);
  const date = birthDate(body);
  if (date.error) errors.push({ field: 'birthDay', key: key('birthDate', date.error) });
  const { nir, scheme } = withNir ? nirAndScheme(body, r.success ? r.data.nir : body.nir, date.value, errors) : {};
  if (errors.length || !r.success) return failed(errors);
  return {
    ok: true,
    values: {
      lastName: r.data.lastName,
      firstNames: r.data.firstNames,
      birthName: r.data.birthName,
      birthPlace: r.data.birthPlace,
      birthDate: date.value,
      nir: nir ? normalizeNir(nir) : undefined,
      insuranceScheme: scheme,
    },
  };
}

function checkContact(body: Body): Checked {
  const r = z.object({ email: required(L.email), postalAddress: optionalLong(L.postalAddress) }).safeParse(body);
  if (!r.success) return failed(issues(r.error, body));
  if (!EMAIL.test(r.data.email)) return failed([error('email', 'invalid')]);
  return { ok: true, values: { email: r.data.email, postalAddress: r.data.postalAddress } };
}

function checkDetails(body: Body, answers: Answers): Checked {
  const r = z
    .object({
      reason: optionalLong(L.reason),
      wrongData: optionalLong(L.wrongData),
      correctData: optionalLong(L.correctData),
      accessScope: optionalLong(L.accessScope),
      otherDetails: optionalLong(L.otherDetails),
    })
    .safeParse(body);
  if (!r.success) return failed(issues(r.error, body));
  if (answers.kind === 'rectification') {
    const errors: FieldError[] = [];
    if (!r.data.wrongData) errors.push(error('wrongData', 'required'));
    if (!r.data.correctData) errors.push(error('correctData', 'required'));
    if (errors.length) return failed(errors);
  }
  return { ok: true, values: r.data };
}

/** Each step's checker. */
const CHECKERS: Record<StepId, Checker> = {
  type: checkType,
  portee: checkScope,
  'pour-qui': checkOnBehalf,
  identite: checkIdentity,
  contact: checkContact,
  details: checkDetails,
};

export function checkStep(step: StepId, body: Body, answers: Answers, known: Known): StepResult {
  const checked = CHECKERS[step](body, answers, known);
  if (checked.ok) return checked;
  // Shown again in the fields: without the characters refused, so that what the person checks is what is kept.
  const echo = Object.fromEntries(
    Object.entries(body)
      .filter(([k]) => !k.startsWith('_'))
      .map(([k, v]) => [k, withoutForbiddenCharacters(String(v ?? '').slice(0, 5000))]),
  );
  return { ok: false, errors: checked.errors, values: echo };
}

/** The person's answer to a controller's question: required, at most FIELD_LIMITS.answer characters (the status machine's own limit). */
export function checkClarificationAnswer(body: Body): { ok: true; value: string } | { ok: false; error: FieldError; value: string } {
  const raw = String(body.answer ?? '');
  const r = z.object({ answer: longText(L.answer).pipe(z.string().min(1, 'required')) }).safeParse({ answer: raw });
  if (r.success) return { ok: true, value: r.data.answer };
  const [first] = issues(r.error, { answer: raw });
  return {
    ok: false,
    error: { ...first!, key: first!.key.replace(/^request:errors\.answer\./, 'request:errors.clarification.') },
    value: raw.slice(0, L.answer * 2),
  };
}

/**
 * The /suivi form: a reference that reads as one (any case, with or without dashes) and a plausible
 * e-mail address. Only a well-formed pair goes on, and then the answer is the same whether it matches a
 * request or not (so nobody learns that an address filed one).
 */
export function checkTrackForm(
  body: Body,
): { ok: true; reference: string; email: string } | { ok: false; errors: FieldError[]; values: Record<string, string> } {
  const reference = String(body.reference ?? '')
    .trim()
    .slice(0, 40);
  const email = String(body.email ?? '')
    .trim()
    .slice(0, 254);
  const errors: FieldError[] = [];
  const normalized = normalizeReference(reference);
  if (!reference) errors.push(error('reference', 'required'));
  else if (!normalized) errors.push(error('reference', 'invalid'));
  if (!email) errors.push(error('email', 'required'));
  else if (!EMAIL.test(email)) errors.push(error('email', 'invalid'));
  return errors.length || !normalized ? { ok: false, errors, values: { reference, email } } : { ok: true, reference: normalized, email };
}
