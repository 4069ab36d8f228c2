import { BackpropError } from "@backprop-lab/core";
import { checkInt, checkLength } from "./check.js";

/** A curve as two parallel arrays. */
export interface Curve {
  x: Float64Array;
  y: Float64Array;
}

/**
 * Largest-triangle-three-buckets (Steinarsson 2013) with pinned points:
 * the first and last points always stay; the interior is cut into equal
 * buckets, and each bucket keeps the point that makes the largest triangle
 * with the point kept before it and the mean of the next bucket.
 *
 * Plain LTTB can drop the global minimum or maximum (a bucket may prefer a
 * point farther from the line even if it is not the extreme), so this
 * variant pins three points: the first minimum and the first maximum of the
 * finite y values, and the first non-finite y (where a loss curve diverged).
 * A bucket holding pinned points keeps them instead of its LTTB choice; the
 * bucket count shrinks until everything fits in `threshold` points, so the
 * result has at most max(threshold, 2 + pinned) points, and at most
 * `threshold` whenever threshold ≥ 5. Non-finite points are never chosen
 * otherwise and are left out of bucket means. x is expected to increase.
 *
 * @example downsampleLTTB(steps, losses, 500) // a million-step curve in ≤ 500 points
 */
export function downsampleLTTB(x: ArrayLike<number>, y: ArrayLike<number>, threshold: number): Curve {
  const n = x.length;
  checkLength(y.length, n, "y");
  checkInt(threshold, "threshold", 2, 1 << 30);
  const capacity = Math.min(n, Math.max(threshold, 5));
  const outX = new Float64Array(capacity);
  const outY = new Float64Array(capacity);
  const m = downsampleLTTBInto(outX, outY, x, y, threshold, 0, n);
  return { x: outX.slice(0, m), y: outY.slice(0, m) };
}

/**
 * downsampleLTTB over the points [from, to) of x and y, written into outX
 * and outY (each needs max(threshold, 5) values, or to − from when fewer);
 * returns the number of points written. Allocates nothing.
 */
