/**
 * Every identity and free-text field of the request form, and the answer to a controller's question,
 * refuse control characters, NUL and bidirectional formatting characters with a message naming the
 * field (in fr and en), and show the text again without them; line breaks stay in long text.
 */
import { describe, expect, it } from 'vitest';
import { createI18n, translatorFor } from '../../server/i18n';
import type { Answers, StepId } from '../../server/domain/rights-request';
import { checkClarificationAnswer, checkStep } from '../../server/services/request-form';

const known = { projectExists: () => true, organisationExists: () => true, asksNir: () => true };
const IDENTITY = {
  lastName: 'Durand',
  firstNames: 'Paule',
  birthName: 'Martin',
  birthPlace: 'Lyon',
  birthDay: '12',
  birthMonth: '10',
  birthYear: '1995',
  nir: '2 95 10 99 126 111 93',
};
const DETAILS = { reason: 'Je ne veux pas', wrongData: 'Mon nom', correctData: 'Mon vrai nom', accessScope: 'Mes séjours', otherDetails: 'Rien' };

/** Each text field, the step that asks it and a body valid but for that field. */
const FIELDS: [StepId, string, Record<string, string>, Answers][] = [
  ['pour-qui', 'requesterName', { onBehalf: 'child', requesterName: 'Jean Durand', relationship: 'Parent' }, {}],
  ['pour-qui', 'relationship', { onBehalf: 'child', requesterName: 'Jean Durand', relationship: 'Parent' }, {}],
  ...(['lastName', 'firstNames', 'birthName', 'birthPlace', 'nir'] as const).map((f): [StepId, string, Record<string, string>, Answers] => [
    'identite',
    f,
    IDENTITY,
    {},
  ]),
  ['contact', 'email', { email: 'paule@example.org', postalAddress: '1 rue A' }, {}],
  ['contact', 'postalAddress', { email: 'paule@example.org', postalAddress: '1 rue A' }, {}],
  ...(Object.keys(DETAILS) as (keyof typeof DETAILS)[]).map((f): [StepId, string, Record<string, string>, Answers] => [
    'details',
    f,
    DETAILS,
    { kind: 'rectification' },
  ]),
];

const SAMPLES = {
  NUL: '\u0000',
  BEL: '\u0007',
  ESC: '\u001b',
  DEL: '\u007f',
  'C1 (U+0085)': '\u0085',
  RLO: '\u202e',
  LRE: '\u202a',
  RLI: '\u2067',
  PDI: '\u2069',
  RLM: '\u200f',
};

const tr = { fr: translatorFor(createI18n(), 'fr'), en: translatorFor(createI18n(), 'en') };

describe('the request form refuses invisible and control characters, field by field', () => {
  it('the valid bodies pass', () => {
    for (const [step, , body, answers] of FIELDS) expect(checkStep(step, body, answers, known).ok, step).toBe(true);
  });

  for (const [step, field, body, answers] of FIELDS) {
    it.each(Object.entries(SAMPLES))(`${step} ${field}: %s refused with the field's own message, the value shown without it`, (_, c) => {
      const typed = `${body[field]!.slice(0, 2)}${c}${body[field]!.slice(2)}`;
      const result = checkStep(step, { ...body, [field]: typed }, answers, known);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.errors).toEqual([{ field, key: `request:errors.${field}.control` }]);
      expect(result.values[field]).toBe(body[field]);
      for (const lang of ['fr', 'en'] as const) {
        const message = tr[lang].t(`request:errors.${field}.control`);
        expect(message).not.toContain(`${field}.control`);
        expect(message).toMatch(lang === 'fr' ? /caractères invisibles ou de contrôle/ : /invisible or control characters/);
      }
    });
  }

  it('keeps line breaks in long text, and stores text in NFC', () => {
    const contact = checkStep('contact', { email: 'paule@example.org', postalAddress: '1 rue A\r\n75001 Paris' }, {}, known);
    expect(contact).toEqual({ ok: true, values: { email: 'paule@example.org', postalAddress: '1 rue A\n75001 Paris' } });
    const identity = checkStep('identite', { ...IDENTITY, lastName: 'Loe\u0308l' }, {}, known);
    expect(identity.ok && identity.values.lastName).toBe('Loël');
  });
});

describe('the answer to a controller’s question', () => {
  it.each(Object.entries(SAMPLES))('refuses %s with its message', (_, c) => {
    const result = checkClarificationAnswer({ answer: `Voici${c} ma réponse` });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ field: 'answer', key: 'request:errors.clarification.control' });
    expect(tr.fr.t('request:errors.clarification.control')).toMatch(/caractères invisibles ou de contrôle/);
    expect(tr.en.t('request:errors.clarification.control')).toMatch(/invisible or control characters/);
  });

  it('keeps its line breaks', () => {
    expect(checkClarificationAnswer({ answer: 'Ligne 1\r\nLigne 2' })).toEqual({ ok: true, value: 'Ligne 1\nLigne 2' });
  });
});
