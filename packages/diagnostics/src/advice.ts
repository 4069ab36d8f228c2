import type { Activation, ResolvedTrainerOptions } from "@backprop-lab/core";
import type { FindingCode } from "./findings.js";
import { fixes, type Fix } from "./fixes.js";
import { FIX_BATCH_FACTOR, FIX_EXPLOSION_FACTOR, FIX_EXPLOSION_MOMENTUM, FIX_LAMBDA_FACTOR, FIX_LEARNING_RATE_FACTOR, PLATEAU_LOSS_FRACTION } from "./thresholds.js";

/** What the choice of a fix depends on besides the finding's own numbers. */
export interface AdviceContext {
  /** The trainer's settings now (a guard may have lowered the rate). */
  settings: Readonly<ResolvedTrainerOptions>;
  /** Activation of the first weight layer (a hidden layer when hiddenLayers > 0). */
  firstHidden: Activation;
  hiddenLayers: number;
  fullBatch: boolean;
  batchSize: number;
  initialLoss: number;
  /** The finding's latest step. */
  step: number;
}

/** The one-action fix for a finding, or null when no setting fixes it. */
export function fixFor(code: FindingCode, n: Record<string, number>, ctx: AdviceContext): Fix | null {
  const s = ctx.settings;
  const lower = () => fixes.lowerLearningRate(s.learningRate, FIX_LEARNING_RATE_FACTOR);
  // the step overflowed or is about to: two orders of magnitude lower (clipping only hides it,
  // and × 0.3 steps from far past the edge of stability land past it again); momentum 0.9
  // multiplies every step by about 10, so it comes down to FIX_EXPLOSION_MOMENTUM too
  const calm = () =>
    fixes.calmExplosion(
      s.learningRate,
      FIX_EXPLOSION_FACTOR,
      !ctx.fullBatch && ctx.batchSize < 32 ? { from: ctx.batchSize, to: ctx.batchSize * FIX_BATCH_FACTOR } : null,
      s.optimizer.kind === "momentum" && s.optimizer.momentum > FIX_EXPLOSION_MOMENTUM ? { from: s.optimizer.momentum, to: FIX_EXPLOSION_MOMENTUM } : null,
    );
  switch (code) {
    case "non-finite":
    case "exploding-gradients":
      return calm();
    case "saturated-units":
      return lower();
    case "loss-spike":
      // a noisy small batch makes its own spikes; averaging over more rows calms them
      return !ctx.fullBatch && ctx.batchSize < 32 ? fixes.largerBatch(ctx.batchSize * FIX_BATCH_FACTOR) : lower();
    case "learning-rate-too-high":
      // bouncing after the network has learned: the rate was right early and too big now
      return n.oscillating && n.loss! < PLATEAU_LOSS_FRACTION * ctx.initialLoss ? fixes.decayLearningRate(Math.max(100, Math.round(ctx.step / 2))) : lower();
    case "learning-rate-too-low":
      return fixes.raiseLearningRate(s.learningRate, FIX_LEARNING_RATE_FACTOR);
    case "vanishing-gradients": {
      if (ctx.hiddenLayers === 0) return null;
      const f = ctx.firstHidden;
      return f === "sigmoid" ? fixes.useTanh() : f === "tanh" ? fixes.useRelu() : f === "relu" ? fixes.useLeakyRelu() : null;
    }
    case "dead-units":
      // killed by a step that blew the loss up: leaky relu alone keeps that step (and blows up again)
      return n.blowup! > 0 ? fixes.useLeakyRelu(calm()) : fixes.useLeakyRelu();
    case "no-biases":
      return fixes.enableBias();
    case "regularization-too-strong":
      return s.regularization.kind === "none" ? null : fixes.weakerRegularization(s.regularization.kind, s.regularization.lambda, FIX_LAMBDA_FACTOR);
    case "gradient-check-failed":
      return s.regularization.gradient === "course-bug" ? fixes.correctL2Gradient(s.regularization.lambda) : null;
  }
}
