import { BackpropError, type OutputActivation } from "@backprop-lab/core";
import { checkFinite, checkInt, checkLength } from "./check.js";
import { cellCenterX, cellCenterY, checkDomain, type Domain } from "./domain.js";
import type { GridSample } from "./grid.js";

/** A polyline as (x1, x2) pairs in domain coordinates: [x0, y0, x1, y1, …]. A closed one repeats its first point at the end. */
export type Polyline = Float64Array;

/** Grids up to this many edges (a 700×700 grid) keep their tracing buffers between calls. */
const SCRATCH_EDGES = 1 << 20;
let scratch = { nb0: new Int32Array(0), nb1: new Int32Array(0), visited: new Uint8Array(0) };

/**
 * Each edge's two neighbours along the contour (−1: none) and a visited mark,
 * for the first `edges` edges, cleared. A page traces a boundary every frame,
 * so the buffers are kept between calls (up to SCRATCH_EDGES) instead of
 * being made anew each time; contourLines never calls itself, so one set is enough.
 */
function edgeScratch(edges: number): { nb0: Int32Array; nb1: Int32Array; visited: Uint8Array } {
  if (edges > SCRATCH_EDGES) return { nb0: new Int32Array(edges).fill(-1), nb1: new Int32Array(edges).fill(-1), visited: new Uint8Array(edges) };
  if (scratch.nb0.length < edges) scratch = { nb0: new Int32Array(edges), nb1: new Int32Array(edges), visited: new Uint8Array(edges) };
  scratch.nb0.fill(-1, 0, edges);
  scratch.nb1.fill(-1, 0, edges);
  scratch.visited.fill(0, 0, edges);
  return scratch;
}

/**
 * The curves where a grid of values crosses `level`, by marching squares.
 * `values` is (height, width) row-major with row 0 at the top, each value
 * taken at its cell centre (as GridSample lays it out). Every point lies on a
 * grid edge whose ends straddle the level (one ≥ level, the other < level),
 * placed by linear interpolation along that edge, so the bilinear
 * interpolation of the grid at the point equals the level. Ambiguous saddle
 * squares are split by the mean of their corners. Squares with a non-finite
 * corner are skipped. Segments are joined into polylines: open ones end at
 * the grid border or beside a skipped square; closed ones repeat their start.
 *
 * @example contourLines(sample.value, sample.width, sample.height, 0.5, sample.domain)
 */
