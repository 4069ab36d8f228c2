import {
  DATASET_NAMES,
  FEATURE_NAMES,
  HIDDEN_ACTIVATIONS,
  INIT_SCHEMES,
  LOSS_NAMES,
  OPTIMIZER_NAMES,
  OUTPUT_ACTIVATIONS,
  SCHEDULE_NAMES,
} from "@backprop-lab/core";
import { z } from "@hono/zod-openapi";
import { DEFAULT_LIMITS, type LimitName } from "./limits.js";

/**
 * A bound from the one limit set, published in the OpenAPI document as
 * `maximum` (a number) or `maxItems` (an array) with `x-limit` naming it;
 * the app rewrites both to its own limits when it serves the document. The
 * check itself is in code, against the app's limits, before any work.
 */
function limited<T extends z.ZodType>(schema: T, name: LimitName, keyword: "maximum" | "maxItems" = "maximum"): T {
  return schema.openapi({ [keyword]: DEFAULT_LIMITS[name], "x-limit": name } as never) as T;
}

// These schemas mirror core's normalizeRunConfig and mlpFromJSON so that the
// OpenAPI document tells clients the shape; core still validates everything
// afterwards, and the size limits are checked in code (they are configurable).

const seed = z.int().min(0).max(0xffffffff);
const encoding = z.enum(["one-hot", "binary", "signed"]);
const finite = z.number();
const matrix = z.array(z.array(finite).min(1));
/** Rows of inputs: each at most maxInputs wide. */
const inputRows = z.array(limited(z.array(finite).min(1), "maxInputs", "maxItems"));

export const GeneratedDataSchema = z
  .strictObject({
    source: z.literal("generated").optional(),
    name: z.enum(DATASET_NAMES),
    n: limited(z.int().min(1), "maxSamples").optional(),
    noise: z.number().min(0).max(0.5).optional(),
    seed: seed.optional(),
    testRatio: z.number().min(0).max(0.9).optional(),
    trainRows: z.int().min(1).optional(),
    encoding: encoding.optional(),
  })
  .openapi("GeneratedData", { description: "A built-in data set, generated from a seed." });

export const InlineDataSchema = z
  .strictObject({
    source: z.literal("inline").optional(),
    x: limited(inputRows.min(1), "maxSamples", "maxItems").openapi({ description: "Rows of inputs, e.g. [[x1, x2], ...]." }),
    y: z.union([matrix, z.array(finite)]).openapi({ description: "One target row per x row, or one class label per row." }),
    testRatio: z.number().min(0).max(0.9).optional(),
    trainRows: z.int().min(1).optional(),
    encoding: encoding.optional(),
  })
  .openapi("InlineData", { description: "Your own data in place of a generated set." });

const activation = z.enum(HIDDEN_ACTIVATIONS);

export const NetworkSchema = z
  .strictObject({
    hidden: limited(z.array(limited(z.int().min(1), "maxWidth")), "maxHiddenLayers", "maxItems").optional().openapi({ description: "Hidden layer widths, e.g. [3]; [] for none.", example: [3] }),
    activation: z.union([activation, z.array(activation)]).optional(),
    output: z.enum(OUTPUT_ACTIVATIONS).optional(),
    bias: z.boolean().optional(),
  })
  .openapi("Network");

const unitInterval = z.number().min(0).lt(1);
export const OptimizerSchema = z
  .union([
    z.enum(OPTIMIZER_NAMES),
    z.strictObject({ kind: z.literal("sgd") }),
    z.strictObject({ kind: z.literal("momentum"), momentum: unitInterval.optional(), nesterov: z.boolean().optional() }),
    z.strictObject({ kind: z.literal("adam"), beta1: unitInterval.optional(), beta2: unitInterval.optional(), epsilon: z.number().min(0).optional() }),
  ])
  .openapi("Optimizer");

