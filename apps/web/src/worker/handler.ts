import {
  BackpropError,
  createMlp,
  createTrainingRun,
  explainStep,
  gradientCheck,
  makeDataset,
  mlpFromJSON,
  mlpToJSON,
  parseRunDocument,
  type Dataset,
  type Mlp,
  type RunStepReport,
  type TrainingRun,
} from "@backprop-lab/core";
import type { PastSettings, WeightEdit } from "../state/app-state.js";
import { attachRunDiagnostics, type RunDiagnostics } from "./diagnostics.js";
import { frameTransfer, type Frame, type FromWorker, type MetricRow, type PointSet, type ReportRow, type RunInfo, type RunState, type ToWorker } from "./protocol.js";
import { bufferPool, createFrameSampler, frameShape, sampleFrame, type FrameSampler, type FrameShape, type SamplerSetup } from "./sampling.js";
import type { FrameHead, ToView } from "./view.js";
import { domainForDataset, type Domain } from "@backprop-lab/viz";

export type Post = (message: FromWorker, transfer: ArrayBuffer[]) => void;

export interface WorkerHandler {
  handle(message: ToWorker): void;
}

export interface WorkerHandlerOptions {
  /**
   * Hands sampling to a view worker (src/worker/view.ts): each tick's frame
   * goes there without its grid, thumbnails and boundary, and the view
   * worker posts the whole frame to the page. Without it the handler samples
   * inline and posts frames itself.
   */
  view?: (message: ToView, transfer: ArrayBuffer[]) => void;
}

/** The live-changeable settings: the trainer's options and clipping. */
type Settings = Omit<PastSettings, "until">;

interface Active {
  id: number;
  state: RunState;
  run: TrainingRun;
  /** What the run's frames hold, for RunInfo. */
  shape: FrameShape;
  setup: SamplerSetup;
  /** Built on the first frame sampled here; never, when a view worker samples. */
  sampler: FrameSampler | null;
  diagnostics: RunDiagnostics;
  /** Edits still to replay, ordered by step. */
  pending: WeightEdit[];
  /** Earlier settings, ordered by `until`; past[inForce] drives the current step, or `final` once inForce = past.length. */
  past: PastSettings[];
  inForce: number;
  final: Settings;
  /** Updates clipped and rolled back since the last frame (counted by an observer of the run). */
  clipped: number;
  skipped: number;
  /** A weight was set after the run's last update: its evaluation at this step is stale. */
  edited: boolean;
}

function pointSet(points: Dataset): PointSet {
  const target = new Float64Array(points.n);
  for (let i = 0; i < points.n; i++) target[i] = points.labels ? points.labels[i]! : points.y[i * points.nOut]!;
  return { n: points.n, x: points.x.slice(), target };
}

function domainOf(run: TrainingRun): Domain {
  const d = run.document.data;
  if (d.source === "generated") return domainForDataset(d.name);
  // imported or clicked points: their bounding box, train and test together
  const t = run.points.train;
  const all = { ...t, x: new Float64Array([...t.x, ...run.points.test.x]), n: t.n + run.points.test.n };
  return domainForDataset(all);
}

/**
 * The course's worked example: its 2-3-2 sigmoid network without biases
 * (weights U(−1, 1)/√nIn from numpy seed 2017), its first XOR point (both
 * coordinates positive, so class 0 = [1, 0]) and learning rate 0.001.
 */
export function courseExample(): { net: Mlp; x: Float64Array; y: Float64Array; learningRate: number } {
  const net = createMlp({ sizes: [2, 3, 2], hidden: "sigmoid", output: "sigmoid", bias: false }, { seed: 2017, init: "course" });
  const data = makeDataset("course-xor", { n: 1 });
  return { net, x: data.x.slice(0, 2), y: data.y.slice(0, 2), learningRate: 0.001 };
}

/** The highest step the reports hook runs a document to (a cross-face test asks for 1,000). */
export const MAX_REPORT_STEP = 100_000;

