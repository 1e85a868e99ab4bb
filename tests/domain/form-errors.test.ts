import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { firstIssue, messageFor, toFormErrors, zodErrors } from '../../server/domain/form-errors';

const schema = z
  .object({ email: z.string().min(1, 'required').email('invalid'), bio: z.string().max(5, 'tooLong'), url: z.string().optional() })
  .superRefine((v, ctx) => {
    if (v.url === 'bad') ctx.addIssue({ code: 'custom', path: ['url'], message: 'notAllowed', params: { allowed: 'a.fr' } });
  });
const key = (field: string, rule: string) => `ns:errors.${field}.${rule}`;
const fail = (body: Record<string, string>) => {
  const r = schema.safeParse(body);
  if (r.success) throw new Error('expected a failure');
  return r.error;
};

describe('form errors', () => {
  it('keeps the first issue of each field, with its full key', () => {
    expect(zodErrors(fail({ email: '', bio: '' }), { key })).toEqual([{ field: 'email', key: 'ns:errors.email.required' }]);
  });

  it('says how long a text too long is, as the person sees it, and the maximum', () => {
    expect(zodErrors(fail({ email: 'a@b.fr', bio: ' abc\r\ndef ' }), { key, body: { bio: ' abc\r\ndef ' } })).toEqual([
      { field: 'bio', key: 'ns:errors.bio.tooLong', values: { max: 5, count: 7 } },
    ]);
  });

  it('passes a custom issue’s params as values when asked, and names a field for issues without one', () => {
    const error = fail({ email: 'a@b.fr', bio: '', url: 'bad' });
    expect(zodErrors(error, { key, customParams: true })).toEqual([{ field: 'url', key: 'ns:errors.url.notAllowed', values: { allowed: 'a.fr' } }]);
    expect(zodErrors(error, { key })).toEqual([{ field: 'url', key: 'ns:errors.url.notAllowed' }]);
    const formLevel = z
      .object({})
      .refine(() => false, 'broken')
      .safeParse({});
    expect(!formLevel.success && zodErrors(formLevel.error, { key: (_f, m) => m, fallbackField: 'form' })).toEqual([{ field: 'form', key: 'broken' }]);
  });

  it('gives an API the first issue, its dotted path and message', () => {
    expect(firstIssue(fail({ email: '', bio: '' }))).toEqual({ field: 'email', detail: 'required' });
  });

  it('renders errors as links to their fields, with messages in the reader’s language', () => {
    const t = (k: string, v?: Record<string, unknown>) => `${k}${v ? JSON.stringify(v) : ''}`;
    const errors = [
      { field: 'email', key: 'ns:a' },
      { field: 'bio', key: 'ns:b', values: { max: 5 } },
    ];
    expect(toFormErrors(t, errors)).toEqual([
      { field: 'email', href: '#f-email', message: 'ns:a' },
      { field: 'bio', href: '#f-bio', message: 'ns:b{"max":5}' },
    ]);
    expect(toFormErrors(t, errors, (f) => `id-${f}`)[0]!.href).toBe('#id-email');
    expect(messageFor(t, errors, 'bio')).toBe('ns:b{"max":5}');
    expect(messageFor(t, errors, 'url')).toBeUndefined();
  });
});
