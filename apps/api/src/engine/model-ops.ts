import {
  createMlp,
  explainStep,
  normalizeRunDocument,
  presetDocument,
  type RunDocument,
  type TrainingRun,
  gradientCheck,
  makeDataset,
  mlpFromJSON,
  normalizeRegularization,
  predict,
  predictedClass,
  type Explanation,
  type FeatureName,
  type GradientCheckResult,
  type LossName,
  type Mlp,
  type Regularization,
} from "@backprop-lab/core";
import { featurizeInto } from "@backprop-lab/core/internal";
import { domainForDataset, outputThreshold, PLAYGROUND_DOMAIN } from "@backprop-lab/viz";
import { estimateBoundary, estimateExplain, estimateGradientCheck, estimatePredict, trainingCpu, type ApiLimits, type CostEstimate } from "../limits.js";
import { TEXT } from "../messages.js";
import { checkCost, fieldProblem, limitProblem, withCoreErrors } from "../problem.js";
import type { BoundaryRequest, ExplainRequest, GradientCheckRequest, PredictRequest } from "../schemas.js";
import { sampleBoundary, type GridResult } from "./grid.js";
import { buildRun, guardGaveUp, parseDocument, runOf } from "./resolve.js";

export const DEFAULT_GRID_RESOLUTION = 50;
export const DEFAULT_GRADIENT_CHECK_ROWS = 16;

export function loadModel(model: unknown, limits: ApiLimits): Mlp {
  const sizes = (model as { spec?: { sizes?: unknown } }).spec?.sizes;
  if (Array.isArray(sizes)) {
    if (sizes.length - 2 > limits.maxHiddenLayers) throw limitProblem("model.spec.sizes", sizes.length - 2, limits.maxHiddenLayers);
    sizes.forEach((w, i) => {
      // every layer is bounded, the output too: its width multiplies the rows of every answer
      const limit = i === 0 ? limits.maxInputs : limits.maxWidth;
      if (typeof w === "number" && w > limit) throw limitProblem(`model.spec.sizes[${i}]`, w, limit);
    });
  }
  return withCoreErrors("model", () => mlpFromJSON(model));
}

function regularizationOf(value: unknown): Regularization {
  return withCoreErrors("", () => normalizeRegularization(value, "regularization"));
}

/** Rows as one (n, width) buffer; every row must have `width` values. */
function flatRows(rows: number[][], width: number, field: string): Float64Array {
  const out = new Float64Array(rows.length * width);
  rows.forEach((row, i) => {
    if (row.length !== width) {
      throw fieldProblem("validation-failed", `${field}[${i}]`, "shape_mismatch", {
        en: `${field}[${i}] has ${row.length} values, expected ${width}`,
        es: `${field}[${i}] tiene ${row.length} valores, se esperaban ${width}`,
      });
    }
    out.set(row, i * width);
  });
  return out;
}

/** Network inputs for rows of x: raw rows, or 2-D points through the features. */
function inputs(net: Mlp, x: number[][], features: readonly FeatureName[] | undefined): Float64Array {
  const nIn = net.layers[0]!.nIn;
  if (features === undefined || (features.length === 2 && features[0] === "x1" && features[1] === "x2")) return flatRows(x, nIn, "x");
  if (features.length !== nIn) {
    throw fieldProblem("validation-failed", "features", "shape_mismatch", {
      en: `the model reads ${nIn} inputs but ${features.length} features were given`,
      es: `el modelo lee ${nIn} entradas pero se indicaron ${features.length} características`,
    });
  }
  const points = flatRows(x, 2, "x");
  return withCoreErrors("", () => featurizeInto(new Float64Array(x.length * nIn), points, x.length, features));
}

export interface PredictResult {
  n: number;
  nOut: number;
  outputs: number[][];
  /** Predicted class per row; null for regression. */
  classIndex: number[] | null;
}

