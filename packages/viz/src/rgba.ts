import { BackpropError } from "@backprop-lab/core";
import { CLASS_RAMPS, PLAYGROUND_RAMP, PROBABILITY_RAMP, type ColorRamp } from "./color.js";
import { checkInt, checkLength } from "./check.js";
import type { GridSample } from "./grid.js";

export interface ColorOptions {
  /**
   * The ramp for a one- or two-output sample or for raw values. Default for
   * raw values and tanh/linear outputs: PLAYGROUND_RAMP over [−1, 1]; for a
   * sigmoid output: PROBABILITY_RAMP; for two outputs, o₁ − o₀ on
   * PLAYGROUND_RAMP (softmax: 2p₁ − 1).
   */
  ramp?: ColorRamp;
  /** Values in [lo, hi] are stretched onto the ramp's [min, max] (default: taken as they are). */
  range?: readonly [number, number];
  /** Colour by class only, like the Playground's "discretize output". */
  discretize?: boolean;
}

export interface RGBAOptions extends ColorOptions {
  /** Opacity of every coloured pixel, 0…255 (default 255); NaN cells are always transparent. */
  alpha?: number;
}

/** True for a GridSample (as opposed to an array of values). */
export function isGridSample(source: unknown): source is GridSample {
  return typeof source === "object" && source !== null && "classIndex" in source && "outputs" in source && "width" in source;
}

/**
 * Colours every cell into `out` as RGBA bytes, row 0 first (a canvas
 * ImageData's layout), and returns `out`. The source is a GridSample, or
 * raw values (one per pixel, e.g. a neuron map) drawn on a ramp. NaN cells
 * are transparent black. Allocates nothing.
 *
 * For more than two outputs a cell takes its winning class's colour, faded
 * toward grey as the margin between the two best outputs shrinks (margin / 2
 * for tanh outputs, whose range is [−1, 1]).
 *
 * @example toRGBA(imageData.data, sampler.sample()) // then ctx.putImageData(imageData, 0, 0)
 */
export function toRGBA(out: Uint8ClampedArray, source: GridSample | ArrayLike<number>, options: RGBAOptions = {}): Uint8ClampedArray {
  const alpha = options.alpha ?? 255;
  checkInt(alpha, "alpha", 0, 255);
  const discretize = options.discretize === true;
  if (!isGridSample(source)) {
    checkLength(out.length, source.length * 4, "out");
    const ramp = options.ramp ?? PLAYGROUND_RAMP;
    const scale = rangeScale(ramp, options.range);
    const a = scale[0];
    const b = scale[1];
    const mid = (ramp.min + ramp.max) / 2;
    for (let p = 0; p < source.length; p++) {
      const v = a * source[p]! + b;
      const k = v !== v ? -1 : discretize ? (v >= mid ? ramp.shades - 1 : 0) : shade(ramp, v);
      paint(out, p, ramp.table, k, alpha);
    }
    return out;
  }
  const { nOut, value, outputs, classIndex, activation } = source;
  const cells = source.width * source.height;
  checkLength(out.length, cells * 4, "out");
  if (nOut <= 2) {
    const ramp = options.ramp ?? (nOut === 1 && activation === "sigmoid" ? PROBABILITY_RAMP : PLAYGROUND_RAMP);
    const scale = rangeScale(ramp, options.range);
    const a = scale[0];
    const b = scale[1];
    for (let p = 0; p < cells; p++) {
      const v = a * (nOut === 1 ? value[p]! : outputs[2 * p + 1]! - outputs[2 * p]!) + b;
      const k = v !== v ? -1 : discretize ? (classIndex[p] ? ramp.shades - 1 : 0) : shade(ramp, v);
      paint(out, p, ramp.table, k, alpha);
    }
    return out;
  }
  const span = activation === "tanh" ? 2 : 1;
  for (let p = 0, o = 0; p < cells; p++, o += nOut) {
    const c = classIndex[p]!;
    const ramp = CLASS_RAMPS[c % CLASS_RAMPS.length]!;
    let second = -Infinity;
    for (let j = 0; j < nOut; j++) if (j !== c && outputs[o + j]! > second) second = outputs[o + j]!;
    const margin = (outputs[o + c]! - second) / span;
    const k = margin !== margin ? -1 : discretize ? ramp.shades - 1 : shade(ramp, margin);
    paint(out, p, ramp.table, k, alpha);
  }
  return out;
}

function paint(out: Uint8ClampedArray, p: number, table: Uint8Array, k: number, alpha: number): void {
  const o = 4 * p;
  if (k < 0) {
    out[o] = out[o + 1] = out[o + 2] = out[o + 3] = 0;
    return;
  }
  out[o] = table[3 * k]!;
  out[o + 1] = table[3 * k + 1]!;
  out[o + 2] = table[3 * k + 2]!;
  out[o + 3] = alpha;
}

// [a, b] mapping [lo, hi] onto [ramp.min, ramp.max] as v' = a·v + b
function rangeScale(ramp: ColorRamp, range: readonly [number, number] | undefined): readonly [number, number] {
  if (!range) return IDENTITY;
  const [lo, hi] = range;
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || !(hi > lo)) {
    throw new BackpropError("invalid-argument", `range must be [lo, hi] with finite lo < hi, got [${lo}, ${hi}]`, { field: "range" });
  }
  const a = (ramp.max - ramp.min) / (hi - lo);
  return [a, ramp.min - a * lo];
}

const IDENTITY = [1, 0] as const;

// the quantized bin of v, as d3's scaleQuantize: ⌊shades·(v − min)/(max − min)⌋ clamped
function shade(ramp: ColorRamp, v: number): number {
  const k = Math.floor((ramp.shades * (v - ramp.min)) / (ramp.max - ramp.min));
  return k < 0 ? 0 : k >= ramp.shades ? ramp.shades - 1 : k;
}
