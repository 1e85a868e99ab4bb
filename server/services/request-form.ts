/**
 * The steps of the rights request form: what each asks, how it is checked, and what it stores.
 * Error messages are i18n keys of the `request` namespace; the page shows them in the person's language.
 */
import { z } from 'zod';
import { checkNir, normalizeNir } from '../domain/nir';
import { normalizeReference } from '../domain/reference';
import { parseIsoDate } from '../domain/deadlines';
import { hasForbiddenCharacters, normalizeLine, normalizeMultiline, withoutForbiddenCharacters } from '../domain/plain-text';
import { FIELD_LIMITS as L, INSURANCE_SCHEMES, KINDS, ON_BEHALF, SCOPES, type Answers, type StepId } from '../domain/rights-request';

export type FieldError = { field: string; key: string; /** Interpolated into the message: the count and the maximum of a text too long. */ values?: Record<string, number> };
export type StepResult = { ok: true; values: Partial<Answers> } | { ok: false; errors: FieldError[]; values: Record<string, string> };

type Body = Record<string, string | undefined>;

/** Plain text only (server/domain/plain-text.ts); the `control` message names the field. */
const plain = z.string().refine((s) => !hasForbiddenCharacters(s), 'control');
const text = (max: number) => z.string().transform(normalizeLine).pipe(plain).pipe(z.string().max(max, 'tooLong'));
const longText = (max: number) => z.string().transform(normalizeMultiline).pipe(plain).pipe(z.string().max(max, 'tooLong'));
const required = (max: number) => text(max).pipe(z.string().min(1, 'required'));
const optional = (max: number) => z.union([z.undefined(), text(max)]).transform((v) => v || undefined);
const oneOf = <T extends readonly [string, ...string[]]>(values: T) => z.enum(values, { errorMap: () => ({ message: 'choose' }) });

/** A plausible e-mail address: one @, a dot in the domain, no spaces (what people mistype, not RFC 5322). */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** The first problem of each field; a text too long says how long it is and the maximum (the person sees both). */
function issues(error: z.ZodError, body: Body = {}): FieldError[] {
  const seen = new Set<string>();
  return error.issues.flatMap((i) => {
    const field = String(i.path[0] ?? '');
    if (seen.has(field)) return [];
    seen.add(field);
    if (i.code === 'too_big' && i.type === 'string') return [{ field, key: `${field}.${i.message}`, values: { max: Number(i.maximum), count: String(body[field] ?? '').replace(/\r\n/g, '\n').trim().length } }];
    return [{ field, key: `${field}.${i.message}` }];
  });
}

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

