import { createMlp, mlpFromParams } from "@backprop-lab/core";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { expectClose, typedArraysMade } from "../test/helpers.js";
import { boundaryLevel, contourLines, decisionBoundary } from "./contour.js";
import { PLAYGROUND_DOMAIN, type Domain } from "./domain.js";
import { sampleGrid } from "./grid.js";

/** Grid coordinates (column, row) of a domain point: cell centres sit at integers. */
function gridCoords(x: number, y: number, width: number, height: number, d: Domain): [number, number] {
  return [((x - d.xMin) / (d.xMax - d.xMin)) * width - 0.5, ((d.yMax - y) / (d.yMax - d.yMin)) * height - 0.5];
}

/** Bilinear interpolation of the grid at grid coordinates (c, r). */
function bilinear(values: ArrayLike<number>, width: number, height: number, c: number, r: number): number {
  const c0 = Math.min(Math.max(Math.floor(c), 0), width - 2);
  const r0 = Math.min(Math.max(Math.floor(r), 0), height - 2);
  const fx = c - c0;
  const fy = r - r0;
  const v = (rr: number, cc: number) => values[rr * width + cc]!;
  return (1 - fy) * ((1 - fx) * v(r0, c0) + fx * v(r0, c0 + 1)) + fy * ((1 - fx) * v(r0 + 1, c0) + fx * v(r0 + 1, c0 + 1));
}

/** Grid edges whose two ends straddle the level (one ≥ level, one < level). */
function straddlingEdges(values: ArrayLike<number>, width: number, height: number, level: number): number {
  let n = 0;
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      const a = values[r * width + c]! >= level;
      if (c + 1 < width && a !== values[r * width + c + 1]! >= level) n++;
      if (r + 1 < height && a !== values[(r + 1) * width + c]! >= level) n++;
    }
  }
  return n;
}

function isClosed(line: Float64Array): boolean {
  const n = line.length;
  return n >= 6 && line[0] === line[n - 2] && line[1] === line[n - 1];
}

const unit: Domain = { xMin: 0, xMax: 1, yMin: 0, yMax: 1 };

