import type { Dataset } from "../data.js";
import { BackpropError } from "../errors.js";
import { sinAt } from "../libm.js";

/** The TensorFlow Playground's input features, computed from a 2-D point (x1, x2). */
export const FEATURE_NAMES = ["x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1", "sinx2"] as const;

export type FeatureName = (typeof FEATURE_NAMES)[number];

/** How each feature is written for display (Unicode). */
export const FEATURE_LABELS: Readonly<Record<FeatureName, string>> = {
  x1: "x₁",
  x2: "x₂",
  x1sq: "x₁²",
  x2sq: "x₂²",
  x1x2: "x₁·x₂",
  sinx1: "sin(x₁)",
  sinx2: "sin(x₂)",
};

/** How each feature is written where only ASCII will do (terminals, CSV headers). */
export const FEATURE_ASCII_LABELS: Readonly<Record<FeatureName, string>> = {
  x1: "x1",
  x2: "x2",
  x1sq: "x1^2",
  x2sq: "x2^2",
  x1x2: "x1*x2",
  sinx1: "sin(x1)",
  sinx2: "sin(x2)",
};

/** The Playground's default: the raw coordinates. */
export const DEFAULT_FEATURES: readonly FeatureName[] = ["x1", "x2"];

/** True when `name` is a feature name. */
export function isFeatureName(name: unknown): name is FeatureName {
  return typeof name === "string" && (FEATURE_NAMES as readonly string[]).includes(name);
}

/** Throws unless `features` is a non-empty list of distinct feature names. Allocates nothing on success. */
export function validateFeatures(features: readonly string[]): asserts features is readonly FeatureName[] {
  if (!Array.isArray(features) || features.length === 0) {
    throw new BackpropError("invalid-argument", "features must be a non-empty list of feature names", { field: "features" });
  }
  for (let i = 0; i < features.length; i++) {
    const f = features[i];
    if (!isFeatureName(f)) {
      const shown = typeof f === "string" ? JSON.stringify(f) : String(f);
      throw new BackpropError("unknown-name", `features[${i}] is ${shown}; expected one of ${FEATURE_NAMES.join(", ")}`, { field: `features[${i}]` });
    }
    for (let j = 0; j < i; j++) {
      if (features[j] === f) {
        throw new BackpropError("invalid-argument", `features[${i}] repeats "${f}" (already features[${j}])`, { field: `features[${i}]` });
      }
    }
  }
}

/**
 * Fills out (n, k) with the k = features.length features of the 2-D points
 * x (n, 2), one column per feature; returns out. Allocates nothing, so grid
 * sampling can call it per chunk.
 *
 * @example featurizeInto(new Float64Array(3), Float64Array.of(2, 3), 1, ["x1sq", "x1x2", "sinx2"]) // [4, 6, sin 3]
 */
export function featurizeInto(out: Float64Array, x: Float64Array, n: number, features: readonly FeatureName[]): Float64Array {
  validateFeatures(features);
  const k = features.length;
  if (!Number.isInteger(n) || n < 0 || x.length < n * 2 || out.length < n * k) {
    throw new BackpropError("shape-mismatch", `featurizeInto needs x of n·2 = ${n * 2} and out of n·k = ${n * k} values, got ${x.length} and ${out.length}`, { field: "out" });
  }
  // one loop per feature: a double returned from a per-point call would be boxed on the heap
  for (let j = 0; j < k; j++) {
    switch (features[j]!) {
      case "x1":
        for (let i = 0, o = j; i < n; i++, o += k) out[o] = x[2 * i]!;
        break;
      case "x2":
        for (let i = 0, o = j; i < n; i++, o += k) out[o] = x[2 * i + 1]!;
        break;
      case "x1sq":
        for (let i = 0, o = j; i < n; i++, o += k) out[o] = x[2 * i]! * x[2 * i]!;
        break;
      case "x2sq":
        for (let i = 0, o = j; i < n; i++, o += k) out[o] = x[2 * i + 1]! * x[2 * i + 1]!;
        break;
      case "x1x2":
        for (let i = 0, o = j; i < n; i++, o += k) out[o] = x[2 * i]! * x[2 * i + 1]!;
        break;
      case "sinx1":
        for (let i = 0, o = j; i < n; i++, o += k) {
          out[o] = x[2 * i]!;
          sinAt(out, o);
        }
        break;
      case "sinx2":
        for (let i = 0, o = j; i < n; i++, o += k) {
          out[o] = x[2 * i + 1]!;
          sinAt(out, o);
        }
        break;
    }
  }
  return out;
}

/**
 * A new data set whose inputs are the chosen features of data's 2-D inputs:
 * x becomes (n, features.length); targets and labels are copied unchanged.
 *
 * @example applyFeatures(makeDataset("circle"), ["x1sq", "x2sq"]) // circle becomes linearly separable
 */
export function applyFeatures(data: Dataset, features: readonly FeatureName[]): Dataset {
  validateFeatures(features);
  if (data.nIn !== 2) {
    throw new BackpropError("shape-mismatch", `features need 2 inputs (x1, x2), the data set has ${data.nIn}`, { field: "nIn" });
  }
  const k = features.length;
  const x = featurizeInto(new Float64Array(data.n * k), data.x, data.n, features);
  return {
    ...data,
    x,
    nIn: k,
    y: data.y.slice(),
    labels: data.labels ? data.labels.slice() : null,
  };
}
