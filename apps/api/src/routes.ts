import { createRoute, z } from "@hono/zod-openapi";
import {
  DatasetsSchema,
  ExplanationSchema,
  GradientCheckResultSchema,
  GridSchema,
  LimitsSchema,
  PredictResultSchema,
  PresetsSchema,
  ProblemSchema,
  TrainResultSchema,
} from "./responses.js";
import {
  BoundaryRequestSchema,
  ExplainRequestSchema,
  GradientCheckRequestSchema,
  PredictRequestSchema,
  TrainRequestSchema,
} from "./schemas.js";

const problem = (description: string) => ({ description, content: { "application/problem+json": { schema: ProblemSchema } } });

/** The problems any POST route can answer with. */
const postProblems = {
  400: problem("The body is not valid JSON."),
  413: problem("The body is larger than maxBodyBytes."),
  415: problem("The body is not application/json."),
  422: problem("A field is invalid, a limit is exceeded or the work budget is exceeded (then `budget` and `cost` are given)."),
  429: problem("Rate limit reached; see Retry-After."),
};

const jsonBody = <T extends z.ZodType>(schema: T, required = true) => ({
  body: { required, content: { "application/json": { schema } } },
});

const ok = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });

export const datasetsRoute = createRoute({
  method: "get",
  path: "/v1/datasets",
  summary: "The built-in data sets",
  responses: { 200: ok(DatasetsSchema, "Every built-in data set with its domain and description."), 429: postProblems[429] },
});

export const presetsRoute = createRoute({
  method: "get",
  path: "/v1/presets",
  summary: "Presets and failure labs",
  responses: { 200: ok(PresetsSchema, "Run presets and failure labs, each with its full run config."), 429: postProblems[429] },
});

export const limitsRoute = createRoute({
  method: "get",
  path: "/v1/limits",
  summary: "The limits and work budget of this server",
  responses: { 200: ok(LimitsSchema, "Every limit checked before work starts."), 429: postProblems[429] },
});

export const trainRoute = createRoute({
  method: "post",
  path: "/v1/train",
  summary: "Train a network",
  description:
    "Trains a run config (or a preset or failure lab) for `steps` steps and returns the model JSON, downsampled curves, diagnostics findings and, when asked, the boundary grid. The same body with the same seed gives a byte-identical response. With `model` (e.g. the `model` a previous train returned) the run starts from that model's weights instead of the document's initial draw, so training continues: the model must have the document's network, else 422 naming `model.spec…`; only weights carry over (the step count, schedule, optimizer state and batch order start again), so 100 steps and then 100 more from the returned model equal 200 steps bit for bit for full-batch SGD at a constant rate. / Con `model` la ejecución empieza desde los pesos de ese modelo (p. ej. el `model` de un entrenamiento anterior): el entrenamiento continúa; el modelo debe tener la red del documento, si no 422 con `model.spec…`.",
  request: jsonBody(TrainRequestSchema, false),
  responses: {
    200: ok(TrainResultSchema, "The trained run."),
    ...postProblems,
    503: problem("Every training worker is busy."),
    504: problem("Training passed the wall-clock limit."),
  },
});

export const trainStreamRoute = createRoute({
  method: "post",
  path: "/v1/train/stream",
  summary: "Train a network, streamed as Server-Sent Events",
  description:
    "The same run as POST /v1/train as Server-Sent Events: `progress` every reportEvery steps, `finding` when diagnostics see one, then `result` (the body POST /v1/train returns) or `error` (a problem). Closing the connection stops the run. Takes `model` to continue from a model, as POST /v1/train does.",
  request: jsonBody(TrainRequestSchema, false),
  responses: {
    200: { description: "An event stream.", content: { "text/event-stream": { schema: z.string() } } },
    ...postProblems,
  },
});

export const predictRoute = createRoute({
  method: "post",
  path: "/v1/predict",
  summary: "Run a model on rows of inputs",
  request: jsonBody(PredictRequestSchema),
  responses: { 200: ok(PredictResultSchema, "Outputs and predicted classes."), ...postProblems },
});

export const boundaryRoute = createRoute({
  method: "post",
  path: "/v1/boundary",
  summary: "Sample a model's decision boundary over a grid",
  request: jsonBody(BoundaryRequestSchema),
  responses: { 200: ok(GridSchema, "The grid and its decision boundary."), ...postProblems },
});

export const gradientCheckRoute = createRoute({
  method: "post",
  path: "/v1/gradient-check",
  summary: "Compare backprop with central differences",
  request: jsonBody(GradientCheckRequestSchema, false),
  responses: { 200: ok(GradientCheckResultSchema, "Every parameter's analytic and numeric gradient."), ...postProblems },
});

export const explainRoute = createRoute({
  method: "post",
  path: "/v1/explain",
  summary: "Every intermediate of one training step",
  description: "One forward, backward and update with every intermediate. An empty body gives the course's worked example.",
  request: jsonBody(ExplainRequestSchema, false),
  responses: { 200: ok(ExplanationSchema, "The explained step."), ...postProblems },
});
