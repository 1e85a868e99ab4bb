/**
 * Suppression of small counts in the public figures ("no figure from which one person's
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
 * Repeated until nothing changes (each equation looked at again when one of its members is suppressed).
 *
 * Suppression is computed per view (a period; the kinds together, services/statistics-figures.ts). Two
 * views that overlap would give by difference what one of them hides, so the only views published are
 * whole calendar quarters, which never overlap (domain/statistics-periods.ts). A quantity has one id wherever it is published (the page, the
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
  // Quantities as numbers, each equation as its members (total first), and each quantity's equations.
  const index = new Map<string, number>();
  const ids: string[] = [];
  const num = (id: string) => {
    let i = index.get(id);
    if (i === undefined) {
      i = ids.length;
      index.set(id, i);
      ids.push(id);
    }
    return i;
  };
  for (const id of values.keys()) num(id);
  const eqs = equations.map((e) => [num(e.total), ...e.parts.map(num)]);
  const n = ids.length;
  const value = new Float64Array(n);
  const isHidden = new Uint8Array(n);
  const isSuppressed = new Uint8Array(n);
  const of: number[][] = Array.from({ length: n }, () => []);
  eqs.forEach((members, e) => members.forEach((m) => of[m]!.push(e)));
  for (let i = 0; i < n; i++) {
    value[i] = values.get(ids[i]!) ?? 0;
    isHidden[i] = hidden.has(ids[i]!) ? 1 : 0;
  }
  const work: number[] = [];
  const queued = new Uint8Array(eqs.length);
  const mark = (i: number) => {
    isSuppressed[i] = 1;
    for (const e of of[i]!) if (!queued[e]) ((queued[e] = 1), work.push(e));
  };
  for (let i = 0; i < n; i++) if (!isHidden[i] && small(value[i]!)) mark(i);
  // Equations with a small hidden member need a look even when nothing around them is suppressed.
  eqs.forEach((members, e) => {
    if (!queued[e] && members.some((m) => isHidden[m] && small(value[m]!))) ((queued[e] = 1), work.push(e));
  });
  const unknown = (i: number) => isSuppressed[i] === 1 || isHidden[i] === 1;

  while (work.length > 0) {
    const e = work.pop()!;
    queued[e] = 0;
    const members = eqs[e]!;
    let unknowns = 0;
    let last = -1;
    let allSmallSuppressed = true;
    let sum = 0;
    for (const m of members) {
      if (!unknown(m)) continue;
      unknowns += 1;
      last = m;
      sum += value[m]!;
      if (!(isSuppressed[m] && small(value[m]!))) allSmallSuppressed = false;
    }
    if (unknowns === 0) continue;
    let needMore = false;
    if (unknowns === 1) needMore = isSuppressed[last] === 1 || (isHidden[last] === 1 && small(value[last]!));
    // Rule 3: each is known to be from 1 to 4; a sum of n or 4n leaves a single split.
    else if (allSmallSuppressed && !unknown(members[0]!)) needMore = sum === unknowns || sum === unknowns * (SUPPRESS_BELOW - 1);
    if (!needMore) continue;
    let next = -1;
    for (let k = 1; k < members.length; k++) {
      const m = members[k]!;
      if (unknown(m) || value[m] === 0) continue;
      if (next < 0 || value[m]! < value[next]! || (value[m] === value[next] && ids[m]! < ids[next]!)) next = m;
    }
    if (next < 0 && !unknown(members[0]!)) next = members[0]!;
    if (next < 0 || isHidden[next]) continue;
    mark(next);
  }
  const out = new Set<string>();
  for (let i = 0; i < n; i++) if (isSuppressed[i]) out.add(ids[i]!);
  return out;
}

/** The published cell of a quantity. */
export function cellOf(values: ReadonlyMap<string, number>, suppressed: ReadonlySet<string>, id: string): Cell {
  return suppressed.has(id) ? { suppressed: true, below: SUPPRESS_BELOW } : { value: values.get(id) ?? 0 };
}
