import { mlpToJSON, type Evaluation, type ModelJSON, type Run, type RunConfig } from "@backprop-lab/core";
import type { ClipStats, LayerHealth } from "@backprop-lab/diagnostics";
import { createGridSampler, domainForDataset, downsampleLTTB, type Domain } from "@backprop-lab/viz";
import { estimateTrain, type ApiLimits, type CostEstimate } from "../limits.js";
import { checkCost, limitProblem, withCoreErrors } from "../problem.js";
import type { DiagnosticsOptions, TrainRequest } from "../schemas.js";
import { attachRunDiagnostics, diagnosticsCost, type Finding } from "./diagnose.js";
import { sampleBoundary, type GridResult } from "./grid.js";
import { buildRun, resolveConfig } from "./resolve.js";

export const DEFAULT_STEPS = 500;
export const DEFAULT_REPORTS = 20;
export const DEFAULT_CURVE_POINTS = 200;

/**
 * A training request checked and costed, as plain JSON: it crosses to a
 * worker thread by structured clone, and `trainingEvents` needs nothing else.
 */
export interface PreparedTraining {
  config: RunConfig;
  steps: number;
  reportEvery: number;
  curvePoints: number;
  grid: { resolution: number; domain: Domain } | null;
  /** Diagnostics settings, with gradientCheck decided (and costed). */
  diagnostics: DiagnosticsOptions & { gradientCheck: boolean };
  parameters: number;
  cost: number;
  /** The cost model's estimate this request was admitted with. */
  estimate: CostEstimate;
}

/**
 * Everything short of training: resolves the config (or preset, or failure
 * lab), checks every limit, builds the run once with core to count rows and
 * parameters, and rejects a request over the work budget.
 */
export function prepareTraining(body: TrainRequest, limits: ApiLimits): PreparedTraining {
  const resolved = resolveConfig(body);
  const steps = body.steps ?? resolved.labSteps ?? DEFAULT_STEPS;
  if (steps > limits.maxSteps) throw limitProblem("steps", steps, limits.maxSteps);
  const reportEvery = Math.min(body.reportEvery ?? Math.max(1, Math.ceil(steps / DEFAULT_REPORTS)), steps);
  const curvePoints = body.curvePoints ?? DEFAULT_CURVE_POINTS;
  if (curvePoints > limits.maxCurvePoints) throw limitProblem("curvePoints", curvePoints, limits.maxCurvePoints);
  if (body.grid && body.grid.resolution > limits.maxGridResolution) throw limitProblem("grid.resolution", body.grid.resolution, limits.maxGridResolution);

  const run = buildRun(resolved.config, resolved.field, limits);
  const config = run.config;
  const parameters = run.net.params.length;
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
  });
  const cost = checkCost(estimate, limits);
  const clip = body.diagnostics?.clip ?? resolved.clip ?? undefined;
  const diagnostics = { ...body.diagnostics, ...(clip === undefined ? {} : { clip }), gradientCheck };
  return { config, steps, reportEvery, curvePoints, grid, diagnostics, parameters, cost, estimate };
}

/** Loss and accuracy of one evaluation; a non-finite loss is null in JSON. */
export interface Score {
  loss: number;
  accuracy: number | null;
}

export interface ProgressEvent {
  type: "progress";
  step: number;
  loss: number;
  dataLoss: number;
  regLoss: number;
  gradNorm: number;
  learningRate: number;
  finite: boolean;
  train: Score;
  test: Score | null;
}

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
  config: RunConfig;
  steps: number;
  parameters: number;
  cost: number;
  model: ModelJSON;
  final: { train: Evaluation; test: Evaluation | null };
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
  grid: GridResult | null;
}

/** Parameter-rows of work between two ticks: about 10 ms of CPU. */
const TICK_WORK = 2_000_000;

function curve(steps: ArrayLike<number>, values: ArrayLike<number>, points: number): CurveJSON {
  if (steps.length === 0) return { step: [], value: [] };
  const c = downsampleLTTB(steps, values, points);
  return { step: Array.from(c.x), value: Array.from(c.y) };
}

function score(e: Evaluation): Score {
  return { loss: e.loss, accuracy: e.accuracy };
}

/**
 * Trains a prepared request: a pure function of its argument, as a
 * generator so the same code serves a worker thread (which drains it) and the
 * Workers runtime (which awaits between events to notice a disconnect).
 * Yields progress every `reportEvery` steps, each finding once when it first
 * appears, and ticks; returns the result.
 */
