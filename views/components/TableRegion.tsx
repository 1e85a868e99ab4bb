import type { Child } from 'hono/jsx';

/**
 * A wide table's own scrolling box: on a phone the table scrolls sideways inside it, never the page
 * (WCAG 1.4.10). The box is a labelled region that takes keyboard focus, so it can be scrolled with the
 * arrow keys and a screen reader names it (WCAG 2.1.1; axe `scrollable-region-focusable`).
 * `labelledBy` is the id of the table's caption or heading.
 */
export function TableRegion({ labelledBy, children }: { labelledBy: string; children?: Child }) {
  return (
    <div class="table-wrap" role="region" tabindex={0} aria-labelledby={labelledBy}>
      {children}
    </div>
  );
}
