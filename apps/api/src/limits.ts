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
  /** CPU of one request in multiply-add units (parameter-rows), see `estimateCost`. */
  workBudget: number;
  /** Memory one request may take while it computes, in bytes (estimated before any work). */
  maxMemoryBytes: number;
  /** Size of one response (or of everything one stream sends), in bytes. */
  maxResponseBytes: number;
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
  maxMemoryBytes: 64 * 1024 * 1024,
  maxResponseBytes: 8 * 1024 * 1024,
});

/** The limit names whose values are sizes a request states (published as OpenAPI maximums). */
export type LimitName = keyof ApiLimits;

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

/** Multiply-add units the engine does in a second of one core's CPU on Node (from scripts/calibrate.ts). */
export const UNITS_PER_SECOND = 100_000_000;
/** Multiply-add units one progress event costs beyond its evaluation (building, cloning and sending it, and again in the result's `reports`). */
export const EVENT_WORK = 6_000;
/**
 * A training step's cost (core's WebAssembly kernels, one core of Node), fitted by least squares to the
 * trainer's measured steps on 2-2 to 2-64-64-64-2 networks with batches of 1-256 and rounded up by about a
 * third: STEP_UNITS per parameter-row (forward, backward), STEP_PARAM_UNITS per parameter (the update and
 * the gradient's reset, fitted 0.79, plus about 2 for the per-layer health norms the API's diagnostics take
 * every step), STEP_ROW_UNITS per row (the batch's rows, the loss) and STEP_WORK per step (the calls, the
 * report, the curves, the hooks). Measured fit of the bare trainer: 0.037, 0.79, 3.8 and 44.
 */
export const STEP_UNITS = 0.05;
export const STEP_PARAM_UNITS = 3;
export const STEP_ROW_UNITS = 5;
export const STEP_WORK = 100;
/** An evaluation's cost (core's `evaluate`): EVAL_UNITS per parameter-row and EVAL_ROW_UNITS per row; measured 0.016-0.05 per parameter-row on networks of 4,482-8,642 parameters, 2-20 per row on the smallest. */
export const EVAL_UNITS = 0.03;
export const EVAL_ROW_UNITS = 3;

/** A training run's CPU parts: its steps and its evaluations (shared by training and by explaining a run's step). */
export function trainingCpu(parameters: number, batch: number, steps: number, rows: number, evaluations: number): Record<string, number> {
  return {
    "parameters × batch × steps": STEP_UNITS * parameters * batch * steps + STEP_PARAM_UNITS * parameters * steps,
    "parameters × rows × evaluations": (EVAL_UNITS * parameters + EVAL_ROW_UNITS) * rows * evaluations,
    "steps (bookkeeping)": (STEP_WORK + STEP_ROW_UNITS * batch) * steps,
  };
}
/** Units of a grid cell per parameter: viz samples grids with core's blocked (WebAssembly) kernels, about 10× the plain forward pass. */
export const GRID_WORK = 0.1;
/** Bytes of one number in a JSON answer (a double prints as up to 24 characters; 20 on average). */
export const NUMBER_BYTES = 20;
/** Bytes of one progress report: an SSE event on the wire, or an entry of the result's `reports` (about 420 measured). */
export const EVENT_BYTES = 420;
/** Bytes of memory per number held while answering: the typed array, the JS array and the JSON text. */
export const NUMBER_MEMORY = 64;

/** One estimate per resource, each split into named parts (e.g. "rows × parameters × steps"). */
export interface CostEstimate {
  cpu: Record<string, number>;
  memory: Record<string, number>;
  response: Record<string, number>;
}

export const sum = (parts: Record<string, number>): number => Object.values(parts).reduce((a, b) => a + b, 0);

/**
 * A training request: its steps, evaluations, events, grid and the result's
 * curves and model; with `modelParameters`, the uploaded model it starts
 * from (its numbers converted and copied once, and held while the run starts).
 */
