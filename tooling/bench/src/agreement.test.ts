import { describe, expect, it } from "vitest";
import { maxRelativeError, normwiseRelativeError, toFloat32Exact } from "./agreement.js";

describe("relative errors", () => {
  it("measure the worst element against ours", () => {
    expect(maxRelativeError([2, 4], [2.5, 4])).toBe(0.25);
    expect(normwiseRelativeError([0.001, -4], [0.002, -4])).toBe(0.001 / 4);
    expect(maxRelativeError([1, 2, 3], [1, 2, 3])).toBe(0);
  });

  it("call any NaN or Infinity on either side infinitely far, even NaN against NaN", () => {
    for (const f of [maxRelativeError, normwiseRelativeError]) {
      expect(f([1, NaN], [1, NaN])).toBe(Infinity);
      expect(f([1, 2], [1, Infinity])).toBe(Infinity);
      expect(f([-Infinity], [-Infinity])).toBe(Infinity);
    }
  });

  it("refuse vectors of different lengths", () => {
    expect(() => maxRelativeError([1, 2], [1])).toThrow(/2 values of ours with 1/);
    expect(() => normwiseRelativeError([], [])).toThrow();
  });
});

describe("toFloat32Exact", () => {
  it("rounds to the nearest float32 and leaves float32 values alone", () => {
    const r = toFloat32Exact([0.1, 0.5, -3]);
    expect(r[0]).toBe(Math.fround(0.1));
    expect(r[0]).not.toBe(0.1);
    expect(Array.from(r.slice(1))).toEqual([0.5, -3]);
    expect(Array.from(new Float32Array(r))).toEqual(Array.from(r));
  });
});
