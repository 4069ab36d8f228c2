import { trainingWorkload, type TrainingWorkloadConfig } from "../training.js";

/** The course's small network (with biases, which brain.js cannot turn off). */
export const configA: TrainingWorkloadConfig = {
  id: "A",
  n: 400,
  sizes: [2, 3, 2],
  steps: 1000,
  seed: 1,
  init: "course",
  learningRate: 1,
  onlineLearningRate: 0.1,
};

export const workloadA = trainingWorkload(configA);
