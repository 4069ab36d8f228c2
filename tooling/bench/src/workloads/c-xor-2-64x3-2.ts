import { trainingWorkload, type TrainingWorkloadConfig } from "../training.js";

/** A deeper, wider network on more points: the dense kernels dominate. */
export const configC: TrainingWorkloadConfig = {
  id: "C",
  n: 1000,
  sizes: [2, 64, 64, 64, 2],
  steps: 100,
  seed: 1,
  init: "xavier",
  learningRate: 1,
  onlineLearningRate: 0.1,
  // tfjs-cpu and brain.js take 0.2-0.25 s a step here: 10 steps a run keep a full pnpm bench within minutes
  slowPeerSteps: 10,
};

export const workloadC = trainingWorkload(configC);
