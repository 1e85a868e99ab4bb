/**
 * The CNAM batch connector against real files in a temporary DATA_DIR/cnam and a small CNAM simulator:
 * daily NDJSON with a signed manifest that verifies, idempotent retries, serialised concurrent writes,
 * a retry on a file-system error, and acknowledgement files read, validated and moved once applied.
 */
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, chmodSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCnamBatchConnector, verifyManifest } from '../../connectors/cnam-batch';
import type { ChannelConfig, Connector, Delivery, RequestDocument } from '../../connectors/types';
import { createCnamSimulator } from '../helpers/cnam-simulator';

const key = Buffer.from('test-signing-key-0123456789abcdef');
const channel: ChannelConfig = { kind: 'cnam', mode: 'batch' };

function doc(n: number): RequestDocument {
  const id = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  return {
    $schema: 'https://example.test/api/v1/schemas/request.json',
    version: 2,
    id,
    reference: `DS-TEST-${String(n).padStart(4, '0')}`,
    kind: 'opposition',
    scope: 'snds',
    project: null,
    organisation: { id: 'org-cnam', name: 'CNAM' },
    answered_by: { id: 'org-cnam', name: 'CNAM' },
    role: 'answer',
    part: 'snds',
    sources: [],
    identity_step: 'cnam',
    on_behalf: 'self',
    insurance_scheme: 'cpam',
    language: 'fr',
    identity: {
      last_name: 'Martin',
      first_names: 'Camille',
      birth_name: null,
      birth_date: '1980-01-01',
      birth_place: 'Lyon',
      nir: '180016938812345',
      email: 'camille@example.test',
      postal_address: null,
      requester_name: null,
      relationship: null,
    },
    details: { reason: null, wrong_data: null, correct_data: null, access_scope: null, other_details: null },
    submitted_at: '2026-05-04T07:00:00.000Z',
    confirmed_at: '2026-05-04T07:05:00.000Z',
    received_on: '2026-05-04',
    due_on: '2026-06-04',
    callback_url: 'https://example.test/api/v1/updates',
  };
}

const delivery = (n: number, attempt = 1): Delivery => ({ id: `line-${n}`, attempt, document: doc(n), lang: 'fr' });

let dir: string;
let clock: Date;
let cnam: Connector;
const outbox = () => join(dir, 'outbox');
const dataFile = (date: string) => join(outbox(), `snds-objections-${date}.ndjson`);
const manifestRel = (date: string) => join('outbox', `snds-objections-${date}.manifest.json`);
const lines = (date: string) => readFileSync(dataFile(date), 'utf8').split('\n').filter(Boolean);

beforeEach(() => {
  dir = join(mkdtempSync(join(tmpdir(), 'cnam-batch-')), 'cnam');
  clock = new Date('2026-05-04T08:00:00Z');
  cnam = createCnamBatchConnector({ dir, signingKey: key, now: () => clock });
});
afterEach(() => {
  try {
    chmodSync(outbox(), 0o700);
  } catch {
    // not there, or a file
  }
  rmSync(join(dir, '..'), { recursive: true, force: true });
});