export function checkStep(step: StepId, body: Body, answers: Answers, known: { projectExists: (id: string) => boolean; organisationExists: (id: string) => boolean; /** Whether the route of these answers goes through the CNAM (server/domain/routing.ts). */ asksNir: (answers: Answers) => boolean }): StepResult {
  // Shown again in the fields: without the characters refused, so that what the person checks is what is kept.
  const echo = Object.fromEntries(Object.entries(body).filter(([k]) => !k.startsWith('_')).map(([k, v]) => [k, withoutForbiddenCharacters(String(v ?? '').slice(0, 5000))]));
  const fail = (errors: FieldError[]): StepResult => ({ ok: false, errors, values: echo });

  switch (step) {
    case 'type': {
      const r = z.object({ kind: oneOf(KINDS) }).safeParse(body);
      return r.success ? { ok: true, values: r.data } : fail(issues(r.error, body));
    }
    case 'portee': {
      const r = z.object({ scope: oneOf(SCOPES), projectId: z.string().optional(), organisationId: z.string().optional() }).safeParse(body);
      if (!r.success) return fail(issues(r.error, body));
      const { scope } = r.data;
      if (scope === 'projet') {
        const id = (r.data.projectId ?? '').trim();
        if (!id) return fail([{ field: 'projectId', key: 'projectId.required' }]);
        if (!SLUG.test(id) || !known.projectExists(id)) return fail([{ field: 'projectId', key: 'projectId.unknown' }]);
        return { ok: true, values: { scope, projectId: id, organisationId: undefined } };
      }
      if (scope === 'responsable') {
        const id = (r.data.organisationId ?? '').trim();
        if (!id) return fail([{ field: 'organisationId', key: 'organisationId.required' }]);
        if (!SLUG.test(id) || !known.organisationExists(id)) return fail([{ field: 'organisationId', key: 'organisationId.unknown' }]);
        return { ok: true, values: { scope, organisationId: id, projectId: undefined } };
      }
      return { ok: true, values: { scope, projectId: undefined, organisationId: undefined } };
    }
    case 'pour-qui': {
      const r = z.object({ onBehalf: oneOf(ON_BEHALF), requesterName: optional(L.requesterName), relationship: optional(L.relationship) }).safeParse(body);
      if (!r.success) return fail(issues(r.error, body));
      if (r.data.onBehalf === 'self') return { ok: true, values: { onBehalf: 'self', requesterName: undefined, relationship: undefined } };
      const errors: FieldError[] = [];
      if (!r.data.requesterName) errors.push({ field: 'requesterName', key: 'requesterName.required' });
      if (!r.data.relationship) errors.push({ field: 'relationship', key: 'relationship.required' });
      return errors.length ? fail(errors) : { ok: true, values: r.data };
    }
    case 'identite': {
      // The NIR is asked exactly when the route goes through the CNAM, which needs it (routing.ts); the
      // birth place then is optional, since the NIR encodes it and holders of pseudonymised data cannot
      // use it (legal review C, GDPR art. 5(1)(c)); a controller holding identities may need it.
      const withNir = known.asksNir(answers);
      const r = z
        .object({ lastName: required(L.lastName), firstNames: required(L.firstNames), birthName: optional(L.birthName), birthPlace: withNir ? optional(L.birthPlace) : required(L.birthPlace), nir: optional(40), insuranceScheme: z.string().optional() })
        .safeParse(body);
      const errors = r.success ? [] : issues(r.error, body);
      const date = birthDate(body);
      if (date.error) errors.push({ field: 'birthDay', key: `birthDate.${date.error}` });
      let nir: string | undefined;
      let scheme: Answers['insuranceScheme'];
      if (withNir) {
        const raw = r.success ? r.data.nir : body.nir;
        // One message per field: a NIR already refused (too long, invisible characters) is not checked again.
        if (errors.some((e) => e.field === 'nir')) nir = undefined;
        else if (!raw) errors.push({ field: 'nir', key: 'nir.required' });
        else {
          const checked = checkNir(raw, date.value);
          if (checked.ok) nir = checked.nir;
          else errors.push({ field: 'nir', key: `nir.${checked.error}` });
        }
        // Optional: the CNAM can find the scheme from the NIR (legal review C).
        const s = (body.insuranceScheme ?? '').trim();
        if (s && !(INSURANCE_SCHEMES as readonly string[]).includes(s)) errors.push({ field: 'insuranceScheme', key: 'insuranceScheme.choose' });
        else if (s) scheme = s as Answers['insuranceScheme'];
      }
      if (errors.length || !r.success) return fail(errors);
      return {
        ok: true,
        values: { lastName: r.data.lastName, firstNames: r.data.firstNames, birthName: r.data.birthName, birthPlace: r.data.birthPlace, birthDate: date.value, nir: nir ? normalizeNir(nir) : undefined, insuranceScheme: scheme },
      };
    }
    case 'contact': {
      const r = z.object({ email: required(L.email), postalAddress: z.union([z.undefined(), longText(L.postalAddress)]).transform((v) => v || undefined) }).safeParse(body);
      if (!r.success) return fail(issues(r.error, body));
      if (!EMAIL.test(r.data.email)) return fail([{ field: 'email', key: 'email.invalid' }]);
      return { ok: true, values: { email: r.data.email, postalAddress: r.data.postalAddress } };
    }
    case 'details': {
      const r = z
        .object({
          reason: z.union([z.undefined(), longText(L.reason)]).transform((v) => v || undefined),
          wrongData: z.union([z.undefined(), longText(L.wrongData)]).transform((v) => v || undefined),
          correctData: z.union([z.undefined(), longText(L.correctData)]).transform((v) => v || undefined),
          accessScope: z.union([z.undefined(), longText(L.accessScope)]).transform((v) => v || undefined),
          otherDetails: z.union([z.undefined(), longText(L.otherDetails)]).transform((v) => v || undefined),
        })
        .safeParse(body);
      if (!r.success) return fail(issues(r.error, body));
      if (answers.kind === 'rectification') {
        const errors: FieldError[] = [];
        if (!r.data.wrongData) errors.push({ field: 'wrongData', key: 'wrongData.required' });
        if (!r.data.correctData) errors.push({ field: 'correctData', key: 'correctData.required' });
        if (errors.length) return fail(errors);
      }
      return { ok: true, values: r.data };
    }
  }
}

/** The person's answer to a controller's question: required, at most FIELD_LIMITS.answer characters (the status machine's own limit). */
export function checkClarificationAnswer(body: Body): { ok: true; value: string } | { ok: false; error: FieldError; value: string } {
  const raw = String(body.answer ?? '');
  const r = z.object({ answer: longText(L.answer).pipe(z.string().min(1, 'required')) }).safeParse({ answer: raw });
  if (r.success) return { ok: true, value: r.data.answer };
  const [error] = issues(r.error, { answer: raw });
  return { ok: false, error: { ...error!, key: error!.key.replace(/^answer\./, 'clarification.') }, value: raw.slice(0, L.answer * 2) };
}

/**
 * The /suivi form: a reference that reads as one (any case, with or without dashes) and a plausible
 * e-mail address. Only a well-formed pair goes on, and then the answer is the same whether it matches a
 * request or not (so nobody learns that an address filed one).
 */
export function checkTrackForm(body: Body): { ok: true; reference: string; email: string } | { ok: false; errors: FieldError[]; values: Record<string, string> } {
  const reference = String(body.reference ?? '').trim().slice(0, 40);
  const email = String(body.email ?? '').trim().slice(0, 254);
  const errors: FieldError[] = [];
  const normalized = normalizeReference(reference);
  if (!reference) errors.push({ field: 'reference', key: 'reference.required' });
  else if (!normalized) errors.push({ field: 'reference', key: 'reference.invalid' });
  if (!email) errors.push({ field: 'email', key: 'email.required' });
  else if (!EMAIL.test(email)) errors.push({ field: 'email', key: 'email.invalid' });
  return errors.length || !normalized ? { ok: false, errors, values: { reference, email } } : { ok: true, reference: normalized, email };
}