export function predictRows(body: PredictRequest, limits: ApiLimits): PredictResult {
  if (body.x.length > limits.maxPredictRows) throw limitProblem("x", body.x.length, limits.maxPredictRows);
  const net = loadModel(body.model, limits);
  checkCost(estimatePredict(body.x.length, net.params.length, net.layers[0]!.nIn, net.layers[net.layers.length - 1]!.nOut), limits);
  const x = inputs(net, body.x, body.features);
  const n = body.x.length;
  const nOut = net.layers[net.layers.length - 1]!.nOut;
  const out = predict(net, x, n);
  const outputs: number[][] = [];
  for (let r = 0; r < n; r++) outputs.push(Array.from(out.subarray(r * nOut, (r + 1) * nOut)));
  // one output: the grid's class threshold for this output (viz's outputThreshold), so predict and boundary agree
  const encoding = body.encoding ?? (outputThreshold(net.spec.output) === 0 ? "signed" : "one-hot");
  const classIndex = encoding === "regression" ? null : Array.from({ length: n }, (_, r) => predictedClass(out, r, nOut, encoding));
  return { n, nOut, outputs, classIndex };
}

export function boundaryGrid(body: BoundaryRequest, limits: ApiLimits): GridResult {
  const resolution = body.resolution ?? DEFAULT_GRID_RESOLUTION;
  if (resolution > limits.maxGridResolution) throw limitProblem("resolution", resolution, limits.maxGridResolution);
  const net = loadModel(body.model, limits);
  checkCost(estimateBoundary(resolution * resolution, net.params.length, net.layers[net.layers.length - 1]!.nOut), limits);
  const domain = body.domain ?? (body.dataset ? domainForDataset(body.dataset) : { ...PLAYGROUND_DOMAIN });
  return withCoreErrors("", () =>
    sampleBoundary(net, {
      resolution,
      domain,
      features: body.features ?? ["x1", "x2"],
      ...(body.encoding === undefined ? {} : { encoding: body.encoding }),
    }),
  );
}

/** The course's worked example: its 2-3-2 network, first XOR point, target [1, 0], learning rate 0.001. */
export function courseExample(): { net: Mlp; x: number[][]; y: number[][]; learningRate: number; loss: LossName } {
  const net = createMlp({ sizes: [2, 3, 2], hidden: "sigmoid", output: "sigmoid", bias: false }, { seed: 2017, init: "course" });
  const data = makeDataset("course-xor", { n: 1 });
  return { net, x: [[data.x[0]!, data.x[1]!]], y: [[1, 0]], learningRate: 0.001, loss: "mse" };
}

/** The course's worked example as a run document: core's course-2-3-2 preset on the example's one point, at its rate. */
export function courseExampleDocument(): RunDocument {
  const preset = presetDocument("course-2-3-2");
  const c = courseExample();
  return normalizeRunDocument({ ...preset, data: { source: "inline", x: c.x, y: c.y }, training: { ...preset.training, learningRate: c.learningRate } });
}

/** Updates made before an explained step, and the explanation itself. */
function explainCost(parameters: number, batch: number, steps: number, rows: number, evaluations: number, units: number): CostEstimate {
  const e = estimateExplain(batch, parameters, units);
  return {
    cpu: {
      ...e.cpu,
      ...trainingCpu(parameters, batch, steps, rows, evaluations),
    },
    memory: e.memory,
    response: e.response,
  };
}

/** A run document's run, checked and costed for explaining the step after `steps` updates; nothing stepped yet. */
export function prepareExplainRun(raw: unknown, steps: number, limits: ApiLimits): { run: TrainingRun; estimate: CostEstimate } {
  if (steps > limits.maxSteps) throw limitProblem("steps", steps, limits.maxSteps);
  const doc = parseDocument(raw, "config", limits);
  const run = buildRun(doc, "config");
  const batch = run.batcher.batchSize;
  if (batch > limits.maxExplainRows) throw limitProblem("config.training.batchSize", batch, limits.maxExplainRows);
  const units = run.net.layers.reduce((a, l) => a + l.nIn + l.nOut, 0);
  return { run, estimate: explainCost(run.net.params.length, batch, steps, run.train.n + run.test.n, Math.floor(steps / doc.evaluation.every), units) };
}

/**
 * The step a run document's run takes after `steps` updates, explained by
 * the run itself (`run.explain()`): its batch, scheduled rate, optimizer
 * state, penalty and clipping, so `W_next` is the next update's weights bit
 * for bit.
 */
export function explainRun(raw: unknown, steps: number, limits: ApiLimits): Explanation {
  const { run, estimate } = prepareExplainRun(raw, steps, limits);
  checkCost(estimate, limits);
  for (let i = 0; i < steps; i++) {
    // a guard at its floor has stopped the run (as training does): the step it would take next is the one explained
    if (guardGaveUp(run, run.step())) break;
  }
  return withCoreErrors("config", () => run.explain());
}

