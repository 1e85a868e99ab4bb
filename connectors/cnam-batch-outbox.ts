/**
 * The writer of the CNAM batch outbox (connectors/cnam-batch.ts): one delivery appended to the day's
 * NDJSON data file, then the day's manifest rewritten. The data file is only appended to and fsynced, a
 * line cut by a crash is removed before the next append, and a retried delivery whose line is already in
 * the file is not written twice (the line id is the delivery id, stable across retries). Callers
 * serialise the writes to one outbox.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { appendDurably, DIR_MODE, syncDir, truncateDurably, writeAtomic } from './cnam-batch-fs';
import { buildManifest, dataFileName, manifestFileName } from './cnam-batch-manifest';
import type { Delivery } from './types';

const NEWLINE = 0x0a;

/** Writes the delivery in the outbox file of `at`'s UTC day and signs that file's manifest anew. */
export async function writeToOutbox(outbox: string, delivery: Delivery, at: Date, signingKey: Buffer): Promise<void> {
  const date = at.toISOString().slice(0, 10);
  const file = dataFileName(date);
  const path = join(outbox, file);
  await mkdir(outbox, { recursive: true, mode: DIR_MODE });

  const existing = await readFile(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw err;
  });
  let content = existing === null ? Buffer.alloc(0) : await cutPartialLine(path, existing);

  if (!lineIds(content).has(delivery.id)) {
    const line = Buffer.from(`${JSON.stringify({ line_id: delivery.id, document: delivery.document })}\n`, 'utf8');
    await appendDurably(path, line);
    if (existing === null) await syncDir(outbox);
    content = Buffer.concat([content, line]);
  }

  // Rewritten even when the line was already there: a crash may have come between append and manifest.
  const manifest = buildManifest(file, date, content, at, signingKey);
  await writeAtomic(join(outbox, manifestFileName(date)), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** A crash in the middle of an append leaves a line without its newline: cut it off, it is retried. */
async function cutPartialLine(path: string, content: Buffer): Promise<Buffer> {
  if (content.length === 0 || content[content.length - 1] === NEWLINE) return content;
  const keep = content.lastIndexOf(NEWLINE) + 1;
  await truncateDurably(path, keep);
  return content.subarray(0, keep);
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
