import type { InitScheme } from "@backprop-lab/core";
import { maxRelativeError, normwiseRelativeError } from "./agreement.js";
import { BRAIN, brainOnlineEpoch, brainTrainingSubject } from "./peers/brain.js";
import { oursFullBatchTrace, oursOnlineEpoch, oursTrainingSubject } from "./peers/ours.js";
import { TFJS, tfjsFullBatchTrace, tfjsTrainingSubject, useTfjsCpu } from "./peers/tfjs.js";
import { sizesLabel, xorProblem, type TrainingProblem } from "./problem.js";
import type { Agreement, Workload } from "./types.js";

/** A full-batch gradient-descent workload on the Playground's XOR data. */
export interface TrainingWorkloadConfig {
  id: string;
  n: number;
  sizes: number[];
  steps: number;
  seed: number;
  init: InitScheme;
  /** Full-batch learning rate of ours and tfjs. */
  learningRate: number;
  /** Per-row learning rate of brain.js (which insists on < 1) and of our online replay in the check. */
  onlineLearningRate: number;
}

/** Steps compared in the fairness check. */
export const CHECK_STEPS = 5;

/**
 * Bounds of the fairness contract. Everyone starts from the same float32
 * numbers; the float32 peers then round every intermediate, so their results
 * drift from our float64 ones by a few float32 ulps per step (2^-24 ≈ 6e-8).
 */
export const FLOAT32_LOSS_TOLERANCE = 1e-6;
export const FLOAT32_WEIGHT_TOLERANCE = 1e-5;

export function trainingProblem(config: TrainingWorkloadConfig): TrainingProblem {
  return xorProblem({ n: config.n, sizes: config.sizes, seed: config.seed, init: config.init });
}

export function trainingWorkload(config: TrainingWorkloadConfig): Workload {
  const { id, n, sizes, steps, learningRate, onlineLearningRate } = config;
  return {
    id,
    title: `XOR N = ${n}, ${sizesLabel(sizes)} sigmoid, full batch, ${steps} steps`,
    description:
      `${steps} gradient-descent steps on all ${n} points of makeDataset("xor", { n: ${n}, seed: ${config.seed} }) ` +
      `(one-hot targets), ${sizesLabel(sizes)} with sigmoid layers and biases, "${config.init}" initial weights rounded to float32, ` +
      `mse loss Σ(y − ŷ)²/(2n), plain SGD with learning rate ${learningRate}.`,
    metric: { kind: "rate", perRun: steps, unit: "steps/s" },
    async setup() {
      await useTfjsCpu();
      const problem = trainingProblem(config);
      const tfjs = tfjsTrainingSubject(problem, learningRate, steps);
      return {
        subjects: [oursTrainingSubject(problem, learningRate, steps), tfjs, brainTrainingSubject(problem, onlineLearningRate, steps)],
        check: async () => trainingAgreement(problem, learningRate, onlineLearningRate),
        dispose: () => tfjs.dispose(),
      };
    },
  };
}

/**
 * tfjs runs the very same full-batch steps: its losses and weights after
 * CHECK_STEPS steps must match ours. brain.js cannot do full batch, so one of
 * its online epochs is replayed on ours with batches of one row in the same
 * order: its reported error and the weights after must match.
 */
export function trainingAgreement(problem: TrainingProblem, learningRate: number, onlineLearningRate: number): Agreement[] {
  const k = CHECK_STEPS;
  const ours = oursFullBatchTrace(problem, learningRate, k);
  const tfjs = tfjsFullBatchTrace(problem, learningRate, k);
  const oursOnline = oursOnlineEpoch(problem, onlineLearningRate);
  const brain = brainOnlineEpoch(problem, onlineLearningRate);
  // brain.js's error per row is Σ(t − o)²/nOut; ours for one row is Σ(y − ŷ)²/2
  const oursError = (oursOnline.losses.reduce((s, l) => s + l, 0) / oursOnline.losses.length) * (2 / problem.data.nOut);
  const n = problem.data.n;
  return [
    {
      subject: TFJS,
      quantity: `loss at each of ${k} full-batch steps`,
      precision: "float32",
      relativeError: maxRelativeError(ours.losses, tfjs.losses),
      tolerance: FLOAT32_LOSS_TOLERANCE,
    },
    {
      subject: TFJS,
      quantity: `weights after ${k} full-batch steps`,
      precision: "float32",
      relativeError: normwiseRelativeError(ours.params, tfjs.params),
      tolerance: FLOAT32_WEIGHT_TOLERANCE,
    },
    {
      subject: BRAIN,
      quantity: `training error of one online epoch (${n} one-row steps)`,
      precision: "float32",
      relativeError: maxRelativeError([oursError], [brain.error]),
      tolerance: FLOAT32_LOSS_TOLERANCE,
    },
    {
      subject: BRAIN,
      quantity: `weights after one online epoch (${n} one-row steps)`,
      precision: "float32",
      relativeError: normwiseRelativeError(oursOnline.params, brain.params),
      tolerance: FLOAT32_WEIGHT_TOLERANCE,
    },
  ];
}
