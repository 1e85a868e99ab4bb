import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasForbiddenCharacters, normalizeLine, normalizeMultiline, withoutForbiddenCharacters } from '../../server/domain/plain-text';

const CONTROLS = [
  ...Array.from({ length: 0x20 }, (_, i) => i).filter((i) => i !== 0x09 && i !== 0x0a),
  ...Array.from({ length: 0x21 }, (_, i) => 0x7f + i),
].map((c) => String.fromCodePoint(c));
const BIDI = [0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069, 0x200e, 0x200f, 0x061c].map((c) => String.fromCodePoint(c));
const FORBIDDEN = [...CONTROLS, ...BIDI];

describe('plain text a person types', () => {
  it.each(FORBIDDEN.map((c) => [`U+${c.codePointAt(0)!.toString(16).padStart(4, '0').toUpperCase()}`, c]))('refuses %s', (_, c) => {
    expect(hasForbiddenCharacters(`Dur${c}and`)).toBe(true);
    expect(withoutForbiddenCharacters(`Dur${c}and`)).toBe('Durand');
  });

  it('keeps what people write: accents, apostrophes, other scripts, emoji, tabs and line breaks', () => {
    for (const ok of ['Éloïse D’Aubigné-Lefèvre', 'Ñandú', 'محمد', 'שלום', '李小龙', 'Zoë 👩‍⚕️', '12 rue de la Paix\n75002 Paris', 'a\tb']) {
      expect(hasForbiddenCharacters(ok), ok).toBe(false);
    }
  });

  it('a field of one line makes line breaks and tabs spaces, in NFC', () => {
    expect(normalizeLine('  Jean\t\nPierre  ')).toBe('Jean Pierre');
    expect(normalizeLine('Loe\u0308l')).toBe('Loël');
  });

  it('a field of several lines keeps its lines, every break made LF', () => {
    expect(normalizeMultiline(' 1 rue A\r\n75001 Paris\rFrance\u2028 ')).toBe('1 rue A\n75001 Paris\nFrance');
    expect(hasForbiddenCharacters(normalizeMultiline('a\r\nb\rc'))).toBe(false);
  });

  it('property: text with a forbidden character is refused; without them, it passes and is unchanged', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.constantFrom(...FORBIDDEN), fc.nat(), (s, c, at) => {
        const i = at % (s.length + 1);
        expect(hasForbiddenCharacters(s.slice(0, i) + c + s.slice(i))).toBe(true);
        const clean = withoutForbiddenCharacters(s);
        expect(hasForbiddenCharacters(clean)).toBe(false);
        expect(withoutForbiddenCharacters(clean)).toBe(clean);
      }),
    );
  });
});
