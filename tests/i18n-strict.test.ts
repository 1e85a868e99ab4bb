import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { toFormErrors, zodErrors } from '../server/domain/form-errors';
import { createI18n, MissingLocaleKeyError, translatorFor } from '../server/i18n';

/** A locales directory whose `form` namespace has `errors.email.required` in French only. */
const dir = mkdtempSync(join(tmpdir(), 'locales-'));
for (const [lang, errors] of [
  ['fr', { email: { required: 'Saisissez votre adresse e-mail' }, name: { tooLong: '{{count}} caractères sur {{max}}' } }],
  ['en', { name: { tooLong: '{{count}} characters of {{max}}' } }],
] as const) {
  mkdirSync(join(dir, lang), { recursive: true });
  writeFileSync(join(dir, lang, 'form.json'), JSON.stringify({ errors }));
  writeFileSync(join(dir, lang, 'common.json'), '{}');
}
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const schema = z.object({ email: z.string().min(1, 'required'), name: z.string().max(3, 'tooLong') });
const errorsOf = (body: Record<string, string>) => {
  const r = schema.safeParse(body);
  if (r.success) throw new Error('expected errors');
  return zodErrors(r.error, { key: (field, rule) => `form:errors.${field}.${rule}`, body });
};

describe('a missing locale key, under tests', () => {
  it('is strict by default when NODE_ENV is test', () => {
    expect(process.env.NODE_ENV).toBe('test');
    expect(() => translatorFor(createI18n(dir), 'en').t('form:errors.email.required')).toThrow(MissingLocaleKeyError);
  });

  it('fails a form error whose key one language lacks, loudly, and names the language and the key', () => {
    const errors = errorsOf({ email: '', name: 'abc' });
    expect(errors).toEqual([{ field: 'email', key: 'form:errors.email.required' }]);
    const i18n = createI18n(dir, { strict: true });
    expect(toFormErrors(translatorFor(i18n, 'fr').t, errors)).toEqual([{ field: 'email', href: '#f-email', message: 'Saisissez votre adresse e-mail' }]);
    expect(() => toFormErrors(translatorFor(i18n, 'en').t, errors)).toThrow('Missing locale key en:form:errors.email.required');
  });

  it('passes the too-long values to both languages', () => {
    const errors = errorsOf({ email: 'a@b.fr', name: ' abcdef ' });
    expect(errors).toEqual([{ field: 'name', key: 'form:errors.name.tooLong', values: { max: 3, count: 6 } }]);
    expect(toFormErrors(translatorFor(createI18n(dir, { strict: true }), 'en').t, errors, (f) => `x-${f}`)).toEqual([
      { field: 'name', href: '#x-name', message: '6 characters of 3' },
    ]);
  });

  it('falls back to French outside strict mode (production)', () => {
    const errors = errorsOf({ email: '', name: 'abc' });
    expect(toFormErrors(translatorFor(createI18n(dir, { strict: false }), 'en').t, errors)[0]!.message).toBe('Saisissez votre adresse e-mail');
  });

  it('lets a lookup that gives its own default miss', () => {
    expect(translatorFor(createI18n(dir, { strict: true }), 'en').t('form:errors.nothing', { defaultValue: 'none' })).toBe('none');
  });
});
