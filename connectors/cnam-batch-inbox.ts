/**
 * The reader of the CNAM batch inbox (connectors/cnam-batch.ts): the CNAM's acknowledgements come back as
 * NDJSON files in DATA_DIR/cnam/inbox/, one status update a line. Every file is read, every line checked;
 * a file is moved to inbox/processed/ only once the caller has applied what it held.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { statusUpdateFields, type StatusUpdate } from '../server/domain/status-updates';
import { DIR_MODE, errorCode } from './cnam-batch-fs';

export type RejectedLine = { file: string; line: number; error: string };

export type InboxRead = { updates: StatusUpdate[]; rejected: RejectedLine[]; done: () => void };

/** The updates of every acknowledgement file in the inbox, the lines refused, and how to file them away. */
export async function readInbox(inbox: string): Promise<InboxRead> {
  const updates: StatusUpdate[] = [];
  const rejected: RejectedLine[] = [];
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

  // Only once the caller has durably applied the updates: a crash before it means a re-read, and the
  // updates' ids make the replays harmless.
  return { updates, rejected, done: () => moveProcessed(inbox, read) };
}

/** Moves the files read to inbox/processed/, never over an earlier file of the same name. */
function moveProcessed(inbox: string, names: string[]): void {
  const processed = join(inbox, 'processed');
  mkdirSync(processed, { recursive: true, mode: DIR_MODE });
  let failure: unknown;
  for (const name of names) {
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
}

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