export function* trainingEvents(prepared: PreparedTraining): Generator<TrainEvent, TrainResult, void> {
  const run: Run = buildRun(prepared.config, "config", { ...UNLIMITED });
  const diagnostics = attachRunDiagnostics(run, prepared.diagnostics);
  const { steps, reportEvery } = prepared;
  const stepWork = 3 * run.batcher.batchSize * prepared.parameters;
  const evalWork = (run.train.n + run.test.n) * prepared.parameters;
  const lossAt = new Float64Array(steps);
  const gradNormAt = new Float64Array(steps);
  const rateAt = new Float64Array(steps);
  const stepIndex = new Float64Array(steps);
  const reports = Math.ceil(steps / reportEvery);
  const evalStep = new Float64Array(reports);
  const evalTrainLoss = new Float64Array(reports);
  const evalTrainAcc = new Float64Array(reports);
  const evalTestLoss = new Float64Array(reports);
  const evalTestAcc = new Float64Array(reports);
  let evaluated = 0;
  let last = run.evaluate();
  const seen = new Set<string>();
  let work = 0;

  for (let i = 0; i < steps; i++) {
    const r = run.step();
    stepIndex[i] = r.step;
    lossAt[i] = r.loss;
    gradNormAt[i] = r.gradNorm;
    rateAt[i] = r.learningRate;
    work += stepWork;
    if (r.step % reportEvery === 0 || i === steps - 1) {
      const report = { ...r };
      last = run.evaluate();
      evalStep[evaluated] = r.step;
      evalTrainLoss[evaluated] = last.train.loss;
      evalTrainAcc[evaluated] = last.train.accuracy ?? Number.NaN;
      evalTestLoss[evaluated] = last.test?.loss ?? Number.NaN;
      evalTestAcc[evaluated] = last.test?.accuracy ?? Number.NaN;
      evaluated++;
      for (const finding of diagnostics.findings()) {
        if (seen.has(finding.code)) continue;
        seen.add(finding.code);
        yield { type: "finding", finding };
      }
      yield {
        type: "progress",
        step: report.step,
        loss: report.loss,
        dataLoss: report.dataLoss,
        regLoss: report.regLoss,
        gradNorm: report.gradNorm,
        learningRate: report.learningRate,
        finite: report.finite,
        train: score(last.train),
        test: last.test ? score(last.test) : null,
      };
      work += evalWork;
    }
    if (work >= TICK_WORK) {
      work = 0;
      yield { type: "tick" };
    }
  }

  const n = prepared.curvePoints;
  const ev = (a: Float64Array) => a.subarray(0, evaluated);
  const classification = last.train.accuracy !== null;
  const hasTest = last.test !== null;
  return {
    config: prepared.config,
    steps,
    parameters: prepared.parameters,
    cost: prepared.cost,
    model: mlpToJSON(run.net),
    final: last,
    curves: {
      loss: curve(stepIndex, lossAt, n),
      gradNorm: curve(stepIndex, gradNormAt, n),
      learningRate: curve(stepIndex, rateAt, n),
      trainLoss: curve(ev(evalStep), ev(evalTrainLoss), n),
      testLoss: hasTest ? curve(ev(evalStep), ev(evalTestLoss), n) : null,
      trainAccuracy: classification ? curve(ev(evalStep), ev(evalTrainAcc), n) : null,
      testAccuracy: classification && hasTest ? curve(ev(evalStep), ev(evalTestAcc), n) : null,
    },
    findings: [...diagnostics.findings()],
    health: diagnostics.health(),
    clip: diagnostics.clipStats(),
    grid: prepared.grid
      ? sampleBoundary(run.net, {
          resolution: prepared.grid.resolution,
          domain: prepared.grid.domain,
          features: prepared.config.features,
          ...(prepared.config.data.encoding === undefined ? {} : { encoding: prepared.config.data.encoding }),
        })
      : null,
  };
}

/** A prepared config was checked against the real limits already; rebuilding it needs none. */
const UNLIMITED: ApiLimits = {
  maxBodyBytes: Infinity,
  maxHiddenLayers: Infinity,
  maxWidth: Infinity,
  maxInputs: Infinity,
  maxSamples: Infinity,
  maxSteps: Infinity,
  maxGridResolution: Infinity,
  maxPredictRows: Infinity,
  maxExplainRows: Infinity,
  maxGradientCheckRows: Infinity,
  maxCurvePoints: Infinity,
  workBudget: Infinity,
  maxMemoryBytes: Infinity,
  maxResponseBytes: Infinity,
};

/** Trains to the end, ignoring events. */
export function runTraining(prepared: PreparedTraining): TrainResult {
  const events = trainingEvents(prepared);
  for (;;) {
    const next = events.next();
    if (next.done) return next.value;
  }
}
