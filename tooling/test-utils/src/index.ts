import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";

/** ../shared beside the repository (CI lays a copy there); BACKPROP_SHARED overrides. */
export function sharedDir(): string {
  return process.env.BACKPROP_SHARED ?? fileURLToPath(new URL("../../../../shared/", import.meta.url));
}

export function readReference<T = any>(name: string): T {
  return JSON.parse(readFileSync(`${sharedDir()}/reference/${name}`, "utf8")) as T;
}

/**
 * |actual − expected| ≤ tol elementwise over nested arrays. NaN is close only
 * to NaN and ±Infinity only to itself, so a non-finite value never hides.
 */
export function expectClose(actual: unknown, expected: unknown, tol: number, path = "value"): void {
  if (Array.isArray(expected) || ArrayBuffer.isView(expected)) {
    const e = Array.from(expected as ArrayLike<unknown>);
    const a = Array.isArray(actual) || ArrayBuffer.isView(actual) ? Array.from(actual as ArrayLike<unknown>) : null;
    expect(a, `${path} should be an array`).not.toBeNull();
    expect(a!.length, `${path}.length`).toBe(e.length);
    e.forEach((v, i) => expectClose(a![i], v, tol, `${path}[${i}]`));
    return;
  }
  expect(typeof actual, `${path} type`).toBe("number");
  const a = actual as number;
  const e = expected as number;
  if (Number.isNaN(e) || Number.isNaN(a)) {
    expect(Number.isNaN(a) && Number.isNaN(e), `${path}: ${a} vs ${e}`).toBe(true);
    return;
  }
  if (!Number.isFinite(e) || !Number.isFinite(a)) {
    expect(a, path).toBe(e);
    return;
  }
  expect(Math.abs(a - e), `${path}: ${a} vs ${e}`).toBeLessThanOrEqual(tol);
}