const MODEL_FIELDS = ["model", "x", "y", "learningRate", "loss", "regularization"] as const;

export function explain(body: ExplainRequest, limits: ApiLimits): Explanation {
  if (body.config !== undefined) {
    for (const key of MODEL_FIELDS) {
      if (body[key] !== undefined) throw fieldProblem("validation-failed", key, "conflict", { en: TEXT.explainConflict.en(key), es: TEXT.explainConflict.es(key) });
    }
    return explainRun(body.config, body.steps ?? 0, limits);
  }
  if (body.steps !== undefined) throw fieldProblem("validation-failed", "steps", "needs_config", TEXT.stepsWithoutConfig);
  // an empty body: the course's worked example, as a run
  if (MODEL_FIELDS.every((key) => body[key] === undefined)) return explainRun(courseExampleDocument(), 0, limits);
  const course = courseExample();
  const net = body.model === undefined ? course.net : loadModel(body.model, limits);
  const x = body.x ?? course.x;
  const y = body.y ?? course.y;
  if (x.length > limits.maxExplainRows) throw limitProblem("x", x.length, limits.maxExplainRows);
  const nOut = net.layers[net.layers.length - 1]!.nOut;
  if (y.length !== x.length) {
    throw fieldProblem("validation-failed", "y", "shape_mismatch", {
      en: `y has ${y.length} rows, x has ${x.length}`,
      es: `y tiene ${y.length} filas, x tiene ${x.length}`,
    });
  }
  const xs = flatRows(x, net.layers[0]!.nIn, "x");
  const ys = flatRows(y, nOut, "y");
  checkCost(estimateExplain(x.length, net.params.length, net.layers.reduce((a, l) => a + l.nIn + l.nOut, 0)), limits);
  const settings = {
    learningRate: body.learningRate ?? course.learningRate,
    loss: body.loss ?? course.loss,
    ...(body.regularization === undefined ? {} : { regularization: regularizationOf(body.regularization) }),
  };
  return withCoreErrors("", () => explainStep(net, xs, ys, settings));
}

export function checkGradients(body: GradientCheckRequest, limits: ApiLimits): GradientCheckResult {
  let net: Mlp;
  let x: Float64Array;
  let y: Float64Array;
  let n: number;
  let loss: LossName | undefined = body.loss;
  let regularization = body.regularization === undefined ? undefined : regularizationOf(body.regularization);
  if (body.model !== undefined) {
    if (body.config !== undefined) throw fieldProblem("validation-failed", "config", "conflict", { en: "Give either model or config, not both.", es: "Indique model o config, no ambos." });
    if (body.x === undefined || body.y === undefined) throw fieldProblem("validation-failed", body.x === undefined ? "x" : "y", "required", TEXT.modelNeedsData);
    net = loadModel(body.model, limits);
    n = body.x.length;
    if (n > limits.maxGradientCheckRows) throw limitProblem("x", n, limits.maxGradientCheckRows);
    if (body.y.length !== n) throw fieldProblem("validation-failed", "y", "shape_mismatch", { en: `y has ${body.y.length} rows, x has ${n}`, es: `y tiene ${body.y.length} filas, x tiene ${n}` });
    x = flatRows(body.x, net.layers[0]!.nIn, "x");
    y = flatRows(body.y, net.layers[net.layers.length - 1]!.nOut, "y");
  } else {
    const run = runOf(body.config ?? {}, "config", limits);
    const rows = body.rows ?? DEFAULT_GRADIENT_CHECK_ROWS;
    if (rows > limits.maxGradientCheckRows) throw limitProblem("rows", rows, limits.maxGradientCheckRows);
    net = run.net;
    n = Math.min(rows, run.train.n);
    x = run.train.x.subarray(0, n * run.train.nIn);
    y = run.train.y.subarray(0, n * run.train.nOut);
    loss ??= run.document.training.loss;
    regularization ??= run.document.training.regularization;
  }
  checkCost(estimateGradientCheck(n, net.params.length), limits);
  return withCoreErrors("", () =>
    gradientCheck(net, { x, y, n }, {
      ...(loss === undefined ? {} : { loss }),
      ...(regularization === undefined ? {} : { regularization }),
      ...(body.epsilon === undefined ? {} : { epsilon: body.epsilon }),
      ...(body.tolerance === undefined ? {} : { tolerance: body.tolerance }),
    }),
  );
}
