export { API_VERSION, createApp, toApiError, type AppEnv, type AppOptions, type AppType } from "./app.js";
export { createClient, type Client } from "./client.js";
export { courseExample, courseExampleDocument, DEFAULT_GRADIENT_CHECK_ROWS, DEFAULT_GRID_RESOLUTION, explainRun } from "./engine/model-ops.js";
export { documentErrors, documentToTrainBody, type DocumentError } from "./engine/document.js";
export { watchRun, type RunWatch } from "./engine/observe.js";
export type { GridResult } from "./engine/grid.js";
export {
  DEFAULT_CURVE_POINTS,
  DEFAULT_REPORTS,
  DEFAULT_STEPS,
  prepareTraining,
  runTraining,
  trainBodyToDocument,
  trainingEvents,
  type CurveJSON,
  type FindingEvent,
  type PreparedTraining,
  type ProgressEvent,
  type Score,
  type TickEvent,
  type TrainEvent,
  type TrainResult,
} from "./engine/train.js";
export { createInlineExecutor, timeoutProblem, type PublicTrainEvent, type SerializedTrainEvent, type TrainExecutor, type TrainRunOptions } from "./executor.js";
export { DEFAULT_LIMITS, forwardCost, gradientCheckCost, trainCost, type ApiLimits, type TrainShape } from "./limits.js";
export { pickLanguage, PROBLEMS, type Lang, type Localized, type ProblemKind } from "./messages.js";
export {
  ApiError,
  PROBLEM_CONTENT_TYPE,
  problemType,
  renderProblem,
  type FieldError,
  type LocalizedFieldError,
  type ProblemDetails,
} from "./problem.js";
export { bindingRateLimiter, memoryRateLimiter, type MemoryRateLimiterOptions, type RateLimitBinding, type RateLimiter } from "./rate-limit.js";
export {
  BoundaryRequestSchema,
  ExplainRequestSchema,
  GradientCheckRequestSchema,
  ModelSchema,
  PredictRequestSchema,
  RunConfigSchema,
  RunDocumentSchema,
  TrainRequestSchema,
  type BoundaryRequest,
  type ExplainRequest,
  type GradientCheckRequest,
  type PredictRequest,
  type RunConfigInput,
  type TrainRequest,
} from "./schemas.js";
