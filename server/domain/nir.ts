/**
 * The NIR (numéro d'inscription au répertoire, the social security number), asked for when a request's
 * scope is the SNDS because the CNAM needs it (CSP R1461-3 II 3° b). Structure and key as in
 * INSEE's national register (RNIPP): sex (1 digit), year (2), month (2), department (2, or 2A/2B
 * for Corsica), commune (3), order (3), key (2); key = 97 − (the 13-digit number mod 97), reading 2A as 19
 * and 2B as 18. This only checks that a number is well formed and agrees with the birth date given; it
 * cannot tell that the number belongs to the person. Pure, no I/O.
 */

export type NirError = 'length' | 'characters' | 'key' | 'sex' | 'birth_year' | 'birth_month';

export type NirCheck = { ok: true; nir: string } | { ok: false; error: NirError };

const NIR_LENGTH = 15;

/** Digits only, except the department (positions 6-7) which may be 2A or 2B (Corsica). */
const NIR_SHAPE = /^\d{5}(?:\d{2}|2A|2B)\d{8}$/;

/**
 * First digit: 1 or 2, the sex. 3, 4, 7 and 8 begin the provisional numbers
 * given to people born abroad while their registration is pending; they are accepted so that these people
 * are not turned away, the CNAM being the one to match them.
 */
const SEX_DIGITS = new Set(['1', '2', '3', '4', '7', '8']);

const BIRTH_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Spaces of any kind (including the no-break spaces U+00A0 and U+202F), dots and hyphens people type as separators. */
const SEPARATORS = /[\s.\-\u2010\u2011\u2012\u2013]/g;

/** The NIR as typed, upper-cased and without separators: "2 95 10 99 126 111 93" → "295109912611193". */
export function normalizeNir(input: string): string {
  return input.replace(SEPARATORS, '').toUpperCase();
}

/** 97 − (the 13-digit body mod 97), as two digits, with 2A read as 19 and 2B as 18. */
function nirKey(body: string): string {
  const digits = body.replace('2A', '19').replace('2B', '18');
  // Digit by digit: each step stays far below 2^53, whatever the length.
  let remainder = 0;
  for (const c of digits) remainder = (remainder * 10 + Number(c)) % 97;
  return String(97 - remainder).padStart(2, '0');
}

/**
 * Month codes 20 to 42 and 50 and above exist for unknown or provisional months (the
 * check accepts them). 00, 13 to 19 and 43 to 49 are no month at all.
 */
function isUnknownMonthCode(code: number): boolean {
  return (code >= 20 && code <= 42) || code >= 50;
}

/**
 * Checks a NIR as typed, and, when `birthDate` (YYYY-MM-DD) is given, that the year and month it encodes
 * agree with it. The first failing check is reported, in the order: length, characters, sex,
 * key, birth_year, birth_month. Throws RangeError when `birthDate` is not a YYYY-MM-DD date with a month
 * 01-12 (callers validate the birth date field first).
 */
export function checkNir(input: string, birthDate?: string): NirCheck {
  const birth = birthDate === undefined ? undefined : splitBirthDate(birthDate);

  const nir = normalizeNir(input);
  if (nir.length !== NIR_LENGTH) return { ok: false, error: 'length' };
  if (!NIR_SHAPE.test(nir)) return { ok: false, error: 'characters' };
  if (!SEX_DIGITS.has(nir.charAt(0))) return { ok: false, error: 'sex' };
  if (nirKey(nir.slice(0, 13)) !== nir.slice(13)) return { ok: false, error: 'key' };

  if (birth) {
    if (Number(nir.slice(1, 3)) !== birth.year % 100) return { ok: false, error: 'birth_year' };
    const month = Number(nir.slice(3, 5));
    if (month !== birth.month && !isUnknownMonthCode(month)) return { ok: false, error: 'birth_month' };
  }
  return { ok: true, nir };
}

function splitBirthDate(v: string): { year: number; month: number } {
  const m = typeof v === 'string' ? BIRTH_DATE.exec(v) : null;
  const year = Number(m?.[1]);
  const month = Number(m?.[2]);
  if (!m || month < 1 || month > 12) throw new RangeError(`birthDate must be a date in the form YYYY-MM-DD, got ${String(v)}`);
  return { year, month };
}

/** Group sizes on the card and in letters: sex, year, month, department, commune, order, key. */
const GROUPS = [1, 2, 2, 2, 3, 3, 2] as const;

function group(nir: string): string[] {
  const parts: string[] = [];
  let at = 0;
  for (const size of GROUPS) {
    parts.push(nir.slice(at, at + size));
    at += size;
  }
  return parts;
}

/**
 * The NIR grouped for display, "2 95 10 99 126 111 93". Anything that is not 15 characters once
 * normalized is returned normalized, ungrouped.
 */
export function formatNir(nir: string): string {
  const n = normalizeNir(nir);
  return n.length === NIR_LENGTH ? group(n).join(' ') : n;
}

/**
 * The NIR with only its first digit and key shown, "2 •• •• •• ••• ••• 93", for the DPO screens and
 * receipts that must not show it whole. Anything that is not 15 characters once normalized is masked
 * entirely, so nothing unexpected leaks.
 */
export function maskNir(nir: string): string {
  const n = normalizeNir(nir);
  const parts = group(n.length === NIR_LENGTH ? n : '•'.repeat(NIR_LENGTH));
  return parts.map((p, i) => (i === 0 || i === parts.length - 1 ? p : '•'.repeat(p.length))).join(' ');
}
