import { BackpropError, assertFinite } from "./errors.js";
import type { Gradients, Mlp } from "./mlp.js";

/**
 * Penalties on weights only (never biases), with the course's scaling:
 * L2 adds λ·ΣW²/(2n) with gradient λ·W/n; L1 adds λ·Σ|W|/n with gradient
 * λ·sign(W)/n.
 *
 * `gradient: "course-bug"` (L2 only) is a labelled teaching hook: it adds
 * λ·ΣW²/n to every entry of a layer's gradient instead of λ·W/n, which is what
 * the course's code does (`reg * sum(W^2)`). The penalty itself stays correct,
 * so a gradient check exposes the bug.
 */
export interface Regularization {
  kind: "none" | "l1" | "l2";
  lambda: number;
  gradient?: "correct" | "course-bug";
}

export const NO_REGULARIZATION: Regularization = { kind: "none", lambda: 0 };

export function normalizeRegularization(value: unknown, field = "regularization"): Regularization {
  if (value === undefined || value === null) return NO_REGULARIZATION;
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new BackpropError("invalid-argument", `${field} must be an object like { kind: "l2", lambda: 0.001 }`, { field });
  }
  const r = value as Record<string, unknown>;
  const kind = r.kind ?? "none";
  if (kind !== "none" && kind !== "l1" && kind !== "l2") {
    throw new BackpropError("invalid-argument", `${field}.kind must be none, l1 or l2, got ${JSON.stringify(kind)}`, { field: `${field}.kind` });
  }
  const lambda = r.lambda ?? 0;
  assertFinite(lambda, `${field}.lambda`);
  if (lambda < 0) throw new BackpropError("invalid-argument", `${field}.lambda must be ≥ 0, got ${lambda}`, { field: `${field}.lambda` });
  const gradient = r.gradient ?? "correct";
  if (gradient !== "correct" && gradient !== "course-bug") {
    throw new BackpropError("invalid-argument", `${field}.gradient must be "correct" or "course-bug"`, { field: `${field}.gradient` });
  }
  if (gradient === "course-bug" && kind !== "l2") {
    throw new BackpropError("invalid-argument", `${field}.gradient "course-bug" only exists for l2`, { field: `${field}.gradient` });
  }
  return gradient === "course-bug" ? { kind, lambda, gradient } : { kind, lambda };
}

const SCRATCH = new Float64Array(1);

/** The penalty for a batch of n rows. */
export function regularizationLoss(net: Mlp, reg: Regularization, n: number): number {
  return computePenalty(SCRATCH, net, reg, n)[0]!;
}

/** `regularizationLoss` written into out[0], so the training step boxes no double. */
export function computePenalty(out: Float64Array, net: Mlp, reg: Regularization, n: number): Float64Array {
  out[0] = 0;
  if (reg.kind === "none" || reg.lambda === 0) return out;
  let sum = 0;
  const layers = net.layers;
  for (let l = 0; l < layers.length; l++) {
    const W = layers[l]!.W;
    if (reg.kind === "l2") for (let k = 0; k < W.length; k++) sum += W[k]! * W[k]!;
    else for (let k = 0; k < W.length; k++) sum += Math.abs(W[k]!);
  }
  out[0] = reg.kind === "l2" ? (reg.lambda * sum) / (2 * n) : (reg.lambda * sum) / n;
  return out;
}

/** Adds the penalty's gradient to `grads` (weights only). */
export function addRegularizationGradient(grads: Gradients, net: Mlp, reg: Regularization, n: number): void {
  if (reg.kind === "none" || reg.lambda === 0) return;
  const c = reg.lambda / n;
  for (let l = 0; l < net.layers.length; l++) {
    const W = net.layers[l]!.W;
    const dW = grads.layers[l]!.dW;
    if (reg.kind === "l1") {
      for (let k = 0; k < W.length; k++) dW[k] = dW[k]! + c * Math.sign(W[k]!);
    } else if (reg.gradient === "course-bug") {
      let sumSq = 0;
      for (let k = 0; k < W.length; k++) sumSq += W[k]! * W[k]!;
      const bogus = c * sumSq;
      for (let k = 0; k < W.length; k++) dW[k] = dW[k]! + bogus;
    } else {
      for (let k = 0; k < W.length; k++) dW[k] = dW[k]! + c * W[k]!;
    }
  }
}
