import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { checkNir, formatNir, maskNir, normalizeNir, type NirError } from '../../server/domain/nir';

// Valid NIRs, one mainland and one per Corsican department. Their keys were checked independently:
// 97 − 2951099126111 mod 97 = 93; 97 − 2530718073004 mod 97 = 70 (2B as 18); 97 − 2530719073004 mod 97 = 43 (2A as 19).
const VALID = ['2 95 10 99 126 111 93', '2 53 07 2B 073 004 70', '2 53 07 2A 073 004 43'];

/** The key computed with BigInt, independently of the module. */
function keyOf(body: string): string {
  const digits = body.replace('2A', '19').replace('2B', '18');
  return String(97n - (BigInt(digits) % 97n)).padStart(2, '0');
}

function error(input: string, birthDate?: string): NirError | undefined {
  const r = checkNir(input, birthDate);
  return r.ok ? undefined : r.error;
}

/** A valid NIR of sex 2, year 95, the given month code, born abroad (99), with its key. */
function withMonth(month: string): string {
  const body = `295${month}99126111`;
  return body + keyOf(body);
}

describe('normalizeNir', () => {
  it('removes spaces, no-break spaces, dots and hyphens, and upper-cases', () => {
    expect(normalizeNir('2 95 10 99 126 111 93')).toBe('295109912611193');
    expect(normalizeNir('2\u00a095\u202f10.99-126 111\t93')).toBe('295109912611193');
    expect(normalizeNir(' 2 53 07 2b 073 004 70 ')).toBe('253072B07300470');
  });
});

describe('checkNir: valid numbers', () => {
  it.each(VALID)('accepts %s, with and without spaces', (nir) => {
    const compact = nir.replaceAll(' ', '');
    expect(checkNir(nir)).toEqual({ ok: true, nir: compact });
    expect(checkNir(compact)).toEqual({ ok: true, nir: compact });
    expect(checkNir(compact.toLowerCase())).toEqual({ ok: true, nir: compact });
  });

  it('accepts them with a birth date that agrees', () => {
    expect(checkNir(VALID[0]!, '1995-10-23').ok).toBe(true);
    expect(checkNir(VALID[1]!, '1953-07-01').ok).toBe(true);
    expect(checkNir(VALID[1]!, '2053-07-31').ok).toBe(true); // only the last two digits of the year are encoded
  });

  it.each(['1', '3', '4', '7', '8'])('accepts first digit %s', (sex) => {
    const body = `${sex}951099126111`;
    expect(checkNir(body + keyOf(body)).ok).toBe(true);
  });

  it('accepts a key of 97 (body divisible by 97) and pads keys under 10', () => {
    let n = 1951099126000n;
    while (n % 97n !== 0n) n += 1n;
    expect(checkNir(`${n}97`).ok).toBe(true);
    while (97n - (n % 97n) >= 10n) n += 1n;
    const key = String(97n - (n % 97n)).padStart(2, '0');
    expect(key).toMatch(/^0\d$/);
    expect(checkNir(`${n}${key}`).ok).toBe(true);
  });
});

