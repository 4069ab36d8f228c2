import { describe, expect, it } from "vitest";
import { expectClose } from "./test-helpers.js";

describe("expectClose", () => {
  it("fails on any NaN or Infinity mismatch and passes on equal non-finite values", () => {
    expect(() => expectClose(Number.NaN, 0, 1)).toThrow();
    expect(() => expectClose(0, Number.NaN, 1)).toThrow();
    expect(() => expectClose(Infinity, 1e308, 1e308)).toThrow();
    expect(() => expectClose([1, Number.NaN], [1, 2], 10)).toThrow();
    expect(() => expectClose(1.1, 1, 0.01)).toThrow();
    expectClose([Number.NaN, -Infinity, 1], [Number.NaN, -Infinity, 1 + 1e-12], 1e-9);
  });
});
