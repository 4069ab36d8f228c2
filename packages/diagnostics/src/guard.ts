import { BackpropError, type GradientHook, type HookContext, type Trainer } from "@backprop-lab/core";
import { GUARD_FACTOR, GUARD_GRAD_JUMP, GUARD_WARMUP } from "./thresholds.js";

/** What the guard did on one step. */
export interface GuardEvent {
  /** The update that was vetoed (report.step). */
  step: number;
  reason: "non-finite" | "gradient-jump";
  loss: number;
  gradNorm: number;
  /** The smoothed gradient norm at the best smoothed loss, which the jump was measured against. */
  typicalGradNorm: number;
  learningRateBefore: number;
  learningRateAfter: number;
  /** The restored parameters are those update `restoredStep + 1` started from (0: the initial ones); −1 when there was nothing to restore. */
  restoredStep: number;
  /**
   * True on the guard's last event: the rate was already at its floor, so
   * lowering it again could not help. The guard then stops acting (it
   * neither vetoes nor lowers the rate again) and the run goes on as is.
   */
  gaveUp: boolean;
}

/**
 * The guard never sets a learning rate below this (or below the rate the
 * run started with, when that is lower): repeated rollbacks would otherwise
 * multiply the rate down to 0, which the trainer rejects.
 */
export const GUARD_MIN_LEARNING_RATE = 1e-6;

export interface DivergenceGuardOptions {
  /** The base learning rate is multiplied by this on every rollback. */
  factor?: number;
  /** A step whose gradient norm exceeds this many times the (smoothed) norm at the best loss counts as diverging. */
  gradJump?: number;
  /** Finite steps seen before the gradient-jump test starts. */
  warmup?: number;
  /** The lowest rate a rollback sets; default GUARD_MIN_LEARNING_RATE, or the starting rate if that is lower. */
  minLearningRate?: number;
}

export interface DivergenceGuard {
  /** Install with trainer.addHook(guard.hook), before clipping hooks. */
  hook: GradientHook;
  events(): readonly GuardEvent[];
  /** Rollbacks so far (events are kept up to MAX_GUARD_EVENTS; this keeps counting). */
  readonly rollbacks: number;
  /** The floor the guard lowers the rate to at most. */
  readonly minLearningRate: number;
  /** True once the guard has given up (see GuardEvent.gaveUp); it acts no more. */
  readonly gaveUp: boolean;
}

/** The guard keeps at most this many events; `rollbacks` counts them all. */
export const MAX_GUARD_EVENTS = 1000;

/**
 * Rolls training back when it diverges. Every healthy step copies the
 * parameters it started from into a buffer allocated once. A step whose loss
 * or gradient is NaN/±Infinity, or whose gradient norm exceeds `gradJump` ×
 * the gradient norm seen at the best loss so far (both smoothed over about 20
 * steps, so one noisy mini-batch does not count), is vetoed ("skip"): the
 * parameters go back to the last healthy copy, the optimizer's moments are
 * reset and the base learning rate is multiplied by `factor` through
 * trainer.configure, but never below `minLearningRate`. A divergence
 * at the floor makes the guard give up: it records one last event with
 * `gaveUp: true` and leaves the run alone from then on.
 */
export function createDivergenceGuard(trainer: Trainer, options: DivergenceGuardOptions = {}): DivergenceGuard {
  const factor = options.factor ?? GUARD_FACTOR;
  const gradJump = options.gradJump ?? GUARD_GRAD_JUMP;
  const warmup = options.warmup ?? GUARD_WARMUP;
  if (!(factor > 0 && factor < 1)) throw new BackpropError("invalid-argument", `factor must be in (0, 1), got ${factor}`, { field: "factor" });
  if (!(gradJump > 1)) throw new BackpropError("invalid-argument", `gradJump must be > 1, got ${gradJump}`, { field: "gradJump" });
  const requestedFloor = options.minLearningRate ?? GUARD_MIN_LEARNING_RATE;
  if (!(requestedFloor > 0 && Number.isFinite(requestedFloor))) {
    throw new BackpropError("invalid-argument", `minLearningRate must be a positive number, got ${requestedFloor}`, { field: "minLearningRate" });
  }
  const minLearningRate = Math.min(requestedFloor, trainer.settings().learningRate);
  let gaveUp = false;
  const params = trainer.net.params;
  const saved = new Float64Array(params.length);
  let savedStep = -1;
  let seen = 0;
  // [smoothed loss, smoothed gradient norm, best smoothed loss, smoothed gradient norm at the best]:
  // doubles in a Float64Array, since a closure variable holding a double is boxed on every write
  const state = new Float64Array([0, 0, Infinity, 0]);
  let rollbacks = 0;
  let justRestored = false;
  const events: GuardEvent[] = [];

  function hook(ctx: HookContext): "skip" | undefined {
    if (gaveUp) return undefined;
    const { report } = ctx;
    const g = report.gradNorm;
    let reason: GuardEvent["reason"] | null = null;
    if (!report.finite) reason = "non-finite";
    // parameters just restored passed this test when they were saved; judging them again
    // against a later, smaller typical norm could veto them forever
    else if (seen >= warmup && !justRestored && g > gradJump * state[3]!) reason = "gradient-jump";
    justRestored = false;
    if (reason === null) {
      saved.set(params);
      savedStep = report.step - 1;
      // running averages over about 20 steps
      const lossSmooth = seen === 0 ? report.loss : 0.95 * state[0]! + 0.05 * report.loss;
      const gradSmooth = seen === 0 ? g : 0.95 * state[1]! + 0.05 * g;
      state[0] = lossSmooth;
      state[1] = gradSmooth;
      if (lossSmooth <= state[2]!) {
        state[2] = lossSmooth;
        state[3] = gradSmooth;
      }
      seen++;
      return undefined;
    }
    const settings = trainer.settings();
    const before = settings.learningRate;
    if (before <= minLearningRate) {
      // lowering further cannot help and would end at 0: let the step through and stop acting
      gaveUp = true;
      rollbacks++;
      if (events.length < MAX_GUARD_EVENTS) {
        events.push({ step: report.step, reason, loss: report.loss, gradNorm: g, typicalGradNorm: state[3]!, learningRateBefore: before, learningRateAfter: before, restoredStep: -1, gaveUp: true });
      }
      return undefined;
    }
    const after = Math.max(before * factor, minLearningRate);
    if (savedStep >= 0) {
      params.set(saved);
      justRestored = true;
    }
    // moments built from the diverging steps would push straight back out
    trainer.resetOptimizer();
    trainer.configure({ learningRate: after });
    rollbacks++;
    if (events.length < MAX_GUARD_EVENTS) {
      events.push({
        step: report.step,
        reason,
        loss: report.loss,
        gradNorm: g,
        typicalGradNorm: state[3]!,
        learningRateBefore: before,
        learningRateAfter: after,
        restoredStep: savedStep,
        gaveUp: false,
      });
    }
    return "skip";
  }

  return {
    hook,
    events: () => events,
    get rollbacks() {
      return rollbacks;
    },
    minLearningRate,
    get gaveUp() {
      return gaveUp;
    },
  };
}
