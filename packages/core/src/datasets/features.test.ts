import { describe, expect, it } from "vitest";
import { classificationDataset } from "../data.js";
import { applyFeatures, FEATURE_ASCII_LABELS, FEATURE_LABELS, FEATURE_NAMES, featurizeInto, type FeatureName } from "./features.js";
import { makeDataset } from "./generators.js";
import { backpropErrorOf as thrown } from "../../test/helpers.js";

describe("input features", () => {
  it("names the Playground's seven inputs, with display labels", () => {
    expect(FEATURE_NAMES).toEqual(["x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1", "sinx2"]);
    expect(Object.keys(FEATURE_LABELS)).toEqual([...FEATURE_NAMES]);
    expect(Object.values(FEATURE_ASCII_LABELS)).toEqual(["x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)"]);
    expect(FEATURE_LABELS.x1sq).toBe("x₁²");
  });

  it("computes x1, x2, x1², x2², x1·x2, sin x1, sin x2 row by row, in the order asked", () => {
    const x = Float64Array.of(2, 3, -0.5, 4); // (2, 2)
    const out = featurizeInto(new Float64Array(14), x, 2, FEATURE_NAMES);
    expect(Array.from(out)).toEqual([2, 3, 4, 9, 6, Math.sin(2), Math.sin(3), -0.5, 4, 0.25, 16, -2, Math.sin(-0.5), Math.sin(4)]);
    const picked = featurizeInto(new Float64Array(4), x, 2, ["x1x2", "x1"]);
    expect(Array.from(picked)).toEqual([6, 2, -2, -0.5]);
  });

  it("featurizeInto fills the caller's buffer and returns it, leaving spare capacity untouched", () => {
    const out = new Float64Array(10).fill(7);
    expect(featurizeInto(out, Float64Array.of(1, 2, 3, 4), 2, ["x2sq", "sinx1"])).toBe(out);
    expect(Array.from(out.subarray(4))).toEqual([7, 7, 7, 7, 7, 7]);
    expect(featurizeInto(out, new Float64Array(0), 0, ["x1"])).toBe(out);
  });

  it("applyFeatures makes a new data set with x (n, k) and the same targets", () => {
    const data = makeDataset("circle", { n: 50, seed: 1 });
    const f = applyFeatures(data, ["x1sq", "x2sq", "x1"]);
    expect([f.n, f.nIn, f.x.length, f.nOut, f.classes, f.encoding]).toEqual([50, 3, 150, 2, 2, "one-hot"]);
    expect(f.y).toEqual(data.y);
    expect(f.labels).toEqual(data.labels);
    expect(f.y).not.toBe(data.y);
    expect(f.x[2 * 3 + 2]).toBe(data.x[2 * 2]);
    expect(f.x[3 * 4 + 1]).toBe(data.x[2 * 4 + 1]! ** 2);
    expect(data.nIn).toBe(2);
  });

  it("makes the circle linearly separable: class 1 exactly when x1² + x2² < 6.25 without noise", () => {
    const data = makeDataset("circle", { seed: 4 });
    const f = applyFeatures(data, ["x1sq", "x2sq"]);
    for (let i = 0; i < f.n; i++) expect(f.labels![i]).toBe(f.x[2 * i]! + f.x[2 * i + 1]! < 6.25 ? 1 : 0);
  });

  it("rejects unknown, repeated or no features, and data without two inputs", () => {
    const data = makeDataset("xor", { n: 4 });
    const unknown = thrown(() => applyFeatures(data, ["x1", "cosx1" as FeatureName]));
    expect([unknown.code, unknown.field]).toEqual(["unknown-name", "features[1]"]);
    expect(unknown.message).toContain("sinx1");
    expect(thrown(() => applyFeatures(data, [])).field).toBe("features");
    const repeated = thrown(() => applyFeatures(data, ["x1", "x2", "x1"]));
    expect([repeated.code, repeated.field]).toEqual(["invalid-argument", "features[2]"]);
    const three = classificationDataset(new Float64Array(6), 3, Int32Array.of(0, 1), 2);
    expect(thrown(() => applyFeatures(three, ["x1"])).code).toBe("shape-mismatch");
    expect(thrown(() => featurizeInto(new Float64Array(3), new Float64Array(4), 2, ["x1", "x2"])).code).toBe("shape-mismatch");
    expect(thrown(() => featurizeInto(new Float64Array(4), new Float64Array(4), 2, ["x1", "nope" as FeatureName])).field).toBe("features[1]");
  });
});
