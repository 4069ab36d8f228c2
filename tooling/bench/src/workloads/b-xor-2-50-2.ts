import { trainingWorkload, type TrainingWorkloadConfig } from "../training.js";

/** The course's wide network: 50 sigmoid units. */
export const configB: TrainingWorkloadConfig = {
  id: "B",
  n: 400,
  sizes: [2, 50, 2],
  steps: 1000,
  seed: 1,
  init: "course",
  learningRate: 1,
  onlineLearningRate: 0.1,
  slowPeerSteps: 200,
};

export const workloadB = trainingWorkload(configB);
