import type { InitScheme } from "@backprop-lab/core";
import { maxRelativeError, normwiseRelativeError } from "./agreement.js";
import { BRAIN, brainOnlineEpoch, brainTrainingSubject } from "./peers/brain.js";
import { oursFullBatchTrace, oursOnlineEpoch, oursTrainingSubject } from "./peers/ours.js";
import { NUMPY, NumpyPeer, numpyFullBatchTrace, numpyTrainingSubject } from "./peers/numpy.js";
import { TFJS, TFJS_WASM, tfjsFullBatchTrace, tfjsTrainingSubject } from "./peers/tfjs.js";
import { trainingStepFlops } from "./peak.js";
import { sizesLabel, xorProblem, type TrainingProblem } from "./problem.js";
import type { Agreement, Subject, Workload } from "./types.js";

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
  /**
   * Steps a run for the slow peers (tfjs-cpu, brain.js), where fewer than
   * `steps` keep a full bench within minutes; figures and ratios are per step.
   */
  slowPeerSteps?: number;
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
/**
 * tfjs-wasm sums the loss's n·nOut squared errors in float32 (tfjs-cpu adds
 * them in doubles), so its loss carries a rounding walk of about
 * √(n·nOut) float32 ulps on top: the bound is twice that, and never below
 * FLOAT32_LOSS_TOLERANCE. A 1 % different learning rate is still over 10 times it (tested).
 */
export function float32SummedLossTolerance(terms: number): number {
  return Math.max(FLOAT32_LOSS_TOLERANCE, 2 * Math.sqrt(terms) * 2 ** -24);
}

/**
 * numpy computes in float64 as ours does; only the order of the sums (BLAS
 * blocks, pairwise np.sum) and exp's last bit differ, a few 1e-16 a step.
 */
export const FLOAT64_TOLERANCE = 1e-12;

export function trainingProblem(config: TrainingWorkloadConfig): TrainingProblem {
  return xorProblem({ n: config.n, sizes: config.sizes, seed: config.seed, init: config.init });
}

export function trainingWorkload(config: TrainingWorkloadConfig): Workload {
  const { id, n, sizes, steps, learningRate, onlineLearningRate } = config;
  const slowSteps = config.slowPeerSteps ?? steps;
  return {
    id,
    title: `XOR N = ${n}, ${sizesLabel(sizes)} sigmoid, full batch, ${steps} steps`,
    description:
      `${steps} gradient-descent steps on all ${n} points of makeDataset("xor", { n: ${n}, seed: ${config.seed} }) ` +
      `(one-hot targets), ${sizesLabel(sizes)} with sigmoid layers and biases, "${config.init}" initial weights rounded to float32, ` +
      `mse loss Σ(y − ŷ)²/(2n), plain SGD with learning rate ${learningRate}` +
      (slowSteps !== steps ? `; tfjs-cpu and brain.js do ${slowSteps} steps a run (figures and ratios are per step).` : "."),
    metric: { kind: "rate", perRun: steps, unit: "steps/s" },
    work: { samples: n, flops: trainingStepFlops(sizes, n) },
    async setup() {
      const problem = trainingProblem(config);
      const tfjsWasm = await tfjsTrainingSubject(problem, learningRate, steps, "wasm");
      const tfjsCpu = await tfjsTrainingSubject(problem, learningRate, slowSteps, "cpu");
      const started = await NumpyPeer.start();
      const numpy = "peer" in started ? started.peer : null;
      const subjects: Subject[] = [oursTrainingSubject(problem, learningRate, steps)];
      if ("peer" in started) subjects.push(await numpyTrainingSubject(started.peer, started.info, problem, learningRate, steps));
      subjects.push(tfjsWasm, tfjsCpu, brainTrainingSubject(problem, onlineLearningRate, slowSteps));
      return {
        subjects,
        ...("skipped" in started ? { skipped: [started.skipped] } : {}),
        check: async () => [
          ...(numpy ? await numpyAgreement(numpy, problem, learningRate) : []),
          ...(await trainingAgreement(problem, learningRate, onlineLearningRate)),
        ],
        dispose: () => {
          tfjsWasm.dispose();
          tfjsCpu.dispose();
          numpy?.close();
        },
      };
    },
  };
}

/** numpy (set up with the problem) runs the same full-batch steps in float64: losses and weights as ours, to float64 rounding. */
export async function numpyAgreement(peer: NumpyPeer, problem: TrainingProblem, learningRate: number): Promise<Agreement[]> {
  const k = CHECK_STEPS;
  const ours = oursFullBatchTrace(problem, learningRate, k);
  const numpy = await numpyFullBatchTrace(peer, problem, k);
  return [
    { subject: NUMPY, quantity: `loss at each of ${k} full-batch steps`, precision: "float64", relativeError: maxRelativeError(ours.losses, numpy.losses), tolerance: FLOAT64_TOLERANCE },
    { subject: NUMPY, quantity: `weights after ${k} full-batch steps`, precision: "float64", relativeError: normwiseRelativeError(ours.params, numpy.params), tolerance: FLOAT64_TOLERANCE },
  ];
}

/**
 * tfjs (both backends) runs the very same full-batch steps: its losses and
 * weights after CHECK_STEPS steps must match ours. brain.js cannot do full
 * batch, so one of its online epochs is replayed on ours with batches of one
 * row in the same order: its reported error and the weights after must match.
 */
export async function trainingAgreement(problem: TrainingProblem, learningRate: number, onlineLearningRate: number): Promise<Agreement[]> {
  const k = CHECK_STEPS;
  const ours = oursFullBatchTrace(problem, learningRate, k);
  const wasm = await tfjsFullBatchTrace(problem, learningRate, k, "wasm");
  const tfjs = await tfjsFullBatchTrace(problem, learningRate, k, "cpu");
  const oursOnline = oursOnlineEpoch(problem, onlineLearningRate);
  const brain = brainOnlineEpoch(problem, onlineLearningRate);
  // brain.js's error per row is Σ(t − o)²/nOut; ours for one row is Σ(y − ŷ)²/2
  const oursError = (oursOnline.losses.reduce((s, l) => s + l, 0) / oursOnline.losses.length) * (2 / problem.data.nOut);
  const n = problem.data.n;
  return [
    {
      subject: TFJS_WASM,
      quantity: `loss at each of ${k} full-batch steps (summed in float32)`,
      precision: "float32",
      relativeError: maxRelativeError(ours.losses, wasm.losses),
      tolerance: float32SummedLossTolerance(problem.data.n * problem.data.nOut),
    },
    {
      subject: TFJS_WASM,
      quantity: `weights after ${k} full-batch steps`,
      precision: "float32",
      relativeError: normwiseRelativeError(ours.params, wasm.params),
      tolerance: FLOAT32_WEIGHT_TOLERANCE,
    },
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