describe('deliver', () => {
  it('appends one line a delivery to the day file and signs a manifest that verifies', async () => {
    for (const n of [1, 2, 3]) expect(await cnam.deliver(delivery(n), channel)).toEqual({ outcome: 'delivered' });

    expect(readdirSync(outbox()).sort()).toEqual(['snds-objections-2026-05-04.manifest.json', 'snds-objections-2026-05-04.ndjson']);
    const got = lines('2026-05-04').map((l) => JSON.parse(l) as { line_id: string; document: RequestDocument });
    expect(got.map((l) => l.line_id)).toEqual(['line-1', 'line-2', 'line-3']);
    expect(got[1]!.document).toEqual(doc(2));

    const manifest = JSON.parse(readFileSync(join(dir, manifestRel('2026-05-04')), 'utf8')) as Record<string, unknown>;
    expect(manifest).toMatchObject({ file: 'snds-objections-2026-05-04.ndjson', date: '2026-05-04', count: 3, generated_at: clock.toISOString() });
    expect(manifest.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.signature).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(verifyManifest(dir, manifestRel('2026-05-04'), key)).toEqual({ ok: true, count: 3 });
    expect(verifyManifest(dir, manifestRel('2026-05-04'), Buffer.from('another key'))).toEqual({ ok: false, error: 'signature_mismatch' });

    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(outbox()).mode & 0o777).toBe(0o700);
    expect(statSync(dataFile('2026-05-04')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, manifestRel('2026-05-04'))).mode & 0o777).toBe(0o600);

    const received = createCnamSimulator(dir, key).pickUp();
    expect(received.map((r) => r.document.reference)).toEqual(['DS-TEST-0001', 'DS-TEST-0002', 'DS-TEST-0003']);
  });

  it('does not append a retried delivery twice', async () => {
    await cnam.deliver(delivery(1), channel);
    await cnam.deliver(delivery(2), channel);
    expect(await cnam.deliver(delivery(1, 2), channel)).toEqual({ outcome: 'delivered' });
    expect(lines('2026-05-04')).toHaveLength(2);
    expect(verifyManifest(dir, manifestRel('2026-05-04'), key)).toEqual({ ok: true, count: 2 });
  });

  it('rewrites the manifest on a retry after a crash between the append and the manifest', async () => {
    await cnam.deliver(delivery(1), channel);
    // The crash: the line is in the file, the manifest still describes the file before it.
    appendFileSync(dataFile('2026-05-04'), `${JSON.stringify({ line_id: 'line-2', document: doc(2) })}\n`);
    expect(verifyManifest(dir, manifestRel('2026-05-04'), key)).toEqual({ ok: false, error: 'sha256_mismatch' });
    expect(await cnam.deliver(delivery(2, 2), channel)).toEqual({ outcome: 'delivered' });
    expect(lines('2026-05-04')).toHaveLength(2);
    expect(verifyManifest(dir, manifestRel('2026-05-04'), key)).toEqual({ ok: true, count: 2 });
  });

  it('cuts off a line left half written by a crash, then appends the retried one whole', async () => {
    await cnam.deliver(delivery(1), channel);
    appendFileSync(dataFile('2026-05-04'), '{"line_id":"line-2","docu');
    expect(await cnam.deliver(delivery(2, 2), channel)).toEqual({ outcome: 'delivered' });
    expect(lines('2026-05-04').map((l) => (JSON.parse(l) as { line_id: string }).line_id)).toEqual(['line-1', 'line-2']);
    expect(verifyManifest(dir, manifestRel('2026-05-04'), key)).toEqual({ ok: true, count: 2 });
  });

  it('fails verification of a tampered data file with a clear error', async () => {
    for (const n of [1, 2, 3]) await cnam.deliver(delivery(n), channel);
    const path = dataFile('2026-05-04');
    writeFileSync(path, readFileSync(path, 'utf8').replace('Martin', 'Mallet'));
    expect(verifyManifest(dir, manifestRel('2026-05-04'), key)).toEqual({ ok: false, error: 'sha256_mismatch' });
    expect(() => createCnamSimulator(dir, key).pickUp()).toThrow(/sha256_mismatch/);
  });

  it('fails verification of a tampered manifest, a missing data file and a path outside the directory', async () => {
    await cnam.deliver(delivery(1), channel);
    const path = join(dir, manifestRel('2026-05-04'));
    const manifest = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    writeFileSync(path, JSON.stringify({ ...manifest, count: 2 }));
    expect(verifyManifest(dir, manifestRel('2026-05-04'), key)).toEqual({ ok: false, error: 'signature_mismatch' });
    writeFileSync(path, JSON.stringify(manifest));
    rmSync(dataFile('2026-05-04'));
    expect(verifyManifest(dir, manifestRel('2026-05-04'), key)).toEqual({ ok: false, error: 'file_unreadable: ENOENT' });
    expect(verifyManifest(dir, '../elsewhere.manifest.json', key)).toEqual({ ok: false, error: 'manifest_outside_dir' });
    expect(verifyManifest(dir, 'outbox/none.manifest.json', key)).toEqual({ ok: false, error: 'manifest_unreadable: ENOENT' });
  });

  it('starts a new file when the day changes (UTC)', async () => {
    clock = new Date('2026-05-04T23:59:59Z');
    await cnam.deliver(delivery(1), channel);
    clock = new Date('2026-05-05T00:00:01Z');
    await cnam.deliver(delivery(2), channel);
    await cnam.deliver(delivery(3), channel);

    expect(lines('2026-05-04')).toHaveLength(1);
    expect(lines('2026-05-05')).toHaveLength(2);
    expect(verifyManifest(dir, manifestRel('2026-05-04'), key)).toEqual({ ok: true, count: 1 });
    expect(verifyManifest(dir, manifestRel('2026-05-05'), key)).toEqual({ ok: true, count: 2 });
    expect(
      createCnamSimulator(dir, key)
        .pickUp()
        .map((r) => [r.file, r.line_id]),
    ).toEqual([
      ['snds-objections-2026-05-04.ndjson', 'line-1'],
      ['snds-objections-2026-05-05.ndjson', 'line-2'],
      ['snds-objections-2026-05-05.ndjson', 'line-3'],
    ]);
  });

  it('serialises concurrent deliveries: 20 at once give 20 whole lines and a manifest of 20', async () => {
    const ns = Array.from({ length: 20 }, (_, i) => i + 1);
    // Each one twice, concurrently: retries racing the first attempt must not duplicate either.
    const results = await Promise.all([...ns, ...ns].map((n) => cnam.deliver(delivery(n), channel)));
    expect(results.every((r) => r.outcome === 'delivered')).toBe(true);

    const ids = lines('2026-05-04').map((l) => (JSON.parse(l) as { line_id: string }).line_id);
    expect(ids).toHaveLength(20);
    expect(new Set(ids)).toEqual(new Set(ns.map((n) => `line-${n}`)));
    expect(verifyManifest(dir, manifestRel('2026-05-04'), key)).toEqual({ ok: true, count: 20 });
    expect(readdirSync(outbox()).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('asks for a retry with only the error code when the outbox cannot be written', async () => {
    mkdirSync(dir, { recursive: true });
    if (process.getuid?.() === 0) {
      // root ignores modes: a file where the directory should be fails for root too.
      writeFileSync(outbox(), '');
    } else {
      mkdirSync(outbox(), { mode: 0o700 });
      chmodSync(outbox(), 0o500);
    }
    const result = await cnam.deliver(delivery(1), channel);
    expect(result.outcome).toBe('retry');
    expect(result.outcome === 'retry' && result.error).toMatch(process.getuid?.() === 0 ? /^(EEXIST|ENOTDIR)$/ : /^EACCES$/);
    expect(JSON.stringify(result)).not.toMatch(/Martin|180016938812345|DS-TEST/);
  });

  it('refuses a channel that is not the CNAM batch', async () => {
    expect(await cnam.deliver(delivery(1), { kind: 'cnam', mode: 'api', url: 'https://cnam.example.test', secrets: [] })).toEqual({
      outcome: 'failed',
      error: 'unsupported_channel',
    });
  });
});

describe('collectUpdates', () => {
  it('reads acknowledgements, rejects malformed lines, skips files in transfer, and moves files once done', async () => {
    for (const n of [1, 2]) await cnam.deliver(delivery(n), channel);
    const sim = createCnamSimulator(dir, key);
    const [first, second] = sim.pickUp();
    sim.acknowledge('ack-2026-05-04.ndjson', [
      { id: 'ack-1', request: first!.document.reference, type: 'acknowledged', at: '2026-05-04T10:00:00Z' },
      '{not json',
      { id: 'ack-2', request: second!.document.id, type: 'refused', reason_code: 'no_data_held', message: 'Aucune donnée' },
      { id: 'ack-3', request: second!.document.id, type: 'refused' }, // no reason_code
      { id: 'ack-4', request: second!.document.id, type: 'deleted' },
    ]);
    sim.acknowledge('ack-2026-05-05.ndjson', [
      { id: 'ack-5', request: first!.document.reference, type: 'answered', outcome: 'granted', message: 'Opposition enregistrée' },
    ]);
    sim.partial('ack-2026-05-06.ndjson', [{ id: 'ack-6', request: first!.document.reference, type: 'acknowledged' }]);
    writeFileSync(join(dir, 'inbox', 'ack-2026-05-07.ndjson.tmp'), `${JSON.stringify({ id: 'ack-7', request: 'x', type: 'acknowledged' })}\n`);
    writeFileSync(join(dir, 'inbox', 'README.txt'), 'not an acknowledgement\n');

    const collected = await cnam.collectUpdates!(channel);
    expect(collected.updates).toEqual([
      { id: 'ack-1', request: 'DS-TEST-0001', type: 'acknowledged', at: '2026-05-04T10:00:00Z' },
      { id: 'ack-2', request: doc(2).id, type: 'refused', reason_code: 'no_data_held', message: 'Aucune donnée' },
      { id: 'ack-5', request: 'DS-TEST-0001', type: 'answered', outcome: 'granted', message: 'Opposition enregistrée' },
    ]);
    expect(collected.rejected).toEqual([
      { file: 'ack-2026-05-04.ndjson', line: 2, error: 'invalid_json' },
      { file: 'ack-2026-05-04.ndjson', line: 4, error: 'reason_code: required' },
      { file: 'ack-2026-05-04.ndjson', line: 5, error: 'type: invalid_enum_value' },
    ]);

    // Not done yet: a second read sees the same files again.
    expect((await cnam.collectUpdates!(channel)).updates).toHaveLength(3);

    collected.done();
    expect(readdirSync(join(dir, 'inbox', 'processed')).sort()).toEqual(['ack-2026-05-04.ndjson', 'ack-2026-05-05.ndjson']);
    expect(readdirSync(join(dir, 'inbox')).sort()).toEqual(['README.txt', 'ack-2026-05-06.ndjson.part', 'ack-2026-05-07.ndjson.tmp', 'processed']);

    const again = await cnam.collectUpdates!(channel);
    expect(again.updates).toEqual([]);
    expect(again.rejected).toEqual([]);
  });

  it('keeps an earlier processed file when the same name comes again', async () => {
    const sim = createCnamSimulator(dir, key);
    sim.acknowledge('ack.ndjson', [{ id: 'ack-1', request: 'DS-TEST-0001', type: 'acknowledged' }]);
    (await cnam.collectUpdates!(channel)).done();
    sim.acknowledge('ack.ndjson', [{ id: 'ack-2', request: 'DS-TEST-0001', type: 'extended', message: 'Demande complexe' }]);
    const second = await cnam.collectUpdates!(channel);
    expect(second.updates.map((u) => u.id)).toEqual(['ack-2']);
    second.done();
    const processed = readdirSync(join(dir, 'inbox', 'processed'));
    expect(processed).toHaveLength(2);
    expect(existsSync(join(dir, 'inbox', 'ack.ndjson'))).toBe(false);
  });

  it('returns nothing from an empty or missing inbox', async () => {
    const collected = await cnam.collectUpdates!(channel);
    expect(collected).toMatchObject({ updates: [], rejected: [] });
    collected.done();
  });
});
