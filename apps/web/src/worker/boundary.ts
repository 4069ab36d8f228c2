import { decisionBoundary, type GridSample, type Polyline } from "@backprop-lab/viz";

/** What the boundary needs of a sampled frame: packages/viz's GridSample, over the frame's buffers. */
export type BoundaryInput = GridSample;

/** Smallest buffer handed out: the boundary's length varies per frame, so lengths are rounded up to reuse buffers. */
const MIN_CAPACITY = 256;

/**
 * The decision boundary of one frame as a flat list of polylines in data
 * coordinates: x, y pairs, each polyline ended by a NaN, NaN pair, and the
 * buffer's unused tail filled with NaN (its length is rounded up to a power
 * of two so buffers handed back by the page fit again). One output: the
 * contour at the class threshold; two or more: where the argmax changes
 * (packages/viz's `decisionBoundary`). Regression has no boundary: empty.
 *
 * `alloc(length)` supplies the buffer (the worker's pool of recycled ones).
 */
export function frameBoundary(grid: BoundaryInput, regression: boolean, alloc: (length: number) => Float64Array): Float64Array {
  if (regression) return new Float64Array(0);
  const lines: Polyline[] = decisionBoundary(grid);
  let length = 0;
  for (const l of lines) length += l.length + 2;
  if (length === 0) return new Float64Array(0);
  let capacity = MIN_CAPACITY;
  while (capacity < length) capacity *= 2;
  const out = alloc(capacity);
  let k = 0;
  for (const l of lines) {
    out.set(l, k);
    k += l.length;
    out[k++] = Number.NaN;
    out[k++] = Number.NaN;
  }
  out.fill(Number.NaN, k);
  return out;
}

/** Calls `segment(polyline)` for each polyline of a packed boundary, as x, y pairs (views, no copy). */
export function eachPolyline(packed: Float64Array, polyline: (xy: Float64Array) => void): void {
  let start = 0;
  for (let i = 0; i <= packed.length; i += 2) {
    if (i === packed.length || Number.isNaN(packed[i]!)) {
      if (i - start >= 4) polyline(packed.subarray(start, i));
      start = i + 2;
    }
  }
}
