/**
 * Request references, shown on the receipt and read out on the phone (short, unambiguous
 * characters, with a check character). Format DS-XXXX-XXXX: seven random characters and one check
 * character from an alphabet without look-alikes. Pure, no I/O: randomness is passed in.
 */

/** 31 characters: no 0/O, no 1/I/L, which are misread or misheard. */
export const REFERENCE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

const N = REFERENCE_ALPHABET.length;
const PREFIX = 'DS';
const RANDOM_LENGTH = 7;
/** Bytes at or above this are rejected, so that `byte % N` is uniform (256 = 8 × 31 + 8). */
const UNBIASED_LIMIT = 256 - (256 % N);
const MAX_ROUNDS = 1_000;

/** Cryptographically strong bytes from the Web Crypto API (global in Node 20). */
function cryptoRandom(n: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(n));
}

function valueOf(c: string): number {
  return REFERENCE_ALPHABET.indexOf(c);
}

/**
 * The check character of `payload` (characters of the alphabet), by the Luhn mod N algorithm: from the
 * rightmost payload character leftwards, every other value is doubled, the sum is taken mod N and the
 * check character brings it to 0 mod N.
 *
 * One change to the textbook Luhn mod N: it folds a doubled value 2v ≥ N back as the sum of its base-N
 * digits, 2v − (N − 1). That is one-to-one only when N is even; with N = 31 it maps v and v + 15 to the
 * same number ('3' and 'J' both give 2), so a substitution between them would pass unseen. Doubling
 * modulo N instead is one-to-one because N = 31 is odd (prime, in fact): any single substitution changes
 * the sum, and swapping two adjacent characters a and b changes it by ±(b − a), never 0 mod 31. The
 * textbook fold also misses swaps of the first and last characters of the alphabet ('2' and 'Z'), like
 * 09/90 in decimal Luhn; this one has no such pair.
 */
function checkCharacter(payload: string): string {
  let sum = 0;
  let double = true;
  for (let i = payload.length - 1; i >= 0; i -= 1) {
    const v = valueOf(payload.charAt(i));
    sum += double ? (2 * v) % N : v;
    double = !double;
  }
  return REFERENCE_ALPHABET.charAt((N - (sum % N)) % N);
}

function format(body: string): string {
  return `${PREFIX}-${body.slice(0, 4)}-${body.slice(4)}`;
}

/**
 * A new reference, DS-XXXX-XXXX, the last character being the check character. `random(n)` returns n
 * random bytes; by rejection sampling each character is drawn uniformly from the alphabet. 31^7 ≈ 2.8 × 10^10
 * references: the caller still relies on the database's unique constraint and retries on a collision.
 */
export function createReference(random: (n: number) => Uint8Array = cryptoRandom): string {
  let payload = '';
  for (let round = 0; payload.length < RANDOM_LENGTH; round += 1) {
    if (round >= MAX_ROUNDS) throw new Error('the random source gave no usable bytes');
    for (const byte of random(RANDOM_LENGTH - payload.length)) {
      if (byte < UNBIASED_LIMIT && payload.length < RANDOM_LENGTH) payload += REFERENCE_ALPHABET.charAt(byte % N);
    }
  }
  return format(payload + checkCharacter(payload));
}

/** Spaces of any kind, hyphens and dashes people type or paste between the groups. */
const SEPARATORS = /[\s\-\u2010\u2011\u2012\u2013\u2014]/g;

/**
 * The canonical DS-XXXX-XXXX form of a reference as typed ("ds 7kq3 m2ab", "7KQ3M2AB", "DS-7KQ3-M2AB"),
 * or undefined when it is not one: a character outside the alphabet or a wrong check character. The
 * prefix DS is optional. No look-alike is mapped (O, 0, I, L and 1 are all outside the alphabet, so there
 * is no single right guess): such input is refused and the person asked to check it.
 */
export function normalizeReference(input: string): string | undefined {
  if (typeof input !== 'string') return undefined;
  const compact = input.replace(SEPARATORS, '').toUpperCase();
  // Only 10 characters mean a prefix: "DSAB..." of 8 characters is a body that starts with D and S.
  const body = compact.length === PREFIX.length + RANDOM_LENGTH + 1 && compact.startsWith(PREFIX) ? compact.slice(PREFIX.length) : compact;
  if (body.length !== RANDOM_LENGTH + 1) return undefined;
  for (const c of body) if (valueOf(c) < 0) return undefined;
  if (checkCharacter(body.slice(0, RANDOM_LENGTH)) !== body.charAt(RANDOM_LENGTH)) return undefined;
  return format(body);
}

export function isValidReference(input: string): boolean {
  return normalizeReference(input) !== undefined;
}
