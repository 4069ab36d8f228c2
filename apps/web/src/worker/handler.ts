import {
  BackpropError,
  createMlp,
  createRun,
  makeDataset,
  explainStep,
  gradientCheck,
  learningRateAt,
  mlpFromJSON,
  mlpToJSON,
  type Dataset,
  type Mlp,
  type Run,
} from "@backprop-lab/core";
import type { PastSettings, WeightEdit } from "../state/app-state.js";
import { attachRunDiagnostics, type RunDiagnostics } from "./diagnostics.js";
import { frameTransfer, type Frame, type FromWorker, type MetricRow, type PointSet, type RunInfo, type RunState, type ToWorker } from "./protocol.js";
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

/** The live-changeable settings: trainer options, clipping and the guard. */
type Settings = Omit<PastSettings, "until">;

interface Active {
  id: number;
  state: RunState;
  run: Run;
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
  clipped: number;
  skipped: number;
}

function pointSet(points: Dataset): PointSet {
  const target = new Float64Array(points.n);
  for (let i = 0; i < points.n; i++) target[i] = points.labels ? points.labels[i]! : points.y[i * points.nOut]!;
  return { n: points.n, x: points.x.slice(), target };
}

function domainOf(run: Run): Domain {
  const d = run.config.data;
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

/**
 * The worker's message handler, a pure module: it owns one run, answers each
 * message with `post`, and runs no timers, so Node tests drive it directly.
 * The page paces training: each `tick` runs the updates it asks for, then
 * samples one frame.
 */
export function createWorkerHandler(post: Post, options: WorkerHandlerOptions = {}): WorkerHandler {
  let active: Active | null = null;
  let nextId = 1;
  /** Buffers handed back by the page, reused when their size fits. */
  const pool = bufferPool();
  const view = options.view ?? null;

  function fail(request: ToWorker["type"], error: unknown): void {
    if (error instanceof BackpropError) post({ type: "error", request, message: error.message, field: error.field ?? null }, []);
    else post({ type: "error", request, message: error instanceof Error ? error.message : String(error), field: null }, []);
  }

  function build(state: RunState): void {
    const run = createRun(state.config);
    const past = state.history.filter((h) => h.until > 0).sort((a, b) => a.until - b.until);
    const final: Settings = { training: state.config.training, clip: state.clip, guard: state.guard };
    const first = past[0] ?? final;
    const diagnostics = attachRunDiagnostics(run, first);
    const id = nextId++;
    const pending = [...state.edits].sort((a, b) => a.step - b.step);
    const setup: SamplerSetup = { features: run.config.features, encoding: run.train.encoding, domain: domainOf(run), regression: run.train.labels === null };
    const shape = frameShape(run.net, setup);
    active = { id, state, run, shape, setup, sampler: null, diagnostics, pending, past, inForce: 0, final, clipped: 0, skipped: 0 };
    view?.({ type: "setup", runId: id, spec: run.net.spec, sampler: setup }, []);
    if (past.length > 0) configureTrainer(run, first);
    applyDueEdits(active);
    const net = run.net;
    const info: RunInfo = {
      runId: id,
      config: run.config,
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
    return true;
  }

  function configureTrainer(run: Run, s: Settings): void {
    const t = s.training;
    run.trainer.configure({ learningRate: t.learningRate, optimizer: t.optimizer, schedule: t.schedule, regularization: t.regularization });
  }

  function apply(a: Active, s: Settings): void {
    configureTrainer(a.run, s);
    a.diagnostics.configure(s);
  }

  /** Replays a logged live change once the run reaches the step it happened at. */
  function applyDueSettings(a: Active): void {
    let moved = false;
    while (a.inForce < a.past.length && a.past[a.inForce]!.until <= a.run.trainer.steps) {
      a.inForce++;
      moved = true;
    }
    if (moved) apply(a, a.past[a.inForce] ?? a.final);
  }

  function applyDueEdits(a: Active): void {
    while (a.pending.length > 0 && a.pending[0]!.step <= a.run.trainer.steps) setParam(a, a.pending.shift()!);
  }

  function train(a: Active, steps: number): void {
    for (let k = 0; k < steps; k++) {
      applyDueSettings(a);
      applyDueEdits(a);
      const report = a.run.step();
      if (report.clipped) a.clipped++;
      if (report.skipped) a.skipped++;
    }
    applyDueEdits(a);
  }

  /** Everything of a frame but what the samplers draw: evaluation, metrics, parameters, findings. */
  function frameHead(a: Active): FrameHead {
    const run = a.run;
    const t0 = performance.now();
    const evaluation = run.evaluate();
    const t1 = performance.now();
    const report = run.trainer.report;
    const metrics: MetricRow = {
      step: run.trainer.steps,
      epoch: run.batcher.epoch,
      trainLoss: evaluation.train.dataLoss,
      testLoss: evaluation.test ? evaluation.test.dataLoss : Number.NaN,
      regLoss: evaluation.train.regLoss,
      trainAccuracy: evaluation.train.accuracy,
      testAccuracy: evaluation.test ? evaluation.test.accuracy : null,
      learningRate: run.trainer.steps > 0 ? report.learningRate : run.trainer.settings().learningRate,
      gradNorm: report.gradNorm,
      clipped: a.clipped,
      skipped: a.skipped,
      finite: Number.isFinite(evaluation.train.loss) && (run.trainer.steps === 0 || report.finite),
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
        case "configure": {
          if (!active) return build(message.state);
          const a = active;
          const step = a.run.trainer.steps;
          applyDueSettings(a);
          // the settings in force drove every update since the last change; logged changes still ahead are dropped
          const before = a.past[a.inForce] ?? a.final;
          const past = a.past.slice(0, a.inForce);
          const last = past[past.length - 1];
          if (step > 0 && (!last || last.until < step)) past.push({ until: step, training: before.training, clip: before.clip, guard: before.guard });
          a.past = past;
          a.inForce = past.length;
          a.final = { training: message.state.config.training, clip: message.state.clip, guard: message.state.guard };
          apply(a, a.final);
          a.state = { ...a.state, config: { ...a.state.config, training: a.final.training }, clip: a.final.clip, guard: a.final.guard };
          post({ type: "configured", runId: a.id, history: past.map((h) => ({ ...h })) }, []);
          return;
        }
        case "tick": {
          pool.give(message.recycle);
          if (!active) return;
          const t0 = performance.now();
          train(active, Math.max(0, Math.floor(message.steps)));
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
          const edit: WeightEdit = { step: active.run.trainer.steps, layer: message.layer, row: message.row, col: message.col, value: message.value };
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
          post({ type: "gradient-check", runId: active.id, step: run.trainer.steps, result }, []);
          return;
        }
        case "explain": {
          if (message.source === "course") {
            const c = courseExample();
            post({ type: "explain", source: "course", row: 0, explanation: explainStep(c.net, c.x, c.y, { learningRate: c.learningRate, loss: "mse" }) }, []);
            return;
          }
          if (!active) return;
          const run = active.run;
          const row = Math.max(0, Math.min(run.train.n - 1, Math.floor(message.row)));
          const { nIn, nOut } = run.train;
          const settings = run.trainer.settings();
          // SEAM (issue #12): the step the run takes next, explained with core's explainStep: its scheduled learning
          // rate at this step, its loss and penalty, on one training row with plain gradient descent. When core's run
          // object can explain its own next step (optimizer state, clipping, the whole batch), call that here instead;
          // the page (src/components/explainer.tsx) draws whatever Explanation comes back.
          const learningRate = learningRateAt(settings.schedule, settings.learningRate, run.trainer.steps);
          const explanation = explainStep(
            run.net,
            run.train.x.slice(row * nIn, (row + 1) * nIn),
            run.train.y.slice(row * nOut, (row + 1) * nOut),
            { learningRate, loss: settings.loss, regularization: settings.regularization },
          );
          post({ type: "explain", source: "current", row, explanation }, []);
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
          const step = active.run.trainer.steps;
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
