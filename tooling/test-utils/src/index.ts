import { expect } from "vitest";

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

type TypedArrayName = "Float64Array" | "Float32Array" | "Int32Array" | "Uint32Array" | "Uint8Array";

/**
 * How many `name` typed arrays are made while `fn` runs. Typed arrays keep
 * their data outside V8's young generation, so heap-space measurements miss
 * them; meanwhile the global constructor is a counting subclass, so every
 * one that code looks up by its global name is counted.
 */
export function typedArraysMade(name: TypedArrayName, fn: () => void): number {
  const scope = globalThis as unknown as Record<TypedArrayName, new (...args: unknown[]) => object>;
  const Original = scope[name];
  let made = 0;
  scope[name] = class extends Original {
    constructor(...args: unknown[]) {
      super(...args);
      made++;
    }
  };
  try {
    fn();
  } finally {
    scope[name] = Original;
  }
  return made;
}
