/**
 * Which documents staff may attach to an answer, judged by their first bytes (their "magic
 * numbers") and their name, never by the type the browser claims: only PDF, PNG, JPEG and plain UTF-8
 * text, whose extension agrees with their content, 5 MB at most. Pure, no I/O.
 */

/** 5 MB: documents go by mail-sized means, and the answer page stays quick to load. */
export const MAX_DOCUMENT_BYTES = 5 * 1024 * 1024;

/** A document as received in the form; `null` when no file was chosen. */
export type UploadedDocument = { name: string; type: string; bytes: Uint8Array } | null;

const DOCUMENT_TYPES = [
  { type: 'application/pdf', extensions: ['pdf'], magic: (b: Uint8Array) => startsWith(b, [0x25, 0x50, 0x44, 0x46, 0x2d]) },
  { type: 'image/png', extensions: ['png'], magic: (b: Uint8Array) => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  { type: 'image/jpeg', extensions: ['jpg', 'jpeg'], magic: (b: Uint8Array) => startsWith(b, [0xff, 0xd8, 0xff]) },
  { type: 'text/plain; charset=utf-8', extensions: ['txt'], magic: isUtf8Text },
] as const;

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.every((v, i) => bytes[i] === v);
}

function isUtf8Text(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** The name the person will see: no path, no control characters, at most 100 characters. */
export function cleanFilename(name: string): string {
  const base = name.split(/[\\/]/).at(-1) ?? '';
  const clean = base
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f"<>|:*?]/g, '')
    .trim();
  if (clean.length <= 100) return clean;
  const dot = clean.lastIndexOf('.');
  const ext = dot > 0 ? clean.slice(dot) : '';
  return clean.slice(0, 100 - ext.length) + ext;
}

/**
 * The document's type, judged by its first bytes and its name, never by what the browser says: only
 * PDF, PNG, JPEG and plain text, whose extension agrees with their content.
 */
export function checkDocument(doc: NonNullable<UploadedDocument>): { ok: true; filename: string; contentType: string } | { ok: false; key: string } {
  if (doc.bytes.length > MAX_DOCUMENT_BYTES) return { ok: false, key: 'document.tooLarge' };
  if (doc.bytes.length === 0) return { ok: false, key: 'document.empty' };
  const filename = cleanFilename(doc.name);
  const extension = /\.([A-Za-z0-9]{1,5})$/.exec(filename)?.[1]?.toLowerCase() ?? '';
  const kind = DOCUMENT_TYPES.find((t) => (t.extensions as readonly string[]).includes(extension));
  if (!kind || !filename) return { ok: false, key: 'document.type' };
  if (!kind.magic(doc.bytes)) return { ok: false, key: 'document.content' };
  return { ok: true, filename, contentType: kind.type };
}
