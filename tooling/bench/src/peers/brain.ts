import { createRequire } from "node:module";
import { mlpFromParams, parameterLayout, type Dataset, type MlpSpec } from "@backprop-lab/core";
import type { INeuralNetworkTrainingData, INeuralNetworkTrainingOptions, NeuralNetwork } from "brain.js";
import type { TrainingProblem } from "../problem.js";
import type { Subject } from "../types.js";

// brain.js 1.x is CommonJS with `module.exports = brain`, which Node's ESM loader cannot split into named exports
const require = createRequire(import.meta.url);
const brain = require("brain.js") as typeof import("brain.js");
const brainVersion = (require("brain.js/package.json") as { version: string }).version;

export const BRAIN = "brain.js";
export const BRAIN_LIBRARY = `brain.js ${brainVersion} (Float32Array weights)`;

/**
 * brain.js rejects momentum 0 ("out of normal training range": it wants
 * 0 < momentum < 1); the smallest positive double adds nothing to any change,
 * so the update is plain SGD: w += η·δ·input.
 */
export const NO_MOMENTUM = Number.MIN_VALUE;
/** Likewise errorThresh must be > 0; with this brain.js never stops early. */
export const NEVER_STOP = Number.MIN_VALUE;

/** The fields of brain.js 1.6's NeuralNetwork that its typings leave out. */
interface BrainInternals {
  sizes: number[] | null;
  weights: Float32Array[][]; // weights[layer][node][k]: input k of the layer below → node
  biases: Float32Array[]; // biases[layer][node]
  initialize(): void;
}

/** A brain.js network of the same shape holding `params` (core layout). */
export function createBrainNet(spec: MlpSpec, params: Float64Array): NeuralNetwork {
  const hidden = Array.isArray(spec.hidden) ? spec.hidden : spec.sizes.slice(2).map(() => spec.hidden as string);
  if (!spec.bias || hidden.some((h) => h !== spec.output) || !["sigmoid", "tanh", "relu"].includes(spec.output)) {
    throw new Error("brain.js needs biases and one sigmoid, tanh or relu activation on every layer");
  }
  const net = new brain.NeuralNetwork({ hiddenLayers: spec.sizes.slice(1, -1), activation: spec.output as "sigmoid" });
  const inner = net as unknown as BrainInternals;
  inner.sizes = [...spec.sizes];
  inner.initialize();
  setBrainParams(net, spec, params);
  return net;
}

export function setBrainParams(net: NeuralNetwork, spec: MlpSpec, params: Float64Array): void {
  const inner = net as unknown as BrainInternals;
  mlpFromParams(spec, params.slice()).layers.forEach((layer, l) => {
    for (let j = 0; j < layer.nOut; j++) {
      const w = inner.weights[l + 1]![j]!;
      for (let i = 0; i < layer.nIn; i++) w[i] = layer.W[i * layer.nOut + j]!;
      inner.biases[l + 1]![j] = layer.b![j]!;
    }
  });
}

/** brain.js's weights in core's flat layout. */
export function getBrainParams(net: NeuralNetwork, spec: MlpSpec): Float64Array {
  const inner = net as unknown as BrainInternals;
  const { count, offsets } = parameterLayout(spec);
  const out = new Float64Array(count);
  for (let l = 0; l < spec.sizes.length - 1; l++) {
    const nIn = spec.sizes[l]!;
    const nOut = spec.sizes[l + 1]!;
    for (let j = 0; j < nOut; j++) {
      for (let i = 0; i < nIn; i++) out[offsets[l]!.w + i * nOut + j] = inner.weights[l + 1]![j]![i]!;
      out[offsets[l]!.b + j] = inner.biases[l + 1]![j]!;
    }
  }
  return out;
}

/** Rows as brain.js takes them: { input: number[], output: number[] }. */
export function brainTrainingData(data: Dataset): INeuralNetworkTrainingData[] {
  const rows: INeuralNetworkTrainingData[] = [];
  for (let r = 0; r < data.n; r++) {
    rows.push({
      input: Array.from(data.x.subarray(r * data.nIn, (r + 1) * data.nIn)),
      output: Array.from(data.y.subarray(r * data.nOut, (r + 1) * data.nOut)),
    });
  }
  return rows;
}

export function brainTrainOptions(learningRate: number, iterations: number): INeuralNetworkTrainingOptions {
  return { iterations, learningRate, momentum: NO_MOMENTUM, errorThresh: NEVER_STOP, log: false };
}

/**
 * brain.js trains online only: one train() iteration is one pass over the
 * rows with an update after each row (and its training error measured along
 * the way). That is the same forward and backward work per row as a
 * full-batch step, with n updates instead of one.
 */
export function brainTrainingSubject(problem: TrainingProblem, learningRate: number, steps: number): Subject {
  const net = createBrainNet(problem.spec, problem.initial);
  const rows = brainTrainingData(problem.data);
  const options = brainTrainOptions(learningRate, steps);
  return {
    name: BRAIN,
    library: BRAIN_LIBRARY,
    note: `net.train(rows, { iterations }) — one iteration = one online pass (${problem.data.n} per-row updates, learning rate ${learningRate}, momentum off)`,
    perRun: steps,
    reset: () => setBrainParams(net, problem.spec, problem.initial),
    run() {
      const status = net.train(rows, options);
      if (status.iterations !== steps) throw new Error(`${BRAIN}: stopped after ${status.iterations} of ${steps} iterations`);
    },
  };
}

/**
 * One train() iteration: brain.js's reported error (mean over rows of
 * Σ_j (t_j − o_j)²/nOut, each measured before that row's update) and the
 * parameters after.
 */
export function brainOnlineEpoch(problem: TrainingProblem, learningRate: number): { error: number; params: Float64Array } {
  const net = createBrainNet(problem.spec, problem.initial);
  const status = net.train(brainTrainingData(problem.data), brainTrainOptions(learningRate, 1));
  return { error: status.error, params: getBrainParams(net, problem.spec) };
}
