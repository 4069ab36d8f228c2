import { BackpropError } from "@backprop-lab/core";

/** Throws `invalid-argument` naming `field` unless `value` is an integer in [min, max]. */
export function checkInt(value: unknown, field: string, min: number, max: number): asserts value is number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new BackpropError("invalid-argument", `${field} must be an integer in [${min}, ${max}], got ${String(value)}`, { field });
  }
}

/** Throws `invalid-argument` naming `field` unless `value` is a finite number. */
export function checkFinite(value: unknown, field: string): asserts value is number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new BackpropError("invalid-argument", `${field} must be a finite number, got ${String(value)}`, { field });
  }
}

/** Throws `shape-mismatch` naming `field` unless `length` ≥ `needed`. */
export function checkLength(length: number, needed: number, field: string): void {
  if (length < needed) {
    throw new BackpropError("shape-mismatch", `${field} has ${length} values, needs ${needed}`, { field });
  }
}
