/**
 * Charts drawn on the server as SVG: no script, no external library, readable with
 * JavaScript off. Each chart is an image with a title and a short description (role="img",
 * aria-labelledby); its figures are in the data table that always follows it, which is what a screen
 * reader user reads. Colour is never the only sign: suppressed months are drawn in dashes and named in
 * the legend, months without a rate leave a gap that the table explains.
 *
 * Drawn in a 640 × 300 box scaled to the width available, down to a phone's: there (app.css, under
 * 40em) the text is drawn larger so it stays legible once scaled down, and only every other month label
 * of the wide chart is written (the "narrow" set below), so the larger labels do not overlap. The box
 * sits in its own region (views/components/TableRegion.tsx) in case a very narrow screen is narrower still.
 */
import type { Child } from 'hono/jsx';

const W = 640;
const H = 300;
// The margins hold the y labels ("100 %", "60 000") and half of the last month label, at the phone's larger text size too.
const M = { top: 18, right: 44, bottom: 48, left: 104 };
const PLOT_W = W - M.left - M.right;
const PLOT_H = H - M.top - M.bottom;

export type BarDatum = { label: string; value: number | null; below?: number };
export type RateDatum = { label: string; share: number | null; low?: number; high?: number };

/** A round step for about four grid lines up to `max`: 1, 2 or 5 times a power of ten. */
export function niceStep(max: number): number {
  if (max <= 0) return 1;
  const raw = max / 4;
  const power = 10 ** Math.floor(Math.log10(raw));
  const unit = raw / power;
  return (unit <= 1 ? 1 : unit <= 2 ? 2 : unit <= 5 ? 5 : 10) * power;
}

/** Whether the i-th of n x labels is written when at most `most` fit: one in every k, always the last. */
function labelShown(i: number, n: number, most: number): boolean {
  const every = Math.max(1, Math.ceil(n / most));
  return i === n - 1 || (i % every === 0 && n - 1 - i >= every);
}

/** How many x labels fit: on a wide chart, and on a phone's, where the text is drawn larger. */
const LABELS_WIDE = 6;
const LABELS_NARROW = 4;

/** The class of an x label: written on both charts (none), or only on the wide or the narrow one. */
function labelClass(i: number, n: number): string | null | undefined {
  const wide = labelShown(i, n, LABELS_WIDE);
  const narrow = labelShown(i, n, LABELS_NARROW);
  if (wide && narrow) return null;
  if (wide) return 'chart__label--wide';
  if (narrow) return 'chart__label--narrow';
  return undefined;
}

const fmt = (n: number) => Number(n.toFixed(1));

function Frame({ id, title, desc, children }: { id: string; title: string; desc: string; children?: Child }) {
  return (
    <svg class="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${id}-title ${id}-desc`} focusable="false">
      <title id={`${id}-title`}>{title}</title>
      <desc id={`${id}-desc`}>{desc}</desc>
      {children}
    </svg>
  );
}

function YAxis({ ticks, y, format }: { ticks: number[]; y: (v: number) => number; format: (v: number) => string }) {
  return (
    <g class="chart__axis">
      {ticks.map((tick) => (
        <g>
          <line class="chart__grid" x1={M.left} x2={W - M.right} y1={fmt(y(tick))} y2={fmt(y(tick))} />
          <text x={M.left - 8} y={fmt(y(tick))} text-anchor="end" dominant-baseline="middle">
            {format(tick)}
          </text>
        </g>
      ))}
    </g>
  );
}

function XLabels({ labels, x }: { labels: string[]; x: (i: number) => number }) {
  return (
    <g class="chart__axis">
      {labels.map((label, i) => {
        const shown = labelClass(i, labels.length);
        return shown === undefined ? null : (
          <text class={shown ?? undefined} x={fmt(x(i))} y={H - M.bottom + 28} text-anchor="middle">
            {label}
          </text>
        );
      })}
    </g>
  );
}

/**
 * Bars, one per month. A suppressed month is drawn as a dashed outline up to its threshold ("fewer
 * than 5"), so the chart neither hides it nor pretends to know it.
 */
