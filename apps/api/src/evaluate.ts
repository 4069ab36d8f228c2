// POST /v1/evaluate: a model (core's model JSON) scored on data, inline or
// generated: loss (data and penalty apart), accuracy, the confusion matrix
// and per-class counts. Checked and costed before any work; on Node it runs
// in the worker pool like every computing route.
import {
  applyFeatures,
  DATASET_NAMES,
  datasetInfo,
  evaluate,
  FEATURE_NAMES,
  LOSS_NAMES,
  makeDataset,
  normalizeRegularization,
  parseDatasetJSON,
  type Dataset,
  type Evaluation,
  type FeatureName,
  type LossName,
  type Mlp,
} from "@backprop-lab/core";
import { createRoute, z } from "@hono/zod-openapi";
import { loadModel } from "./engine/model-ops.js";
import { DEFAULT_LIMITS, estimateEvaluate, type ApiLimits } from "./limits.js";
import { checkCost, fieldProblem, limitProblem, withCoreErrors } from "./problem.js";
import { ProblemSchema } from "./responses.js";
import { ModelSchema } from "./schemas.js";

function limited<T extends z.ZodType>(schema: T, name: keyof ApiLimits, keyword: "maximum" | "maxItems" = "maximum"): T {
  return schema.openapi({ [keyword]: DEFAULT_LIMITS[name], "x-limit": name } as never) as T;
}

const finite = z.number();
const encoding = z.enum(["one-hot", "binary", "signed"]);

export const EvaluateInlineDataSchema = z
  .strictObject({
    source: z.literal("inline").optional(),
    x: limited(z.array(limited(z.array(finite).min(1), "maxInputs", "maxItems")).min(1), "maxSamples", "maxItems").openapi({
      description: "Rows of model inputs, or of raw (x1, x2) points when features are given.",
    }),
    y: z.union([z.array(z.array(finite).min(1)).min(1), z.array(finite).min(1)]).openapi({ description: "One target row per x row, or one class label per row." }),
    encoding: encoding.optional().openapi({ description: "How class labels become targets; default from the model (one output: binary, or signed for tanh; else one-hot)." }),
  })
  .openapi("EvaluateInlineData");

export const EvaluateGeneratedDataSchema = z
  .strictObject({
    source: z.literal("generated").optional(),
    name: z.enum(DATASET_NAMES),
    n: limited(z.int().min(1), "maxSamples").optional(),
    noise: z.number().min(0).max(0.5).optional(),
    seed: z.int().min(0).max(0xffffffff).optional(),
    encoding: encoding.optional(),
  })
  .openapi("EvaluateGeneratedData", { description: "A built-in data set, generated from a seed (all its rows are scored)." });

export const EvaluateRequestSchema = z
  .strictObject({
    model: ModelSchema,
    data: z.union([EvaluateInlineDataSchema, EvaluateGeneratedDataSchema]),
    features: z.array(z.enum(FEATURE_NAMES)).min(1).optional().openapi({ description: "Features computed from (x1, x2) points; default none for inline rows, [x1, x2] for a generated set." }),
    loss: z.enum(LOSS_NAMES).optional().openapi({ description: "Default mse (cross-entropy needs a softmax output)." }),
    regularization: z
      .strictObject({ kind: z.enum(["none", "l1", "l2"]).optional(), lambda: z.number().min(0).optional() })
      .optional()
      .openapi({ description: "Adds the penalty to the loss (regLoss), divided by the rows scored." }),
  })
  .openapi("EvaluateRequest");

export type EvaluateRequest = z.infer<typeof EvaluateRequestSchema>;

export interface ClassCount {
  class: number;
  /** Rows whose true class this is. */
  count: number;
  /** Rows predicted as this class. */
  predicted: number;
  /** Rows of this class predicted right. */
  correct: number;
}

export interface EvaluateResult extends Evaluation {
  lossName: LossName;
  encoding: Dataset["encoding"];
  /** Per-class counts (null for regression). */
  classes: ClassCount[] | null;
}

const num = z.number().nullable();
export const EvaluateResultSchema = z
  .object({
    n: z.int(),
    loss: num,
    dataLoss: num,
    regLoss: num,
    accuracy: z.number().nullable(),
    confusion: z.array(z.array(z.int())).nullable().openapi({ description: "confusion[actual][predicted] counts." }),
    lossName: z.enum(LOSS_NAMES),
    encoding: z.enum(["one-hot", "binary", "signed", "regression"]),
    classes: z.array(z.object({ class: z.int(), count: z.int(), predicted: z.int(), correct: z.int() })).nullable(),
  })
  .openapi("EvaluateResult");

const problem = (description: string) => ({ description, content: { "application/problem+json": { schema: ProblemSchema } } });

export const evaluateRoute = createRoute({
  method: "post",
  path: "/v1/evaluate",
  summary: "Score a model on data",
  description:
    "Loss, accuracy, confusion matrix and per-class counts of a model JSON on inline rows or a generated data set. / Pérdida, exactitud, matriz de confusión y recuentos por clase de un modelo sobre filas propias o un conjunto generado.",
  request: { body: { required: true, content: { "application/json": { schema: EvaluateRequestSchema } } } },
  responses: {
    200: { description: "The evaluation.", content: { "application/json": { schema: EvaluateResultSchema } } },
    400: problem("The body is not valid JSON."),
    413: problem("The body is larger than maxBodyBytes."),
    415: problem("The body is not application/json."),
    422: problem("A field is invalid, the data does not fit the model, a limit or the work budget is exceeded."),
    429: problem("Rate limit reached; see Retry-After."),
    503: problem("Node: every worker is busy."),
    504: problem("Node: the evaluation passed the wall-clock limit."),
  },
});

