import {
  DATASET_NAMES,
  FEATURE_NAMES,
  HIDDEN_ACTIVATIONS,
  OUTPUT_ACTIVATIONS,
  RUN_DOCUMENT_FIELDS,
  type LossName,
  type RunDocumentInput,
  type RunField,
} from "@backprop-lab/core";
import type { ClipOption } from "@backprop-lab/diagnostics";
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

// The run document's schema is built from core's field table
// (RUN_DOCUMENT_FIELDS over RUN_LIMITS): every type, range, enum and key set
// comes from core, none is written here. A value it refuses is reported with
// core's own text for that field (validation.ts asks core), and core checks
// the document again when the run is built (cross-field rules such as a
// cosine floor above the base rate). The API's own, lower size limits are
// published with `x-limit` and checked in code (they are configurable).

const finite = z.number();
const matrix = z.array(z.array(finite).min(1));
/** Rows of inputs: each at most maxInputs wide. */
const inputRows = z.array(limited(z.array(finite).min(1), "maxInputs", "maxItems"));

const FIELDS = RUN_DOCUMENT_FIELDS as Record<string, RunField>;

/** Fields a document must give when their object is given (no default, and core reads them unconditionally). */
const REQUIRED = new Set(["data.x", "data.y", "training.clipping.maxNorm"]);

/** The API limit published for a document path, when it has one. */
const FIELD_LIMITS: Record<string, [LimitName, "maximum" | "maxItems"]> = {
  "data.n": ["maxSamples", "maximum"],
  "data.x": ["maxSamples", "maxItems"],
  "network.hidden": ["maxHiddenLayers", "maxItems"],
  "network.hidden[]": ["maxWidth", "maximum"],
};

/** The zod schema of one scalar or array field of the document, from its table entry. */
function scalarSchema(path: string): z.ZodType {
  const f = FIELDS[path];
  if (!f) throw new Error(`no field ${path} in RUN_DOCUMENT_FIELDS`);
  let schema: z.ZodType;
  switch (f.type) {
    case "integer":
      schema = z.int().min(f.minimum).max(f.maximum);
      break;
    case "number": {
      let n = z.number();
      if (f.minimum !== undefined) n = n.min(f.minimum);
      if (f.exclusiveMinimum !== undefined) n = n.gt(f.exclusiveMinimum);
      if (f.maximum !== undefined) n = n.max(f.maximum);
      if (f.exclusiveMaximum !== undefined) n = n.lt(f.exclusiveMaximum);
      schema = n;
      break;
    }
    case "boolean":
      schema = z.boolean();
      break;
    case "string":
      schema = z.enum(f.enum as [string, ...string[]]);
      break;
    case "array": {
      const item = path === "data.x" ? inputRows.element : path === "data.y" ? z.union([z.array(finite).min(1), finite]) : scalarSchema(`${path}[]`);
      schema = z.array(item).min(f.minItems).max(f.maxItems);
      break;
    }
    case "object":
      throw new Error(`${path} is an object`);
  }
  schema = schema.openapi({ description: f.description, ...("default" in f && f.default !== undefined ? { default: f.default } : {}) } as never);
  const limit = FIELD_LIMITS[path];
  return limit ? limited(schema, limit[0], limit[1]) : schema;
}

/** A strict object of `keys` under `path` (its fields from the table); `fixed` replaces the schema of some keys. */
function objectSchema(path: string, keys: readonly string[], fixed: Record<string, z.ZodType> = {}): z.ZodObject {
  const shape: Record<string, z.ZodType> = {};
  for (const key of keys) {
    const child = path === "$" ? key : `${path}.${key}`;
    const schema = fixed[key] ?? scalarSchema(child);
    shape[key] = REQUIRED.has(child) ? schema : schema.optional();
  }
  return z.strictObject(shape);
}

type ObjectField = Extract<RunField, { type: "object" }>;
const objectField = (path: string) => FIELDS[path] as ObjectField;

/**
 * An object with variants (data by source, optimizer and schedule by kind):
 * one strict object per variant; the variant key may be left out for its
 * default variant, as core reads it.
 */
