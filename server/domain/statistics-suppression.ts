/**
 * Suppression of small counts in the public figures (DESIGN §12: "no figure from which one person's
 * request could be singled out"). Pure.
 *
 * The rule, in the order it applies:
 * 1. primary: a published count from 1 to 4 (below SUPPRESS_BELOW) is suppressed: "fewer than 5". Zero
 *    is published: it singles nobody out.
 * 2. complementary: every published figure belongs to equations (a total and its parts: the months of a
 *    period, the organisations of a month, the on-time and late answers of the answered ones...). When
 *    an equation has exactly one unknown member and that unknown must stay hidden, the total minus the
 *    others would reveal it: the smallest visible non-zero part is suppressed too (the total when no
 *    part is left). Unknown members are suppressed cells and "hidden" quantities, figures that are not
 *    published but follow from published ones (the extensions not told in time: extensions minus those
 *    told in time); a hidden quantity must stay hidden when it is from 1 to 4.
 * 3. the same: when an equation's unknowns are all suppressed small counts (1 to 4) and their sum leaves
 *    them a single possible split (every one 1, or every one 4), one more part is suppressed.
 * Repeated until nothing changes. A quantity has one id wherever it is published (the page, the
 * organisation's page, the CSV, the JSON), so its suppression is the same in every table.
 */
import { SUPPRESS_BELOW } from './statistics';
import type { Cell } from './statistics-types';

export type Equation = { total: string; parts: readonly string[] };

const small = (v: number) => v >= 1 && v < SUPPRESS_BELOW;

/**
 * The ids to suppress among `values` (every published or hidden quantity), given the equations that
 * hold between them. `hidden` quantities are never published: they are not in the result.
 */
export function suppress(values: ReadonlyMap<string, number>, equations: readonly Equation[], hidden: ReadonlySet<string> = new Set()): Set<string> {
  const value = (id: string) => values.get(id) ?? 0;
  const suppressed = new Set<string>();
  for (const [id, v] of values) if (!hidden.has(id) && small(v)) suppressed.add(id);
  const unknown = (id: string) => suppressed.has(id) || hidden.has(id);
  // An unknown that must stay unknown: a suppressed cell, or a hidden quantity from 1 to 4.
  const protectedUnknown = (id: string) => suppressed.has(id) || (hidden.has(id) && small(value(id)));

  let changed = true;
  while (changed) {
    changed = false;
    for (const eq of equations) {
      const members = [eq.total, ...eq.parts];
      const unknowns = members.filter(unknown);
      if (unknowns.length === 0) continue;
      let needMore = false;
      if (unknowns.length === 1) needMore = protectedUnknown(unknowns[0]!);
      else if (unknowns.every((id) => suppressed.has(id) && small(value(id))) && !unknowns.includes(eq.total)) {
        // Rule 3: the attacker knows each is from 1 to 4; a sum of n or 4n leaves one split.
        const sum = unknowns.reduce((s, id) => s + value(id), 0);
        needMore = sum === unknowns.length || sum === unknowns.length * (SUPPRESS_BELOW - 1);
      }
      if (!needMore) continue;
      const next = smallestVisible(eq.parts, value, unknown) ?? (unknown(eq.total) ? undefined : eq.total);
      if (next === undefined || hidden.has(next)) continue;
      suppressed.add(next);
      changed = true;
    }
  }
  return suppressed;
}

function smallestVisible(parts: readonly string[], value: (id: string) => number, unknown: (id: string) => boolean): string | undefined {
  let best: string | undefined;
  for (const id of parts) {
    if (unknown(id) || value(id) === 0) continue;
    if (best === undefined || value(id) < value(best) || (value(id) === value(best) && id < best)) best = id;
  }
  return best;
}

/** The published cell of a quantity. */
export function cellOf(values: ReadonlyMap<string, number>, suppressed: ReadonlySet<string>, id: string): Cell {
  return suppressed.has(id) ? { suppressed: true, below: SUPPRESS_BELOW } : { value: values.get(id) ?? 0 };
}
