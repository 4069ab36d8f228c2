import { BackpropError } from "./errors.js";
import { fastExpInPlace, fastSigmoid, fastSigmoidInto, fastTanhInto } from "./fast-math.js";

export type HiddenActivation = "sigmoid" | "tanh" | "relu" | "leaky-relu" | "linear";
export type OutputActivation = "sigmoid" | "tanh" | "linear" | "softmax";
export type Activation = HiddenActivation | OutputActivation;

export const HIDDEN_ACTIVATIONS: readonly HiddenActivation[] = ["sigmoid", "tanh", "relu", "leaky-relu", "linear"];
export const OUTPUT_ACTIVATIONS: readonly OutputActivation[] = ["sigmoid", "tanh", "linear", "softmax"];

/** Slope of leaky-relu for z ≤ 0. */
export const LEAKY_SLOPE = 0.01;

/** σ(z) = 1 / (1 + e^(−z)), the course's squashing function (core's own exp: the same bits in every engine). */
export function sigmoid(z: number): number {
  return fastSigmoid(z);
}

/**
 * a = f(z) elementwise over `len` values of an (n, nOut) block; softmax works
 * per row, so it needs `nOut`. Returns `a`.
 */
export function activate(a: Float64Array, z: Float64Array, len: number, nOut: number, f: Activation): Float64Array {
  switch (f) {
    case "sigmoid":
      fastSigmoidInto(a, z, len);
      break;
    case "tanh":
      fastTanhInto(a, z, len);
      break;
    case "relu":
      for (let i = 0; i < len; i++) a[i] = z[i]! > 0 ? z[i]! : 0;
      break;
    case "leaky-relu":
      for (let i = 0; i < len; i++) a[i] = z[i]! > 0 ? z[i]! : LEAKY_SLOPE * z[i]!;
      break;
    case "linear":
      for (let i = 0; i < len; i++) a[i] = z[i]!;
      break;
    case "softmax":
      softmaxRows(a, z, len, nOut);
      break;
  }
  return a;
}

/**
 * p_j = e^(z_j − max) / Σ_k e^(z_k − max) per row of nOut values, with core's
 * fastExp: shifting by the row max keeps exp finite.
 */
function softmaxRows(a: Float64Array, z: Float64Array, len: number, nOut: number): Float64Array {
  for (let r = 0; r < len; r += nOut) {
    let max = -Infinity;
    for (let j = 0; j < nOut; j++) if (z[r + j]! > max) max = z[r + j]!;
    for (let j = 0; j < nOut; j++) a[r + j] = z[r + j]! - max;
    fastExpInPlace(a, r, nOut);
    let sum = 0;
    for (let j = 0; j < nOut; j++) sum += a[r + j]!;
    for (let j = 0; j < nOut; j++) a[r + j] = a[r + j]! / sum;
  }
  return a;
}

/**
 * `activate` itself: since training also computes sigmoid, tanh and softmax
 * with core's own exp and tanh (fast-math.ts), inference (grid sampling,
 * neuron maps) and training share one numerics; the same bits in every
 * engine. Kept as its own name for the inference path. Returns `a`.
 */
export function activateFast(a: Float64Array, z: Float64Array, len: number, nOut: number, f: Activation): Float64Array {
  switch (f) {
    case "sigmoid":
      return fastSigmoidInto(a, z, len);
    case "tanh":
      return fastTanhInto(a, z, len);
    case "softmax":
      return softmaxRows(a, z, len, nOut);
    default:
      return activate(a, z, len, nOut, f);
  }
}

/**
 * Back through a = f(z): dz = da ⊙ f'(z), with f' written from a where that is
 * cheaper (σ' = a(1−a), tanh' = 1−a²). For softmax the Jacobian couples a row:
 * dz_j = a_j (da_j − Σ_k da_k a_k). Returns `dz`.
 */
export function activationBackward(
  dz: Float64Array,
  da: Float64Array,
  a: Float64Array,
  z: Float64Array,
  len: number,
  nOut: number,
  f: Activation,
): Float64Array {
  switch (f) {
    case "sigmoid":
      for (let i = 0; i < len; i++) dz[i] = da[i]! * a[i]! * (1 - a[i]!);
      break;
    case "tanh":
      for (let i = 0; i < len; i++) dz[i] = da[i]! * (1 - a[i]! * a[i]!);
      break;
    case "relu":
      for (let i = 0; i < len; i++) dz[i] = z[i]! > 0 ? da[i]! : 0;
      break;
    case "leaky-relu":
      for (let i = 0; i < len; i++) dz[i] = z[i]! > 0 ? da[i]! : LEAKY_SLOPE * da[i]!;
      break;
    case "linear":
      for (let i = 0; i < len; i++) dz[i] = da[i]!;
      break;
    case "softmax":
      for (let r = 0; r < len; r += nOut) {
        let dot = 0;
        for (let j = 0; j < nOut; j++) dot += da[r + j]! * a[r + j]!;
        for (let j = 0; j < nOut; j++) dz[r + j] = a[r + j]! * (da[r + j]! - dot);
      }
      break;
  }
  return dz;
}

/** f'(z) as a value, for explainers (softmax: the diagonal a(1−a)). */
export function activationSlope(a: number, z: number, f: Activation): number {
  switch (f) {
    case "sigmoid":
    case "softmax":
      return a * (1 - a);
    case "tanh":
      return 1 - a * a;
    case "relu":
      return z > 0 ? 1 : 0;
    case "leaky-relu":
      return z > 0 ? 1 : LEAKY_SLOPE;
    case "linear":
      return 1;
  }
}

export function assertHiddenActivation(value: unknown, field: string): asserts value is HiddenActivation {
  if (!HIDDEN_ACTIVATIONS.includes(value as HiddenActivation)) {
    throw new BackpropError("invalid-spec", `${field} must be one of ${HIDDEN_ACTIVATIONS.join(", ")}, got ${JSON.stringify(value)}`, { field });
  }
}

export function assertOutputActivation(value: unknown, field: string): asserts value is OutputActivation {
  if (!OUTPUT_ACTIVATIONS.includes(value as OutputActivation)) {
    throw new BackpropError("invalid-spec", `${field} must be one of ${OUTPUT_ACTIVATIONS.join(", ")}, got ${JSON.stringify(value)}`, { field });
  }
}
