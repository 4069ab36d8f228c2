import { createSeekableBatcher, type SeekableBatcher } from "./batcher.js";
import type { Dataset } from "./data.js";
import { evaluate, type EvaluateOptions, type Evaluation } from "./evaluate.js";
import { explainStep, type Explanation } from "./explain.js";
import { BackpropError } from "./errors.js";
import { createMlp, type Mlp } from "./mlp.js";
import { mlpFromJSON, type ModelJSON } from "./model-json.js";
import { modelMismatch } from "./model-match.js";
import { runData } from "./run-data.js";
import { normalizeRunDocument, type RunDocument, type RunDocumentInput } from "./run-document.js";
import { streamSeed } from "./seeds.js";
import { createTrainer, type HookContext, type StepReport, type Trainer } from "./trainer.js";
import { createWorkspace, type Workspace } from "./workspace.js";

/** Train and test scores of the current weights. */
export interface RunEvaluation {
  /** Updates behind these weights. */
  step: number;
  train: Evaluation;
  test: Evaluation | null;
}

/** What the divergence guard did on one step. */
export interface RollbackEvent {
  /** The update that diverged (its report's step). */
  step: number;
  reason: "non-finite-loss" | "non-finite-gradient" | "non-finite-parameter" | "gradient-jump";
  /** The run went back to the weights after this many updates (its step counter, epoch and batches with it). */
  restoredStep: number;
  learningRateBefore: number;
  learningRateAfter: number;
  /** True when the rate was already at the guard's floor: the run stopped as diverged. */
  gaveUp: boolean;
}

/**
 * One step of a run: the trainer's report and what the run added. The run
 * reuses one object; copy it to keep it.
 */
export interface RunStepReport extends StepReport {
  /** Epochs begun after this step (⌈steps / batches per epoch⌉). */
  epoch: number;
  /**
   * Updates behind the current weights whose gradient clipping scaled
   * (`clipped`), this one included. Like `step` and `epoch` it belongs to the
   * weights: a rollback sets it back to its value at the restored step, a
   * reset to 0.
   */
  clipCount: number;
  /** Set when the guard undid this step. */
  rollback: RollbackEvent | null;
  /** Set on the steps the evaluation cadence falls on. */
  evaluation: RunEvaluation | null;
}

/**
 * Watches (and may steer) a run, in the manner of Keras callbacks and
 * Lightning hooks. Every member is optional. Core never imports a watcher;
 * diagnostics plug in through this.
 */
export interface RunObserver {
  /**
   * After backward, before clipping and the update: the raw gradient of
   * data loss + penalty. May change `ctx.grads` in place; "skip" vetoes the
   * update.
   */
  onGradients?(ctx: HookContext): void | "skip";
  /** After every step, rolled back or not. */
  onStep?(report: RunStepReport, run: TrainingRun): void;
  onEvaluation?(evaluation: RunEvaluation, run: TrainingRun): void;
  onRollback?(event: RollbackEvent, run: TrainingRun): void;
  onReset?(run: TrainingRun): void;
}

/** A run built from a document: it owns the training loop. */
export interface TrainingRun {
  readonly document: RunDocument;
  readonly points: { train: Dataset; test: Dataset };
  readonly train: Dataset;
  readonly test: Dataset;
  readonly net: Mlp;
  readonly trainer: Trainer;
  readonly batcher: SeekableBatcher;
  /** Updates behind the current weights (a rollback lowers it). */
  readonly steps: number;
  /** Epochs begun for those updates. */
  readonly epoch: number;
  /** Of those updates, the ones clipping scaled (the report's `clipCount`). */
  readonly clipCount: number;
  /** The base learning rate now (the guard lowers it). */
  readonly learningRate: number;
  /** Every rollback the guard made since the last reset. */
  readonly rollbacks: readonly RollbackEvent[];
  /** True once a step was not finite and no guard could undo it. */
  readonly diverged: boolean;
  readonly paused: boolean;
  /** The latest evaluation at the cadence (or by `evaluate()`), null before any. */
  readonly lastEvaluation: RunEvaluation | null;
  /** One update on the next batch (also while paused). */
  step(): RunStepReport;
  /** Up to maxSteps updates; stops early when paused, diverged, or `stop()` says so. Returns the updates attempted. */
  advance(maxSteps: number, stop?: () => boolean): number;
  pause(): void;
  resume(): void;
  /** Back to step 0: the initial weights (the document's draw, or the model the run started from), batches, learning rate and guard; the same numbers again. */
  reset(): void;
  /** Loss and accuracy of the current weights on train and test (`predict`'s forward). */
  evaluate(): { train: Evaluation; test: Evaluation | null };
  /** Every intermediate of the step `step()` will take next: its batch, rate, penalty, clipping and optimizer. */
  explain(): Explanation;
  /** Adds an observer; returns its removal. */
  observe(observer: RunObserver): () => void;
}

