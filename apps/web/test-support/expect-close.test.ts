import { describe, expect, it } from "vitest";
import { expectClose } from "./expect-close.js";

describe("expectClose", () => {
  it("accepts values within the tolerance, elementwise", () => {
    expectClose([[1, 2.0000001]], [[1, 2]], 1e-6);
  });
  it("fails on a NaN against a number, either way round", () => {
    expect(() => expectClose(Number.NaN, 0, 1)).toThrow();
    expect(() => expectClose(0, Number.NaN, 1)).toThrow();
  });
  it("fails on Infinity against a large finite number, and on a shape mismatch", () => {
    expect(() => expectClose(Infinity, 1e308, 1e308)).toThrow();
    expect(() => expectClose([1, 2], [1], 1)).toThrow();
  });
});
