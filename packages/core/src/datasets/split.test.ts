import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Dataset } from "../data.js";
import { BackpropError } from "../errors.js";
import { makeDataset } from "./generators.js";
import { splitDataset } from "./split.js";

// Rows of the course data are distinct points, so a point names its row.
function rowKeys(data: Dataset): string[] {
  const keys: string[] = [];
  for (let i = 0; i < data.n; i++) keys.push(`${data.x[2 * i]},${data.x[2 * i + 1]}|${data.labels![i]}|${data.y[2 * i]},${data.y[2 * i + 1]}`);
  return keys;
}

describe("splitDataset", () => {
  it("holds out round(n·testRatio) rows, the Playground's default 50 % giving 250/250", () => {
    const data = makeDataset("xor", { seed: 3 });
    for (const [ratio, nTest] of [[0.5, 250], [0.3, 150], [0.1, 50], [0.9, 450], [0, 0]] as const) {
      const { train, test } = splitDataset(data, { testRatio: ratio, seed: 1 });
      expect([train.n, test.n]).toEqual([500 - nTest, nTest]);
      expect([train.x.length, test.x.length, test.y.length, test.labels!.length]).toEqual([2 * (500 - nTest), 2 * nTest, 2 * nTest, nTest]);
    }
    expect(splitDataset(makeDataset("course-xor", { n: 1 }), { testRatio: 0.9, seed: 0 }).train.n).toBe(1);
  });

  it("puts every row in exactly one part, with its targets and label, for any ratio and seed", () => {
    const data = makeDataset("course-xor");
    const all = rowKeys(data).sort();
    expect(new Set(all).size).toBe(300);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.double({ min: 0, max: 0.9, noNaN: true }), fc.nat(), (n, testRatio, seed) => {
        const part = makeDataset("course-xor", { n });
        const { train, test } = splitDataset(part, { testRatio, seed });
        expect(train.n + test.n).toBe(n);
        expect(train.n).toBeGreaterThanOrEqual(1);
        expect(test.n).toBe(Math.min(Math.round(n * testRatio), n - 1));
        expect([...rowKeys(train), ...rowKeys(test)].sort()).toEqual(rowKeys(part).sort());
      }),
      { numRuns: 50 },
    );
  });

  it("shuffles by seed: the same seed gives the same split, another seed another", () => {
    const data = makeDataset("course-xor");
    const a = splitDataset(data, { testRatio: 0.5, seed: 7 });
    expect(splitDataset(data, { testRatio: 0.5, seed: 7 })).toEqual(a);
    expect(splitDataset(data, { testRatio: 0.5, seed: 8 }).test.x).not.toEqual(a.test.x);
    expect(a.train.x).not.toEqual(data.x.subarray(0, 300));
  });

  it("keeps regression targets with their rows and copies, never shares, buffers", () => {
    const data = makeDataset("reg-plane", { n: 40 });
    const { train, test } = splitDataset(data, { testRatio: 0.25, seed: 2 });
    for (const part of [train, test]) {
      expect(part.encoding).toBe("regression");
      for (let i = 0; i < part.n; i++) expect(part.y[i]).toBeCloseTo((part.x[2 * i]! + part.x[2 * i + 1]!) / 10, 14);
      expect(part.x.buffer).not.toBe(data.x.buffer);
    }
  });

  it("rejects a test ratio outside [0, 0.9]", () => {
    const data = makeDataset("xor", { n: 10 });
    for (const testRatio of [-0.1, 0.95, 1, NaN]) {
      expect(() => splitDataset(data, { testRatio, seed: 0 })).toThrowError(BackpropError);
      try {
        splitDataset(data, { testRatio, seed: 0 });
      } catch (err) {
        expect((err as BackpropError).field).toBe("testRatio");
      }
    }
  });
});