/** The seeds a document's run uses: explicit ones, else the run seed's streams (seeds.ts). */
export function documentSeeds(doc: RunDocument): { data: number; split: number; init: number; shuffle: number } {
  return {
    data: doc.data.source === "generated" && doc.data.seed !== undefined ? doc.data.seed : streamSeed(doc.seed, "data"),
    split: streamSeed(doc.seed, "split"),
    init: doc.init.seed ?? streamSeed(doc.seed, "init"),
    shuffle: streamSeed(doc.seed, "shuffle"),
  };
}

/** Options of `createTrainingRun`. */
export interface TrainingRunOptions {
  observers?: RunObserver[];
  /**
   * Start from these weights (a model JSON, e.g. one `mlpToJSON` exported,
   * or an `Mlp`) in place of the document's initial draw. They become the
   * run's step-0 state: `reset()` and the guard's rollbacks return to them.
   * Their shape must be the document's network (inputs, hidden units,
   * outputs, activations, biases), else a `shape-mismatch` error naming the
   * model's field (`model.spec.sizes[2]`) and both values. Only weights are
   * carried: the step count, the schedule, the optimizer's state and the
   * batch order start at step 0 as in any run.
   */
  model?: Mlp | ModelJSON;
}

function isMlp(model: Mlp | ModelJSON): model is Mlp {
  return typeof model === "object" && model !== null && "params" in model && model.params instanceof Float64Array;
}

/** The model's weights, checked against the network the document built; errors name `model.…`. */
function startingParams(model: Mlp | ModelJSON, net: Mlp): Float64Array {
  let source: Mlp;
  if (isMlp(model)) {
    source = model;
  } else {
    try {
      source = mlpFromJSON(model);
    } catch (error) {
      if (!(error instanceof BackpropError)) throw error;
      const inner = error.field ?? "$";
      throw new BackpropError(error.code, `model: ${error.message}`, { field: inner === "$" ? "model" : `model.${inner}`, cause: error });
    }
  }
  const mismatch = modelMismatch(source.spec, net.spec);
  if (mismatch !== null) throw new BackpropError("shape-mismatch", mismatch.message, { field: `model.${mismatch.field}` });
  if (source.params.length !== net.params.length) {
    throw new BackpropError("shape-mismatch", `the model has ${source.params.length} parameters, the document's network has ${net.params.length}`, { field: "model" });
  }
  return source.params;
}

/**
 * Builds the run a document describes. Each step, in order: the batch, forward,
 * loss and penalty, backward, the guard's check, observers' `onGradients`,
 * clipping, the update (scheduled rate, real optimizer), the check for
 * non-finite parameters, a rollback if the guard asks, the evaluation at its
 * cadence, observers' `onStep`.
 */
