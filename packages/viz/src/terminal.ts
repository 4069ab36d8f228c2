import { BackpropError } from "@backprop-lab/core";
import { POINT_COLORS, type RGB } from "./color.js";
import { checkInt, checkLength } from "./check.js";
import { checkDomain, type Domain } from "./domain.js";
import { isGridSample, toRGBA, type ColorOptions } from "./rgba.js";
import { PLAYGROUND_RAMP } from "./color.js";
import type { GridSample } from "./grid.js";
import { rgbTo256 } from "./xterm.js";

/** "truecolor": 24-bit [r, g, b]; "256": an xterm colour index; "none": characters only. */
export type ColorMode = "truecolor" | "256" | "none";

/** A cell colour: [r, g, b] in truecolor mode, an xterm index in 256 mode, null for none (the terminal's default). */
export type TerminalColor = RGB | number | null;

/** One character cell, as data: a renderer writes `char` with `fg` and `bg`. */
export interface TerminalCell {
  char: string;
  fg: TerminalColor;
  bg: TerminalColor;
}

/** A data point to draw over the map, in domain coordinates, with its class. */
export interface TerminalPoint {
  x: number;
  y: number;
  cls: number;
}

export interface TerminalOptions extends ColorOptions {
  colorMode: ColorMode;
  /** Where the grid lies, to place `points`; default the sample's domain. Required for points over raw values. */
  domain?: Domain;
  points?: readonly TerminalPoint[];
  /** The character of a point of class k: pointChars[k mod length] (default POINT_CHARS). */
  pointChars?: readonly string[];
}

/** Upper half block: its foreground paints the upper pixel, its background the lower. */
export const HALF_BLOCK = "▀";

/** Point characters per class: distinct shapes, so classes read without colour. */
export const POINT_CHARS: readonly string[] = ["○", "●", "▲", "■", "◆", "▼", "★", "✚", "✖", "◇"];

/** Region characters per class in "none" mode; a cell whose two pixels differ shows ":" and a NaN one "?". */
export const REGION_CHARS: readonly string[] = [".", "#", "=", "%", "&", "@", "$", "*", "+", "~"];

/**
 * A heatmap as rows of character cells, two pixels per cell: "▀" with the
 * upper pixel as foreground and the lower as background, so `height` pixel
 * rows give ⌈height/2⌉ cell rows (an odd last row has a null background).
 * In "none" mode each cell shows its region's character instead. Points are
 * drawn on top (the class with the most points in a cell wins it) with a
 * darker class colour over the mean of the cell's two pixels. Pure data: no
 * escape codes are written here.
 */
export function toTerminalCells(sample: GridSample, options: TerminalOptions): TerminalCell[][];
export function toTerminalCells(values: ArrayLike<number>, width: number, height: number, options: TerminalOptions): TerminalCell[][];
export function toTerminalCells(
  source: GridSample | ArrayLike<number>,
  a: number | TerminalOptions,
  b?: number,
  c?: TerminalOptions,
): TerminalCell[][] {
  const sample = isGridSample(source) ? source : null;
  const values = sample ? null : (source as ArrayLike<number>);
  const width = sample ? sample.width : (a as number);
  const height = sample ? sample.height : b!;
  const options = (sample ? a : c) as TerminalOptions;
  if (typeof options !== "object" || options === null) {
    throw new BackpropError("invalid-argument", "options { colorMode } are required", { field: "options" });
  }
  checkInt(width, "width", 1, 1 << 14);
  checkInt(height, "height", 1, 1 << 14);
  if (values) checkLength(values.length, width * height, "values");
  const mode = options.colorMode;
  if (mode !== "truecolor" && mode !== "256" && mode !== "none") {
    throw new BackpropError("invalid-argument", `colorMode must be "truecolor", "256" or "none", got ${JSON.stringify(mode)}`, { field: "colorMode" });
  }

  const cells = width * height;
  // alpha 0 marks NaN pixels below
  const pixels = sample ?? (values!.length === cells ? values! : Array.prototype.slice.call(values, 0, cells));
  const rgba = toRGBA(new Uint8ClampedArray(cells * 4), pixels, { ...options, alpha: 255 });
  const region = new Int16Array(cells); // class of each pixel, −1 for NaN
  if (sample) {
    for (let p = 0; p < cells; p++) region[p] = rgba[4 * p + 3] === 0 ? -1 : sample.classIndex[p]!;
  } else {
    const ramp = options.ramp ?? PLAYGROUND_RAMP;
    const [lo, hi] = options.range ?? [ramp.min, ramp.max];
    const mid = (lo + hi) / 2;
    for (let p = 0; p < cells; p++) region[p] = rgba[4 * p + 3] === 0 ? -1 : values![p]! >= mid ? 1 : 0;
  }

  const color = (p: number): TerminalColor => {
    if (mode === "none" || region[p]! < 0) return null;
    return mode === "truecolor" ? [rgba[4 * p]!, rgba[4 * p + 1]!, rgba[4 * p + 2]!] : rgbTo256(rgba[4 * p]!, rgba[4 * p + 1]!, rgba[4 * p + 2]!);
  };

  const rows: TerminalCell[][] = [];
  for (let r = 0; r < height; r += 2) {
    const row: TerminalCell[] = [];
    for (let col = 0; col < width; col++) {
      const up = r * width + col;
      const down = r + 1 < height ? up + width : -1;
      if (mode === "none") {
        const u = region[up]!;
        const d = down < 0 ? u : region[down]!;
        const char = u < 0 || d < 0 ? "?" : u !== d ? ":" : REGION_CHARS[u % REGION_CHARS.length]!;
        row.push({ char, fg: null, bg: null });
      } else {
        row.push({ char: HALF_BLOCK, fg: color(up), bg: down < 0 ? null : color(down) });
      }
    }
    rows.push(row);
  }

  if (options.points && options.points.length > 0) {
    drawPoints(rows, options.points, options.domain ?? sample?.domain, width, height, mode, options.pointChars ?? POINT_CHARS, rgba, region);
  }
  return rows;
}

