import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { youngBytesPerCall } from "../test/helpers.js";
import { downsampleLTTB, downsampleLTTBInto } from "./downsample.js";

/** Plain LTTB as Steinarsson's reference code writes it: returns the kept indices. */
function plainLTTB(x: number[], y: number[], threshold: number): number[] {
  const n = x.length;
  if (threshold >= n || threshold === 0) return x.map((_, i) => i);
  const every = (n - 2) / (threshold - 2);
  let a = 0;
  const kept = [0];
  for (let i = 0; i < threshold - 2; i++) {
    let avgX = 0;
    let avgY = 0;
    let avgStart = Math.floor((i + 1) * every) + 1;
    let avgEnd = Math.floor((i + 2) * every) + 1;
    avgEnd = avgEnd < n ? avgEnd : n;
    const avgLength = avgEnd - avgStart;
    for (; avgStart < avgEnd; avgStart++) {
      avgX += x[avgStart]!;
      avgY += y[avgStart]!;
    }
    avgX /= avgLength;
    avgY /= avgLength;
    let rangeOffs = Math.floor(i * every) + 1;
    const rangeTo = Math.floor((i + 1) * every) + 1;
    let maxArea = -1;
    let next = rangeOffs;
    for (; rangeOffs < rangeTo; rangeOffs++) {
      const area = Math.abs((x[a]! - avgX) * (y[rangeOffs]! - y[a]!) - (x[a]! - x[rangeOffs]!) * (avgY - y[a]!)) * 0.5;
      if (area > maxArea) {
        maxArea = area;
        next = rangeOffs;
      }
    }
    kept.push(next);
    a = next;
  }
  kept.push(n - 1);
  return kept;
}

const arbCurve = fc
  .uniqueArray(fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }), { minLength: 3, maxLength: 300 })
  .map((y) => ({ x: y.map((_, i) => i * 1.5 + 7), y }));

