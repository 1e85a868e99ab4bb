/**
 * The house keeps its shape by itself (issue 12): the layer rules of README.md (Design rules: layers), written for
 * dependency-cruiser in .dependency-cruiser.cjs, checked through its JavaScript API exactly as
 * `npm run layers` checks them (`depcruise … --ignore-known`). The violations that existed when the rules
 * were written are listed in .dependency-cruiser-known-violations.json; any other one fails here, and
 * so does a listed one that has been fixed (the list only shrinks: `npm run layers:baseline`).
 * A fixture tree (tests/fixtures/layers/) proves that each rule reports what it says.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseOptions, type ICruiseResult, type IViolation } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const FIXTURE = join(ROOT, 'tests', 'fixtures', 'layers');
const LAYERS = ['server', 'views', 'connectors'];
const KNOWN: IViolation[] = JSON.parse(readFileSync(join(ROOT, '.dependency-cruiser-known-violations.json'), 'utf8'));

/** One line per violation: what `depcruise --output-type err` prints, cycles with their path. */
function describeViolation(v: IViolation): string {
  const cycle = v.cycle?.length ? ` (cycle: ${[v.from, ...v.cycle.map((c) => c.name)].join(' → ')})` : '';
  return `${v.rule.name}: ${v.from} → ${v.to}${cycle}`;
}

async function cruiseLayers(baseDir: string, knownViolations?: IViolation[]): Promise<ICruiseResult> {
  const options: ICruiseOptions = await extractDepcruiseOptions(join(ROOT, '.dependency-cruiser.cjs'));
  const result = await cruise(
    LAYERS,
    { ...options, baseDir, ...(knownViolations ? { knownViolations } : {}) },
    {},
    { tsConfig: extractTSConfig(join(ROOT, 'tsconfig.json')) },
  );
  if (typeof result.output === 'string') throw new Error(`dependency-cruiser answered text, not a result:\n${result.output}`);
  return result.output;
}

/** Every TypeScript source under the layer folders: what the check must have read. */
function sourcesUnder(dir: string): string[] {
  return LAYERS.flatMap((layer) =>
    readdirSync(join(dir, layer), { recursive: true, encoding: 'utf8' })
      .filter((f) => /\.tsx?$/.test(f))
      .map((f) =>
        relative(dir, join(dir, layer, f))
          .split('\\')
          .join('/'),
      ),
  );
}

describe('layer rules over the repository', () => {
  let result: ICruiseResult;
  beforeAll(async () => {
    result = await cruiseLayers(ROOT, KNOWN);
  }, 120_000);

  it('reads every source file of server/, views/ and connectors/ (a check that sees nothing proves nothing)', () => {
    const cruised = new Set(result.modules.map((m) => m.source));
    expect(sourcesUnder(ROOT).filter((f) => !cruised.has(f))).toEqual([]);
    // It followed the imports between them, type-only ones included (tsPreCompilationDeps).
    const local = result.modules.flatMap((m) => m.dependencies.filter((d) => /^(server|views|connectors)\//.test(d.resolved)));
    expect(local.length).toBeGreaterThan(result.modules.length);
    expect(local.some((d) => d.dependencyTypes.includes('type-only'))).toBe(true);
  });

  it('no dependency breaks a layer rule, except those listed in .dependency-cruiser-known-violations.json', () => {
    const fresh = result.summary.violations.filter((v) => v.rule.severity !== 'ignore').map(describeViolation);
    expect(fresh, 'new layer violations: fix them (README, Design rules: layers), do not add them to the baseline').toEqual([]);
  });

  it('the baseline lists only violations that still exist, so that a fixed one cannot come back', () => {
    const key = (v: IViolation) => `${v.rule.name}: ${v.from} → ${v.to}`;
    const ignored = new Set(result.summary.violations.filter((v) => v.rule.severity === 'ignore').map(key));
    const stale = KNOWN.map(key).filter((k) => !ignored.has(k));
    expect(stale, 'fixed, still in the baseline: run `npm run layers:baseline` and commit the shorter file').toEqual([]);
  });
});

describe('layer rules over a fixture tree that breaks each of them', () => {
  it('reports each violation it commits, and none of its allowed imports', async () => {
    const result = await cruiseLayers(FIXTURE);
    const cruised = new Set(result.modules.map((m) => m.source));
    expect(sourcesUnder(FIXTURE).filter((f) => !cruised.has(f))).toEqual([]);
    const reported = result.summary.violations.map((v) => `${v.rule.severity} ${v.rule.name}: ${v.from} → ${v.to}`).sort();
    expect(reported).toEqual(
      [
        'error connectors-no-db-or-routes: connectors/webhook.ts → server/routes/area.ts',
        'error db-no-services-or-routes: server/db/queries.ts → server/services/labels.ts',
        'error domain-is-pure: server/domain/bad.ts → server/db/queries.ts',
        'error no-circular: server/services/ping.ts → server/services/pong.ts',
        'error not-to-unresolvable: server/services/lost.ts → ./does-not-exist',
        'error routes-and-worker-no-db: server/routes/area.ts → server/db/queries.ts',
        'error routes-and-worker-no-db: server/worker/job.ts → server/db/types.ts',
        'error views-no-services-or-db: views/Page.tsx → server/services/labels.ts',
      ].sort(),
    );
  }, 120_000);
});