/**
 * The reports hook: the run a document describes, stepped to each of `steps`
 * (ascending), with the run's report at each copied unchanged, the clip
 * count so far, the run's own evaluation at that step (train and test, as
 * `run.evaluate()` gives it) and `run.explain()` after `explainAt` steps
 * (default: the last of `steps`). Nothing of the page's run is touched.
 */
export function runReports(document: unknown, steps: readonly number[], explainAt?: number): { reports: ReportRow[]; explanation: ReturnType<TrainingRun["explain"]>; explainedAt: number } {
  if (!Array.isArray(steps) || steps.length === 0) throw new BackpropError("invalid-argument", "steps must be a non-empty list of steps", { field: "steps" });
  steps.forEach((s, i) => {
    if (!Number.isInteger(s) || s < 1 || s > MAX_REPORT_STEP || (i > 0 && s <= steps[i - 1]!)) {
      throw new BackpropError("invalid-argument", `steps[${i}] must be an integer in [1, ${MAX_REPORT_STEP}] above the one before, got ${String(s)}`, { field: `steps[${i}]` });
    }
  });
  const at = explainAt ?? steps[steps.length - 1]!;
  if (!Number.isInteger(at) || at < 0 || at > MAX_REPORT_STEP) {
    throw new BackpropError("invalid-argument", `explainAt must be an integer in [0, ${MAX_REPORT_STEP}], got ${String(at)}`, { field: "explainAt" });
  }
  const run = createTrainingRun(parseRunDocument(document));
  let last: RunStepReport | null = null;
  run.observe({
    onStep(r) {
      last = r;
    },
  });
  const reports: ReportRow[] = [];
  let explanation: ReturnType<TrainingRun["explain"]> | null = null;
  // the run advances from one step of interest to the next; its report of the last update is read there
  const stops = [...new Set([...steps, at])].sort((x, y) => x - y);
  for (const stop of stops) {
    // a rollback lowers the run's step count: it advances until it is there, or stops diverged
    while (run.steps < stop && !run.diverged) run.advance(stop - run.steps);
    if (run.steps !== stop) break;
    if (steps.includes(stop)) {
      // the run reuses its report object: a structured copy keeps this step's
      reports.push({ at: stop, report: structuredClone({ ...last! }), clipCount: last!.clipCount, scores: run.evaluate() });
    }
    if (stop === at) explanation = run.explain();
  }
  explanation ??= run.explain();
  return { reports, explanation, explainedAt: run.steps };
}

/**
 * The worker's message handler, a pure module: it owns one run built by
 * core's createTrainingRun from the page's run document, answers each message
 * with `post`, and runs no timers, so Node tests drive it directly. The run
 * owns stepping, batching, the schedule, clipping, the guard and its
 * rollbacks, evaluation, pause and reset; diagnostics watch it as an
 * observer. The page paces training: each `tick` advances the run by the
 * updates it asks for, then samples one frame.
 */