function drawPoints(
  rows: TerminalCell[][],
  points: readonly TerminalPoint[],
  domainOption: Domain | undefined,
  width: number,
  height: number,
  mode: ColorMode,
  chars: readonly string[],
  rgba: Uint8ClampedArray,
  region: Int16Array,
): void {
  if (!domainOption) throw new BackpropError("invalid-argument", "points need a domain to be placed", { field: "domain" });
  const domain = checkDomain(domainOption);
  // counts per cell and class: the class with the most points wins the cell
  const counts = new Map<number, number[]>();
  points.forEach((pt, i) => {
    if (!Number.isInteger(pt.cls) || pt.cls < 0) {
      throw new BackpropError("invalid-argument", `points[${i}].cls must be a class index ≥ 0, got ${pt.cls}`, { field: `points[${i}].cls` });
    }
    const col = Math.floor(((pt.x - domain.xMin) / (domain.xMax - domain.xMin)) * width);
    const pixelRow = Math.floor(((domain.yMax - pt.y) / (domain.yMax - domain.yMin)) * height);
    if (!(col >= 0 && col < width && pixelRow >= 0 && pixelRow < height)) return; // outside the view (or NaN)
    const key = (pixelRow >> 1) * width + col;
    const list = counts.get(key) ?? [];
    list[pt.cls] = (list[pt.cls] ?? 0) + 1;
    counts.set(key, list);
  });
  for (const [key, list] of counts) {
    let cls = 0;
    for (let k = 0; k < list.length; k++) if ((list[k] ?? 0) > (list[cls] ?? 0)) cls = k;
    const cellRow = Math.floor(key / width);
    const col = key - cellRow * width;
    const cell = rows[cellRow]![col]!;
    cell.char = chars[cls % chars.length]!;
    if (mode === "none") continue;
    const up = 2 * cellRow * width + col;
    const down = 2 * cellRow + 1 < height ? up + width : up;
    const bg = mean(rgba, region, up, down);
    const fg = POINT_COLORS[cls % POINT_COLORS.length]!;
    cell.fg = mode === "truecolor" ? fg : rgbTo256(fg[0], fg[1], fg[2]);
    cell.bg = bg === null ? null : mode === "truecolor" ? bg : rgbTo256(bg[0], bg[1], bg[2]);
  }
}

// the mean colour of two pixels, skipping a NaN one
function mean(rgba: Uint8ClampedArray, region: Int16Array, p: number, q: number): RGB | null {
  const okP = region[p]! >= 0;
  const okQ = region[q]! >= 0;
  if (!okP && !okQ) return null;
  if (!okP || !okQ) {
    const s = 4 * (okP ? p : q);
    return [rgba[s]!, rgba[s + 1]!, rgba[s + 2]!];
  }
  return [
    Math.round((rgba[4 * p]! + rgba[4 * q]!) / 2),
    Math.round((rgba[4 * p + 1]! + rgba[4 * q + 1]!) / 2),
    Math.round((rgba[4 * p + 2]! + rgba[4 * q + 2]!) / 2),
  ];
}
