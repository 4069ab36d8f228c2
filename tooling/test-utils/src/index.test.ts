import { describe, expect, it } from "vitest";
import { expectClose, typedArraysMade } from "./index.js";

describe("expectClose", () => {
  it("accepts values within tolerance and nested arrays", () => {
    expectClose([[1, 2], [3, 4 + 1e-13]], [[1, 2], [3, 4]], 1e-12);
    expectClose(Number.NaN, Number.NaN, 1e-12);
  });
  it("never calls NaN close to a number, or Infinity close to a large number", () => {
    expect(() => expectClose(Number.NaN, 1, 1e9)).toThrow();
    expect(() => expectClose(1, Number.NaN, 1e9)).toThrow();
    expect(() => expectClose(Infinity, 1e308, 1e308)).toThrow();
    expect(() => expectClose([1, 2], [1, 2, 3], 1)).toThrow();
    expect(() => expectClose(1.1, 1, 0.01)).toThrow();
  });
});

describe("typedArraysMade", () => {
  it("counts the typed arrays of one kind made while fn runs, and restores the constructor", () => {
    const Original = globalThis.Float64Array;
    const kept: unknown[] = [];
    expect(typedArraysMade("Float64Array", () => {
      kept.push(new Float64Array(3), Float64Array.from([1, 2]), new Int32Array(2));
    })).toBe(2);
    expect(typedArraysMade("Int32Array", () => kept.push(new Float64Array(1)))).toBe(0);
    expect(globalThis.Float64Array).toBe(Original);
    expect(() => typedArraysMade("Float64Array", () => {
      throw new Error("boom");
    })).toThrow("boom");
    expect(globalThis.Float64Array).toBe(Original);
  });
});

describe("readReference", () => {
  it("reads the golden files kept in tooling/reference", async () => {
    const { readReference } = await import("./reference.js");
    const worked = readReference<{ name: string; inputs: { learning_rate: number } }>("seed-worked-example.json");
    expect(worked.name).toBe("seed-worked-example");
    expect(worked.inputs.learning_rate).toBe(0.001);
    const run = readReference<{ dataset: { X: number[][] } }>("scratch-mlp-xor-run.json");
    expect(run.dataset.X).toHaveLength(300);
    expect(() => readReference("no-such-file.json")).toThrow(/no-such-file/);
  });
});