export function createWorkerHandler(post: Post, options: WorkerHandlerOptions = {}): WorkerHandler {
  let active: Active | null = null;
  let nextId = 1;
  /** The page's play state, kept across runs: a paused run advances only on an explicit single step. */
  let paused = false;
  /** Buffers handed back by the page, reused when their size fits. */
  const pool = bufferPool();
  const view = options.view ?? null;

  function fail(request: ToWorker["type"], error: unknown): void {
    if (error instanceof BackpropError) post({ type: "error", request, message: error.message, field: error.field ?? null }, []);
    else post({ type: "error", request, message: error instanceof Error ? error.message : String(error), field: null }, []);
  }

  const sameRun = (a: RunState, b: RunState) => JSON.stringify([a.document, a.edits, a.history]) === JSON.stringify([b.document, b.edits, b.history]);

  function build(state: RunState): void {
    // Reset with the same document: the run's own reset (the same numbers again), not a new run
    const reuse = active !== null && sameRun(active.state, state) ? active.run : null;
    if (reuse) {
      active!.diagnostics.detach();
      reuse.reset();
    }
    const run = reuse ?? createTrainingRun(state.document);
    if (paused) run.pause();
    else run.resume();
    const past = state.history.filter((h) => h.until > 0).sort((a, b) => a.until - b.until);
    const t = state.document.training;
    const final: Settings = { training: state.document.training, clip: t.clipping ? { maxNorm: t.clipping.maxNorm } : null };
    const first = past[0] ?? final;
    const diagnostics = attachRunDiagnostics(run);
    const id = nextId++;
    const pending = [...state.edits].sort((a, b) => a.step - b.step);
    const setup: SamplerSetup = { features: run.document.features, encoding: run.train.encoding, domain: domainOf(run), regression: run.train.labels === null };
    const shape = frameShape(run.net, setup);
    const a: Active = { id, state, run, shape, setup, sampler: null, diagnostics, pending, past, inForce: 0, final, clipped: 0, skipped: 0, edited: false };
    active = a;
    diagnostics.observe({
      onStep(report) {
        a.edited = false;
        if (report.clipped) a.clipped++;
        if (report.rollback !== null) a.skipped++;
      },
    });
    view?.({ type: "setup", runId: id, spec: run.net.spec, sampler: setup }, []);
    configureTrainer(run, first);
    applyDueEdits(a);
    const net = run.net;
    const info: RunInfo = {
      runId: id,
      document: run.document,
      sizes: [net.layers[0]!.nIn, ...net.layers.map((l) => l.nOut)],
      activations: net.layers.map((l) => l.activation),
      bias: net.spec.bias !== false,
      layout: net.layers.map((l) => ({ w: l.wOffset, b: l.b ? l.bOffset : -1 })),
      classes: run.train.classes,
      regression: run.train.labels === null,
      domain: shape.domain,
      threshold: shape.threshold,
      nOut: shape.nOut,
      outputActivation: net.spec.output,
      neuronCount: shape.neuronCount,
      train: pointSet(run.points.train),
      test: pointSet(run.points.test),
      batchSize: run.batcher.batchSize,
      stepsPerEpoch: run.batcher.batchesPerEpoch,
    };
    post({ type: "run", info }, [info.train.x.buffer as ArrayBuffer, info.train.target.buffer as ArrayBuffer, info.test.x.buffer as ArrayBuffer, info.test.target.buffer as ArrayBuffer]);
  }

  function setParam(a: Active, e: WeightEdit): boolean {
    const layer = a.run.net.layers[e.layer];
    if (!layer || e.col < 0 || e.col >= layer.nOut || e.row < -1 || e.row >= layer.nIn || !Number.isFinite(e.value)) return false;
    if (e.row === -1) {
      if (!layer.b) return false;
      layer.b[e.col] = e.value;
    } else {
      layer.W[e.row * layer.nOut + e.col] = e.value;
    }
    a.edited = true;
    return true;
  }

  /** A live change of the run's training settings (its trainer's options, clipping included). */
  function configureTrainer(run: TrainingRun, s: Settings): void {
    const t = s.training;
    run.trainer.configure({ learningRate: t.learningRate, optimizer: t.optimizer, schedule: t.schedule, regularization: t.regularization, clipping: s.clip ? { maxNorm: s.clip.maxNorm } : null });
  }

  /** Replays a logged live change once the run reaches the step it happened at. */
  function applyDueSettings(a: Active): void {
    let moved = false;
    while (a.inForce < a.past.length && a.past[a.inForce]!.until <= a.run.steps) {
      a.inForce++;
      moved = true;
    }
    if (moved) configureTrainer(a.run, a.past[a.inForce] ?? a.final);
  }

  function applyDueEdits(a: Active): void {
    while (a.pending.length > 0 && a.pending[0]!.step <= a.run.steps) setParam(a, a.pending.shift()!);
  }

  /** The run advances `steps` updates, in stretches between the steps a logged change or edit falls due. */
  function train(a: Active, steps: number, single: boolean): void {
    const run = a.run;
    let left = steps;
    while (left > 0 && !run.diverged) {
      applyDueSettings(a);
      applyDueEdits(a);
      let upTo = left;
      const nextSetting = a.inForce < a.past.length ? a.past[a.inForce]!.until : Infinity;
      const nextEdit = a.pending.length > 0 ? a.pending[0]!.step : Infinity;
      const due = Math.min(nextSetting, nextEdit) - run.steps;
      if (due > 0 && due < upTo) upTo = due;
      if (single || run.paused) {
        // the page's single step: one update even while paused
        run.step();
        left--;
        continue;
      }
      const made = run.advance(upTo);
      if (made === 0) break;
      left -= made;
    }
    applyDueEdits(a);
  }

  /** Everything of a frame but what the samplers draw: evaluation, metrics, parameters, findings. */
  function frameHead(a: Active): FrameHead {
    const run = a.run;
    const t0 = performance.now();
    // the run's own evaluation when its cadence fell on this step, else one now
    const last = run.lastEvaluation;
    const evaluation = last !== null && last.step === run.steps && !a.edited ? last : run.evaluate();
    const t1 = performance.now();
    const report = run.trainer.report;
    const metrics: MetricRow = {
      step: run.steps,
      epoch: run.epoch,
      trainLoss: evaluation.train.dataLoss,
      testLoss: evaluation.test ? evaluation.test.dataLoss : Number.NaN,
      regLoss: evaluation.train.regLoss,
      trainAccuracy: evaluation.train.accuracy,
      testAccuracy: evaluation.test ? evaluation.test.accuracy : null,
      learningRate: run.steps > 0 ? report.learningRate : run.trainer.settings().learningRate,
      gradNorm: report.gradNorm,
      clipped: a.clipped,
      skipped: a.skipped,
      clipCount: run.clipCount,
      finite: Number.isFinite(evaluation.train.loss) && (run.steps === 0 || report.finite) && !run.diverged,
    };
    a.clipped = 0;
    a.skipped = 0;
    const params = pool.float64(run.net.params.length);
    params.set(run.net.params);
    const d = a.diagnostics;
    return {
      runId: a.id,
      step: metrics.step,
      epoch: metrics.epoch,
      params,
      metrics,
      findings: d.findings(),
      health: d.health(),
      workMs: 0,
      timing: { trainMs: 0, evaluateMs: t1 - t0, sampleMs: 0 },
    };
  }

  function handle(message: ToWorker): void {
    try {
      switch (message.type) {
        case "init":
          build(message.state);
          return;
        case "play":
          paused = !message.playing;
          if (active) {
            if (paused) active.run.pause();
            else active.run.resume();
          }
          return;
        case "configure": {
          if (!active) return build(message.state);
          const a = active;
          const step = a.run.steps;
          applyDueSettings(a);
          // the settings in force drove every update since the last change; logged changes still ahead are dropped
          const before = a.past[a.inForce] ?? a.final;
          const past = a.past.slice(0, a.inForce);
          const last = past[past.length - 1];
          if (step > 0 && (!last || last.until < step)) past.push({ until: step, training: before.training, clip: before.clip });
          a.past = past;
          a.inForce = past.length;
          const t = message.state.document.training;
          a.final = { training: t, clip: t.clipping ? { maxNorm: t.clipping.maxNorm } : null };
          configureTrainer(a.run, a.final);
          a.state = { ...a.state, document: { ...a.state.document, training: { ...t, guard: a.state.document.training.guard } } };
          post({ type: "configured", runId: a.id, history: past.map((h) => ({ ...h })) }, []);
          return;
        }
        case "tick": {
          pool.give(message.recycle);
          if (!active) return;
          const t0 = performance.now();
          train(active, Math.max(0, Math.floor(message.steps)), message.single === true);
          const t1 = performance.now();
          const head = frameHead(active);
          head.timing.trainMs = t1 - t0;
          if (view) {
            head.workMs = performance.now() - t0;
            // the page's spare buffers go along: the view worker fills them
            const recycle = pool.drain();
            view({ type: "sample", head, focus: message.focus, recycle }, [head.params.buffer as ArrayBuffer, ...recycle]);
            return;
          }
          const t2 = performance.now();
          active.sampler ??= createFrameSampler(active.run.net, active.setup);
          const part = sampleFrame(active.sampler, active.run.net, active.run.train.labels === null, message.focus, pool);
          const f: Frame = { ...head, ...part };
          f.timing.sampleMs = performance.now() - t2;
          f.workMs = performance.now() - t0;
          post({ type: "frame", frame: f }, frameTransfer(f));
          return;
        }
        case "edit": {
          if (!active) return;
          const edit: WeightEdit = { step: active.run.steps, layer: message.layer, row: message.row, col: message.col, value: message.value };
          if (!setParam(active, edit)) {
            throw new BackpropError("invalid-argument", `no parameter at layer ${edit.layer}, row ${edit.row}, column ${edit.col}`, { field: "edit" });
          }
          post({ type: "edited", runId: active.id, edits: [edit] }, []);
          return;
        }
        case "gradient-check": {
          if (!active) return;
          const run = active.run;
          const settings = run.trainer.settings();
          // the whole training set at most 64 rows: enough to exercise every weight, quick enough for a click
          const n = Math.min(run.train.n, 64);
          const batch = { x: run.train.x.subarray(0, n * run.train.nIn), y: run.train.y.subarray(0, n * run.train.nOut), n };
          const result = gradientCheck(run.net, batch, { loss: settings.loss, regularization: settings.regularization });
          post({ type: "gradient-check", runId: active.id, step: run.steps, result }, []);
          return;
        }
        case "explain": {
          if (message.source === "course") {
            const c = courseExample();
            post({ type: "explain", source: "course", step: 0, explanation: explainStep(c.net, c.x, c.y, { learningRate: c.learningRate, loss: "mse" }) }, []);
            return;
          }
          if (!active) return;
          // the step the run takes next, as the run explains it: its batch, scheduled rate, penalty, clipping and optimizer state
          post({ type: "explain", source: "current", step: active.run.steps, explanation: active.run.explain() }, []);
          return;
        }
        case "reports": {
          const out = runReports(message.document, message.steps, message.explainAt);
          post({ type: "reports", requestId: message.requestId, ...out }, []);
          return;
        }
        case "export-model":
          if (!active) return;
          post({ type: "model", runId: active.id, json: JSON.stringify(mlpToJSON(active.run.net), null, 2) }, []);
          return;
        case "import-model": {
          if (!active) return;
          const net = mlpFromJSON(JSON.parse(message.json));
          const current = active.run.net;
          const sizes = (n: typeof net) => JSON.stringify([n.layers[0]!.nIn, ...n.layers.map((l) => `${l.nOut}:${l.activation}`), n.spec.bias !== false]);
          if (sizes(net) !== sizes(current)) {
            throw new BackpropError("invalid-model", `the model's layers ${sizes(net)} do not match this network's ${sizes(current)}`, { field: "spec" });
          }
          const step = active.run.steps;
          const edits: WeightEdit[] = [];
          net.layers.forEach((layer, l) => {
            for (let i = 0; i < layer.nIn; i++) for (let j = 0; j < layer.nOut; j++) edits.push({ step, layer: l, row: i, col: j, value: layer.W[i * layer.nOut + j]! });
            if (layer.b) for (let j = 0; j < layer.nOut; j++) edits.push({ step, layer: l, row: -1, col: j, value: layer.b[j]! });
          });
          for (const e of edits) setParam(active, e);
          post({ type: "edited", runId: active.id, edits }, []);
          return;
        }
      }
    } catch (error) {
      fail(message.type, error);
    }
  }

  return { handle };
}
