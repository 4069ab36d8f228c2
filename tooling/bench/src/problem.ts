import { createMlp, makeDataset, type Dataset, type InitScheme, type MlpSpec } from "@backprop-lab/core";
import { toFloat32Exact } from "./agreement.js";

/**
 * Data, network shape and initial weights shared by every subject. Inputs and
 * weights are rounded to float32 once, so the float32 peers start from exactly
 * the numbers ours starts from.
 */
export interface TrainingProblem {
  spec: MlpSpec;
  data: Dataset;
  /** Parameters in core's flat layout, every value a float32. */
  initial: Float64Array;
}

export interface XorProblemOptions {
  n: number;
  sizes: number[];
  seed: number;
  init: InitScheme;
}

/** The Playground's XOR set (one-hot targets) and a sigmoid MLP with biases. */
export function xorProblem({ n, sizes, seed, init }: XorProblemOptions): TrainingProblem {
  const raw = makeDataset("xor", { n, seed });
  const data: Dataset = { ...raw, x: toFloat32Exact(raw.x) };
  const spec: MlpSpec = { sizes, hidden: "sigmoid", output: "sigmoid", bias: true };
  const net = createMlp(spec, { seed, init });
  return { spec, data, initial: toFloat32Exact(net.params) };
}

/** "2-50-2". */
export function sizesLabel(sizes: readonly number[]): string {
  return sizes.join("-");
}