export function createTrainingRun(input: RunDocumentInput, options: TrainingRunOptions = {}): TrainingRun {
  const doc = normalizeRunDocument(input);
  const seeds = documentSeeds(doc);
  const { points, train, test } = runData(doc, seeds);
  const t = doc.training;
  const net = createMlp(
    { sizes: [train.nIn, ...doc.network.hidden, train.nOut], hidden: doc.network.activation, output: doc.network.output, bias: doc.network.bias },
    { seed: seeds.init, init: doc.init.scheme },
  );
  // an uploaded model replaces the initial draw: it is the step-0 state reset() and rollbacks return to
  if (options.model !== undefined) net.params.set(startingParams(options.model, net));
  const initial = net.params.slice();
  const batcher = createSeekableBatcher(train, { batchSize: t.batchSize, ...(t.shuffle === undefined ? {} : { shuffle: t.shuffle }), seed: seeds.shuffle });
  const observers: RunObserver[] = [];

  // the guard's checkpoint: the weights at the start of the step with the best smoothed loss, and the updates behind them
  const guard = t.guard;
  const saved = initial.slice();
  let savedStep = 0;
  // clipped updates behind the current weights, and behind the checkpoint's
  let clipCount = 0;
  let savedClipCount = 0;
  let veto: RollbackEvent["reason"] | null = null;
  let justRestored = false;
  let seen = 0;
  // [smoothed loss, smoothed ‖g‖, best smoothed loss, smoothed ‖g‖ at the best]
  const smooth = new Float64Array([0, 0, Infinity, 0]);

  function guardHook(ctx: HookContext): "skip" | undefined {
    if (!guard) return undefined;
    const r = ctx.report;
    veto = null;
    if (!Number.isFinite(r.loss)) veto = "non-finite-loss";
    else if (!Number.isFinite(r.gradNorm)) veto = "non-finite-gradient";
    else if (guard.gradJump !== null && seen >= 1 && !justRestored && r.gradNorm > guard.gradJump * smooth[3]!) veto = "gradient-jump";
    justRestored = false;
    if (veto !== null) return "skip";
    smooth[0] = seen === 0 ? r.loss : 0.95 * smooth[0]! + 0.05 * r.loss;
    smooth[1] = seen === 0 ? r.gradNorm : 0.95 * smooth[1]! + 0.05 * r.gradNorm;
    if (smooth[0]! <= smooth[2]!) {
      smooth[2] = smooth[0]!;
      smooth[3] = smooth[1]!;
      // the checkpoint: the weights this step starts from, the best (smoothed) loss so far
      saved.set(net.params);
      savedStep = r.step - 1;
      savedClipCount = clipCount;
    }
    seen++;
    return undefined;
  }

  const trainer: Trainer = createTrainer(net, {
    learningRate: t.learningRate,
    loss: t.loss,
    optimizer: t.optimizer,
    schedule: t.schedule,
    regularization: t.regularization,
    examples: train.n,
    clipping: t.clipping,
    capacity: batcher.batchSize,
    hooks: [guardHook],
  });
  const detachers = new Map<RunObserver, () => void>();

  let evalWorkspace: Workspace | null = null;
  const evalOptions = (): EvaluateOptions => {
    evalWorkspace ??= createWorkspace(net, Math.max(1, Math.min(256, Math.max(train.n, test.n))));
    const s = trainer.settings();
    return { loss: s.loss, regularization: s.regularization, examples: train.n, workspace: evalWorkspace };
  };
  const scores = () => ({ train: evaluate(net, train, evalOptions()), test: test.n > 0 ? evaluate(net, test, evalOptions()) : null });

  let paused = false;
  let diverged = false;
  let lastEvaluation: RunEvaluation | null = null;
  const rollbacks: RollbackEvent[] = [];
  const report: RunStepReport = { ...trainer.report, epoch: 0, clipCount: 0, rollback: null, evaluation: null };

  function rollback(reason: RollbackEvent["reason"], step: number): RollbackEvent {
    const before = trainer.settings().learningRate;
    const gaveUp = guard !== null && before <= guard.minLearningRate;
    const after = gaveUp ? before : Math.max(before * guard!.factor, guard!.minLearningRate);
    net.params.set(saved);
    // moments built while diverging would push straight back out
    trainer.resetOptimizer();
    trainer.rewind(savedStep);
    batcher.seek(savedStep);
    clipCount = savedClipCount;
    if (!gaveUp) trainer.configure({ learningRate: after });
    justRestored = true;
    if (gaveUp) diverged = true;
    return { step, reason, restoredStep: savedStep, learningRateBefore: before, learningRateAfter: after, gaveUp };
  }

  const run: TrainingRun = {
    document: doc,
    points,
    train,
    test,
    net,
    trainer,
    batcher,
    get steps() {
      return trainer.steps;
    },
    get epoch() {
      return batcher.epoch;
    },
    get clipCount() {
      return clipCount;
    },
    get learningRate() {
      return trainer.settings().learningRate;
    },
    rollbacks,
    get diverged() {
      return diverged;
    },
    get paused() {
      return paused;
    },
    get lastEvaluation() {
      return lastEvaluation;
    },
    step() {
      veto = null;
      const r = trainer.step(batcher.next());
      // field by field: Object.assign allocates on every call, and a step allocates nothing
      report.step = r.step;
      report.loss = r.loss;
      report.dataLoss = r.dataLoss;
      report.regLoss = r.regLoss;
      report.gradNorm = r.gradNorm;
      report.learningRate = r.learningRate;
      report.batchSize = r.batchSize;
      report.finite = r.finite;
      report.nonFinite = r.nonFinite;
      report.skipped = r.skipped;
      report.clipped = r.clipped;
      report.clippedNorm = r.clippedNorm;
      report.rollback = null;
      report.evaluation = null;
      if (r.clipped) clipCount++;
      // an update that left a non-finite parameter is undone from this step's own start
      const reason = veto ?? (r.nonFinite !== null ? "non-finite-parameter" : null);
      if (guard && reason !== null) {
        const event = rollback(reason, r.step);
        rollbacks.push(event);
        report.rollback = event;
        for (const o of observers) o.onRollback?.(event, run);
      } else if (!r.finite) {
        diverged = true;
      }
      report.epoch = batcher.epoch;
      report.clipCount = clipCount;
      if (report.rollback === null && trainer.steps % doc.evaluation.every === 0) {
        const e = scores();
        lastEvaluation = { step: trainer.steps, train: e.train, test: e.test };
        report.evaluation = lastEvaluation;
        for (const o of observers) o.onEvaluation?.(lastEvaluation, run);
      }
      for (const o of observers) o.onStep?.(report, run);
      return report;
    },
    advance(maxSteps, stop) {
      let made = 0;
      while (made < maxSteps && !paused && !diverged) {
        run.step();
        made++;
        if (stop?.()) break;
      }
      return made;
    },
    pause() {
      paused = true;
    },
    resume() {
      paused = false;
    },
    reset() {
      net.params.set(initial);
      saved.set(initial);
      savedStep = 0;
      clipCount = 0;
      savedClipCount = 0;
      seen = 0;
      justRestored = false;
      smooth.set([0, 0, Infinity, 0]);
      trainer.configure({ learningRate: t.learningRate });
      trainer.resetOptimizer();
      trainer.rewind(0);
      batcher.seek(0);
      diverged = false;
      lastEvaluation = null;
      rollbacks.length = 0;
      for (const o of observers) o.onReset?.(run);
    },
    evaluate() {
      const e = scores();
      lastEvaluation = { step: trainer.steps, train: e.train, test: e.test };
      return e;
    },
    explain() {
      const batch = batcher.peek();
      const s = trainer.settings();
      return explainStep(net, batch.x.slice(0, batch.n * train.nIn), batch.y.slice(0, batch.n * train.nOut), {
        learningRate: s.learningRate,
        loss: s.loss,
        regularization: s.regularization,
        examples: train.n,
        optimizer: trainer.optimizerState(),
        schedule: s.schedule,
        step: trainer.steps,
        clipping: s.clipping,
      });
    },
    observe(observer) {
      observers.push(observer);
      if (observer.onGradients) {
        const hook = observer.onGradients.bind(observer);
        detachers.set(observer, trainer.addHook(hook));
      }
      return () => {
        const i = observers.indexOf(observer);
        if (i >= 0) observers.splice(i, 1);
        detachers.get(observer)?.();
        detachers.delete(observer);
      };
    },
  };
  for (const o of options.observers ?? []) run.observe(o);
  return run;
}