export function BarChart({ id, title, desc, data, format }: { id: string; title: string; desc: string; data: BarDatum[]; format: (n: number) => string }) {
  const max = Math.max(1, ...data.map((d) => d.value ?? d.below ?? 0));
  const step = niceStep(max);
  const top = Math.ceil(max / step) * step;
  const ticks = Array.from({ length: Math.round(top / step) + 1 }, (_, i) => i * step);
  const y = (v: number) => M.top + PLOT_H - (v / top) * PLOT_H;
  const slot = PLOT_W / Math.max(1, data.length);
  const x = (i: number) => M.left + slot * (i + 0.5);
  const barW = Math.max(2, Math.min(40, slot * 0.7));
  return (
    <Frame id={id} title={title} desc={desc}>
      <YAxis ticks={ticks} y={y} format={format} />
      <g>
        {data.map((d, i) => {
          const v = d.value ?? d.below ?? 0;
          const h = Math.max(0, y(0) - y(v));
          return (
            <rect
              class={d.value === null ? 'chart__bar chart__bar--suppressed' : 'chart__bar'}
              x={fmt(x(i) - barW / 2)}
              y={fmt(y(v))}
              width={fmt(barW)}
              height={fmt(h)}
            />
          );
        })}
      </g>
      <line class="chart__baseline" x1={M.left} x2={W - M.right} y1={fmt(y(0))} y2={fmt(y(0))} />
      <XLabels labels={data.map((d) => d.label)} x={x} />
    </Frame>
  );
}

/**
 * A share from 0 to 100 % over the months: the line, its points, and the band of its 95 % interval.
 * A month without a rate (fewer than 10 answers) breaks the line.
 */
export function RateChart({
  id,
  title,
  desc,
  data,
  format,
}: {
  id: string;
  title: string;
  desc: string;
  data: RateDatum[];
  format: (share: number) => string;
}) {
  const y = (share: number) => M.top + PLOT_H - share * PLOT_H;
  const slot = PLOT_W / Math.max(1, data.length);
  const x = (i: number) => M.left + slot * (i + 0.5);
  const runs: { i: number; d: RateDatum }[][] = [];
  data.forEach((d, i) => {
    if (d.share === null) return;
    const last = runs[runs.length - 1];
    if (last && last[last.length - 1]!.i === i - 1) last.push({ i, d });
    else runs.push([{ i, d }]);
  });
  const point = (i: number, share: number) => `${fmt(x(i))},${fmt(y(share))}`;
  return (
    <Frame id={id} title={title} desc={desc}>
      <YAxis ticks={[0, 0.25, 0.5, 0.75, 1]} y={y} format={format} />
      {runs.map((run) => {
        const upper = run.map(({ i, d }) => point(i, d.high ?? d.share!));
        const lower = run.map(({ i, d }) => point(i, d.low ?? d.share!)).reverse();
        const band = run.length === 1 ? null : <polygon class="chart__band" points={[...upper, ...lower].join(' ')} />;
        return (
          <g>
            {band}
            {run.length === 1 ? (
              <line
                class="chart__interval"
                x1={fmt(x(run[0]!.i))}
                x2={fmt(x(run[0]!.i))}
                y1={fmt(y(run[0]!.d.low ?? run[0]!.d.share!))}
                y2={fmt(y(run[0]!.d.high ?? run[0]!.d.share!))}
              />
            ) : null}
            {run.length > 1 ? <polyline class="chart__line" points={run.map(({ i, d }) => point(i, d.share!)).join(' ')} /> : null}
            {run.map(({ i, d }) => (
              <circle class="chart__point" cx={fmt(x(i))} cy={fmt(y(d.share!))} r="5" />
            ))}
          </g>
        );
      })}
      <line class="chart__baseline" x1={M.left} x2={W - M.right} y1={fmt(y(0))} y2={fmt(y(0))} />
      <XLabels labels={data.map((d) => d.label)} x={x} />
    </Frame>
  );
}
