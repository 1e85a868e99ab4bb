/**
 * The CNAM connector in batch mode: SNDS objections go to the CNAM as one NDJSON file a day, with a
 * signed manifest, dropped in DATA_DIR/cnam/outbox/ for the secure-transfer tool to pick up; the CNAM's
 * acknowledgements come back as NDJSON files in DATA_DIR/cnam/inbox/. Everything is plain files so the
 * transfer tool needs no access to the service, and every write is crash-safe: the data file is only
 * appended to and fsynced, the manifest is replaced atomically, and a retried delivery whose line is
 * already in the file is not written twice (the line id is the delivery id, stable across retries).
 *
 * Outbox, per UTC day of now():
 *   snds-objections-YYYY-MM-DD.ndjson          one `{"line_id","document"}` object a line
 *   snds-objections-YYYY-MM-DD.manifest.json   {file, date, count, sha256, generated_at, signature}
 * The signature is `v1,` + base64 HMAC-SHA256 (signing key) over the canonical JSON of the other five
 * fields: keys sorted, no whitespace (for these strings and integers this is RFC 8785).
 *
 * Writes are serialised inside one connector; the service must create one connector per DATA_DIR.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { z } from 'zod';
import { statusUpdateFields, type StatusUpdate } from '../server/domain/status-updates';
import type { ChannelConfig, Connector, Delivery, DeliveryResult } from './types';

export type CnamBatchOptions = {
  /** DATA_DIR/cnam: holds outbox/ and inbox/. */
  dir: string;
  /** HMAC key for the manifests (shared with the CNAM). */
  signingKey: Buffer;
  now?: () => Date;
};

export type CnamManifest = {
  file: string;
  date: string;
  count: number;
  sha256: string;
  generated_at: string;
  signature: string;
};

export type RejectedLine = { file: string; line: number; error: string };

const FILE_PREFIX = 'snds-objections-';
const DIR_MODE = 0o700;
const FILE_MODE = 0o600;
const NEWLINE = 0x0a;

const dataFileName = (date: string) => `${FILE_PREFIX}${date}.ndjson`;
const manifestFileName = (date: string) => `${FILE_PREFIX}${date}.manifest.json`;

export function createCnamBatchConnector(opts: CnamBatchOptions): Connector {
  const now = opts.now ?? (() => new Date());
  const outbox = join(opts.dir, 'outbox');
  const inbox = join(opts.dir, 'inbox');

  // One write at a time: a read-check-append-manifest sequence must never interleave with another.
  let queue: Promise<unknown> = Promise.resolve();
  const serialised = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn, fn);
    queue = run.catch(() => undefined);
    return run;
  };

  async function write(delivery: Delivery): Promise<DeliveryResult> {
    const at = now();
    const date = at.toISOString().slice(0, 10);
    const file = dataFileName(date);
    const path = join(outbox, file);
    await mkdir(outbox, { recursive: true, mode: DIR_MODE });

    let content = await readFile(path).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return null;
      throw err;
    });
    const created = content === null;
    content ??= Buffer.alloc(0);

    // A crash in the middle of an append leaves a line without its newline: cut it off, it is retried.
    if (content.length > 0 && content[content.length - 1] !== NEWLINE) {
      const keep = content.lastIndexOf(NEWLINE) + 1;
      const fh = await open(path, 'r+');
      try {
        await fh.truncate(keep);
        await fh.sync();
      } finally {
        await fh.close();
      }
      content = content.subarray(0, keep);
    }

    if (!lineIds(content).has(delivery.id)) {
      const line = Buffer.from(`${JSON.stringify({ line_id: delivery.id, document: delivery.document })}\n`, 'utf8');
      const fh = await open(path, 'a', FILE_MODE);
      try {
        await fh.writeFile(line);
        await fh.sync();
      } finally {
        await fh.close();
      }
      if (created) await syncDir(outbox);
      content = Buffer.concat([content, line]);
    }

    // Rewritten even when the line was already there: a crash may have come between append and manifest.
    const unsigned = { file, date, count: countLines(content), sha256: sha256Hex(content), generated_at: at.toISOString() };
    const manifest: CnamManifest = { ...unsigned, signature: sign(unsigned, opts.signingKey) };
    await writeAtomic(join(outbox, manifestFileName(date)), `${JSON.stringify(manifest, null, 2)}\n`);
    return { outcome: 'delivered' };
  }

  return {
    kind: 'cnam',
    deliver(delivery: Delivery, channel: ChannelConfig): Promise<DeliveryResult> {
      if (channel.kind !== 'cnam' || channel.mode !== 'batch') return Promise.resolve({ outcome: 'failed', error: 'unsupported_channel' });
      // Only the error code leaves here: never a path's content nor the document.
      return serialised(() => write(delivery)).catch((err: unknown) => ({ outcome: 'retry', error: errorCode(err) }));
    },

    async collectUpdates(channel: ChannelConfig) {
      const updates: StatusUpdate[] = [];
      const rejected: RejectedLine[] = [];
      if (channel.kind !== 'cnam' || channel.mode !== 'batch') return { updates, rejected, done: () => {} };

      await mkdir(inbox, { recursive: true, mode: DIR_MODE });
      const names = (await readdir(inbox, { withFileTypes: true }))
        .filter((e) => e.isFile() && e.name.endsWith('.ndjson') && !e.name.endsWith('.part') && !e.name.endsWith('.tmp'))
        .map((e) => e.name)
        .sort();

      const read: string[] = [];
      for (const name of names) {
        let text: string;
        try {
          text = await readFile(join(inbox, name), 'utf8');
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue; // moved away meanwhile
          // Left in place, so it is tried again and keeps showing up until someone looks at it.
          rejected.push({ file: name, line: 0, error: `unreadable: ${errorCode(err)}` });
          continue;
        }
        read.push(name);
        text.split('\n').forEach((raw, i) => {
          const line = raw.trim();
          if (line === '') return;
          const result = parseAcknowledgement(line);
          if (result.ok) updates.push(result.update);
          else rejected.push({ file: name, line: i + 1, error: result.error });
        });
      }

      return {
        updates,
        rejected,
        // Only once the caller has durably applied the updates: a crash before it means a re-read,
        // and the updates' ids make the replays harmless.
        done() {
          const processed = join(inbox, 'processed');
          mkdirSync(processed, { recursive: true, mode: DIR_MODE });
          let failure: unknown;
          for (const name of read) {
            try {
              let target = join(processed, name);
              // The same name sent again must not overwrite the earlier file.
              if (existsSync(target)) target = join(processed, `${name}.${Date.now()}-${randomBytes(3).toString('hex')}`);
              renameSync(join(inbox, name), target);
            } catch (err) {
              failure ??= err;
            }
          }
          if (failure !== undefined) throw new Error(`cnam inbox: could not move processed files (${errorCode(failure)})`);
        },
      };
    },
  };
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

