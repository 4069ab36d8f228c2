import { BackpropError, assertFinite, assertInt } from "./errors.js";
import { cosAt, powIntAt, powPositiveAt } from "./libm.js";

/**
 * Learning rate η_t at update t (0-based), from the base rate η:
 * - `constant`: η
 * - `step`: η·factor^⌊t/every⌋
 * - `exponential`: η·decayRate^(t/decaySteps)
 * - `inverse-time`: η / (1 + decayRate·t/decaySteps)
 * - `cosine`: η_min + (η − η_min)·(1 + cos(π·min(t, T)/T))/2
 * - `linear`: from η to η_end over T updates, then η_end (micrograd's 1.0 → 0.1)
 */
export type Schedule =
  | { kind: "constant" }
  | { kind: "step"; every: number; factor: number }
  | { kind: "exponential"; decayRate: number; decaySteps: number }
  | { kind: "inverse-time"; decayRate: number; decaySteps: number }
  | { kind: "cosine"; totalSteps: number; minLearningRate?: number }
  | { kind: "linear"; totalSteps: number; endLearningRate: number };

export type ScheduleName = Schedule["kind"];
export const SCHEDULE_NAMES: readonly ScheduleName[] = ["constant", "step", "exponential", "inverse-time", "cosine", "linear"];

const SCRATCH = new Float64Array(1);
/** Scratch for core's own power and cosine, in place (nothing boxed). */
const POW = new Float64Array(2);

export function learningRateAt(schedule: Schedule, base: number, t: number): number {
  SCRATCH[0] = base;
  return computeLearningRate(SCRATCH, schedule, t)[0]!;
}

/**
 * `learningRateAt` in place: reads the base rate from out[0] and writes η_t
 * there. A double passed to or returned from a call that is not inlined is
 * boxed on the heap; this form lets the training step allocate nothing.
 */
export function computeLearningRate(out: Float64Array, schedule: Schedule, t: number): Float64Array {
  const base = out[0]!;
  switch (schedule.kind) {
    case "constant":
      out[0] = base;
      break;
    case "step":
      POW[0] = schedule.factor;
      powIntAt(POW, 0, Math.floor(t / schedule.every));
      out[0] = base * POW[0]!;
      break;
    case "exponential":
      POW[0] = schedule.decayRate;
      POW[1] = t / schedule.decaySteps;
      powPositiveAt(POW, 0);
      out[0] = base * POW[0]!;
      break;
    case "inverse-time":
      out[0] = base / (1 + (schedule.decayRate * t) / schedule.decaySteps);
      break;
    case "cosine": {
      const lo = schedule.minLearningRate ?? 0;
      const p = Math.min(t, schedule.totalSteps) / schedule.totalSteps;
      POW[0] = Math.PI * p;
      cosAt(POW, 0);
      out[0] = lo + ((base - lo) * (1 + POW[0]!)) / 2;
      break;
    }
    case "linear": {
      const p = Math.min(t, schedule.totalSteps) / schedule.totalSteps;
      out[0] = base + (schedule.endLearningRate - base) * p;
      break;
    }
  }
  return out;
}

export function normalizeSchedule(value: unknown, field = "schedule"): Schedule {
  if (value === undefined || value === null) return { kind: "constant" };
  const s = (typeof value === "string" ? { kind: value } : value) as Record<string, unknown>;
  if (typeof s !== "object" || Array.isArray(s) || !SCHEDULE_NAMES.includes(s.kind as ScheduleName)) {
    throw new BackpropError("invalid-argument", `${field}.kind must be one of ${SCHEDULE_NAMES.join(", ")}, got ${JSON.stringify(s?.kind)}`, {
      field: `${field}.kind`,
    });
  }
  const pos = (key: string, dflt: number): number => {
    const x = s[key] ?? dflt;
    assertFinite(x, `${field}.${key}`);
    if (x <= 0) throw new BackpropError("invalid-argument", `${field}.${key} must be > 0, got ${x}`, { field: `${field}.${key}` });
    return x;
  };
  // a factor or decay rate above 1 would make the rate grow
  const fraction = (key: string, dflt: number): number => {
    const x = s[key] ?? dflt;
    assertFinite(x, `${field}.${key}`);
    if (x <= 0 || x > 1) throw new BackpropError("invalid-argument", `${field}.${key} must be in (0, 1], got ${x}`, { field: `${field}.${key}` });
    return x;
  };
  const steps = (key: string, dflt: number): number => {
    const x = s[key] ?? dflt;
    assertInt(x, `${field}.${key}`, 1);
    return x;
  };
  switch (s.kind as ScheduleName) {
    case "constant":
      return { kind: "constant" };
    case "step":
      return { kind: "step", every: steps("every", 1000), factor: fraction("factor", 0.5) };
    case "exponential":
      return { kind: "exponential", decayRate: fraction("decayRate", 0.96), decaySteps: steps("decaySteps", 1000) };
    case "inverse-time":
      return { kind: "inverse-time", decayRate: fraction("decayRate", 1), decaySteps: steps("decaySteps", 1000) };
    case "cosine": {
      const minLearningRate = s.minLearningRate ?? 0;
      assertFinite(minLearningRate, `${field}.minLearningRate`);
      if (minLearningRate < 0) {
        throw new BackpropError("invalid-argument", `${field}.minLearningRate must be in [0, the base learning rate], got ${minLearningRate}`, { field: `${field}.minLearningRate` });
      }
      return { kind: "cosine", totalSteps: steps("totalSteps", 10000), minLearningRate };
    }
    case "linear":
      return { kind: "linear", totalSteps: steps("totalSteps", 10000), endLearningRate: pos("endLearningRate", 1e-4) };
  }
}
