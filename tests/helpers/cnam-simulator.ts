/**
 * A small stand-in for the CNAM's side of the batch exchange: it picks up the outbox as the
 * secure-transfer tool would (verifying each manifest first, dropping repeated line ids), and drops
 * acknowledgement NDJSON files into the inbox the way a transfer tool does (written as .part, then
 * renamed), so the connector is tested against files, not against itself.
 */
import { readdirSync, readFileSync, renameSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { verifyManifest } from '../../connectors/cnam-batch';
import type { RequestDocument } from '../../connectors/types';

export type ReceivedLine = { line_id: string; document: RequestDocument; file: string };
export type Acknowledgement = Record<string, unknown>;

export type CnamSimulator = {
  /** Verifies every manifest in the outbox and returns the distinct lines; throws if one fails. */
  pickUp: () => ReceivedLine[];
  /** Writes one acknowledgement file (each entry a line, a string as is) into the inbox. */
  acknowledge: (name: string, lines: (Acknowledgement | string)[]) => void;
  /** Leaves a file half transferred (`.part`): the connector must not read it. */
  partial: (name: string, lines: Acknowledgement[]) => void;
};

export function createCnamSimulator(dir: string, signingKey: Buffer): CnamSimulator {
  const outbox = join(dir, 'outbox');
  const inbox = join(dir, 'inbox');
  const toNdjson = (lines: (Acknowledgement | string)[]) => lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n';

  return {
    pickUp() {
      const seen = new Set<string>();
      const received: ReceivedLine[] = [];
      const manifests = readdirSync(outbox)
        .filter((n) => n.endsWith('.manifest.json') && !n.startsWith('.'))
        .sort();
      for (const name of manifests) {
        const check = verifyManifest(dir, join('outbox', name), signingKey);
        if (!check.ok) throw new Error(`${name}: ${check.error}`);
        const manifest = JSON.parse(readFileSync(join(outbox, name), 'utf8')) as { file: string };
        for (const raw of readFileSync(join(outbox, manifest.file), 'utf8').split('\n')) {
          if (raw === '') continue;
          const line = JSON.parse(raw) as { line_id: string; document: RequestDocument };
          if (seen.has(line.line_id)) continue;
          seen.add(line.line_id);
          received.push({ ...line, file: manifest.file });
        }
      }
      return received;
    },
    acknowledge(name, lines) {
      mkdirSync(inbox, { recursive: true });
      writeFileSync(join(inbox, `${name}.part`), toNdjson(lines));
      renameSync(join(inbox, `${name}.part`), join(inbox, name));
    },
    partial(name, lines) {
      mkdirSync(inbox, { recursive: true });
      writeFileSync(join(inbox, `${name}.part`), toNdjson(lines));
    },
  };
}
