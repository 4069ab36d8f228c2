import { BackpropError, makeDataset } from "@backprop-lab/core";
import { describe, expect, test } from "vitest";
import { expectClose } from "../test/helpers.js";
import { cellCenterX, cellCenterY, domainForDataset, PLAYGROUND_DOMAIN } from "./domain.js";

describe("domains", () => {
  test("built-in Playground sets use [-6, 6]²; course-xor its bounding box plus 10 %", () => {
    for (const name of ["xor", "circle", "gauss", "spiral", "reg-plane"] as const) expect(domainForDataset(name)).toEqual(PLAYGROUND_DOMAIN);
    const d = domainForDataset("course-xor");
    const data = makeDataset("course-xor");
    const xs = Array.from(data.x.filter((_, i) => i % 2 === 0));
    const ys = Array.from(data.x.filter((_, i) => i % 2 === 1));
    const span = (v: number[]) => Math.max(...v) - Math.min(...v);
    expectClose(
      [d.xMin, d.xMax, d.yMin, d.yMax],
      [Math.min(...xs) - 0.1 * span(xs), Math.max(...xs) + 0.1 * span(xs), Math.min(...ys) - 0.1 * span(ys), Math.max(...ys) + 0.1 * span(ys)],
      1e-12,
    );
  });

  test("a data set gives its bounding box plus padding; a single point widens to ±1", () => {
    const data = { x: Float64Array.of(1, 2, 3, -2), y: Float64Array.of(0, 1), n: 2, nIn: 2, nOut: 1, labels: null, classes: 0, encoding: "regression" as const };
    expect(domainForDataset(data, { padding: 0.5 })).toEqual({ xMin: 0, xMax: 4, yMin: -4, yMax: 4 });
    expect(domainForDataset({ ...data, n: 1 }, { padding: 0 })).toEqual({ xMin: 0, xMax: 2, yMin: 1, yMax: 3 });
  });

  test("cell centres: column 0 at the left, row 0 at the top", () => {
    expect([cellCenterX(PLAYGROUND_DOMAIN, 4, 0), cellCenterX(PLAYGROUND_DOMAIN, 4, 3)]).toEqual([-4.5, 4.5]);
    expect([cellCenterY(PLAYGROUND_DOMAIN, 4, 0), cellCenterY(PLAYGROUND_DOMAIN, 4, 3)]).toEqual([4.5, -4.5]);
  });

  test("unknown names and non-finite data throw", () => {
    expect(() => domainForDataset("nope" as "xor")).toThrow(BackpropError);
    const bad = { x: Float64Array.of(Number.NaN, 0), y: Float64Array.of(0), n: 1, nIn: 2, nOut: 1, labels: null, classes: 0, encoding: "regression" as const };
    expect(() => domainForDataset(bad)).toThrow(/non-finite/);
  });
});
