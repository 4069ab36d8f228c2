import { evaluateModel, type EvaluateRequest } from "../evaluate.js";
import type { ApiLimits } from "../limits.js";
import type { BoundaryRequest, ExplainRequest, GradientCheckRequest, PredictRequest } from "../schemas.js";
import { boundaryGrid, checkGradients, explain, predictRows } from "./model-ops.js";

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