describe("downsampleLTTB", () => {
  test("plain LTTB can drop the global maximum; this variant keeps it", () => {
    // buckets {1, 2}, {3, 4}, {5, 6}: the first keeps (1, −4), farther from the line towards the
    // next bucket's mean than the maximum (2, 8), so plain LTTB never shows the peak
    const y = [3, -4, 8, 0, 5, -6, -3, -1];
    const x = y.map((_, i) => i);
    expect(plainLTTB(x, y, 5).map((i) => y[i])).toEqual([3, -4, 5, -6, -1]);
    // pinned, the peak then anchors the next triangle, which now prefers (3, 0): area 15.5 against 14.5 for (4, 5)
    expect(Array.from(downsampleLTTB(x, y, 5).y)).toEqual([3, 8, 0, -6, -1]);
  });

  test("property: endpoints stay, global min and max stay, at most threshold points, all taken from the input in order", () => {
    fc.assert(
      fc.property(arbCurve, fc.integer({ min: 5, max: 120 }), ({ x, y }, threshold) => {
        const d = downsampleLTTB(x, y, threshold);
        const n = x.length;
        expect(d.x.length).toBe(Math.min(n, d.x.length));
        expect(d.x.length).toBeLessThanOrEqual(threshold);
        if (n > threshold) expect(d.x.length).toBeGreaterThanOrEqual(threshold - 1);
        expect([d.x[0], d.y[0], d.x.at(-1), d.y.at(-1)]).toEqual([x[0], y[0], x[n - 1], y[n - 1]]);
        expect(Math.min(...d.y)).toBe(Math.min(...y));
        expect(Math.max(...d.y)).toBe(Math.max(...y));
        let last = -1;
        for (let k = 0; k < d.x.length; k++) {
          const i = (d.x[k]! - 7) / 1.5;
          expect(Number.isInteger(i) && i > last).toBe(true);
          expect(d.y[k]).toBe(y[i]);
          last = i;
        }
      }),
      { numRuns: 300 },
    );
  });

  test("property: when plain LTTB already keeps both extremes, the result is exactly plain LTTB", () => {
    let compared = 0;
    fc.assert(
      fc.property(arbCurve, fc.integer({ min: 5, max: 60 }), ({ x, y }, threshold) => {
        const kept = plainLTTB(x, y, threshold);
        const lo = y.indexOf(Math.min(...y));
        const hi = y.indexOf(Math.max(...y));
        if (!kept.includes(lo) || !kept.includes(hi)) return;
        compared++;
        const d = downsampleLTTB(x, y, threshold);
        expect(Array.from(d.y)).toEqual(kept.map((i) => y[i]));
      }),
      { numRuns: 300 },
    );
    expect(compared).toBeGreaterThan(30);
  });

  test("property: with NaN and ±Infinity mixed in, the first non-finite point and the finite extremes survive", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double({ min: -100, max: 100, noNaN: true }), fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY)), { minLength: 3, maxLength: 200 }),
        fc.integer({ min: 5, max: 50 }),
        (y, threshold) => {
          const x = y.map((_, i) => i);
          const d = downsampleLTTB(x, y, threshold);
          expect(d.x.length).toBeLessThanOrEqual(threshold);
          const kept = Array.from(d.x);
          expect([kept[0], kept.at(-1)]).toEqual([0, y.length - 1]);
          const firstBad = y.findIndex((v) => !Number.isFinite(v));
          if (firstBad >= 0) expect(kept).toContain(firstBad);
          const finite = y.filter(Number.isFinite);
          const keptFinite = Array.from(d.y).filter(Number.isFinite);
          if (finite.length > 0) {
            expect(Math.min(...keptFinite)).toBe(Math.min(...finite));
            expect(Math.max(...keptFinite)).toBe(Math.max(...finite));
          }
          expect(kept.every((v, i) => i === 0 || v > kept[i - 1]!)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  test("a diverged curve keeps the first non-finite value and the finite extremes", () => {
    const n = 10_000;
    const x = Array.from({ length: n }, (_, i) => i);
    const y = x.map((i) => (i < 7_000 ? 1 / (1 + i) + 0.001 * Math.sin(i) : i === 7_000 ? 1e6 : Number.NaN));
    const d = downsampleLTTB(x, y, 50);
    expect(d.x.length).toBeLessThanOrEqual(50);
    expect(Array.from(d.x)).toContain(7_001); // the first NaN
    expect(Array.from(d.y)).toContain(1e6);
    expect(Math.min(...Array.from(d.y).filter(Number.isFinite))).toBe(Math.min(...y.filter(Number.isFinite)));
  });

  test("small thresholds: 2 keeps the endpoints plus the pinned extremes; short inputs are copied", () => {
    expect(Array.from(downsampleLTTB([0, 1, 2, 3], [5, 9, -9, 5], 2).y)).toEqual([5, 9, -9, 5]);
    expect(Array.from(downsampleLTTB([0, 1, 2, 3], [0, 1, 2, 3], 2).y)).toEqual([0, 3]);
    expect(Array.from(downsampleLTTB([0, 1, 2], [4, 5, 6], 10).y)).toEqual([4, 5, 6]);
    expect(downsampleLTTB([], [], 10).x.length).toBe(0);
    expect(() => downsampleLTTB([0, 1], [0], 10)).toThrow(/y/);
    expect(() => downsampleLTTB([0, 1], [0, 1], 1)).toThrow(/threshold/);
  });

  test("downsampleLTTBInto works on a window and allocates nothing", () => {
    const n = 100_000;
    const x = new Float64Array(n).map((_, i) => i);
    const y = new Float64Array(n).map((_, i) => Math.sin(i / 1000) + (i === 60_000 ? 5 : 0));
    const outX = new Float64Array(500);
    const outY = new Float64Array(500);
    const m = downsampleLTTBInto(outX, outY, x, y, 500, 50_000, 70_000);
    expect(m).toBeLessThanOrEqual(500);
    expect([outX[0], outX[m - 1]]).toEqual([50_000, 69_999]);
    expect(Array.from(outX.subarray(0, m))).toContain(60_000);
    const baseline = youngBytesPerCall(() => {}, 20);
    expect(youngBytesPerCall(() => downsampleLTTBInto(outX, outY, x, y, 500), 20) - baseline).toBeLessThan(256);
  });
});