function variantSchemas(path: string): z.ZodObject[] {
  const variants = objectField(path).variants!;
  const keyField = FIELDS[`${path}.${variants.key}`];
  const defaultVariant = keyField && "default" in keyField ? keyField.default : undefined;
  return Object.entries(variants.keys).map(([name, keys]) =>
    objectSchema(path, keys, { [variants.key]: name === defaultVariant ? z.literal(name).optional() : z.literal(name) }),
  );
}

const describeField = (path: string) => ({ description: FIELDS[path]!.description });

export const DataSchema = z
  .union(variantSchemas("data") as [z.ZodObject, z.ZodObject])
  .openapi("RunData", describeField("data"));
export const NetworkSchema = objectSchema("network", objectField("network").keys, {
  activation: z.union([scalarSchema("network.activation"), z.array(scalarSchema("network.activation[]"))]),
}).openapi("Network", describeField("network"));
export const OptimizerSchema = z
  .union([scalarSchema("training.optimizer.kind"), ...variantSchemas("training.optimizer")] as unknown as [z.ZodType, z.ZodType, ...z.ZodType[]])
  .openapi("Optimizer", describeField("training.optimizer"));
export const ScheduleSchema = z
  .union([scalarSchema("training.schedule.kind"), ...variantSchemas("training.schedule")] as unknown as [z.ZodType, z.ZodType, ...z.ZodType[]])
  .openapi("Schedule", describeField("training.schedule"));
type TrainingInput = NonNullable<RunDocumentInput["training"]>;
export const RegularizationSchema = objectSchema("training.regularization", objectField("training.regularization").keys).openapi(
  "Regularization",
  describeField("training.regularization"),
) as unknown as z.ZodType<NonNullable<TrainingInput["regularization"]>>;
export const ClippingSchema = objectSchema("training.clipping", objectField("training.clipping").keys).nullable().openapi("Clipping", describeField("training.clipping"));
export const GuardSchema = objectSchema("training.guard", objectField("training.guard").keys, { gradJump: scalarSchema("training.guard.gradJump").nullable() })
  .nullable()
  .openapi("Guard", describeField("training.guard"));
export const TrainingSchema = objectSchema("training", objectField("training").keys, {
  optimizer: OptimizerSchema,
  schedule: ScheduleSchema,
  regularization: RegularizationSchema,
  batchSize: z.union([scalarSchema("training.batchSize"), z.literal("full")]),
  clipping: ClippingSchema,
  guard: GuardSchema,
}).openapi("Training", describeField("training"));

/**
 * The run document (core's `RunDocument`): `config` of a train body IS one.
 * Anything left out takes core's default; core's `parseRunDocument` is the
 * final word.
 */
export const RunDocumentSchema = objectSchema("$", objectField("$").keys, {
  data: DataSchema,
  network: NetworkSchema,
  init: objectSchema("init", objectField("init").keys),
  training: TrainingSchema,
  evaluation: objectSchema("evaluation", objectField("evaluation").keys),
}).openapi("RunDocument", {
  description: "Core's run document (RunDocument): seed, data, features, network, init, training (incl. clipping and guard) and evaluation; anything left out takes core's default.",
  // built from the field table at run time; its static type is core's
}) as unknown as z.ZodType<RunDocumentInput>;

/** The same schema under its older name. */
export const RunConfigSchema = RunDocumentSchema;

