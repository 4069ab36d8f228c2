import { BackpropError } from "@backprop-lab/core";
import { interpolate, modeOklab, modeRgb, parse, useMode, type Color } from "culori/fn";
import { checkFinite, checkInt } from "./check.js";

// culori's tree-shakable entry: register only the colour spaces used here
const toRgb = useMode(modeRgb);
useMode(modeOklab);

/** An sRGB colour as bytes. */
export type RGB = readonly [r: number, g: number, b: number];

/**
 * A quantized colour scale: values in [min, max] fall into `shades` equal
 * bins, bin k coloured table[3k…3k+2]; values outside clamp to the ends.
 * Lookups are table reads, so colouring a grid allocates nothing.
 */
export interface ColorRamp {
  name: string;
  min: number;
  max: number;
  shades: number;
  table: Uint8Array; // (shades, 3) sRGB bytes
}

export interface RampOptions {
  name?: string;
  /** The value range mapped onto the stops (default [0, 1]). */
  min?: number;
  max?: number;
  /** Number of quantized colours (default 31, as the Playground). */
  shades?: number;
  /** Colour space to interpolate in (default "rgb", as d3 and the Playground do). */
  space?: "rgb" | "oklab";
}

/** The Playground's colours: class 0 / −1, the neutral midpoint, class 1 / +1. */
export const PLAYGROUND_COLORS = { negative: "#f59322", neutral: "#e8eaeb", positive: "#0877bd" } as const;

/**
 * A ramp through evenly spaced CSS colour stops. Shade k is the stops'
 * interpolation at t = k/(shades − 1), rounded to bytes.
 *
 * @example createRamp(["#000", "#fff"], { shades: 3 }).table // [0,0,0, 128,128,128, 255,255,255]
 */
export function createRamp(stops: readonly string[], options: RampOptions = {}): ColorRamp {
  const { name = "custom", min = 0, max = 1, shades = 31, space = "rgb" } = options;
  checkFinite(min, "min");
  checkFinite(max, "max");
  if (!(max > min)) throw new BackpropError("invalid-argument", `max (${max}) must be greater than min (${min})`, { field: "max" });
  checkInt(shades, "shades", 2, 4096);
  if (!Array.isArray(stops) || stops.length < 1) {
    throw new BackpropError("invalid-argument", "stops must list at least one colour", { field: "stops" });
  }
  const parsed = stops.map((s, i) => {
    const c = parse(s);
    if (!c) throw new BackpropError("invalid-argument", `stops[${i}] is not a CSS colour: ${JSON.stringify(s)}`, { field: `stops[${i}]` });
    return c;
  });
  const at = parsed.length === 1 ? () => parsed[0]! : interpolate(parsed, space);
  const table = new Uint8Array(shades * 3);
  for (let k = 0; k < shades; k++) writeBytes(table, 3 * k, at(k / (shades - 1)));
  return { name, min, max, shades, table };
}

function writeBytes(out: Uint8Array, offset: number, color: Color): void {
  const c = toRgb(color);
  out[offset] = byte(c.r);
  out[offset + 1] = byte(c.g);
  out[offset + 2] = byte(c.b);
}

function byte(channel: number): number {
  return Math.round(Math.min(1, Math.max(0, channel)) * 255);
}

/**
 * The Playground's heatmap: orange (−1) → grey (0) → blue (+1) over [−1, 1],
 * 31 colours (its NUM_SHADES = 30 steps), quantized exactly as its d3
 * `scaleQuantize`, so −1, 0 and +1 get #f59322, #e8eaeb and #0877bd.
 */
export const PLAYGROUND_RAMP: ColorRamp = createRamp([PLAYGROUND_COLORS.negative, PLAYGROUND_COLORS.neutral, PLAYGROUND_COLORS.positive], {
  name: "playground",
  min: -1,
  max: 1,
});

/** The same colours over [0, 1], for a probability of class 1 (0.5 is grey). */
export const PROBABILITY_RAMP: ColorRamp = createRamp([PLAYGROUND_COLORS.negative, PLAYGROUND_COLORS.neutral, PLAYGROUND_COLORS.positive], {
  name: "probability",
  min: 0,
  max: 1,
});

/**
 * One colour per class for more than two classes: the Playground's orange
 * and blue first (so class 0/1 match the two-class view), then eight
 * distinct hues (Tableau 10). Class k uses CLASS_COLORS[k mod 10].
 */
export const CLASS_COLORS: readonly string[] = [
  PLAYGROUND_COLORS.negative,
  PLAYGROUND_COLORS.positive,
  "#59a14f",
  "#e15759",
  "#b07aa1",
  "#76b7b2",
  "#edc948",
  "#9c755f",
  "#ff9da7",
  "#7a5195",
];

/**
 * Per class, a ramp from the neutral grey (no confidence) to the class
 * colour (full confidence), over [0, 1]; the region colour of a cell won by
 * class k with confidence c is CLASS_RAMPS[k mod 10] at c.
 */
export const CLASS_RAMPS: readonly ColorRamp[] = CLASS_COLORS.map((c, k) =>
  createRamp([PLAYGROUND_COLORS.neutral, c], { name: `class-${k}`, min: 0, max: 1 }),
);

/** Point colours per class: each class colour darkened (40 % toward black in OKLab), to stand out on its own region. */
export const POINT_COLORS: readonly RGB[] = CLASS_COLORS.map((c) => {
  const out = new Uint8Array(3);
  writeBytes(out, 0, interpolate([c, "#000000"], "oklab")(0.4));
  return [out[0]!, out[1]!, out[2]!] as const;
});

/** The bin of `value` in `ramp` (0…shades−1, clamped); −1 for NaN. */
export function rampIndex(ramp: ColorRamp, value: number): number {
  if (value !== value) return -1;
  const k = Math.floor((ramp.shades * (value - ramp.min)) / (ramp.max - ramp.min));
  return k < 0 ? 0 : k >= ramp.shades ? ramp.shades - 1 : k;
}

/** The colour of `value` as [r, g, b] bytes, or null for NaN. Allocates; for grids use toRGBA. */
export function rampColor(ramp: ColorRamp, value: number): RGB | null {
  const k = rampIndex(ramp, value);
  if (k < 0) return null;
  return [ramp.table[3 * k]!, ramp.table[3 * k + 1]!, ramp.table[3 * k + 2]!];
}

/** A CSS colour as [r, g, b] bytes (any syntax culori parses). */
export function parseColor(css: string): RGB {
  const c = parse(css);
  if (!c) throw new BackpropError("invalid-argument", `not a CSS colour: ${JSON.stringify(css)}`, { field: "color" });
  const out = new Uint8Array(3);
  writeBytes(out, 0, c);
  return [out[0]!, out[1]!, out[2]!];
}