export function estimateTrain(s: TrainShape & { events: number; curvePoints: number; diagnosticsWork: number; nOut: number; modelParameters?: number }): CostEstimate {
  const cells = s.gridCells;
  const uploaded = s.modelParameters ?? 0;
  return {
    cpu: {
      ...trainingCpu(s.parameters, s.batchSize, s.steps, s.trainRows + s.testRows, s.evaluations),
      "progress events": EVENT_WORK * s.events,
      "grid cells × parameters": GRID_WORK * s.parameters * cells,
      "gradient checks": s.diagnosticsWork,
      // parsed, checked and copied into the run (as predict's JSON conversion: about 25 units a number); only with one
      ...(uploaded > 0 ? { "uploaded model": 25 * uploaded } : {}),
    },
    memory: {
      "curves (4 numbers a step)": 32 * s.steps,
      "data rows": NUMBER_MEMORY * (s.trainRows + s.testRows) * 8,
      "grid cells": NUMBER_MEMORY * cells * (s.nOut + 2),
      // each report is kept for the result's `reports`: an object of about 22 numbers
      "progress events": NUMBER_MEMORY * 22 * s.events,
      ...(uploaded > 0 ? { "uploaded model": NUMBER_MEMORY * uploaded } : {}),
    },
    response: {
      "progress events × event size": EVENT_BYTES * s.events,
      // the result repeats every report (a stream sends both)
      "reports in the result": EVENT_BYTES * s.events,
      "curves": NUMBER_BYTES * 2 * 7 * s.curvePoints,
      "model": NUMBER_BYTES * s.parameters,
      "grid cells": (NUMBER_BYTES + 2) * cells,
      "grid boundary": 2 * NUMBER_BYTES * 4 * Math.sqrt(cells) * Math.max(1, s.nOut),
    },
  };
}

/** Predicting `rows` rows: outputs × rows dominate the answer. */
export function estimatePredict(rows: number, parameters: number, nIn: number, nOut: number): CostEstimate {
  return {
    cpu: { "rows × parameters": 0.4 * rows * parameters, "outputs × rows (JSON)": 25 * rows * nOut },
    memory: { "rows × (inputs + outputs)": NUMBER_MEMORY * rows * (nIn + 2 * nOut) },
    response: { "outputs × rows": (NUMBER_BYTES + 1) * rows * nOut + 8 * rows },
  };
}

/** A resolution² grid and its boundary. */
export function estimateBoundary(cells: number, parameters: number, nOut: number): CostEstimate {
  return {
    cpu: { "grid cells × parameters": GRID_WORK * cells * parameters, "grid cells (JSON)": 60 * cells },
    memory: { "grid cells × outputs": NUMBER_MEMORY * cells * (nOut + 2) },
    response: { "grid cells": (NUMBER_BYTES + 3) * cells, "grid boundary": 2 * NUMBER_BYTES * 4 * Math.sqrt(cells) * Math.max(1, nOut) },
  };
}

/** One explained step: every intermediate of every row, per layer. */
export function estimateExplain(rows: number, parameters: number, units: number): CostEstimate {
  // per row and layer: input, z, a, dL_da, da_dz, dL_dz, dL_dinput; per parameter: W, dL_dW, W_next
  const numbers = rows * 7 * units + 3 * parameters;
  return {
    cpu: { "rows × parameters": 3 * rows * parameters + 35 * numbers },
    memory: { "explanation size": NUMBER_MEMORY * numbers },
    response: { "explanation size": NUMBER_BYTES * numbers },
  };
}

/** Central differences: two forward passes over every row per parameter. */
export function estimateGradientCheck(rows: number, parameters: number): CostEstimate {
  return {
    cpu: { "rows × parameters²": 0.15 * gradientCheckCost(rows, parameters) },
    memory: { "parameters": NUMBER_MEMORY * 8 * parameters },
    response: { "parameters × check size": 130 * parameters },
  };
}

/** Evaluating a model on rows: a forward pass and the loss. */
export function estimateEvaluate(rows: number, parameters: number, nIn: number, nOut: number, classes: number): CostEstimate {
  return {
    cpu: { "rows × parameters": rows * parameters + rows * nOut },
    memory: { "rows × (inputs + outputs)": NUMBER_MEMORY * rows * (nIn + 2 * nOut) },
    response: { "confusion matrix": NUMBER_BYTES * classes * classes + 200 },
  };
}

export type Resource = "cpu" | "memory" | "response";

/** The estimate's worst resource against its limit: the resource, its total, its limit and its largest part. */
export function worstResource(estimate: CostEstimate, limits: ApiLimits): { resource: Resource; value: number; limit: number; largest: string; ratio: number } {
  const limitOf: Record<Resource, number> = { cpu: limits.workBudget, memory: limits.maxMemoryBytes, response: limits.maxResponseBytes };
  let worst: { resource: Resource; value: number; limit: number; largest: string; ratio: number } | null = null;
  for (const resource of ["cpu", "memory", "response"] as const) {
    const parts = estimate[resource];
    const value = sum(parts);
    const ratio = value / limitOf[resource];
    if (worst === null || ratio > worst.ratio) {
      const largest = Object.entries(parts).reduce((a, b) => (b[1] > a[1] ? b : a))[0];
      worst = { resource, value, limit: limitOf[resource], largest, ratio };
    }
  }
  return worst!;
}

/** Forward passes only. */
export function forwardCost(rows: number, parameters: number): number {
  return rows * parameters;
}

/** A central difference needs two forward passes over every row per parameter. */
export function gradientCheckCost(rows: number, parameters: number): number {
  return 2 * rows * parameters * parameters + 3 * rows * parameters;
}
