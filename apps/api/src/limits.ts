/**
 * Every bound the API checks before it does any work. A Workers request gets
 * 30 s of CPU by default on the paid plan; the work budget keeps the heaviest
 * accepted request at about a second of CPU on a 2020s core (the engine does
 * roughly 1-2·10⁸ multiply-adds per second in V8), so a request can never
 * hit the runtime's limit halfway and lose its answer.
 */
export interface ApiLimits {
  /** Request body in bytes. */
  maxBodyBytes: number;
  maxHiddenLayers: number;
  /** Neurons in any one layer. */
  maxWidth: number;
  /** Inputs per row of inline data or of a model. */
  maxInputs: number;
  /** Rows of a data set (generated n, or inline rows), before the train/test split. */
  maxSamples: number;
  maxSteps: number;
  /** Cells per side of a boundary grid. */
  maxGridResolution: number;
  /** Rows of one predict request. */
  maxPredictRows: number;
  /** Rows of one explain request: it returns every intermediate of every row. */
  maxExplainRows: number;
  /** Rows a gradient check differentiates. */
  maxGradientCheckRows: number;
  /** Points kept per downsampled curve. */
  maxCurvePoints: number;
  /** steps × samples × parameters, see `trainCost` and friends. */
  workBudget: number;
}

export const DEFAULT_LIMITS: Readonly<ApiLimits> = Object.freeze({
  maxBodyBytes: 1_048_576,
  maxHiddenLayers: 8,
  maxWidth: 64,
  maxInputs: 32,
  maxSamples: 5_000,
  maxSteps: 100_000,
  maxGridResolution: 200,
  maxPredictRows: 10_000,
  maxExplainRows: 64,
  maxGradientCheckRows: 256,
  maxCurvePoints: 2_000,
  workBudget: 100_000_000,
});

/** The sizes a training request's cost is computed from. */
export interface TrainShape {
  steps: number;
  /** Rows per step (the batch size, or the whole training set for "full"). */
  batchSize: number;
  trainRows: number;
  testRows: number;
  parameters: number;
  /** Evaluations of the whole data set along the way (progress reports and the final one). */
  evaluations: number;
  /** Grid cells sampled at the end (0 without a grid). */
  gridCells: number;
}

/**
 * Multiply-adds, counted in parameter-rows: one row through the network
 * costs about one unit per parameter forward and two backward, so a step
 * costs 3 · batchSize · parameters, an evaluation (trainRows + testRows) ·
 * parameters and a grid gridCells · parameters.
 */
export function trainCost(s: TrainShape): number {
  return s.parameters * (3 * s.steps * s.batchSize + s.evaluations * (s.trainRows + s.testRows) + s.gridCells);
}

/** Forward passes only. */
export function forwardCost(rows: number, parameters: number): number {
  return rows * parameters;
}

/** A central difference needs two forward passes over every row per parameter. */
export function gradientCheckCost(rows: number, parameters: number): number {
  return 2 * rows * parameters * parameters + 3 * rows * parameters;
}