describe("contourLines", () => {
  test("a field equal to x1 gives one vertical line at x1 = level, top to bottom", () => {
    const width = 12;
    const height = 9;
    const d = PLAYGROUND_DOMAIN;
    const values = new Float64Array(width * height);
    for (let r = 0; r < height; r++) for (let c = 0; c < width; c++) values[r * width + c] = -6 + ((c + 0.5) * 12) / width;
    const lines = contourLines(values, width, height, 1.2, d);
    expect(lines.length).toBe(1);
    const line = lines[0]!;
    expect(line.length).toBe(2 * height);
    for (let i = 0; i < line.length; i += 2) expectClose(line[i], 1.2, 1e-12, `x of point ${i / 2}`);
    const ys = Array.from(line.filter((_, i) => i % 2 === 1)).sort((a, b) => b - a);
    expectClose([ys[0], ys.at(-1)], [6 - 12 / 18, -6 + 12 / 18], 1e-12); // first and last row centres
  });

  test("a radial field gives one closed loop on the circle", () => {
    const n = 61;
    const d = { xMin: -3, xMax: 3, yMin: -3, yMax: 3 };
    const values = new Float64Array(n * n);
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < n; c++) values[r * n + c] = Math.hypot(-3 + ((c + 0.5) * 6) / n, 3 - ((r + 0.5) * 6) / n);
    }
    const lines = contourLines(values, n, n, 2, d);
    expect(lines.length).toBe(1);
    expect(isClosed(lines[0]!)).toBe(true);
    // linear interpolation of a radius along an edge of 0.098 stays within 0.002 of the circle
    for (let i = 0; i < lines[0]!.length; i += 2) expect(Math.abs(Math.hypot(lines[0]![i]!, lines[0]![i + 1]!) - 2)).toBeLessThan(0.002);
  });

  test("a saddle square is split by its centre value", () => {
    // TL = BR = 1, TR = BL = 0, centre 0.5 ≥ 0.5: the 1s connect, cutting off the TR and BL corners
    const cut = contourLines([1, 0, 0, 1], 2, 2, 0.5, unit);
    expect(cut.length).toBe(2);
    expect(cut.map((l) => Array.from(l))).toEqual([
      [0.5, 0.75, 0.75, 0.5],
      [0.25, 0.5, 0.5, 0.25],
    ]);
    // at level 0.6 the centre (0.5) is below: the 1s are cut off instead
    const apart = contourLines([1, 0, 0, 1], 2, 2, 0.6, unit).map((l) => Array.from(l, (v) => Math.round(v * 1000) / 1000));
    expect(apart).toEqual([
      [0.45, 0.75, 0.25, 0.55],
      [0.75, 0.45, 0.55, 0.25],
    ]);
  });

  test("property: every point lies on the level (bilinear interpolation of the grid), each crossing appears once", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 12 }),
        fc.integer({ min: 2, max: 12 }),
        fc.double({ min: -1, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.boolean(),
        (width, height, level, seed, coarse) => {
          // coarse values (multiples of 0.25) make exact hits and saddles common
          let s = seed;
          const next = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32) * 2 - 1;
          const values = Array.from({ length: width * height }, () => (coarse ? Math.round(next() * 4) / 4 : next()));
          const d = { xMin: -2, xMax: 3, yMin: -1, yMax: 4 };
          const lines = contourLines(values, width, height, level, d);
          let points = 0;
          let endsMeet = 0;
          for (const line of lines) {
            expect(line.length).toBeGreaterThanOrEqual(4);
            points += line.length / 2;
            if (isClosed(line)) endsMeet++;
            for (let i = 0; i < line.length; i += 2) {
              const [c, r] = gridCoords(line[i]!, line[i + 1]!, width, height, d);
              expect(c).toBeGreaterThanOrEqual(-1e-9);
              expect(c).toBeLessThanOrEqual(width - 1 + 1e-9);
              expect(r).toBeGreaterThanOrEqual(-1e-9);
              expect(r).toBeLessThanOrEqual(height - 1 + 1e-9);
              // on a grid edge: one coordinate is an integer
              expect(Math.min(Math.abs(c - Math.round(c)), Math.abs(r - Math.round(r)))).toBeLessThan(1e-9);
              expectClose(bilinear(values, width, height, c, r), level, 1e-9, `level at point ${i / 2}`);
            }
            // consecutive points share a grid square
            for (let i = 2; i < line.length; i += 2) {
              const [c1, r1] = gridCoords(line[i - 2]!, line[i - 1]!, width, height, d);
              const [c2, r2] = gridCoords(line[i]!, line[i + 1]!, width, height, d);
              expect(Math.max(Math.abs(c1 - c2), Math.abs(r1 - r2))).toBeLessThanOrEqual(1 + 1e-9);
            }
          }
          // a closed line repeats its first point; an open one may also end where it began when the
          // level hits a grid value exactly (several edges then cross at that vertex)
          const crossings = straddlingEdges(values, width, height, level);
          expect(points).toBeGreaterThanOrEqual(crossings);
          expect(points).toBeLessThanOrEqual(crossings + endsMeet);
        },
      ),
      { numRuns: 200 },
    );
  });

  test("squares with a NaN or infinite corner are skipped; no point is ever non-finite", () => {
    const values = [0, 1, 2, 0, Number.NaN, 2, 0, 1, 2];
    const lines = contourLines(values, 3, 3, 0.5, unit);
    expect(lines.length).toBe(0); // every square touches the NaN centre
    const inf = contourLines([0, 1, Number.POSITIVE_INFINITY, 0, 1, 1, 0, 1, 1], 3, 3, 0.5, unit);
    expect(inf.length).toBe(1);
    expect(inf.every((l) => l.every(Number.isFinite))).toBe(true);
  });

  test("grids thinner than 2 cells have no squares; wrong sizes throw", () => {
    expect(contourLines([0, 1, 2], 3, 1, 0.5, unit)).toEqual([]);
    expect(() => contourLines([0, 1, 2], 2, 2, 0.5, unit)).toThrow(/values/);
    expect(() => contourLines([0, 1, 2, 3], 2, 2, Number.NaN, unit)).toThrow(/level/);
  });
});

describe("contourLines' kept buffers", () => {
  const wave = (w: number, h: number, phase: number) => Float64Array.from({ length: w * h }, (_, i) => Math.sin((i % w) * 0.3 + phase) + Math.cos(Math.floor(i / w) * 0.25 - phase));
  const trace = (w: number, h: number, phase: number) => contourLines(wave(w, h, phase), w, h, 0.2, PLAYGROUND_DOMAIN).map((l) => Array.from(l));

  test("interleaved sizes and grids trace the same lines as on their first call (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.record({ w: fc.integer({ min: 2, max: 60 }), h: fc.integer({ min: 2, max: 60 }), phase: fc.double({ min: -3, max: 3, noNaN: true }) }), { minLength: 2, maxLength: 6 }), (grids) => {
        const first = grids.map((g) => trace(g.w, g.h, g.phase));
        // again in reverse: every call now finds buffers left by a different grid
        [...grids].reverse().forEach((g, k) => expect(trace(g.w, g.h, g.phase)).toEqual(first[grids.length - 1 - k]));
      }),
      { numRuns: 60 },
    );
  });

  test("a second tracing of the same size makes no new edge buffers", () => {
    const values = wave(100, 100, 0.4);
    contourLines(values, 100, 100, 0, PLAYGROUND_DOMAIN);
    const made = typedArraysMade("Int32Array", () => {
      contourLines(values, 100, 100, 0, PLAYGROUND_DOMAIN);
      contourLines(values, 90, 100, 0, PLAYGROUND_DOMAIN);
    });
    expect(made).toBe(0);
  });
});

