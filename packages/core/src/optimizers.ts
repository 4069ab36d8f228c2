import { BackpropError, assertFinite } from "./errors.js";
import { powIntAt } from "./libm.js";

/**
 * - `sgd`: p ← p − η·g
 * - `momentum`: v ← μ·v + g; p ← p − η·v, or with Nesterov p ← p − η·(g + μ·v)
 * - `adam`: m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²;
 *   p ← p − η·m̂/(√v̂ + ε) with m̂ = m/(1−β1^t), v̂ = v/(1−β2^t): the bias
 *   correction divides (ConvNetJS multiplies, which is wrong).
 */
export type OptimizerConfig =
  | { kind: "sgd" }
  | { kind: "momentum"; momentum?: number; nesterov?: boolean }
  | { kind: "adam"; beta1?: number; beta2?: number; epsilon?: number };

export type OptimizerName = OptimizerConfig["kind"];
export const OPTIMIZER_NAMES: readonly OptimizerName[] = ["sgd", "momentum", "adam"];

/** Moments mirror the parameter layout; `t` counts updates (for Adam's correction). */
export interface OptimizerState {
  config: Required<{ kind: OptimizerName; momentum: number; nesterov: boolean; beta1: number; beta2: number; epsilon: number }>;
  m: Float64Array;
  v: Float64Array;
  t: number;
}

export function normalizeOptimizer(value: unknown, field = "optimizer"): OptimizerState["config"] {
  const o = (typeof value === "string" ? { kind: value } : (value ?? { kind: "sgd" })) as Record<string, unknown>;
  if (typeof o !== "object" || Array.isArray(o) || !OPTIMIZER_NAMES.includes(o.kind as OptimizerName)) {
    throw new BackpropError("invalid-argument", `${field}.kind must be one of ${OPTIMIZER_NAMES.join(", ")}, got ${JSON.stringify(o?.kind)}`, {
      field: `${field}.kind`,
    });
  }
  const num = (key: string, dflt: number, lo: number, hi: number): number => {
    const x = o[key] ?? dflt;
    assertFinite(x, `${field}.${key}`);
    if (x < lo || x >= hi) throw new BackpropError("invalid-argument", `${field}.${key} must be in [${lo}, ${hi}), got ${x}`, { field: `${field}.${key}` });
    return x;
  };
  const nesterov = o.nesterov ?? false;
  if (typeof nesterov !== "boolean") throw new BackpropError("invalid-argument", `${field}.nesterov must be a boolean`, { field: `${field}.nesterov` });
  return {
    kind: o.kind as OptimizerName,
    momentum: num("momentum", 0.9, 0, 1),
    nesterov,
    beta1: num("beta1", 0.9, 0, 1),
    beta2: num("beta2", 0.999, 0, 1),
    epsilon: positiveEpsilon(o.epsilon ?? 1e-8, `${field}.epsilon`),
  };
}

/** Adam's ε must be > 0: with ε = 0 a zero gradient gives 0/0 = NaN in every parameter. */
function positiveEpsilon(x: unknown, field: string): number {
  assertFinite(x, field);
  if (x <= 0 || x > 1) throw new BackpropError("invalid-argument", `${field} must be in (0, 1], got ${x}`, { field });
  return x;
}

export function createOptimizerState(config: OptimizerState["config"], size: number): OptimizerState {
  const moments = config.kind !== "sgd";
  return { config, m: new Float64Array(moments ? size : 0), v: new Float64Array(config.kind === "adam" ? size : 0), t: 0 };
}

const LR = new Float64Array(1);
/** β1^t and β2^t, computed in place (core's own power: the same bits in every engine, nothing boxed). */
const POWERS = new Float64Array(2);

/** One update of `params` from `grads` with learning rate `lr`. */
export function optimizerStep(state: OptimizerState, params: Float64Array, grads: Float64Array, lr: number): void {
  LR[0] = lr;
  applyUpdate(state, params, grads, LR);
}

/**
 * `optimizerStep` with the learning rate read from lrBox[0]: a double passed
 * to a call that is not inlined is boxed on the heap, so the training step
 * hands it over in a buffer and allocates nothing.
 */
export function applyUpdate(state: OptimizerState, params: Float64Array, grads: Float64Array, lrBox: Float64Array): void {
  const lr = lrBox[0]!;
  const c = state.config;
  state.t++;
  const len = params.length;
  if (c.kind === "sgd") {
    for (let i = 0; i < len; i++) params[i] = params[i]! - lr * grads[i]!;
  } else if (c.kind === "momentum") {
    const v = state.m;
    const mu = c.momentum;
    for (let i = 0; i < len; i++) {
      const g = grads[i]!;
      const vi = mu * v[i]! + g;
      v[i] = vi;
      params[i] = params[i]! - lr * (c.nesterov ? g + mu * vi : vi);
    }
  } else {
    const { m, v } = state;
    const { beta1, beta2, epsilon } = c;
    POWERS[0] = beta1;
    POWERS[1] = beta2;
    powIntAt(POWERS, 0, state.t);
    powIntAt(POWERS, 1, state.t);
    const corr1 = 1 - POWERS[0]!;
    const corr2 = 1 - POWERS[1]!;
    for (let i = 0; i < len; i++) {
      const g = grads[i]!;
      const mi = beta1 * m[i]! + (1 - beta1) * g;
      const vi = beta2 * v[i]! + (1 - beta2) * g * g;
      m[i] = mi;
      v[i] = vi;
      params[i] = params[i]! - (lr * (mi / corr1)) / (Math.sqrt(vi / corr2) + epsilon);
    }
  }
}
