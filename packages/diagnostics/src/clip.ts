import { BackpropError, type GradientHook, type HookContext } from "@backprop-lab/core";

/** How often a clipping hook acted: steps it saw (vetoed updates excluded) and steps it changed the gradient. */
export interface ClipStats {
  steps: number;
  clipped: number;
}

/** A gradient hook with its counters. */
export interface ClipHook {
  (ctx: HookContext): void | "skip";
  readonly stats: ClipStats;
  readonly kind: "norm" | "value";
}

/** PyTorch's clip_grad_norm_ adds this to the norm before dividing. */
export const CLIP_NORM_EPSILON = 1e-6;

/**
 * Scales `g` in place so its global L2 norm is at most about `maxNorm`, with
 * PyTorch's `clip_grad_norm_` rule: coef = maxNorm / (‖g‖ + 1e-6), applied
 * only when coef < 1. Returns the norm before clipping. A non-finite norm
 * leaves `g` untouched (PyTorch would turn it into NaN or zeros): the
 * divergence guard deals with that step.
 */
export function clipByNorm(g: Float64Array, maxNorm: number): number {
  let s = 0;
  for (let i = 0; i < g.length; i++) s += g[i]! * g[i]!;
  const norm = Math.sqrt(s);
  if (!Number.isFinite(norm)) return norm;
  const coef = maxNorm / (norm + CLIP_NORM_EPSILON);
  if (coef < 1) for (let i = 0; i < g.length; i++) g[i] = g[i]! * coef;
  return norm;
}

/** Clamps every entry of `g` to [−limit, limit] in place; returns how many entries changed. NaN stays NaN. */
export function clipByValue(g: Float64Array, limit: number): number {
  let changed = 0;
  for (let i = 0; i < g.length; i++) {
    const v = g[i]!;
    if (v > limit) {
      g[i] = limit;
      changed++;
    } else if (v < -limit) {
      g[i] = -limit;
      changed++;
    }
  }
  return changed;
}

function positive(value: number, field: string): void {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new BackpropError("invalid-argument", `${field} must be a finite number > 0, got ${String(value)}`, { field });
  }
}

/**
 * A gradient hook that clips the whole gradient by its global norm (all
 * layers, weights and biases together). It sets report.clipped, and
 * report.clippedNorm to the norm after clipping; report.gradNorm keeps the
 * norm before.
 */
export function clipByNormHook(maxNorm: number): ClipHook {
  positive(maxNorm, "maxNorm");
  const stats: ClipStats = { steps: 0, clipped: 0 };
  const hook = (ctx: HookContext): void => {
    const { report, grads } = ctx;
    if (report.skipped) return;
    stats.steps++;
    // clipByNorm's loop written out: a double returned from a call V8 does not
    // inline is boxed, and that would allocate on every step
    const g = grads.data;
    let s = 0;
    for (let i = 0; i < g.length; i++) s += g[i]! * g[i]!;
    const norm = Math.sqrt(s);
    const coef = maxNorm / (norm + CLIP_NORM_EPSILON);
    if (Number.isFinite(norm) && coef < 1) {
      for (let i = 0; i < g.length; i++) g[i] = g[i]! * coef;
      stats.clipped++;
      report.clipped = true;
      report.clippedNorm = norm * coef;
    } else {
      report.clippedNorm = norm;
    }
  };
  return Object.assign(hook, { stats, kind: "norm" as const });
}

/** A gradient hook that clamps every gradient entry to [−limit, limit]; report.clippedNorm is the norm after. */
export function clipByValueHook(limit: number): ClipHook {
  positive(limit, "limit");
  const stats: ClipStats = { steps: 0, clipped: 0 };
  const hook = (ctx: HookContext): void => {
    const { report, grads } = ctx;
    if (report.skipped) return;
    stats.steps++;
    if (clipByValue(grads.data, limit) > 0) {
      stats.clipped++;
      report.clipped = true;
      let s = 0;
      const g = grads.data;
      for (let i = 0; i < g.length; i++) s += g[i]! * g[i]!;
      report.clippedNorm = Math.sqrt(s);
    }
  };
  return Object.assign(hook, { stats, kind: "value" as const });
}