export function downsampleLTTBInto(
  outX: Float64Array,
  outY: Float64Array,
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  threshold: number,
  from = 0,
  to = x.length,
): number {
  checkInt(threshold, "threshold", 2, 1 << 30);
  if (!(Number.isInteger(from) && Number.isInteger(to) && from >= 0 && from <= to && to <= x.length && to <= y.length)) {
    throw new BackpropError("invalid-argument", `[from, to) = [${from}, ${to}) must lie within the ${Math.min(x.length, y.length)} points`, { field: "from" });
  }
  const n = to - from;
  const need = Math.min(n, Math.max(threshold, 5));
  checkLength(Math.min(outX.length, outY.length), need, "out");
  if (n <= threshold) {
    for (let i = 0; i < n; i++) {
      outX[i] = x[from + i]!;
      outY[i] = y[from + i]!;
    }
    return n;
  }

  // pinned interior points, in index order (at most three; −1 when absent)
  let iMin = -1;
  let iMax = -1;
  let iBad = -1;
  for (let i = from; i < to; i++) {
    const v = y[i]!;
    if (v - v !== 0) {
      if (iBad < 0) iBad = i;
    } else {
      if (iMin < 0 || v < y[iMin]!) iMin = i;
      if (iMax < 0 || v > y[iMax]!) iMax = i;
    }
  }
  // endpoints stay anyway
  if (iMin <= from || iMin >= to - 1) iMin = -1;
  if (iMax <= from || iMax >= to - 1) iMax = -1;
  if (iBad <= from || iBad >= to - 1) iBad = -1;
  if (iMax === iMin) iMax = -1;
  // sort the three ascending, absent ones (−1) first
  let p0 = iMin;
  let p1 = iMax;
  let p2 = iBad;
  let t: number;
  if (p0 > p1) (t = p0), (p0 = p1), (p1 = t);
  if (p1 > p2) (t = p1), (p1 = p2), (p2 = t);
  if (p0 > p1) (t = p0), (p0 = p1), (p1 = t);

  // the most buckets b for which 2 + b + (pinned points sharing a bucket with another) ≤ threshold
  let buckets = threshold - 2;
  while (buckets > 0 && 2 + buckets + sharing(p0, p1, p2, from, n, buckets) > threshold) buckets--;

  let count = put(outX, outY, x, y, 0, from);
  let a = from;
  if (buckets === 0) {
    if (p0 >= 0) count = put(outX, outY, x, y, count, p0);
    if (p1 >= 0) count = put(outX, outY, x, y, count, p1);
    if (p2 >= 0) count = put(outX, outY, x, y, count, p2);
    return put(outX, outY, x, y, count, to - 1);
  }
  for (let k = 0; k < buckets; k++) {
    const start = bucketStart(from, n, buckets, k);
    const end = bucketStart(from, n, buckets, k + 1); // [start, end); the last ends at to − 1
    if ((p0 >= start && p0 < end) || (p1 >= start && p1 < end) || (p2 >= start && p2 < end)) {
      if (p0 >= start && p0 < end) count = put(outX, outY, x, y, count, (a = p0));
      if (p1 >= start && p1 < end) count = put(outX, outY, x, y, count, (a = p1));
      if (p2 >= start && p2 < end) count = put(outX, outY, x, y, count, (a = p2));
      continue;
    }

    // mean of the next bucket's finite points (for the last bucket: the last point)
    const nextEnd = k + 1 < buckets ? bucketStart(from, n, buckets, k + 2) : to;
    let cx = 0;
    let cy = 0;
    let finite = 0;
    for (let j = end; j < nextEnd; j++) {
      const v = y[j]!;
      if (v - v !== 0) continue;
      cx += x[j]!;
      cy += v;
      finite++;
    }
    cx /= finite;
    cy /= finite;

    // twice the area of triangle (a, j, c): |(ax − cx)(yj − ay) − (ax − xj)(cy − ay)|; NaN never wins
    const ax = x[a]!;
    const ay = y[a]!;
    let best = start;
    let bestArea = -1;
    for (let j = start; j < end; j++) {
      const area = Math.abs((ax - cx) * (y[j]! - ay) - (ax - x[j]!) * (cy - ay));
      if (area > bestArea) {
        bestArea = area;
        best = j;
      }
    }
    count = put(outX, outY, x, y, count, best);
    a = best;
  }
  return put(outX, outY, x, y, count, to - 1);
}

function put(outX: Float64Array, outY: Float64Array, x: ArrayLike<number>, y: ArrayLike<number>, count: number, i: number): number {
  outX[count] = x[i]!;
  outY[count] = y[i]!;
  return count + 1;
}

// first index of bucket k when the n − 2 interior points [from + 1, from + n − 1) split into `buckets` buckets
function bucketStart(from: number, n: number, buckets: number, k: number): number {
  return from + 1 + Math.floor((k * (n - 2)) / buckets);
}

// how many pinned points share a bucket with the pinned point before them
function sharing(p0: number, p1: number, p2: number, from: number, n: number, buckets: number): number {
  let shared = 0;
  if (p0 >= 0 && bucketOf(p0, from, n, buckets) === bucketOf(p1, from, n, buckets)) shared++;
  if (p1 >= 0 && bucketOf(p1, from, n, buckets) === bucketOf(p2, from, n, buckets)) shared++;
  return shared;
}

// the bucket holding interior index p, consistent with bucketStart's rounding
function bucketOf(p: number, from: number, n: number, buckets: number): number {
  let k = Math.min(buckets - 1, Math.floor(((p - from - 1) * buckets) / (n - 2)));
  while (k > 0 && p < bucketStart(from, n, buckets, k)) k--;
  while (k < buckets - 1 && p >= bucketStart(from, n, buckets, k + 1)) k++;
  return k;
}
