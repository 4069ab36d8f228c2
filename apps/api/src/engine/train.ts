import {
  mlpToJSON,
  modelMismatch,
  type Evaluation,
  type ModelJSON,
  type RollbackEvent,
  type RunDocument,
  type RunStepReport,
  type TrainingRun,
} from "@backprop-lab/core";
import type { ClipStats, LayerHealth } from "@backprop-lab/diagnostics";
import { createGridSampler, domainForDataset, downsampleLTTB, type Domain } from "@backprop-lab/viz";
import { estimateTrain, type ApiLimits, type CostEstimate } from "../limits.js";
import { TEXT } from "../messages.js";
import { checkCost, fieldProblem, limitProblem, withCoreErrors } from "../problem.js";
import type { DiagnosticsOptions, TrainRequest } from "../schemas.js";
import { diagnosticsCost, type Finding } from "./diagnose.js";
import { sampleBoundary, type GridResult } from "./grid.js";
import { loadModel } from "./model-ops.js";
import { watchRun } from "./observe.js";
import { buildRun, guardGaveUp, parseDocument, resolveConfig } from "./resolve.js";

export const DEFAULT_STEPS = 500;
export const DEFAULT_REPORTS = 20;
export const DEFAULT_CURVE_POINTS = 200;

/**
 * A training request checked and costed, as plain JSON: it crosses to a
 * worker thread by structured clone, and `trainingEvents` needs nothing else.
 */
export interface PreparedTraining {
  /** The run document, checked and completed by core; its evaluation.every is the report cadence. */
  config: RunDocument;
  steps: number;
  /** Steps between progress reports: the document's evaluation.every. */
  reportEvery: number;
  curvePoints: number;
  grid: { resolution: number; domain: Domain } | null;
  /** Diagnostics settings, with gradientCheck decided (and costed). */
  diagnostics: DiagnosticsOptions & { gradientCheck: boolean };
  parameters: number;
  cost: number;
  /** The cost model's estimate this request was admitted with. */
  estimate: CostEstimate;
  /** The uploaded model the run starts from (checked against the document's network), or null for the document's initial weights. */
  model: ModelJSON | null;
}

/**
 * The run document a train body describes, and its step count: `config` (or
 * the preset's, or the failure lab's) checked by core, its evaluation cadence
 * set from `reportEvery` when given. Without either, the cadence is
 * steps / DEFAULT_REPORTS. A document sent as `config` with neither
 * comes back unchanged: document → body → document is the identity.
 */
export function trainBodyToDocument(body: TrainRequest, limits: ApiLimits): { document: RunDocument; field: string; steps: number } {
  const resolved = resolveConfig(body);
  const steps = body.steps ?? resolved.labSteps ?? DEFAULT_STEPS;
  if (steps > limits.maxSteps) throw limitProblem("steps", steps, limits.maxSteps);
  const document = parseDocument(resolved.config, resolved.field, limits);
  const raw = resolved.config as { evaluation?: { every?: unknown } } | null;
  // a preset's or failure lab's document is complete, cadence included: only the caller's own document gives one
  const given = resolved.field === "config" && typeof raw === "object" && raw !== null && raw.evaluation?.every !== undefined;
  if (body.reportEvery !== undefined) {
    if (given && body.reportEvery !== document.evaluation.every) {
      throw fieldProblem("validation-failed", "reportEvery", "conflict", {
        en: TEXT.reportEveryConflict.en(body.reportEvery, document.evaluation.every),
        es: TEXT.reportEveryConflict.es(body.reportEvery, document.evaluation.every),
      });
    }
    document.evaluation.every = body.reportEvery;
  } else if (!given) {
    document.evaluation.every = Math.max(1, Math.ceil(steps / DEFAULT_REPORTS));
  }
  return { document, field: resolved.field, steps };
}

/**
 * Everything short of training: resolves the document (or preset, or
 * failure lab), checks every limit, builds the run once with core to count
 * rows and parameters, and rejects a request over the work budget.
 */
