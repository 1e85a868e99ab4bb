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
 * This module is the transport (channel checks, one write at a time, errors reduced to codes); the
 * outbox writer is cnam-batch-outbox.ts, the manifest cnam-batch-manifest.ts, the acknowledgement
 * reader cnam-batch-inbox.ts, the crash-safe file writes cnam-batch-fs.ts.
 *
 * Writes are serialised inside one connector; the service must create one connector per DATA_DIR.
 */
import { join } from 'node:path';
import { errorCode } from './cnam-batch-fs';
import { readInbox } from './cnam-batch-inbox';
import { writeToOutbox } from './cnam-batch-outbox';
import type { ChannelConfig, Connector, Delivery, DeliveryResult } from './types';

export { verifyManifest, type CnamManifest } from './cnam-batch-manifest';
export type { RejectedLine } from './cnam-batch-inbox';

export type CnamBatchOptions = {
  /** DATA_DIR/cnam: holds outbox/ and inbox/. */
  dir: string;
  /** HMAC key for the manifests (shared with the CNAM). */
  signingKey: Buffer;
  now?: () => Date;
};

const isBatch = (channel: ChannelConfig) => channel.kind === 'cnam' && channel.mode === 'batch';

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

  return {
    kind: 'cnam',
    deliver(delivery: Delivery, channel: ChannelConfig): Promise<DeliveryResult> {
      if (!isBatch(channel)) return Promise.resolve({ outcome: 'failed', error: 'unsupported_channel' });
      // Only the error code leaves here: never a path's content nor the document.
      return serialised(() => writeToOutbox(outbox, delivery, now(), opts.signingKey))
        .then((): DeliveryResult => ({ outcome: 'delivered' }))
        .catch((err: unknown): DeliveryResult => ({ outcome: 'retry', error: errorCode(err) }));
    },

    async collectUpdates(channel: ChannelConfig) {
      if (!isBatch(channel)) return { updates: [], rejected: [], done: () => {} };
      return readInbox(inbox);
    },
  };
}