export function contourLines(values: ArrayLike<number>, width: number, height: number, level: number, domain: Domain): Polyline[] {
  checkInt(width, "width", 1, 1 << 14);
  checkInt(height, "height", 1, 1 << 14);
  checkLength(values.length, width * height, "values");
  checkFinite(level, "level");
  checkDomain(domain);
  if (width < 2 || height < 2) return [];

  // Edge e = 2·(r·width + c) joins (r, c)–(r, c+1); e + 1 joins (r, c)–(r+1, c).
  const edges = 2 * width * height;
  const { nb0, nb1, visited } = edgeScratch(edges);
  const link = (e: number, f: number): void => {
    if (nb0[e] === -1) nb0[e] = f;
    else nb1[e] = f;
    if (nb0[f] === -1) nb0[f] = e;
    else nb1[f] = e;
  };

  for (let r = 0; r < height - 1; r++) {
    for (let c = 0; c < width - 1; c++) {
      const i = r * width + c;
      const tl = values[i]!;
      const tr = values[i + 1]!;
      const bl = values[i + width]!;
      const br = values[i + width + 1]!;
      if (tl - tl !== 0 || tr - tr !== 0 || bl - bl !== 0 || br - br !== 0) continue; // a non-finite corner
      const TL = tl >= level;
      const TR = tr >= level;
      const BR = br >= level;
      const BL = bl >= level;
      const top = 2 * i;
      const left = 2 * i + 1;
      const bottom = 2 * (i + width);
      const right = 2 * (i + 1) + 1;
      if (TL !== TR && TR !== BR && BR !== BL && BL !== TL) {
        // saddle: TL and BR agree, TR and BL agree; the centre decides which pair connects
        const centre = (tl + tr + bl + br) / 4 >= level;
        if (centre === TL) {
          link(top, right);
          link(bottom, left);
        } else {
          link(top, left);
          link(right, bottom);
        }
        continue;
      }
      let first = -1;
      if (TL !== TR) first = top;
      if (TR !== BR) first === -1 ? (first = right) : link(first, right);
      if (BR !== BL) first === -1 ? (first = bottom) : link(first, bottom);
      if (BL !== TL) link(first, left);
    }
  }

  const dx = (domain.xMax - domain.xMin) / width;
  const dy = (domain.yMax - domain.yMin) / height;
  const x0 = cellCenterX(domain, width, 0);
  const y0 = cellCenterY(domain, height, 0);
  // the level crossing on edge e, in domain coordinates
  const put = (out: number[], e: number): void => {
    const i = e >> 1;
    const r = Math.floor(i / width);
    const c = i - r * width;
    const j = e & 1 ? i + width : i + 1;
    const va = values[i]!;
    const t = (level - va) / (values[j]! - va);
    const cc = e & 1 ? c : c + t;
    const rr = e & 1 ? r + t : r;
    out.push(x0 + cc * dx, y0 - rr * dy);
  };

  const lines: Polyline[] = [];
  const walk = (start: number, closed: boolean): void => {
    const pts: number[] = [];
    let prev = -1;
    let cur = start;
    while (cur !== -1 && !visited[cur]) {
      visited[cur] = 1;
      put(pts, cur);
      const next = nb0[cur] === prev ? nb1[cur]! : nb0[cur]!;
      prev = cur;
      cur = next;
    }
    if (closed) put(pts, start);
    lines.push(Float64Array.from(pts));
  };
  for (let e = 0; e < edges; e++) if (!visited[e] && nb0[e] !== -1 && nb1[e] === -1) walk(e, false);
  for (let e = 0; e < edges; e++) if (!visited[e] && nb0[e] !== -1) walk(e, true);
  return lines;
}

/** The boundary level of one output: 0.5 for sigmoid and softmax, 0 for tanh and linear. */
export function boundaryLevel(activation: OutputActivation): number {
  return activation === "sigmoid" || activation === "softmax" ? 0.5 : 0;
}

/**
 * The decision boundary of a sampled network as polylines. One output: the
 * contour of `value` at `boundaryLevel(activation)` (default: the sample's
 * own threshold). Two or more outputs: where the argmax changes, traced as
 * the zero contour of each class's margin o_k − max_{j≠k} o_j (for two
 * outputs, once, as o₁ − o₀ = 0; with softmax that is p₁ = 0.5). With more
 * than two classes each boundary is traced once from each side.
 */
export function decisionBoundary(sample: GridSample, activation?: OutputActivation): Polyline[] {
  const { width, height, nOut, outputs, domain } = sample;
  if (nOut === 1) {
    const level = activation === undefined ? sample.threshold : boundaryLevel(activation);
    return contourLines(sample.value, width, height, level, domain);
  }
  const cells = width * height;
  if (outputs.length < cells * nOut) {
    throw new BackpropError("shape-mismatch", `sample.outputs has ${outputs.length} values, needs ${cells * nOut}`, { field: "sample.outputs" });
  }
  const margin = new Float64Array(cells);
  const lines: Polyline[] = [];
  for (let k = nOut === 2 ? 1 : 0; k < nOut; k++) {
    for (let p = 0, o = 0; p < cells; p++, o += nOut) {
      let other = -Infinity;
      for (let j = 0; j < nOut; j++) if (j !== k && outputs[o + j]! > other) other = outputs[o + j]!;
      margin[p] = outputs[o + k]! - other;
    }
    lines.push(...contourLines(margin, width, height, 0, domain));
  }
  return lines;
}
