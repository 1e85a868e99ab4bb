/**
 * The follow forms, checked: an e-mail address and a rhythm (daily or weekly) to follow a target, an
 * address to ask for the management link, a rhythm to change. Error messages are full i18n keys
 * (`follow:errors.<field>.<rule>`, server/domain/form-errors.ts).
 */
import { z } from 'zod';
import { zodErrors, type FieldError } from '../domain/form-errors';
import { FOLLOW_FREQUENCIES, type FollowFrequency } from '../domain/follows';

type Body = Record<string, string | undefined>;
export type FormCheck<T> = { ok: true; value: T } | { ok: false; errors: FieldError[]; values: Record<string, string> };

/** A plausible e-mail address: one @, a dot in the domain, no spaces (what people mistype, not RFC 5322). */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const key = (field: string, rule: string) => `follow:errors.${field}.${rule}`;

const email = z.string({ required_error: 'required', invalid_type_error: 'required' }).trim().min(1, 'required').max(254, 'tooLong').regex(EMAIL, 'invalid');
const frequency = z.enum(FOLLOW_FREQUENCIES, { errorMap: () => ({ message: 'choose' }) });

const followForm = z.object({ email, frequency });
const manageForm = z.object({ email });

function check<T>(schema: z.ZodType<T>, body: Body): FormCheck<T> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return { ok: true, value: parsed.data };
  const values = { email: String(body.email ?? '').slice(0, 254), frequency: String(body.frequency ?? '') };
  return { ok: false, errors: zodErrors(parsed.error, { key, body }), values };
}

export const checkFollowForm = (body: Body): FormCheck<{ email: string; frequency: FollowFrequency }> => check(followForm, body);
export const checkManageForm = (body: Body): FormCheck<{ email: string }> => check(manageForm, body);
export const checkFrequency = (value: string | undefined): FollowFrequency | undefined => frequency.safeParse(value).data;
