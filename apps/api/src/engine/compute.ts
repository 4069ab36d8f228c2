import type { z } from "@hono/zod-openapi";
import { evaluateModel, EvaluateRequestSchema, type EvaluateRequest } from "../evaluate.js";
import type { ApiLimits } from "../limits.js";
import { TEXT } from "../messages.js";
import { ApiError } from "../problem.js";
import {
  BoundaryRequestSchema,
  ExplainRequestSchema,
  GradientCheckRequestSchema,
  PredictRequestSchema,
  TrainRequestSchema,
  type BoundaryRequest,
  type ExplainRequest,
  type GradientCheckRequest,
  type PredictRequest,
  type TrainRequest,
} from "../schemas.js";
import { validationProblem } from "../validation.js";
import { boundaryGrid, checkGradients, explain, predictRows } from "./model-ops.js";
import { prepareTraining, type PreparedTraining } from "./train.js";

/**
 * A request to a route that computes (everything but training), as plain
 * JSON: the Node server sends it to a worker thread, the Workers runtime
 * runs it inline. The route function checks its limits and cost first.
 */
export type ComputeJob =
  | { route: "predict"; body: PredictRequest; limits: ApiLimits }
  | { route: "boundary"; body: BoundaryRequest; limits: ApiLimits }
  | { route: "gradient-check"; body: GradientCheckRequest; limits: ApiLimits }
  | { route: "explain"; body: ExplainRequest; limits: ApiLimits }
  | { route: "evaluate"; body: EvaluateRequest; limits: ApiLimits };

export type ComputeRoute = ComputeJob["route"];

export function runCompute(job: ComputeJob): unknown {
  switch (job.route) {
    case "predict":
      return predictRows(job.body, job.limits);
    case "boundary":
      return boundaryGrid(job.body, job.limits);
    case "gradient-check":
      return checkGradients(job.body, job.limits);
    case "explain":
      return explain(job.body, job.limits);
    case "evaluate":
      return evaluateModel(job.body, job.limits);
  }
}

/** Each computing route's body schema (the one its OpenAPI route declares). */
export const COMPUTE_SCHEMAS: Record<ComputeRoute, z.ZodType> = {
  predict: PredictRequestSchema,
  boundary: BoundaryRequestSchema,
  "gradient-check": GradientCheckRequestSchema,
  explain: ExplainRequestSchema,
  evaluate: EvaluateRequestSchema,
};

/**
 * A computing route's request as the bytes of its JSON body: the whole of
 * its work, parsing and validation to the serialized answer, in one place
 * (a worker thread on Node, so a large body or answer never holds the
 * event loop).
 */
export interface BodyJob {
  route: ComputeRoute;
  /** The request body as sent (UTF-8 JSON). */
  body: Uint8Array;
  limits: ApiLimits;
}

/**
 * Parses, validates and runs a BodyJob, and returns the answer's JSON as
 * UTF-8. Errors are the ones the route's validator gives for the same
 * body: invalid JSON is 400 invalid-json, a schema failure the capped 422.
 */
export function runBodyJob(job: BodyJob): Uint8Array {
  const body = parseBody(job.body, COMPUTE_SCHEMAS[job.route]);
  const result = runCompute({ route: job.route, body, limits: job.limits } as ComputeJob);
  return new TextEncoder().encode(JSON.stringify(result));
}

/** A body's bytes parsed and validated as the route's validator does it (400 invalid-json, the capped 422). */
function parseBody(bytes: Uint8Array, schema: z.ZodType): unknown {
  let value: unknown;
  try {
    // as Request.json(): UTF-8 decoding that drops a byte-order mark and replaces bad sequences
    value = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new ApiError("invalid-json", TEXT.invalidJson);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw validationProblem(parsed.error, value);
  return parsed.data;
}

/**
 * A training request (/v1/train, or /v1/train/stream with `stream`) as the
 * bytes of its JSON body: on Node a worker thread parses, validates, checks
 * and costs it, trains and serializes, and only bytes come back.
 */
export interface TrainBodyJob {
  body: Uint8Array;
  limits: ApiLimits;
  stream: boolean;
}

/** A TrainBodyJob's body parsed, validated, checked against every limit and costed: everything the route does before it trains. */
export function prepareTrainBody(job: TrainBodyJob): PreparedTraining {
  return prepareTraining(parseBody(job.body, TrainRequestSchema) as TrainRequest, job.limits);
}
