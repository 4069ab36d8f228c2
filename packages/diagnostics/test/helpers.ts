import { createTrainingRun, normalizeRunDocument, type TrainingRun, type RunDocument, type StepReport } from "@backprop-lab/core";

export { expectClose } from "@backprop-lab/test-utils";
export { readReference } from "@backprop-lab/test-utils/reference";

/** Runs `steps` updates and returns a copy of every report. */
export function runSteps(run: TrainingRun, steps: number): StepReport[] {
  const reports: StepReport[] = [];
  for (let i = 0; i < steps; i++) reports.push({ ...run.step() });
  return reports;
}

/**
 * A network that diverges within a few full-batch steps: linear hidden
 * units and a linear output at learning rate 0.3 on ±1 XOR targets, where
 * every step multiplies the error.
 */
export function divergingConfig(): RunDocument {
  return normalizeRunDocument({
    seed: 1,
    data: { source: "generated", name: "xor", n: 200, noise: 0, testRatio: 0.5, encoding: "signed" },
    features: ["x1", "x2"],
    network: { hidden: [8, 8], activation: "linear", output: "linear", bias: true },
    init: { scheme: "he" },
    training: {
      loss: "mse",
      optimizer: { kind: "sgd" },
      learningRate: 0.3,
      schedule: { kind: "constant" },
      regularization: { kind: "none", lambda: 0 },
      batchSize: "full",
    },
  });
}

export function createDivergingRun(): TrainingRun {
  return createTrainingRun(divergingConfig());
}