describe("decisionBoundary", () => {
  test("levels: 0.5 for sigmoid and softmax, 0 for tanh and linear", () => {
    expect(["sigmoid", "softmax", "tanh", "linear"].map((a) => boundaryLevel(a as "tanh"))).toEqual([0.5, 0.5, 0, 0]);
  });

  test("a linear 2-1 net with z = x1 − 1 has the vertical boundary x1 = 1; with tanh, within O(h³)", () => {
    for (const output of ["linear", "tanh"] as const) {
      const net = mlpFromParams({ sizes: [2, 1], hidden: "linear", output, bias: true }, Float64Array.of(1, 0, -1));
      const lines = decisionBoundary(sampleGrid(net, { resolution: 20, domain: PLAYGROUND_DOMAIN }));
      expect(lines.length).toBe(1);
      // cells are 0.6 wide; tanh bends (tanh z ≈ z − z³/3), so a straight-line crossing lands within 0.01
      for (let i = 0; i < lines[0]!.length; i += 2) expectClose(lines[0]![i], 1, output === "linear" ? 1e-12 : 0.01);
    }
  });

  test("a sigmoid 2-1 net: the boundary is where the output is 0.5", () => {
    const net = mlpFromParams({ sizes: [2, 1], hidden: "linear", output: "sigmoid", bias: true }, Float64Array.of(0.5, 1, 0.3));
    const sample = sampleGrid(net, { resolution: 30, domain: PLAYGROUND_DOMAIN });
    const lines = decisionBoundary(sample);
    expect(lines.length).toBe(1);
    // σ(z) = 0.5 ⇔ z = 0.5·x1 + x2 + 0.3 = 0; linear interpolation of σ along an edge is off by O(h³) near z = 0
    for (let i = 0; i < lines[0]!.length; i += 2) expect(Math.abs(0.5 * lines[0]![i]! + lines[0]![i + 1]! + 0.3)).toBeLessThan(1e-3);
    expect(decisionBoundary(sample, "tanh").length).toBe(0); // σ > 0 everywhere: no crossing of 0
  });

  test("softmax with two outputs: the same line as p1 = 0.5", () => {
    const net = createMlp({ sizes: [2, 6, 2], hidden: "tanh", output: "softmax", bias: true }, { seed: 9, init: "he" });
    const sample = sampleGrid(net, { resolution: 40, domain: PLAYGROUND_DOMAIN });
    const margin = decisionBoundary(sample).flatMap((l) => Array.from(l));
    const p1 = contourLines(sample.value, 40, 40, 0.5, sample.domain).flatMap((l) => Array.from(l));
    expect(margin.length).toBeGreaterThan(0);
    expectClose(margin, p1, 1e-9);
  });

  test("three classes: every boundary point lies on a grid edge whose ends are won by different classes", () => {
    const net = createMlp({ sizes: [2, 8, 3], hidden: "tanh", output: "softmax", bias: true }, { seed: 21, init: "he" });
    const sample = sampleGrid(net, { resolution: 30, domain: PLAYGROUND_DOMAIN });
    const lines = decisionBoundary(sample);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      for (let i = 0; i < line.length; i += 2) {
        const [c, r] = gridCoords(line[i]!, line[i + 1]!, 30, 30, sample.domain);
        const onRow = Math.abs(r - Math.round(r)) < 1e-9;
        const r0 = onRow ? Math.round(r) : Math.floor(r);
        const c0 = onRow ? Math.floor(c) : Math.round(c);
        const a = sample.classIndex[r0 * 30 + c0]!;
        const b = onRow ? sample.classIndex[r0 * 30 + Math.min(c0 + 1, 29)]! : sample.classIndex[Math.min(r0 + 1, 29) * 30 + c0]!;
        // an endpoint of the edge may be the crossing itself (margin exactly 0); otherwise the classes differ
        if (a === b) expect(Math.min(Math.abs(c - Math.round(c)), Math.abs(r - Math.round(r)))).toBeLessThan(1e-9);
        else expect(a).not.toBe(b);
      }
    }
  });
});
