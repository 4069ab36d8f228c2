import { describe, expect, it } from "vitest";
import { expectClose } from "./index.js";

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