describe('checkNir: errors', () => {
  it('length: 14 and 16 characters, empty', () => {
    expect(error('2 95 10 99 126 111 9')).toBe('length');
    expect(error('2 95 10 99 126 111 930')).toBe('length');
    expect(error('')).toBe('length');
  });

  it('characters: letters outside the department, or a department other than 2A/2B', () => {
    expect(error('X95109912611193')).toBe('characters');
    expect(error('295I09912611193')).toBe('characters');
    expect(error('29510991261119O')).toBe('characters');
    expect(error('253072C07300470')).toBe('characters');
    expect(error('25307A207300470')).toBe('characters');
    expect(error('2530712A7300470')).toBe('characters');
    expect(error('2_5109912611193')).toBe('characters');
  });

  it.each(['0', '5', '6', '9'])('sex: first digit %s', (sex) => {
    const body = `${sex}951099126111`;
    expect(error(body + keyOf(body))).toBe('sex');
  });

  it('key: a wrong key', () => {
    expect(error('2 95 10 99 126 111 94')).toBe('key');
    expect(error('2 95 10 99 126 111 00')).toBe('key');
    expect(error('2 95 10 99 126 112 93')).toBe('key'); // one digit of the body changed
  });

  it('key: 2A and 2B are not interchangeable', () => {
    expect(error('2 53 07 2A 073 004 70')).toBe('key');
    expect(error('2 53 07 2B 073 004 43')).toBe('key');
    // 2A is read as 19 for the key, so department 19 (Corrèze) with the same other digits has the same key.
    expect(checkNir('2 53 07 19 073 004 43')).toEqual({ ok: true, nir: '253071907300443' });
  });

  it('birth_year: the year digits differ from the birth year', () => {
    expect(error(VALID[0]!, '1996-10-23')).toBe('birth_year');
    expect(error(VALID[0]!, '1985-10-23')).toBe('birth_year');
  });

  it('birth_month: the month differs from the birth month', () => {
    expect(error(VALID[0]!, '1995-11-23')).toBe('birth_month');
    expect(error(VALID[0]!, '1995-01-10')).toBe('birth_month');
  });

  it.each(['00', '13', '19', '43', '49'])('birth_month: month code %s is no month', (month) => {
    expect(checkNir(withMonth(month)).ok).toBe(true); // the month is only checked against a birth date
    expect(error(withMonth(month), '1995-01-15')).toBe('birth_month');
  });

  it.each(['20', '30', '42', '50', '99'])('accepts the unknown or provisional month code %s with any birth month', (month) => {
    expect(error(withMonth(month), '1995-01-15')).toBeUndefined();
    expect(error(withMonth(month), '1995-12-31')).toBeUndefined();
  });

  it('reports the first failing check: key before birth date', () => {
    expect(error('2 95 10 99 126 111 94', '1980-01-01')).toBe('key');
  });

  it('throws on a birth date that is not YYYY-MM-DD', () => {
    expect(() => checkNir(VALID[0]!, '23/10/1995')).toThrow(RangeError);
    expect(() => checkNir(VALID[0]!, '1995-13-01')).toThrow(RangeError);
  });
});

describe('formatNir and maskNir', () => {
  it('groups 1-2-2-2-3-3-2', () => {
    expect(formatNir('295109912611193')).toBe('2 95 10 99 126 111 93');
    expect(formatNir('2.53.07.2b.073.004.70')).toBe('2 53 07 2B 073 004 70');
  });

  it('leaves anything but 15 characters ungrouped', () => {
    expect(formatNir('2 95 10')).toBe('29510');
  });

  it('masks all but the first digit and the key', () => {
    expect(maskNir('295109912611193')).toBe('2 •• •• •• ••• ••• 93');
    expect(maskNir('2 53 07 2A 073 004 43')).toBe('2 •• •• •• ••• ••• 43');
  });

  it('masks entirely anything but 15 characters', () => {
    expect(maskNir('2951099126111')).toBe('• •• •• •• ••• ••• ••');
    expect(maskNir('')).toBe('• •• •• •• ••• ••• ••');
  });
});

describe('properties', () => {
  const digit = fc.constantFrom(...'0123456789');
  const digits = (n: number) => fc.array(digit, { minLength: n, maxLength: n }).map((a) => a.join(''));
  /** Any 13-character body with an accepted first digit, department digits or 2A/2B. */
  const body = fc
    .tuple(fc.constantFrom('1', '2', '3', '4', '7', '8'), digits(4), fc.oneof(digits(2), fc.constantFrom('2A', '2B')), digits(6))
    .map((parts) => parts.join(''));

  it('the computed key makes checkNir ok, and every other key fails with "key"', () => {
    fc.assert(
      fc.property(body, fc.integer({ min: 0, max: 99 }), (b, k) => {
        const key = keyOf(b);
        expect(checkNir(b + key)).toEqual({ ok: true, nir: b + key });
        const other = String(k).padStart(2, '0');
        if (other !== key) expect(checkNir(b + other)).toEqual({ ok: false, error: 'key' });
      }),
    );
  });

  it('normalizeNir(formatNir(nir)) is the normalized NIR, and formatting is stable', () => {
    fc.assert(
      fc.property(body, (b) => {
        const nir = b + keyOf(b);
        const formatted = formatNir(nir);
        expect(formatted).toMatch(/^\S \S{2} \S{2} \S{2} \S{3} \S{3} \S{2}$/);
        expect(normalizeNir(formatted)).toBe(nir);
        expect(formatNir(formatted)).toBe(formatted);
        expect(checkNir(formatted)).toEqual({ ok: true, nir });
      }),
    );
  });

  it('the mask never shows the middle eleven characters', () => {
    fc.assert(
      fc.property(body, (b) => {
        const masked = maskNir(b + keyOf(b));
        expect(masked.replace(/[ •]/g, '')).toBe(b.charAt(0) + keyOf(b));
      }),
    );
  });
});
