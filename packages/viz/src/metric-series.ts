import { BackpropError } from "@backprop-lab/core";
import { checkFinite, checkInt } from "./check.js";
import { downsampleLTTB, downsampleLTTBInto, type Curve } from "./downsample.js";

export interface MetricSeriesOptions {
  /** Points stored before the first growth (default 1024). */
  initialCapacity?: number;
  /**
   * Most points kept (default 2²¹ ≈ 2.1 M, 32 MB). When full, the series is
   * downsampled to half this size with downsampleLTTB (so endpoints, extremes
   * and the first non-finite value survive) and keeps appending.
   */
  maxLength?: number;
}

/**
 * A growable (step, value) store for a metric curve, such as the loss of a
 * million-step run, with a downsampled view for drawing. Values may be NaN or
 * ±Infinity (a diverged loss is data); steps must not decrease.
 */
export interface MetricSeries {
  readonly length: number;
  /** Finite extremes so far (NaN while there are none). */
  readonly min: number;
  readonly max: number;
  /** Times the store was halved because it reached maxLength. */
  readonly compactions: number;
  append(step: number, value: number): void;
  stepAt(i: number): number;
  valueAt(i: number): number;
  /** The stored points (views valid until the next append). */
  steps(): Float64Array;
  values(): Float64Array;
  /**
   * At most `threshold` points (≥ 5) of the steps in [fromStep, toStep]
   * (default: all), by downsampleLTTB. The arrays are the series' own
   * buffers, reused by the next call: copy them to keep them.
   */
  view(threshold: number, range?: { fromStep?: number; toStep?: number }): Curve;
  clear(): void;
}

export function createMetricSeries(options: MetricSeriesOptions = {}): MetricSeries {
  const initial = options.initialCapacity ?? 1024;
  const maxLength = options.maxLength ?? 1 << 21;
  checkInt(initial, "initialCapacity", 1, 1 << 26);
  checkInt(maxLength, "maxLength", 16, 1 << 26);
  let steps = new Float64Array(Math.min(initial, maxLength));
  let values = new Float64Array(steps.length);
  let length = 0;
  let min = Number.NaN;
  let max = Number.NaN;
  let compactions = 0;
  let viewX = new Float64Array(0);
  let viewY = new Float64Array(0);

  const series: MetricSeries = {
    get length() {
      return length;
    },
    get min() {
      return min;
    },
    get max() {
      return max;
    },
    get compactions() {
      return compactions;
    },
    append(step, value) {
      checkFinite(step, "step");
      if (length > 0 && step < steps[length - 1]!) {
        throw new BackpropError("invalid-argument", `steps must not decrease: ${step} after ${steps[length - 1]}`, { field: "step" });
      }
      if (length === steps.length) {
        if (length < maxLength) {
          const size = Math.min(maxLength, 2 * length);
          const s = new Float64Array(size);
          const v = new Float64Array(size);
          s.set(steps);
          v.set(values);
          steps = s;
          values = v;
        } else {
          const half = downsampleLTTB(steps, values, maxLength >> 1);
          steps.set(half.x);
          values.set(half.y);
          length = half.x.length;
          compactions++;
        }
      }
      steps[length] = step;
      values[length] = value;
      length++;
      if (value - value === 0) {
        if (!(value >= min)) min = value; // also replaces the initial NaN
        if (!(value <= max)) max = value;
      }
    },
    stepAt(i) {
      checkInt(i, "i", 0, length - 1);
      return steps[i]!;
    },
    valueAt(i) {
      checkInt(i, "i", 0, length - 1);
      return values[i]!;
    },
    steps: () => steps.subarray(0, length),
    values: () => values.subarray(0, length),
    view(threshold, range = {}) {
      checkInt(threshold, "threshold", 5, 1 << 24);
      const from = range.fromStep === undefined ? 0 : lowerBound(steps, length, range.fromStep);
      const to = range.toStep === undefined ? length : upperBound(steps, length, range.toStep);
      if (viewX.length < threshold) {
        viewX = new Float64Array(threshold);
        viewY = new Float64Array(threshold);
      }
      const m = downsampleLTTBInto(viewX, viewY, steps, values, threshold, from, Math.max(from, to));
      return { x: viewX.subarray(0, m), y: viewY.subarray(0, m) };
    },
    clear() {
      length = 0;
      min = Number.NaN;
      max = Number.NaN;
      compactions = 0;
    },
  };
  return series;
}

// first index with steps[i] ≥ s
function lowerBound(steps: Float64Array, length: number, s: number): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (steps[mid]! < s) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// first index with steps[i] > s
function upperBound(steps: Float64Array, length: number, s: number): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (steps[mid]! <= s) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
