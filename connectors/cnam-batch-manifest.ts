/**
 * The signed manifest of a CNAM batch data file (connectors/cnam-batch.ts):
 * {file, date, count, sha256, generated_at, signature}. The signature is `v1,` + base64 HMAC-SHA256
 * (signing key) over the canonical JSON of the other five fields: keys sorted, no whitespace (for these
 * strings and integers this is RFC 8785). Built here for the outbox writer, checked here for the CNAM's
 * side (verifyManifest).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { z } from 'zod';
import { errorCode } from './cnam-batch-fs';

export type CnamManifest = {
  file: string;
  date: string;
  count: number;
  sha256: string;
  generated_at: string;
  signature: string;
};

const FILE_PREFIX = 'snds-objections-';

export const dataFileName = (date: string) => `${FILE_PREFIX}${date}.ndjson`;
export const manifestFileName = (date: string) => `${FILE_PREFIX}${date}.manifest.json`;

/** The manifest of a data file's content, as written at `at`. */
export function buildManifest(file: string, date: string, content: Buffer, at: Date, signingKey: Buffer): CnamManifest {
  const unsigned = { file, date, count: countLines(content), sha256: sha256Hex(content), generated_at: at.toISOString() };
  return { ...unsigned, signature: sign(unsigned, signingKey) };
}

/**
 * Checks a manifest against its data file: the signature, then the data file's sha256 and line count.
 * `manifestPath` is taken relative to `dir` (DATA_DIR/cnam) and must stay inside it; the data file is
 * the manifest's `file`, next to it. The errors name what failed, never the content.
 */
export function verifyManifest(dir: string, manifestPath: string, signingKey: Buffer): { ok: true; count: number } | { ok: false; error: string } {
  const root = resolve(dir);
  const path = resolve(root, manifestPath);
  const rel = relative(root, path);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return { ok: false, error: 'manifest_outside_dir' };

  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    return { ok: false, error: err instanceof SyntaxError ? 'manifest_invalid_json' : `manifest_unreadable: ${errorCode(err)}` };
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, error: 'manifest_invalid' };
  const { signature, ...unsigned } = parsed.data;

  const expected = Buffer.from(sign(unsigned, signingKey));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, error: 'signature_mismatch' };

  if (unsigned.file !== dataFileName(unsigned.date) || basename(unsigned.file) !== unsigned.file) return { ok: false, error: 'file_name_mismatch' };
  let content: Buffer;
  try {
    content = readFileSync(join(dirname(path), unsigned.file));
  } catch (err) {
    return { ok: false, error: `file_unreadable: ${errorCode(err)}` };
  }
  if (sha256Hex(content) !== unsigned.sha256) return { ok: false, error: 'sha256_mismatch' };
  const count = countLines(content);
  if (count !== unsigned.count) return { ok: false, error: 'count_mismatch' };
  return { ok: true, count };
}

const manifestSchema = z
  .object({
    file: z.string().min(1),
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    count: z.number().int().nonnegative(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    generated_at: z.string(),
    signature: z.string(),
  })
  .strict(); // a field outside the signature would be unsigned

function countLines(content: Buffer): number {
  return content
    .toString('utf8')
    .split('\n')
    .filter((l) => l !== '').length;
}

const sha256Hex = (content: Buffer) => createHash('sha256').update(content).digest('hex');

/** JSON with object keys sorted at every level and no whitespace. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function sign(unsigned: Omit<CnamManifest, 'signature'>, key: Buffer): string {
  return `v1,${createHmac('sha256', key).update(canonicalJson(unsigned), 'utf8').digest('base64')}`;
}