export function prepareTraining(body: TrainRequest, limits: ApiLimits): PreparedTraining {
  const { document: config, field, steps } = trainBodyToDocument(body, limits);
  const reportEvery = config.evaluation.every;
  const curvePoints = body.curvePoints ?? DEFAULT_CURVE_POINTS;
  if (curvePoints > limits.maxCurvePoints) throw limitProblem("curvePoints", curvePoints, limits.maxCurvePoints);
  if (body.grid && body.grid.resolution > limits.maxGridResolution) throw limitProblem("grid.resolution", body.grid.resolution, limits.maxGridResolution);

  const run = buildRun(config, field);
  const parameters = run.net.params.length;
  // an uploaded model: the API's size limits and core's parse (errors name model.…), then its shape against the document's network
  let model: ModelJSON | null = null;
  if (body.model !== undefined) {
    const net = loadModel(body.model, limits);
    const mismatch = modelMismatch(net.spec, run.net.spec);
    if (mismatch !== null) {
      throw fieldProblem("validation-failed", `model.${mismatch.field}`, "model_mismatch", { en: TEXT.modelMismatch.en(mismatch), es: TEXT.modelMismatch.es(mismatch) }, {
        model: mismatch.model,
        network: mismatch.network,
      });
    }
    model = mlpToJSON(net);
  }
  let grid: PreparedTraining["grid"] = null;
  if (body.grid) {
    const domain = body.grid.domain ?? domainForDataset(config.data.source === "generated" ? config.data.name : run.points.train);
    grid = { resolution: body.grid.resolution, domain: { xMin: domain.xMin, xMax: domain.xMax, yMin: domain.yMin, yMax: domain.yMax } };
    // a sampler checks the domain and that the network reads 2-D points; build one now so training never fails at the end
    const { resolution } = grid;
    const encoding = config.data.encoding;
    withCoreErrors("grid", () => createGridSampler(run.net, { resolution, domain, features: config.features, ...(encoding === undefined ? {} : { encoding }) }));
  }
  // the detectors' gradient checks are on by default only while they stay a small part of the budget
  const checkCost0 = diagnosticsCost(parameters, run.batcher.batchSize, true);
  const gradientCheck = body.diagnostics?.gradientCheck ?? checkCost0 <= limits.workBudget / 10;
  const evaluations = Math.ceil(steps / reportEvery) + 1;
  const estimate = estimateTrain({
    steps,
    batchSize: run.batcher.batchSize,
    trainRows: run.train.n,
    testRows: run.test.n,
    parameters,
    evaluations,
    gridCells: grid ? grid.resolution * grid.resolution : 0,
    events: evaluations,
    curvePoints,
    diagnosticsWork: gradientCheck ? checkCost0 : 0,
    nOut: run.net.layers[run.net.layers.length - 1]!.nOut,
    modelParameters: model === null ? 0 : parameters,
  });
  const cost = checkCost(estimate, limits);
  return { config, steps, reportEvery, curvePoints, grid, diagnostics: { ...body.diagnostics, gradientCheck }, parameters, cost, estimate, model };
}

/** Loss and accuracy of one evaluation; a non-finite loss is null in JSON. */
export interface Score {
  loss: number;
  accuracy: number | null;
}

/**
 * One report of the run, passed through as core's run reports it (a
 * `RunStepReport`: step, loss, dataLoss, regLoss (the penalty, per data
 * set), gradNorm (before clipping), clippedNorm (after), clipped,
 * learningRate (scheduled), batchSize, finite, nonFinite, skipped, epoch,
 * clipCount, rollback), with the evaluation of that step as train/test
 * scores and `clips`, the run's clipCount under the name the API gave it
 * first.
 */
export type ProgressEvent = { type: "progress" } & Omit<RunStepReport, "evaluation"> & {
    clips: number;
    train: Score;
    test: Score | null;
  };

export interface FindingEvent {
  type: "finding";
  finding: Finding;
}

/** Yielded between chunks of work so an async caller can notice a disconnect; carries nothing. */
export interface TickEvent {
  type: "tick";
}

export type TrainEvent = ProgressEvent | FindingEvent | TickEvent;

/** A downsampled curve: `value[i]` at `step[i]`. */
export interface CurveJSON {
  step: number[];
  value: number[];
}

export interface TrainResult {
  /** The run document trained (evaluation.every is the report cadence). */
  config: RunDocument;
  /** Steps taken: the steps asked for, fewer only when the guard gave up (diverged). */
  steps: number;
  parameters: number;
  cost: number;
  model: ModelJSON;
  final: { train: Evaluation; test: Evaluation | null };
  /** Every progress report, as the stream sends them: at each evaluation.every steps and at the last step. */
  reports: ProgressEvent[];
  curves: {
    loss: CurveJSON;
    gradNorm: CurveJSON;
    learningRate: CurveJSON;
    trainLoss: CurveJSON;
    testLoss: CurveJSON | null;
    trainAccuracy: CurveJSON | null;
    testAccuracy: CurveJSON | null;
  };
  findings: Finding[];
  health: LayerHealth[];
  clip: ClipStats;
  /** The guard's rollbacks (the first 100). */
  rollbacks: RollbackEvent[];
  /** True when the run stopped as diverged: non-finite with no guard, or the guard at its floor. */
  diverged: boolean;
  grid: GridResult | null;
}

/** Parameter-rows of work between two ticks: about 10 ms of CPU. */
const TICK_WORK = 2_000_000;
const MAX_ROLLBACKS = 100;

function curve(steps: ArrayLike<number>, values: ArrayLike<number>, points: number): CurveJSON {
  if (steps.length === 0) return { step: [], value: [] };
  const c = downsampleLTTB(steps, values, points);
  return { step: Array.from(c.x), value: Array.from(c.y) };
}