export const ModelSchema = z
  .strictObject({
    format: z.literal("backprop-lab/mlp"),
    version: z.literal(1),
    spec: z.strictObject({
      sizes: z.array(limited(z.int().min(1), "maxWidth")).min(2).openapi({ description: "Layer widths; the first is bounded by maxInputs, the others by maxWidth, and at most maxHiddenLayers + 2 of them." }),
      hidden: z.union([z.enum(HIDDEN_ACTIVATIONS), z.array(z.enum(HIDDEN_ACTIVATIONS))]).optional(),
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

const count = z.int().min(1);
const positive = z.number().positive();

/** Clipping and the divergence guard are part of the run document (config.training.clipping, config.training.guard). */
export const DiagnosticsOptionsSchema = z
  .strictObject({
    gradientCheck: z
      .boolean()
      .optional()
      .openapi({ description: "Gradient-check on the first loss spikes; default on when its cost is at most a tenth of the work budget." }),
  })
  .openapi("DiagnosticsOptions");

export const TrainRequestSchema = z
  .strictObject({
    config: RunDocumentSchema.optional().openapi({ description: "The run document (core's RunDocument)." }),
    preset: z.string().min(1).max(100).optional().openapi({ description: "A preset or failure lab id (GET /v1/presets) in place of config." }),
    applyFix: z.boolean().optional().openapi({ description: "With a failure lab: train its fixed configuration." }),
    steps: limited(count, "maxSteps").optional().openapi({ description: "Training steps; default 500, or the failure lab's." }),
    reportEvery: limited(count, "maxSteps")
      .optional()
      .openapi({ description: "Steps between evaluations (progress reports): sets the document's evaluation.every; default the document's own, else steps / 20." }),
    curvePoints: limited(z.int().min(2), "maxCurvePoints").optional().openapi({ description: "Points kept per downsampled curve; default 200." }),
    grid: GridRequestSchema.optional(),
    diagnostics: DiagnosticsOptionsSchema.optional(),
    model: ModelSchema.optional().openapi({
      description:
        "Start from this model (e.g. the `model` a previous train returned) in place of the document's initial weights: it is the run's step 0. It must have the document's network (inputs, hidden units, activations, outputs, biases), else 422 naming model.spec…. Weights only: the step count, schedule, optimizer state (momentum, Adam's moments) and batch order start again, so 100 + 100 steps equal 200 bit for bit for full-batch SGD at a constant rate. / Empieza desde este modelo en lugar de los pesos iniciales del documento; debe tener la red del documento.",
    }),
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
    config: RunDocumentSchema.optional().openapi({ description: "Without a model: check the initial network of this run on its training rows." }),
    rows: limited(count, "maxGradientCheckRows").optional().openapi({ description: "Training rows of the config's data to use; default 16." }),
    loss: (scalarSchema("training.loss") as z.ZodType<LossName>).optional(),
    regularization: RegularizationSchema.optional(),
    epsilon: positive.optional(),
    tolerance: positive.optional(),
  })
  .openapi("GradientCheckRequest");

export const ExplainRequestSchema = z
  .strictObject({
    config: RunDocumentSchema.optional().openapi({
      description: "A run document: explain the step its run takes after `steps` updates, with its optimizer, schedule, penalty and clipping (run.explain()). Not with model, x, y, learningRate, loss or regularization.",
    }),
    steps: limited(z.int().min(0), "maxSteps").optional().openapi({ description: "With config: updates made before the explained step; default 0." }),
    model: ModelSchema.optional(),
    x: limited(inputRows.min(1), "maxExplainRows", "maxItems").optional(),
    y: limited(matrix.min(1), "maxExplainRows", "maxItems").optional(),
    learningRate: (scalarSchema("training.learningRate") as z.ZodType<number>).optional(),
    loss: (scalarSchema("training.loss") as z.ZodType<LossName>).optional(),
    regularization: RegularizationSchema.optional(),
  })
  .openapi("ExplainRequest", {
    description: "Everything optional: a run document (config), a model with rows, or, with neither, the course's worked example (as a run document).",
  });

export type RunConfigInput = z.infer<typeof RunDocumentSchema>;
export type TrainRequest = z.infer<typeof TrainRequestSchema>;
export type PredictRequest = z.infer<typeof PredictRequestSchema>;
export type BoundaryRequest = z.infer<typeof BoundaryRequestSchema>;
export type GradientCheckRequest = z.infer<typeof GradientCheckRequestSchema>;
export type ExplainRequest = z.infer<typeof ExplainRequestSchema>;
/**
 * A train body's diagnostics settings. `clip` and `guard` are no longer body
 * fields (the run document's training.clipping and training.guard are); they
 * stay in this type only for diagnose.ts's attachRunDiagnostics, which
 * training no longer uses (diagnostics plug into the run as an observer,
 * engine/observe.ts).
 */
export type DiagnosticsOptions = z.infer<typeof DiagnosticsOptionsSchema> & { clip?: ClipOption; guard?: boolean };