/** One acknowledgement line from the CNAM; the rules follow StatusUpdate's. */
const acknowledgementSchema = statusUpdateFields
  .extend({ id: z.string().min(1).max(200) })
  .refine((a) => a.type !== 'extended' || (a.message ?? '').trim() !== '', { path: ['message'], message: 'required' })
  .refine((a) => a.type !== 'refused' || a.reason_code !== undefined, { path: ['reason_code'], message: 'required' });

function parseAcknowledgement(line: string): { ok: true; update: StatusUpdate } | { ok: false; error: string } {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return { ok: false, error: 'invalid_json' };
  }
  const result = acknowledgementSchema.safeParse(json);
  if (!result.success) {
    // Field and issue code only: zod's messages can quote the received value.
    const issues = result.error.issues.map((i) => `${i.path.join('.') || '(line)'}: ${i.message === 'required' ? 'required' : i.code}`);
    return { ok: false, error: issues.join('; ') };
  }
  const a = result.data;
  const update: StatusUpdate = { id: a.id, request: a.request, type: a.type };
  if (a.message !== undefined) update.message = a.message;
  if (a.reason_code !== undefined) update.reason_code = a.reason_code;
  if (a.outcome !== undefined) update.outcome = a.outcome;
  if (a.at !== undefined) update.at = a.at;
  return { ok: true, update };
}

/** The line ids already in a data file (complete lines only). */
function lineIds(content: Buffer): Set<string> {
  const ids = new Set<string>();
  for (const line of content.toString('utf8').split('\n')) {
    if (line === '') continue;
    try {
      const id = (JSON.parse(line) as { line_id?: unknown }).line_id;
      if (typeof id === 'string') ids.add(id);
    } catch {
      // A damaged line is still counted in the manifest; it just holds no id.
    }
  }
  return ids;
}

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

/** Temp file in the same directory (a leading dot and .tmp so the transfer tool leaves it), fsync, rename. */
async function writeAtomic(path: string, text: string): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const fh = await open(tmp, 'wx', FILE_MODE);
  try {
    await fh.writeFile(text, 'utf8');
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  await syncDir(dir);
}

/** Makes a new or renamed directory entry durable. */
async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

function errorCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]*$/.test(code) ? code : 'cnam_batch_io_error';
}
