import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { REFERENCE_ALPHABET, createReference, isValidReference, normalizeReference } from '../../server/domain/reference';

const FORMAT = /^DS-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}$/;

/** A random source that hands out `bytes` in order, then fails the test if asked for more. */
function sequence(bytes: number[]): (n: number) => Uint8Array {
  let at = 0;
  return (n) => {
    if (at >= bytes.length) throw new Error('random source exhausted');
    const out = Uint8Array.from(bytes.slice(at, at + n));
    at += out.length;
    return out;
  };
}

/** The 8 characters after DS, without hyphens. */
function body(reference: string): string {
  return reference.slice(3).replace('-', '');
}

function withBody(b: string): string {
  return `DS-${b.slice(0, 4)}-${b.slice(4)}`;
}

describe('REFERENCE_ALPHABET', () => {
  it('has 31 distinct characters and none of 0, O, 1, I, L', () => {
    expect(new Set(REFERENCE_ALPHABET).size).toBe(31);
    expect(REFERENCE_ALPHABET).toHaveLength(31);
    for (const c of '0O1IL') expect(REFERENCE_ALPHABET).not.toContain(c);
  });
});

describe('check character (Luhn mod N, doubling modulo 31)', () => {
  // Worked by hand: values are positions in the alphabet ('2' = 0, '3' = 1, 'Y' = 29, 'Z' = 30); the payload
  // is read from the right, its last character doubled, then every other one.
  it.each([
    ['22222222', 'all zeros: the sum is 0, check 0'],
    ['3222222Y', "'3' at the left, 7th from the right, doubled: 2, check 31 − 2 = 29"],
    ['2222223Y', "'3' rightmost, doubled: 2, check 29"],
    ['2222232Z', "'3' second from the right, not doubled: 1, check 30"],
    ['2222J22Z', "'J' (16) third from the right, doubled modulo 31: 32 − 31 = 1, check 30"],
  ])('%s is valid: %s', (b) => {
    expect(normalizeReference(withBody(b))).toBe(withBody(b));
  });

  it("does not use the textbook fold, which gives 'J' the same addend as '3'", () => {
    // Textbook Luhn mod N folds 32 as 1 + 1 = 2, the addend of '3', so it would accept both of these.
    expect(isValidReference('DS-2222-322Y')).toBe(true);
    expect(isValidReference('DS-2222-J22Y')).toBe(false);
  });
});

describe('createReference', () => {
  it('builds DS-XXXX-XXXX from seven random characters and the check character', () => {
    expect(createReference(sequence([0, 0, 0, 0, 0, 0, 0]))).toBe('DS-2222-2222');
    expect(createReference(sequence([1, 0, 0, 0, 0, 0, 0]))).toBe('DS-3222-222Y');
    expect(createReference(sequence([31, 62, 93, 124, 155, 186, 217]))).toBe('DS-2222-2222');
  });

  it('maps a byte to the alphabet modulo 31', () => {
    expect(body(createReference(sequence([30, 61, 92, 123, 154, 185, 216])))).toMatch(/^Z{7}.$/);
    expect(body(createReference(sequence([8, 39, 70, 101, 132, 163, 194])))).toMatch(/^A{7}.$/);
  });

  it('rejects bytes 248-255 (rejection sampling) and asks for more', () => {
    // 248 = 8 × 31: keeping 248-255 would make the first eight characters more likely than the others.
    const ref = createReference(sequence([248, 255, 3, 4, 5, 250, 6, 7, 8, 9, 247]));
    // First call, 7 bytes: 3, 4, 5, 6 kept ('5'-'8'); second call, the 3 still needed: 7, 8, 9 ('9', 'A', 'B').
    expect(body(ref).slice(0, 7)).toBe('56789AB');
    expect(isValidReference(ref)).toBe(true);
  });

  it('throws when the random source never gives a usable byte', () => {
    expect(() => createReference(() => Uint8Array.of(255))).toThrow();
    expect(() => createReference(() => new Uint8Array(0))).toThrow();
  });

  it('draws each character uniformly when the bytes are uniform', () => {
    // Every byte value 0-255 once per 256 draws: each character must come out exactly 8 times per cycle.
    let next = 0;
    const cycle = (n: number) => Uint8Array.from({ length: n }, () => next++ % 256);
    const counts = new Map<string, number>();
    // 248 references × 7 characters = 1736 bytes kept = 7 full cycles of the 248 bytes below 248.
    for (let i = 0; i < 248; i += 1) {
      for (const c of body(createReference(cycle)).slice(0, 7)) counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    expect(counts.size).toBe(31);
    for (const [c, count] of counts) expect(count, c).toBe(7 * 8);
  });

  it('gives valid references in the format with the default (crypto) source', () => {
    for (let i = 0; i < 1000; i += 1) {
      const ref = createReference();
      expect(ref).toMatch(FORMAT);
      expect(normalizeReference(ref)).toBe(ref);
    }
  });

  it('gives no duplicate among 10,000 references from a seeded source', () => {
    // Seeded (mulberry32), so the test is deterministic: with the real source, a collision among 10,000
    // has a 0.18 % chance (31^7 ≈ 2.75 × 10^10), and the service retries a reference already taken.
    let a = 12345;
    const next = () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) & 0xff;
    };
    const seeded = (n: number) => Uint8Array.from({ length: n }, next);
    const seen = new Set<string>();
    for (let i = 0; i < 10_000; i += 1) seen.add(createReference(seeded));
    expect(seen.size).toBe(10_000);
  });
});

