import { createTrainer, mlpFromParams, type Batch, type Mlp, type Trainer } from "@backprop-lab/core";
import type { TrainingProblem } from "../problem.js";
import type { Subject } from "../types.js";

export const OURS = "backprop-lab";
export const OURS_LIBRARY = "@backprop-lab/core (Float64Array)";

/** Our network on the problem's initial weights, with a full-batch mse/sgd trainer. */
export function oursTrainer(problem: TrainingProblem, learningRate: number, capacity = problem.data.n): { net: Mlp; trainer: Trainer } {
  const net = mlpFromParams(problem.spec, problem.initial.slice());
  const trainer = createTrainer(net, { learningRate, loss: "mse", optimizer: "sgd", capacity });
  return { net, trainer };
}

/** `steps` full-batch gradient-descent steps per run: forward, loss, backward, update. */
export function oursTrainingSubject(problem: TrainingProblem, learningRate: number, steps: number): Subject {
  const { net, trainer } = oursTrainer(problem, learningRate);
  const batch: Batch = { x: problem.data.x, y: problem.data.y, n: problem.data.n };
  return {
    name: OURS,
    library: OURS_LIBRARY,
    note: "createTrainer(net, { loss: \"mse\", optimizer: \"sgd\" }).step(batch) on the whole set",
    reset: () => net.params.set(problem.initial),
    run() {
      for (let s = 0; s < steps; s++) trainer.step(batch);
      if (!trainer.report.finite) throw new Error(`${OURS}: the loss became non-finite`);
    },
  };
}

/** Losses of the first k full-batch steps and the parameters after them. */
export function oursFullBatchTrace(problem: TrainingProblem, learningRate: number, k: number): { losses: number[]; params: Float64Array } {
  const { net, trainer } = oursTrainer(problem, learningRate);
  const batch: Batch = { x: problem.data.x, y: problem.data.y, n: problem.data.n };
  const losses: number[] = [];
  for (let s = 0; s < k; s++) losses.push(trainer.step(batch).loss);
  return { losses, params: net.params.slice() };
}

/**
 * One epoch of online learning (a step per row, rows in order), which is what
 * brain.js's train() does per iteration: the per-row losses and the parameters after.
 */
export function oursOnlineEpoch(problem: TrainingProblem, learningRate: number): { losses: number[]; params: Float64Array } {
  const { net, trainer } = oursTrainer(problem, learningRate, 1);
  const { x, y, n, nIn, nOut } = problem.data;
  const losses: number[] = [];
  for (let r = 0; r < n; r++) {
    const batch: Batch = { x: x.subarray(r * nIn, (r + 1) * nIn), y: y.subarray(r * nOut, (r + 1) * nOut), n: 1 };
    losses.push(trainer.step(batch).loss);
  }
  return { losses, params: net.params.slice() };
}
