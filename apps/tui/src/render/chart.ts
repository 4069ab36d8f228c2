import type { MetricSeries } from "@backprop-lab/viz";
import { plot, type Color } from "asciichart";
import { fitNumber } from "../format.js";

export interface ChartLine {
  series: MetricSeries;
  /** An asciichart colour escape, or undefined for the terminal's default. */
  color: Color;
}

export interface ChartOptions {
  /** Characters per line, labels included. */
  width: number;
  /** Lines. */
  height: number;
  /** Fixed y range; by default [0, the largest finite value]. */
  min?: number;
  max?: number;
  /** How a y label is written (7 characters are reserved for it). */
  label?: (y: number) => string;
}

const LABEL = 7;

/**
 * The values of a series at `columns` evenly spaced steps over [x0, x1]:
 * viz's LTTB view (which keeps extremes) read back by linear interpolation,
 * so a character column always means the same span of steps. Values after
 * the first non-finite one are cut off (the run diverged there).
 */
export function resample(series: MetricSeries, columns: number, x0: number, x1: number): number[] {
  if (series.length === 0 || columns < 1) return [];
  const view = series.view(Math.max(5, columns * 2));
  const xs = view.x;
  const ys = view.y;
  let n = xs.length;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(ys[i]!)) {
      n = i;
      break;
    }
  }
  if (n === 0) return [];
  const last = xs[n - 1]!;
  const out: number[] = [];
  let k = 0;
  for (let c = 0; c < columns; c++) {
    const x = columns === 1 ? x1 : x0 + ((x1 - x0) * c) / (columns - 1);
    if (x > last + 1e-9) break;
    while (k < n - 2 && xs[k + 1]! < x) k++;
    const xa = xs[k]!;
    const xb = xs[Math.min(k + 1, n - 1)]!;
    const ya = ys[k]!;
    const yb = ys[Math.min(k + 1, n - 1)]!;
    out.push(xb > xa ? ya + ((yb - ya) * (x - xa)) / (xb - xa) : yb);
  }
  return out;
}

/**
 * A line chart of one or more series over a shared step axis, as exactly
 * `height` strings: asciichart draws it from resampled values.
 */
export function chartLines(lines: readonly ChartLine[], options: ChartOptions): string[] {
  const columns = Math.max(2, options.width - LABEL - 1);
  let x1 = 0;
  for (const l of lines) if (l.series.length > 0) x1 = Math.max(x1, l.series.stepAt(l.series.length - 1));
  const x0 = 0;
  const data = lines.map((l) => resample(l.series, columns, x0, Math.max(x1, 1)));
  const shown = data.map((d, i) => ({ d, color: lines[i]!.color })).filter((s) => s.d.length >= 1);
  const blank = Array.from({ length: options.height }, () => " ".repeat(options.width));
  if (shown.length === 0) return blank;
  let lo = options.min ?? 0;
  let hi = options.max ?? Number.NEGATIVE_INFINITY;
  if (options.max === undefined) for (const s of shown) for (const v of s.d) hi = Math.max(hi, v);
  if (options.min === undefined) for (const s of shown) for (const v of s.d) lo = Math.min(lo, v);
  if (!(hi > lo)) hi = lo + 1;
  const label = options.label ?? ((y: number) => fitNumber(y, LABEL));
  const text = plot(
    shown.map((s) => s.d.map((v) => Math.min(hi, Math.max(lo, v)))),
    {
      height: Math.max(1, options.height - 1),
      min: lo,
      max: hi,
      offset: 2,
      colors: shown.map((s) => s.color),
      format: (y: number) => label(y).padStart(LABEL),
    },
  );
  const out = text.split("\n").slice(0, options.height);
  while (out.length < options.height) out.push("");
  return out;
}
