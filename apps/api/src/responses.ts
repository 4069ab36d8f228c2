import { z } from "@hono/zod-openapi";
import { DomainSchema, ModelSchema, RunDocumentSchema } from "./schemas.js";

// Response shapes, for the OpenAPI document and the typed client. Computed
// numbers are `number | null`: JSON has no NaN or Infinity, so a diverged
// loss arrives as null.

const num = z.number().nullable();
const localized = z.object({ en: z.string(), es: z.string() }).openapi("Localized");
const matrix = z.array(z.array(num));

export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: "urn:backprop-lab:problem:validation-failed" }),
    title: z.string(),
    status: z.int(),
    detail: z.string(),
    instance: z.string(),
    errors: z.array(z.object({ field: z.string(), code: z.string(), message: z.string() })),
  })
  .catchall(z.unknown())
  .openapi("Problem", { description: "RFC 9457 problem details; `errors` names each offending field. Work-budget problems add `budget` and `cost`." });

export const EvaluationSchema = z
  .object({
    n: z.int(),
    loss: num,
    dataLoss: num,
    regLoss: num,
    accuracy: z.number().nullable(),
    confusion: z.array(z.array(z.int())).nullable(),
  })
  .openapi("Evaluation");

export const CurveSchema = z.object({ step: z.array(z.number()), value: z.array(num) }).openapi("Curve");

export const FindingSchema = z
  .looseObject({
    code: z.string(),
    severity: z.enum(["info", "warning", "error"]),
    step: z.int(),
    numbers: z.record(z.string(), num),
    message: localized,
    fix: z.unknown(),
  })
  .openapi("Finding", { description: "A diagnosis from @backprop-lab/diagnostics, with its numbers, a message in English and Spanish and a fix." });

export const GridSchema = z
  .object({
    width: z.int(),
    height: z.int(),
    domain: DomainSchema,
    nOut: z.int(),
    threshold: z.number(),
    value: z.array(num),
    classIndex: z.array(z.int()),
    boundary: z.array(z.array(z.number())),
  })
  .openapi("Grid", { description: "Row 0 is the top (largest x2); cell (row, col) is index row·width + col. boundary: polylines [x0, y0, x1, y1, …]." });

const score = z.object({ loss: num, accuracy: z.number().nullable() });

const rollback = z
  .object({
    step: z.int(),
    reason: z.enum(["non-finite-loss", "non-finite-gradient", "non-finite-parameter", "gradient-jump"]),
    restoredStep: z.int(),
    learningRateBefore: z.number(),
    learningRateAfter: z.number(),
    gaveUp: z.boolean(),
  })
  .openapi("Rollback", { description: "What the run's divergence guard did on one step." });

export const ProgressSchema = z
  .object({
    type: z.literal("progress"),
    step: z.int(),
    loss: num,
    dataLoss: num,
    regLoss: num.openapi({ description: "The penalty, per data set (divided by the training rows)." }),
    gradNorm: num.openapi({ description: "Global gradient norm before clipping." }),
    learningRate: z.number().openapi({ description: "The scheduled rate this step used." }),
    batchSize: z.int(),
    finite: z.boolean(),
    nonFinite: z
      .object({ layer: z.int(), tensor: z.enum(["W", "b"]), row: z.int(), col: z.int(), value: num })
      .nullable()
      .openapi({ description: "The first parameter this step's update made non-finite." }),
    skipped: z.boolean(),
    clipped: z.boolean(),
    clippedNorm: num.openapi({ description: "Global gradient norm after clipping." }),
    epoch: z.int(),
    clipCount: z.int().openapi({ description: "Updates behind the current weights that clipping scaled (a rollback sets it back with the step)." }),
    rollback: rollback.nullable(),
    clips: z.int().openapi({ description: "The same count as clipCount, under its older name." }),
    train: score,
    test: score.nullable(),
  })
  .openapi("Progress", { description: "One report of core's run (RunStepReport) as it is, with the evaluation of that step." });

