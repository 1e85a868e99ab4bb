/**
 * French word stems for the register's full-text search, so that "cancers" finds what "cancer" finds and
 * "hospitalisations" what "hospitalisation" finds. The same function runs on the indexed text and on what
 * a person types, so both sides always agree.
 *
 * Accents and case are folded before stemming: a person who types "bacteriemies" gets the same stem as the
 * indexed "bactériémies". The Snowball French stemmer (@orama/stemmers) then removes inflections. Two
 * small steps run before it, because Snowball treats singular and plural differently in some words
 * ("cancer" gives "canc" but "cancers" gives "cancer") and its accented endings ("-ées") are lost once
 * accents are folded: a final "s" is dropped, then a final "ee" becomes "e".
 */
import { stemmer } from '@orama/stemmers/french';

/** Words this short ("ns", "ia", "vie") are kept as typed: stemming them only confuses them. */
const MIN_STEM_LENGTH = 4;

export function foldWord(word: string): string {
  return word
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

const cache = new Map<string, string>();
const CACHE_MAX = 50_000;

/**
 * A word as the Snowball stemmer is given it: folded, then the two small steps above (a final "s"
 * dropped, a final "ee" made "e"). PostgreSQL's French stemmer gets the same (server/db/pg/register-search.ts).
 */
export function prepareForStemmer(word: string): string {
  let w = foldWord(word);
  if (w.length > MIN_STEM_LENGTH - 1 && w.endsWith('s') && !w.endsWith('ss')) w = w.slice(0, -1);
  if (w.endsWith('ee')) w = w.slice(0, -1);
  return w;
}

/** The stem of one word (letters and digits only, as the tokenizer splits them). */
export function stemWord(word: string): string {
  const hit = cache.get(word);
  if (hit !== undefined) return hit;
  const w = prepareForStemmer(word);
  const stem = w.length < MIN_STEM_LENGTH || /^\p{N}+$/u.test(w) ? w : stemmer(w);
  if (cache.size >= CACHE_MAX) cache.clear();
  cache.set(word, stem);
  return stem;
}

/** Splits text the way the FTS5 unicode61 tokenizer does (anything but letters and digits separates). */
export function words(text: string): string[] {
  return text
    .normalize('NFC')
    .split(/[^\p{L}\p{M}\p{N}]+/u)
    .filter((t) => t.length > 0);
}

/** A text as the space-separated stems of its words, for the index. */
export function stemText(text: string): string {
  return words(text).map(stemWord).join(' ');
}