const positive = z.number().positive();
const count = z.int().min(1);
export const ScheduleSchema = z
  .union([
    z.enum(SCHEDULE_NAMES),
    z.strictObject({ kind: z.literal("constant") }),
    z.strictObject({ kind: z.literal("step"), every: count.optional(), factor: positive.optional() }),
    z.strictObject({ kind: z.literal("exponential"), decayRate: positive.optional(), decaySteps: count.optional() }),
    z.strictObject({ kind: z.literal("inverse-time"), decayRate: positive.optional(), decaySteps: count.optional() }),
    z.strictObject({ kind: z.literal("cosine"), totalSteps: count.optional(), minLearningRate: finite.optional() }),
    z.strictObject({ kind: z.literal("linear"), totalSteps: count.optional(), endLearningRate: positive.optional() }),
  ])
  .openapi("Schedule");

export const RegularizationSchema = z
  .strictObject({
    kind: z.enum(["none", "l1", "l2"]).optional(),
    lambda: z.number().min(0).optional(),
    gradient: z.enum(["correct", "course-bug"]).optional().openapi({ description: '"course-bug" reproduces the course\'s wrong L2 gradient (L2 only).' }),
  })
  .openapi("Regularization");

export const TrainingSchema = z
  .strictObject({
    loss: z.enum(LOSS_NAMES).optional(),
    optimizer: OptimizerSchema.optional(),
    learningRate: positive.optional(),
    schedule: ScheduleSchema.optional(),
    regularization: RegularizationSchema.optional(),
    batchSize: z.union([count, z.literal("full")]).optional(),
    shuffle: z.boolean().optional(),
  })
  .openapi("Training");

export const RunConfigSchema = z
  .strictObject({
    seed: seed.optional(),
    data: z.union([InlineDataSchema, GeneratedDataSchema]).optional(),
    features: z.array(z.enum(FEATURE_NAMES)).min(1).optional(),
    network: NetworkSchema.optional(),
    init: z.strictObject({ scheme: z.enum(INIT_SCHEMES).optional(), seed: seed.optional() }).optional(),
    training: TrainingSchema.optional(),
  })
  .openapi("RunConfig", { description: "Core's run configuration; anything left out takes core's default." });

export const ModelSchema = z
  .strictObject({
    format: z.literal("backprop-lab/mlp"),
    version: z.literal(1),
    spec: z.strictObject({
      sizes: z.array(limited(z.int().min(1), "maxWidth")).min(2).openapi({ description: "Layer widths; the first is bounded by maxInputs, the others by maxWidth, and at most maxHiddenLayers + 2 of them." }),
      hidden: z.union([activation, z.array(activation)]).optional(),
      output: z.enum(OUTPUT_ACTIVATIONS),
      bias: z.boolean(),
    }),
    weights: z.array(matrix).openapi({ description: "weights[l] is an (nIn, nOut) nested array." }),
    biases: z.array(z.array(finite)).nullable(),
  })
  .openapi("Model", { description: "The model JSON of every backprop-lab face." });

export const DomainSchema = z
  .strictObject({ xMin: finite, xMax: finite, yMin: finite, yMax: finite })
  .openapi("Domain", { description: "The rectangle of the (x1, x2) plane a grid covers." });

export const GridRequestSchema = z.strictObject({
  resolution: limited(z.int().min(2), "maxGridResolution").openapi({ description: "Cells per side.", example: 50 }),
  domain: DomainSchema.optional(),
});

export const DiagnosticsOptionsSchema = z
  .strictObject({
    clip: z
      .union([z.strictObject({ kind: z.literal("norm"), maxNorm: positive }), z.strictObject({ kind: z.literal("value"), limit: positive })])
      .optional()
      .openapi({ description: "Clip the gradient: its global norm to maxNorm, or every entry to [-limit, limit]." }),
    guard: z.boolean().optional().openapi({ description: "Roll back and lower the learning rate when training diverges." }),
    gradientCheck: z
      .boolean()
      .optional()
      .openapi({ description: "Gradient-check on the first loss spikes; default on when its cost is at most a tenth of the work budget." }),
  })
  .openapi("DiagnosticsOptions");