export const TrainResultSchema = z
  .object({
    config: RunDocumentSchema,
    steps: z.int(),
    parameters: z.int(),
    cost: z.number(),
    model: ModelSchema,
    final: z.object({ train: EvaluationSchema, test: EvaluationSchema.nullable() }),
    reports: z.array(ProgressSchema),
    curves: z.object({
      loss: CurveSchema,
      gradNorm: CurveSchema,
      learningRate: CurveSchema,
      trainLoss: CurveSchema,
      testLoss: CurveSchema.nullable(),
      trainAccuracy: CurveSchema.nullable(),
      testAccuracy: CurveSchema.nullable(),
    }),
    findings: z.array(FindingSchema),
    health: z.unknown(),
    clip: z.unknown(),
    rollbacks: z.array(rollback),
    diverged: z.boolean(),
    grid: GridSchema.nullable(),
  })
  .openapi("TrainResult");

export const PredictResultSchema = z
  .object({ n: z.int(), nOut: z.int(), outputs: matrix, classIndex: z.array(z.int()).nullable() })
  .openapi("PredictResult");

const explainedLayer = z.object({
  index: z.int(),
  activation: z.string(),
  nIn: z.int(),
  nOut: z.int(),
  input: matrix,
  W: matrix,
  b: z.array(num).nullable(),
  z: matrix,
  a: matrix,
  dL_da: matrix,
  da_dz: matrix,
  dL_dz: matrix,
  dL_dW: matrix,
  dL_db: z.array(num).nullable(),
  dL_dinput: matrix.nullable(),
  W_next: matrix,
  b_next: z.array(num).nullable(),
});

export const ExplanationSchema = z
  .object({
    n: z.int(),
    loss: z.string(),
    learningRate: z.number(),
    x: matrix,
    y: matrix,
    output: matrix,
    dataLoss: num,
    regLoss: num,
    totalLoss: num,
    layers: z.array(explainedLayer),
    lossAfterUpdate: num,
  })
  .openapi("Explanation", { description: "Every intermediate of one forward, backward and update, per layer, in the course's row-vector shapes." });

const parameterCheck = z.object({
  layer: z.int(),
  kind: z.enum(["W", "b"]),
  row: z.int(),
  col: z.int(),
  analytic: num,
  numeric: num,
  relativeError: num,
});

export const GradientCheckResultSchema = z
  .object({
    ok: z.boolean(),
    tolerance: z.number(),
    maxRelativeError: num,
    worst: parameterCheck.nullable(),
    parameters: z.array(parameterCheck),
  })
  .openapi("GradientCheckResult");

export const DatasetsSchema = z
  .object({
    datasets: z.array(
      z.object({
        name: z.string(),
        kind: z.enum(["classification", "regression"]),
        classes: z.int(),
        defaultN: z.int(),
        domain: DomainSchema,
        description: localized,
      }),
    ),
  })
  .openapi("Datasets");

const presetEntry = z.object({ id: z.string(), title: localized, description: localized, config: RunDocumentSchema });

export const PresetsSchema = z
  .object({
    presets: z.array(presetEntry),
    failureLabs: z.array(presetEntry.extend({ steps: z.int(), expected: z.unknown(), fix: z.unknown() })),
  })
  .openapi("Presets");

export const LimitsSchema = z
  .object({
    maxBodyBytes: z.number(),
    maxHiddenLayers: z.number(),
    maxWidth: z.number(),
    maxInputs: z.number(),
    maxSamples: z.number(),
    maxSteps: z.number(),
    maxGridResolution: z.number(),
    maxPredictRows: z.number(),
    maxExplainRows: z.number(),
    maxGradientCheckRows: z.number(),
    maxCurvePoints: z.number(),
    workBudget: z.number(),
    maxMemoryBytes: z.number(),
    maxResponseBytes: z.number(),
    rateLimit: z.object({ limit: z.number(), periodSeconds: z.number() }).nullable(),
    trainTimeoutMs: z.number(),
  })
  .openapi("Limits");