describe('normalizeReference', () => {
  const ref = createReference(sequence([5, 17, 9, 22, 0, 30, 13]));

  it('accepts lowercase, spaces, missing hyphens and a missing prefix', () => {
    const b = body(ref);
    for (const typed of [
      ref,
      ref.toLowerCase(),
      `  ${ref} `,
      `DS${b}`,
      b,
      b.toLowerCase(),
      `ds ${b.slice(0, 4)} ${b.slice(4)}`,
      `${b.slice(0, 4)}-${b.slice(4)}`,
      `DS\u00a0${b}`,
    ]) {
      expect(normalizeReference(typed), typed).toBe(ref);
      expect(isValidReference(typed)).toBe(true);
    }
  });

  it('reads 8 characters starting with D and S as a body, not as a prefix', () => {
    const ds = createReference(sequence([11, 23, 0, 0, 0, 0, 0]));
    expect(ds.startsWith('DS-DS')).toBe(true);
    expect(normalizeReference(body(ds))).toBe(ds);
    expect(normalizeReference(ds.replaceAll('-', ''))).toBe(ds);
  });

  it('refuses wrong lengths, characters outside the alphabet and other prefixes', () => {
    const b = body(ref);
    expect(normalizeReference('')).toBeUndefined();
    expect(normalizeReference(b.slice(0, 7))).toBeUndefined();
    expect(normalizeReference(`${b}2`)).toBeUndefined();
    expect(normalizeReference(`DS-${b}-2`)).toBeUndefined();
    expect(normalizeReference(`XX${b}`)).toBeUndefined();
    for (const c of '0O1IL_') expect(normalizeReference(`${c}${b.slice(1)}`)).toBeUndefined();
  });
});

describe('properties', () => {
  /** References built from arbitrary usable bytes, so that fast-check can shrink them. */
  const reference = fc.array(fc.integer({ min: 0, max: 247 }), { minLength: 7, maxLength: 7 }).map((bytes) => createReference(sequence(bytes)));

  it('every created reference is valid and canonical', () => {
    fc.assert(
      fc.property(reference, (ref) => {
        expect(ref).toMatch(FORMAT);
        expect(normalizeReference(ref)).toBe(ref);
      }),
    );
  });

  it('changing any one character makes it invalid', () => {
    fc.assert(
      fc.property(reference, fc.nat(7), fc.constantFrom(...REFERENCE_ALPHABET), (ref, i, c) => {
        const b = body(ref);
        fc.pre(b.charAt(i) !== c);
        const changed = b.slice(0, i) + c + b.slice(i + 1);
        expect(isValidReference(withBody(changed))).toBe(false);
      }),
    );
  });

  it('changing any one character makes it invalid (exhaustively, for one reference)', () => {
    const b = body(createReference(sequence([0, 30, 15, 16, 1, 29, 7])));
    for (let i = 0; i < 8; i += 1) {
      for (const c of REFERENCE_ALPHABET) {
        if (c !== b.charAt(i)) expect(isValidReference(withBody(b.slice(0, i) + c + b.slice(i + 1)))).toBe(false);
      }
    }
  });

  it('swapping two adjacent different characters makes it invalid', () => {
    fc.assert(
      fc.property(reference, fc.nat(6), (ref, i) => {
        const b = body(ref);
        fc.pre(b.charAt(i) !== b.charAt(i + 1));
        const swapped = b.slice(0, i) + b.charAt(i + 1) + b.charAt(i) + b.slice(i + 2);
        expect(isValidReference(withBody(swapped))).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  it('swapping two adjacent different characters makes it invalid (exhaustively, for every pair and place)', () => {
    // The change a swap makes to the weighted sum depends only on the two characters and their place, so
    // fixing the others loses nothing. Payload places 0-5 with their right neighbour:
    for (let i = 0; i < 6; i += 1) {
      for (let a = 0; a < 31; a += 1) {
        for (let c = 0; c < 31; c += 1) {
          if (a === c) continue;
          const bytes = [3, 4, 5, 6, 7, 8, 9];
          bytes[i] = a;
          bytes[i + 1] = c;
          const b = body(createReference(sequence(bytes)));
          expect(isValidReference(withBody(b.slice(0, i) + b.charAt(i + 1) + b.charAt(i) + b.slice(i + 2))), b).toBe(false);
        }
      }
    }
    // The last payload character with the check character: varying places 5 and 6 reaches every pair.
    const pairs = new Set<string>();
    for (let x = 0; x < 31; x += 1) {
      for (let a = 0; a < 31; a += 1) {
        const b = body(createReference(sequence([3, 4, 5, 6, 7, x, a])));
        pairs.add(b.slice(6));
        if (b.charAt(6) !== b.charAt(7)) expect(isValidReference(withBody(b.slice(0, 6) + b.charAt(7) + b.charAt(6))), b).toBe(false);
      }
    }
    expect(pairs.size).toBe(31 * 31);
  });
});