export const TrainRequestSchema = z
  .strictObject({
    config: RunConfigSchema.optional(),
    preset: z.string().min(1).max(100).optional().openapi({ description: "A preset or failure lab id (GET /v1/presets) in place of config." }),
    applyFix: z.boolean().optional().openapi({ description: "With a failure lab: train its fixed configuration." }),
    steps: limited(count, "maxSteps").optional().openapi({ description: "Training steps; default 500, or the failure lab's." }),
    reportEvery: limited(count, "maxSteps").optional().openapi({ description: "Steps between evaluations (progress events); default steps / 20." }),
    curvePoints: limited(z.int().min(2), "maxCurvePoints").optional().openapi({ description: "Points kept per downsampled curve; default 200." }),
    grid: GridRequestSchema.optional(),
    diagnostics: DiagnosticsOptionsSchema.optional(),
  })
  .openapi("TrainRequest");

export const PredictRequestSchema = z
  .strictObject({
    model: ModelSchema,
    x: limited(inputRows.min(1), "maxPredictRows", "maxItems").openapi({ description: "Rows of raw 2-D points (with features) or of model inputs." }),
    features: z.array(z.enum(FEATURE_NAMES)).min(1).optional(),
    encoding: z.enum(["one-hot", "binary", "signed", "regression"]).optional(),
  })
  .openapi("PredictRequest");

export const BoundaryRequestSchema = z
  .strictObject({
    model: ModelSchema,
    resolution: limited(z.int().min(2), "maxGridResolution").optional(),
    domain: DomainSchema.optional(),
    dataset: z.enum(DATASET_NAMES).optional().openapi({ description: "Use this data set's domain when no domain is given." }),
    features: z.array(z.enum(FEATURE_NAMES)).min(1).optional(),
    encoding: z.enum(["one-hot", "binary", "signed", "regression"]).optional(),
  })
  .openapi("BoundaryRequest");

export const GradientCheckRequestSchema = z
  .strictObject({
    model: ModelSchema.optional(),
    x: limited(inputRows.min(1), "maxGradientCheckRows", "maxItems").optional(),
    y: limited(matrix.min(1), "maxGradientCheckRows", "maxItems").optional(),
    config: RunConfigSchema.optional().openapi({ description: "Without a model: check the initial network of this run on its training rows." }),
    rows: limited(count, "maxGradientCheckRows").optional().openapi({ description: "Training rows of the config's data to use; default 16." }),
    loss: z.enum(LOSS_NAMES).optional(),
    regularization: RegularizationSchema.optional(),
    epsilon: positive.optional(),
    tolerance: positive.optional(),
  })
  .openapi("GradientCheckRequest");

export const ExplainRequestSchema = z
  .strictObject({
    model: ModelSchema.optional(),
    x: limited(inputRows.min(1), "maxExplainRows", "maxItems").optional(),
    y: limited(matrix.min(1), "maxExplainRows", "maxItems").optional(),
    learningRate: positive.optional(),
    loss: z.enum(LOSS_NAMES).optional(),
    regularization: RegularizationSchema.optional(),
  })
  .openapi("ExplainRequest", { description: "Everything optional: the course's worked example fills in what is left out." });

export type RunConfigInput = z.infer<typeof RunConfigSchema>;
export type TrainRequest = z.infer<typeof TrainRequestSchema>;
export type PredictRequest = z.infer<typeof PredictRequestSchema>;
export type BoundaryRequest = z.infer<typeof BoundaryRequestSchema>;
export type GradientCheckRequest = z.infer<typeof GradientCheckRequestSchema>;
export type ExplainRequest = z.infer<typeof ExplainRequestSchema>;
export type DiagnosticsOptions = z.infer<typeof DiagnosticsOptionsSchema>;