function defaultEncoding(net: Mlp): "one-hot" | "binary" | "signed" {
  const nOut = net.layers[net.layers.length - 1]!.nOut;
  if (nOut > 1) return "one-hot";
  return net.spec.output === "tanh" ? "signed" : "binary";
}

/** The rows to score, as core's data set, checked against the limits and the model's shape. */
function dataFor(body: EvaluateRequest, net: Mlp, limits: ApiLimits): Dataset {
  const nIn = net.layers[0]!.nIn;
  const nOut = net.layers[net.layers.length - 1]!.nOut;
  const data = body.data;
  const enc = data.encoding ?? defaultEncoding(net);
  let features: readonly FeatureName[] | undefined = body.features;
  let raw: Dataset;
  if ("x" in data) {
    data.x.forEach((row, i) => {
      if (row.length > limits.maxInputs) throw limitProblem(`data.x[${i}]`, row.length, limits.maxInputs);
    });
    const width = features === undefined ? nIn : 2;
    data.x.forEach((row, i) => {
      if (row.length !== width) {
        throw fieldProblem("validation-failed", `data.x[${i}]`, "shape_mismatch", {
          en: `data.x[${i}] has ${row.length} values; ${features === undefined ? `the model reads ${nIn} inputs` : "with features, each row is a 2-D point (x1, x2)"}`,
          es: `data.x[${i}] tiene ${row.length} valores; ${features === undefined ? `el modelo lee ${nIn} entradas` : "con features, cada fila es un punto 2-D (x1, x2)"}`,
        });
      }
    });
    const classes = enc === "one-hot" && nOut >= 2 ? { classes: nOut } : {};
    raw = withCoreErrors("data", () => parseDatasetJSON({ x: data.x, y: data.y }, { encoding: enc, ...classes }).data);
  } else {
    raw = withCoreErrors("data", () => makeDataset(data.name, { n: data.n ?? datasetInfo(data.name).defaultN, ...(data.noise === undefined ? {} : { noise: data.noise }), ...(data.seed === undefined ? {} : { seed: data.seed }), encoding: enc }));
    features ??= ["x1", "x2"];
  }
  const scored = features === undefined ? raw : withCoreErrors("features", () => applyFeatures(raw, features));
  if (scored.nIn !== nIn) {
    throw fieldProblem("validation-failed", "features", "shape_mismatch", {
      en: `the model reads ${nIn} inputs but the data gives ${scored.nIn} (features: ${(features ?? []).join(", ") || "none"})`,
      es: `el modelo lee ${nIn} entradas pero los datos dan ${scored.nIn} (features: ${(features ?? []).join(", ") || "ninguna"})`,
    });
  }
  if (scored.nOut !== nOut) {
    const what = scored.labels ? `${scored.classes} classes as ${scored.encoding} targets` : "targets";
    const whatEs = scored.labels ? `${scored.classes} clases como objetivos ${scored.encoding}` : "objetivos";
    throw fieldProblem("validation-failed", "data.y", "shape_mismatch", {
      en: `the model has ${nOut} outputs but the data has ${scored.nOut} columns of ${what}`,
      es: `el modelo tiene ${nOut} salidas pero los datos tienen ${scored.nOut} columnas de ${whatEs}`,
    });
  }
  if (scored.labels && scored.classes > Math.max(2, nOut)) {
    throw fieldProblem("validation-failed", "data.y", "too_many_classes", {
      en: `the data has ${scored.classes} classes; a model with ${nOut} output${nOut === 1 ? "" : "s"} tells apart at most ${Math.max(2, nOut)}`,
      es: `los datos tienen ${scored.classes} clases; un modelo con ${nOut} salida${nOut === 1 ? "" : "s"} distingue como mucho ${Math.max(2, nOut)}`,
    });
  }
  return scored;
}

/** Rows a request will score, known before any data is built. */
function rowsOf(body: EvaluateRequest): { rows: number; field: string } {
  if ("x" in body.data) return { rows: body.data.x.length, field: "data.x" };
  return { rows: body.data.n ?? datasetInfo(body.data.name).defaultN, field: "data.n" };
}

export function evaluateModel(body: EvaluateRequest, limits: ApiLimits): EvaluateResult {
  const { rows, field } = rowsOf(body);
  if (rows > limits.maxSamples) throw limitProblem(field, rows, limits.maxSamples);
  const net = loadModel(body.model, limits);
  const nIn = net.layers[0]!.nIn;
  const nOut = net.layers[net.layers.length - 1]!.nOut;
  checkCost(estimateEvaluate(rows, net.params.length, nIn, nOut, Math.max(2, nOut)), limits);
  const lossName = body.loss ?? "mse";
  const regularization = withCoreErrors("", () => normalizeRegularization(body.regularization, "regularization"));
  const data = dataFor(body, net, limits);
  const result = withCoreErrors("", () => evaluate(net, data, { loss: lossName, regularization }));
  const classes = result.confusion
    ? result.confusion.map((row, k) => ({
        class: k,
        count: row.reduce((a, b) => a + b, 0),
        predicted: result.confusion!.reduce((a, r) => a + r[k]!, 0),
        correct: row[k]!,
      }))
    : null;
  return { ...result, lossName, encoding: data.encoding, classes };
}