function score(e: Evaluation): Score {
  return { loss: e.loss, accuracy: e.accuracy };
}

/** The run's report as a progress event: its own fields unchanged (nested objects copied, the run reuses its report). */
function progress(r: RunStepReport, e: { train: Evaluation; test: Evaluation | null }): ProgressEvent {
  const { evaluation: _, ...fields } = r;
  return {
    type: "progress",
    ...fields,
    nonFinite: r.nonFinite === null ? null : { ...r.nonFinite },
    rollback: r.rollback === null ? null : { ...r.rollback },
    clips: r.clipCount,
    train: score(e.train),
    test: e.test ? score(e.test) : null,
  };
}

/**
 * Trains a prepared request: a pure function of its argument, as a
 * generator so the same code serves a worker thread (which drains it) and the
 * Workers runtime (which awaits between events to notice a disconnect).
 * Core's run does the training (batches, schedule, clipping, guard,
 * evaluation at the document's cadence); this maps its reports onto
 * events: progress at each evaluation and at the last step, each finding once
 * when it first appears, and ticks. Returns the result.
 */
export function* trainingEvents(prepared: PreparedTraining): Generator<TrainEvent, TrainResult, void> {
  const run: TrainingRun = buildRun(prepared.config, "config", prepared.model);
  const watch = watchRun(run, { gradientCheck: prepared.diagnostics.gradientCheck });
  const { steps } = prepared;
  const stepWork = 3 * run.batcher.batchSize * prepared.parameters;
  const evalWork = (run.train.n + run.test.n) * prepared.parameters;
  const lossAt = new Float64Array(steps);
  const gradNormAt = new Float64Array(steps);
  const rateAt = new Float64Array(steps);
  const stepIndex = new Float64Array(steps);
  const reports: ProgressEvent[] = [];
  const seen = new Set<string>();
  let work = 0;
  let taken = 0;
  let last: { train: Evaluation; test: Evaluation | null } | null = null;

  for (let i = 0; i < steps; i++) {
    const r = run.step();
    stepIndex[i] = r.step;
    lossAt[i] = r.loss;
    gradNormAt[i] = r.gradNorm;
    rateAt[i] = r.learningRate;
    taken++;
    work += stepWork;
    // a guard at its floor stops the run: every further step would roll back again
    const end = i === steps - 1 || guardGaveUp(run, r);
    if (r.evaluation !== null || end) {
      last = r.evaluation ?? run.evaluate();
      for (const finding of watch.findings()) {
        if (seen.has(finding.code)) continue;
        seen.add(finding.code);
        yield { type: "finding", finding };
      }
      const event = progress(r, last);
      reports.push(event);
      yield event;
      work += evalWork;
    }
    if (work >= TICK_WORK) {
      work = 0;
      yield { type: "tick" };
    }
    if (end) break;
  }

  const n = prepared.curvePoints;
  const final = last ?? run.evaluate();
  const at = (a: Float64Array) => a.subarray(0, taken);
  const evalStep = Float64Array.from(reports, (e) => e.step);
  const evalCurve = (pick: (e: ProgressEvent) => number | null | undefined) => curve(evalStep, Float64Array.from(reports, (e) => pick(e) ?? Number.NaN), n);
  const classification = final.train.accuracy !== null;
  const hasTest = final.test !== null;
  const { encoding } = prepared.config.data;
  return {
    config: prepared.config,
    steps: taken,
    parameters: prepared.parameters,
    cost: prepared.cost,
    model: mlpToJSON(run.net),
    final,
    reports,
    curves: {
      loss: curve(at(stepIndex), at(lossAt), n),
      gradNorm: curve(at(stepIndex), at(gradNormAt), n),
      learningRate: curve(at(stepIndex), at(rateAt), n),
      trainLoss: evalCurve((e) => e.train.loss),
      testLoss: hasTest ? evalCurve((e) => e.test?.loss) : null,
      trainAccuracy: classification ? evalCurve((e) => e.train.accuracy) : null,
      testAccuracy: classification && hasTest ? evalCurve((e) => e.test?.accuracy) : null,
    },
    findings: [...watch.findings()],
    health: watch.health(),
    clip: watch.clipStats(),
    rollbacks: run.rollbacks.slice(0, MAX_ROLLBACKS).map((e) => ({ ...e })),
    diverged: run.diverged,
    grid: prepared.grid
      ? sampleBoundary(run.net, {
          resolution: prepared.grid.resolution,
          domain: prepared.grid.domain,
          features: prepared.config.features,
          ...(encoding === undefined ? {} : { encoding }),
        })
      : null,
  };
}

/** Trains to the end, ignoring events. */
export function runTraining(prepared: PreparedTraining): TrainResult {
  const events = trainingEvents(prepared);
  for (;;) {
    const next = events.next();
    if (next.done) return next.value;
  }
}
