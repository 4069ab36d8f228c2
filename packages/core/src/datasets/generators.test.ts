import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Dataset } from "../data.js";
import { DATASET_NAMES, datasetInfo, isDatasetName, makeDataset, type DatasetName } from "./generators.js";
import { backpropErrorOf as thrown } from "../../test/helpers.js";

const GENERATED = DATASET_NAMES.filter((name) => name !== "course-xor");
// The largest |coordinate| each shape can reach by construction, at any noise; gauss is unbounded.
const REACH: Partial<Record<DatasetName, number>> = { xor: 5.3, circle: 5, spiral: 5.5, spiral3: 5.5, "reg-plane": 6, "reg-gauss": 6 };

function classCounts(data: Dataset): number[] {
  const c = new Array<number>(data.classes).fill(0);
  for (const l of data.labels!) c[l]!++;
  return c;
}

const options = fc.record({ n: fc.integer({ min: 1, max: 400 }), noise: fc.double({ min: 0, max: 0.5, noNaN: true }), seed: fc.nat() });

describe("makeDataset", () => {
  it("lists nine names, each with English and Spanish descriptions", () => {
    expect(DATASET_NAMES).toEqual(["course-xor", "xor", "circle", "gauss", "spiral", "moons", "spiral3", "reg-plane", "reg-gauss"]);
    for (const name of DATASET_NAMES) {
      const info = datasetInfo(name);
      expect(info.name).toBe(name);
      expect(info.description.en.length).toBeGreaterThan(20);
      expect(info.description.es.length).toBeGreaterThan(20);
      if (name !== "course-xor") expect(info.domain).toEqual({ x1: [-6, 6], x2: [-6, 6] });
    }
    expect(isDatasetName("spiral")).toBe(true);
    expect(isDatasetName("toString")).toBe(false);
  });

  it("uses the Playground's defaults: 500 points to classify, 1200 to regress, one-hot targets", () => {
    for (const name of GENERATED) {
      const data = makeDataset(name);
      const info = datasetInfo(name);
      expect(data.n).toBe(info.defaultN);
      expect(data.n).toBe(info.kind === "regression" ? 1200 : 500);
      expect(data.classes).toBe(info.classes);
      expect(data.encoding).toBe(info.kind === "regression" ? "regression" : "one-hot");
      expect(data).toEqual(makeDataset(name, { noise: 0, seed: 0 }));
    }
  });

  it.each(GENERATED)("%s: shape, labels and targets hold for any n, noise and seed", (name) => {
    const info = datasetInfo(name);
    fc.assert(
      fc.property(options, ({ n, noise, seed }) => {
        const data = makeDataset(name, { n, noise, seed });
        expect([data.n, data.nIn, data.x.length]).toEqual([n, 2, 2 * n]);
        expect(data.x.every(Number.isFinite) && data.y.every(Number.isFinite)).toBe(true);
        const reach = REACH[name];
        if (reach !== undefined) expect(data.x.every((v) => Math.abs(v) <= reach)).toBe(true);
        if (info.kind === "regression") {
          expect([data.nOut, data.y.length, data.labels]).toEqual([1, n, null]);
          expect(data.y.every((v) => Math.abs(v) <= (name === "reg-plane" ? 1.8 : 1))).toBe(true);
        } else {
          expect([data.nOut, data.y.length, data.labels!.length]).toEqual([info.classes, n * info.classes, n]);
          for (let i = 0; i < n; i++) {
            const c = data.labels![i]!;
            expect(c >= 0 && c < info.classes && data.y[i * info.classes + c] === 1).toBe(true);
          }
        }
      }),
      { numRuns: 40 },
    );
  });

  it.each(GENERATED)("%s: the same seed gives the same data, another seed other data", (name) => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.integer({ min: 20, max: 300 }), (a, b, n) => {
        fc.pre(a !== b);
        expect(makeDataset(name, { n, noise: 0.2, seed: a })).toEqual(makeDataset(name, { n, noise: 0.2, seed: a }));
        expect(makeDataset(name, { n, noise: 0.2, seed: a }).x).not.toEqual(makeDataset(name, { n, noise: 0.2, seed: b }).x);
      }),
      { numRuns: 20 },
    );
  });

  it("xor without noise: class 1 exactly where x1·x2 > 0, no point within 0.3 of an axis", () => {
    const data = makeDataset("xor", { seed: 5 });
    for (let i = 0; i < data.n; i++) {
      const [x1, x2] = [data.x[2 * i]!, data.x[2 * i + 1]!];
      expect(data.labels![i]).toBe(Math.sign(x1 * x2) > 0 ? 1 : 0);
      expect(Math.min(Math.abs(x1), Math.abs(x2))).toBeGreaterThanOrEqual(0.3);
    }
  });

  it("xor with noise flips some labels near the axes but not far from them", () => {
    const data = makeDataset("xor", { noise: 0.1, seed: 2 });
    let flipped = 0;
    for (let i = 0; i < data.n; i++) {
      const [x1, x2] = [data.x[2 * i]!, data.x[2 * i + 1]!];
      if (data.labels![i] !== (x1 * x2 > 0 ? 1 : 0)) {
        flipped++;
        expect(Math.min(Math.abs(x1), Math.abs(x2))).toBeLessThan(0.5);
      }
    }
    expect(flipped).toBeGreaterThan(0);
  });

  it("circle: class 1 when the noisy radius is below 2.5; without noise the classes are the disc and the ring", () => {
    fc.assert(
      fc.property(fc.nat(), (seed) => {
        const data = makeDataset("circle", { seed });
        expect(classCounts(data)).toEqual([250, 250]);
        for (let i = 0; i < data.n; i++) {
          const r = Math.hypot(data.x[2 * i]!, data.x[2 * i + 1]!);
          expect(data.labels![i]).toBe(r < 2.5 ? 1 : 0);
          expect(r < 2.5 || (r >= 3.5 - 1e-12 && r <= 5 + 1e-12)).toBe(true);
        }
      }),
      { numRuns: 10 },
    );
  });

  it("gauss: centres (2, 2) and (-2, -2), variance 0.5 at no noise and 4 at noise 0.5", () => {
    for (const [noise, variance] of [[0, 0.5], [0.25, 2.25], [0.5, 4]] as const) {
      const data = makeDataset("gauss", { n: 20000, noise, seed: 11 });
      for (const [label, centre] of [[1, 2], [0, -2]] as const) {
        let sum = 0;
        let sq = 0;
        let m = 0;
        for (let i = 0; i < data.n; i++) {
          if (data.labels![i] !== label) continue;
          for (const v of [data.x[2 * i]!, data.x[2 * i + 1]!]) {
            sum += v;
            sq += (v - centre) ** 2;
            m++;
          }
        }
        expect(Math.abs(sum / m - centre)).toBeLessThan(0.05);
        expect(Math.abs(sq / m / variance - 1)).toBeLessThan(0.05);
      }
    }
  });

  it("spiral without noise: r = 5i/m, t = 1.75·2π·i/m (+π for the class-0 arm)", () => {
    const data = makeDataset("spiral", { n: 100 });
    expect(classCounts(data)).toEqual([50, 50]);
    for (const [row, i, offset, label] of [[0, 0, 0, 1], [7, 7, 0, 1], [49, 49, 0, 1], [50, 0, Math.PI, 0], [83, 33, Math.PI, 0]] as const) {
      const r = (i / 50) * 5;
      const t = ((1.75 * i) / 50) * 2 * Math.PI + offset;
      expect(data.x[2 * row]).toBeCloseTo(r * Math.sin(t), 12);
      expect(data.x[2 * row + 1]).toBeCloseTo(r * Math.cos(t), 12);
      expect(data.labels![row]).toBe(label);
    }
  });

  it("spiral3: three arms 2π/3 apart, one class each; needs one-hot targets", () => {
    const data = makeDataset("spiral3", { n: 301 });
    expect(classCounts(data)).toEqual([101, 100, 100]);
    expect(data.nOut).toBe(3);
    const k = 101 + 100 + 10;
    const t = ((1.75 * 10) / (301 / 3)) * 2 * Math.PI + (4 * Math.PI) / 3;
    expect(data.x[2 * k]).toBeCloseTo(((10 / (301 / 3)) * 5) * Math.sin(t), 12);
    expect(data.labels![k]).toBe(2);
    expect(thrown(() => makeDataset("spiral3", { encoding: "binary" })).field).toBe("encoding");
  });

  it("moons without noise lie on make_moons' two unit half circles (mapped by (p - (0.5, 0.25))·3)", () => {
    const data = makeDataset("moons", { n: 101 });
    expect(classCounts(data)).toEqual([50, 51]);
    for (let i = 0; i < data.n; i++) {
      const p1 = data.x[2 * i]! / 3 + 0.5;
      const p2 = data.x[2 * i + 1]! / 3 + 0.25;
      const outer = data.labels![i] === 0;
      expect(outer ? Math.hypot(p1, p2) : Math.hypot(p1 - 1, p2 - 0.5)).toBeCloseTo(1, 12);
      expect(outer ? p2 >= -1e-12 : p2 <= 0.5 + 1e-12).toBe(true);
    }
    expect([data.x[0], data.x[1]]).toEqual([1.5, -0.75]);
  });

  it("reg-plane without noise: the target is (x1 + x2)/10", () => {
    const data = makeDataset("reg-plane", { seed: 4 });
    for (let i = 0; i < data.n; i++) expect(data.y[i]).toBeCloseTo((data.x[2 * i]! + data.x[2 * i + 1]!) / 10, 14);
  });

  it("reg-gauss without noise: the nearest bump's sign times max(0, 1 - d/2)", () => {
    const bumps = [[-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1], [-4, -2.5, -1], [0, -2.5, 1], [4, -2.5, -1]] as const;
    const data = makeDataset("reg-gauss", { seed: 8 });
    let nonzero = 0;
    for (let i = 0; i < data.n; i++) {
      const [x1, x2] = [data.x[2 * i]!, data.x[2 * i + 1]!];
      const [d, sign] = bumps.map(([cx, cy, s]) => [Math.hypot(x1 - cx, x2 - cy), s] as const).sort((a, b) => a[0] - b[0])[0]!;
      expect(data.y[i]).toBeCloseTo(sign * Math.max(0, 1 - d / 2), 14);
      if (data.y[i] !== 0) nonzero++;
    }
    expect(nonzero).toBeGreaterThan(data.n / 4);
  });

  it("encodes the Playground's ±1 labels when asked: class 1 → +1, class 0 → -1", () => {
    const data = makeDataset("gauss", { n: 10, encoding: "signed" });
    expect(data.nOut).toBe(1);
    expect(Array.from(data.y)).toEqual(Array.from(data.labels!, (c) => (c === 1 ? 1 : -1)));
    expect(Array.from(makeDataset("gauss", { n: 10, encoding: "binary" }).y)).toEqual(Array.from(data.labels!));
    expect(makeDataset("reg-plane", { n: 5, encoding: "signed" }).encoding).toBe("regression");
  });

  it("rejects unknown names and bad options, naming the field", () => {
    const e = thrown(() => makeDataset("swirl" as DatasetName));
    expect([e.code, e.field]).toEqual(["unknown-name", "dataset"]);
    for (const name of DATASET_NAMES) expect(e.message).toContain(name);
    expect(thrown(() => datasetInfo("nope" as DatasetName)).code).toBe("unknown-name");
    expect(thrown(() => makeDataset("xor", { noise: 0.6 })).field).toBe("noise");
    expect(thrown(() => makeDataset("xor", { noise: -0.01 })).field).toBe("noise");
    expect(thrown(() => makeDataset("xor", { noise: NaN })).field).toBe("noise");
    expect(thrown(() => makeDataset("xor", { n: 0 })).field).toBe("n");
    expect(thrown(() => makeDataset("course-xor", { n: 2.5 })).field).toBe("n");
    expect(thrown(() => makeDataset("xor", { seed: -1 })).field).toBe("seed");
    const enc = thrown(() => makeDataset("xor", { encoding: "ternary" as "binary" }));
    expect([enc.code, enc.field]).toEqual(["unknown-name", "encoding"]);
  });
});
