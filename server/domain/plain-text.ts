/**
 * What a person may type in a text field: plain text that shows as it was typed, wherever it is read
 * (our pages, a controller's system, a mail, a CSV). Refused: control characters (C0 and C1, NUL and
 * DEL included), which some systems cut text at or act on, and the bidirectional formatting characters,
 * which reorder how the text around them is displayed (Unicode Standard Annex #9; the "Trojan Source"
 * attack, CVE-2021-42574): LRE, RLE, PDF, LRO, RLO (U+202A–U+202E), LRI, RLI, FSI, PDI (U+2066–U+2069),
 * and the LRM, RLM and ALM marks (U+200E, U+200F, U+061C). Tab and line feed stay: a field of one line
 * has already made them spaces (normalizeLine), a field of several lines keeps them (normalizeMultiline).
 */

const FORBIDDEN = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

/** Whether normalized text holds a character a person's plain text may not (see above). */
export function hasForbiddenCharacters(text: string): boolean {
  return FORBIDDEN.test(text);
}

/** The text without those characters: what a form shows again, for the person to check and send. */
export function withoutForbiddenCharacters(text: string): string {
  return text.replace(new RegExp(FORBIDDEN.source, 'gu'), '');
}

/** One line, as stored: Unicode NFC, runs of white space made one space, trimmed. */
export function normalizeLine(text: string): string {
  return text.normalize('NFC').replace(/\s+/g, ' ').trim();
}

/** Several lines, as stored: NFC, every line break (CRLF, CR, U+2028, U+2029) made LF, trimmed. */
export function normalizeMultiline(text: string): string {
  return text
    .normalize('NFC')
    .replace(/\r\n?|[\u2028\u2029]/g, '\n')
    .trim();
}
