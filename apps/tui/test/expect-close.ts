import { expect } from "vitest";

/**
 * |actual − expected| ≤ tol·max(1, |expected|), and NaN or ±Infinity only
 * where the expected value has the very same one: NaN is never "close" to a
 * number, nor to another NaN unless NaN was expected.
 */
export function expectClose(actual: number, expected: number, tol = 1e-12): void {
  if (!Number.isFinite(expected) || !Number.isFinite(actual)) {
    expect(Object.is(actual, expected), `expected ${expected}, got ${actual}`).toBe(true);
    return;
  }
  expect(Math.abs(actual - expected), `expected ${expected}, got ${actual}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(expected)));
}
