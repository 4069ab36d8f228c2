import type { Batch } from "./data.js";
import { BackpropError, assertFinite, assertInt } from "./errors.js";
import { checkLoss, computeLoss, lossGradient, type LossName } from "./loss.js";
import { createGradients, type Gradients, type Mlp } from "./mlp.js";
import { applyUpdate, createOptimizerState, normalizeOptimizer, type OptimizerConfig, type OptimizerState } from "./optimizers.js";
import { addRegularizationGradient, computePenalty, normalizeRegularization, type Regularization } from "./regularization.js";
import { computeLearningRate, normalizeSchedule, type Schedule } from "./schedules.js";
import { backward, checkBatch, createWorkspace, forward, type Workspace } from "./workspace.js";
import { CLIP_NORM_EPSILON, clipByGlobalNorm } from "./clip.js";
import { checkKernelChoice, createWasmNet, useWasmKernels, type KernelChoice, type WasmNet } from "./wasm-train.js";

/** Where an update first left a non-finite parameter: layer, tensor and (row, col); row −1 for a bias. */
export interface NonFiniteParameter {
  layer: number;
  tensor: "W" | "b";
  row: number;
  col: number;
  value: number;
}

/**
 * What one training step did. The trainer reuses one report object, so a
 * caller that keeps reports copies them (`{ ...report }`).
 */
export interface StepReport {
  /** Updates done so far, this one included. */
  step: number;
  /** dataLoss + regLoss, measured before this step's update. */
  loss: number;
  dataLoss: number;
  regLoss: number;
  /** Global L2 norm of the full gradient before any hook changed it. */
  gradNorm: number;
  learningRate: number;
  batchSize: number;
  /** False when the loss, the gradient or a parameter after the update holds NaN or ±Infinity. */
  finite: boolean;
  /** The first parameter this step's update made non-finite, or null. */
  nonFinite: NonFiniteParameter | null;
  /** True when a hook vetoed the update. */
  skipped: boolean;
  /** Whether clipping (the trainer's own, or a hook) scaled the gradient, and the norm after. */
  clipped: boolean;
  clippedNorm: number;
}

/** What a gradient hook sees: it may change `grads` in place before the update. */
export interface HookContext {
  net: Mlp;
  grads: Gradients;
  report: StepReport;
  workspace: Workspace;
  batch: Batch;
}

/**
 * Runs between backward and update. Returning "skip" vetoes this update (a
 * divergence guard does that); anything else lets it proceed.
 */
export type GradientHook = (ctx: HookContext) => void | "skip";

export interface TrainerOptions {
  learningRate: number;
  loss?: LossName;
  optimizer?: OptimizerConfig | OptimizerConfig["kind"];
  schedule?: Schedule | Schedule["kind"];
  regularization?: Regularization;
  /**
   * Training examples the penalty is divided by (λ·ΣW²/(2n) with n this), so
   * the penalty means the same for every batch size; null or absent: each
   * batch's size (right for full batches only).
   */
  examples?: number | null;
  /** Global-norm clipping after the hooks, before the update; null: none. */
  clipping?: { maxNorm: number } | null;
  /** Rows the workspace holds; defaults to the first batch's size. */
  capacity?: number;
  hooks?: GradientHook[];
  /**
   * Who does the arithmetic: "wasm" the WebAssembly SIMD kernels, "js" the
   * JavaScript, "auto" (default) the kernels where the runtime has WebAssembly
   * with SIMD. The same bits either way; "wasm" where it cannot run throws.
   */
  kernel?: KernelChoice;
}

export interface Trainer {
  readonly net: Mlp;
  readonly grads: Gradients;
  readonly report: StepReport;
  /** Updates done so far. */
  readonly steps: number;
  /** Which kernels the next step runs ("auto" resolved). */
  readonly kernel: "js" | "wasm";
  /** One forward, loss, backward, hooks and update on exactly this batch. */
  step(batch: Batch): StepReport;
  /** Change settings mid-run without resetting the network (optimizer moments reset if the optimizer changes). */
  configure(options: Partial<TrainerOptions>): void;
  settings(): Readonly<ResolvedTrainerOptions>;
  /** Zero the optimizer's moments and its step count (a rollback should not keep momentum built while diverging). */
  resetOptimizer(): void;
  addHook(hook: GradientHook): () => void;
  /** Sets the update count (the schedule's t and the next report's step), e.g. after a rollback. */
  rewind(steps: number): void;
  /** The optimizer's moments and update count (read only: explainers copy it). */
  optimizerState(): Readonly<OptimizerState>;
}

export interface ResolvedTrainerOptions {
  learningRate: number;
  loss: LossName;
  optimizer: OptimizerState["config"];
  schedule: Schedule;
  regularization: Regularization;
  examples: number | null;
  clipping: { maxNorm: number } | null;
}

function resolve(net: Mlp, options: Partial<TrainerOptions>, base?: ResolvedTrainerOptions): ResolvedTrainerOptions {
  const learningRate = options.learningRate ?? base?.learningRate;
  assertFinite(learningRate, "learningRate");
  if (learningRate <= 0) throw new BackpropError("invalid-argument", `learningRate must be > 0, got ${learningRate}`, { field: "learningRate" });
  const loss = options.loss ?? base?.loss ?? "mse";
  checkLoss(loss, net.spec.output);
  const schedule = options.schedule !== undefined ? normalizeSchedule(options.schedule) : (base?.schedule ?? { kind: "constant" });
  if (schedule.kind === "cosine" && (schedule.minLearningRate ?? 0) > learningRate) {
    throw new BackpropError("invalid-argument", `schedule.minLearningRate must be in [0, ${learningRate}] (the base learning rate), got ${schedule.minLearningRate}`, {
      field: "schedule.minLearningRate",
    });
  }
  const examples = options.examples !== undefined ? options.examples : (base?.examples ?? null);
  if (examples !== null) assertInt(examples, "examples", 1);
  const clipping = options.clipping !== undefined ? options.clipping : (base?.clipping ?? null);
  if (clipping !== null) {
    assertFinite(clipping.maxNorm, "clipping.maxNorm");
    if (clipping.maxNorm <= 0) throw new BackpropError("invalid-argument", `clipping.maxNorm must be > 0, got ${clipping.maxNorm}`, { field: "clipping.maxNorm" });
  }
  return {
    learningRate,
    loss,
    optimizer: options.optimizer !== undefined ? normalizeOptimizer(options.optimizer) : (base?.optimizer ?? normalizeOptimizer("sgd")),
    schedule,
    regularization: options.regularization !== undefined ? normalizeRegularization(options.regularization) : (base?.regularization ?? { kind: "none", lambda: 0 }),
    examples,
    clipping: clipping === null ? null : { maxNorm: clipping.maxNorm },
  };
}

/** Global L2 norm of a buffer. */
export function l2Norm(v: Float64Array): number {
  return computeNorm(NORM_SCRATCH, v)[0]!;
}

const NORM_SCRATCH = new Float64Array(1);

/** `l2Norm` written into out[0]: a double returned from a call that is not inlined would be boxed. */
export function computeNorm(out: Float64Array, v: Float64Array): Float64Array {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  out[0] = Math.sqrt(s);
  return out;
}

/** Index of the first NaN or ±Infinity in `v`, or −1. */
function firstNonFinite(v: Float64Array): number {
  for (let i = 0; i < v.length; i++) if (v[i]! - v[i]! !== 0) return i;
  return -1;
}

/** The layer, tensor and (row, col) of flat parameter index k. */
export function locateParameter(net: Mlp, k: number): NonFiniteParameter {
  const value = net.params[k]!;
  for (let l = 0; l < net.layers.length; l++) {
    const layer = net.layers[l]!;
    const w = k - layer.wOffset;
    if (w >= 0 && w < layer.nIn * layer.nOut) return { layer: l, tensor: "W", row: Math.floor(w / layer.nOut), col: w % layer.nOut, value };
    if (layer.bOffset >= 0 && k >= layer.bOffset && k < layer.bOffset + layer.nOut) return { layer: l, tensor: "b", row: -1, col: k - layer.bOffset, value };
  }
  throw new BackpropError("invalid-argument", `parameter ${k} is outside the network's ${net.params.length}`, { field: "index" });
}

export function createTrainer(net: Mlp, options: TrainerOptions): Trainer {
  let opts = resolve(net, options);
  const grads = createGradients(net);
  let optState = createOptimizerState(opts.optimizer, net.params.length);
  let ws: Workspace | null = options.capacity !== undefined ? createWorkspace(net, options.capacity) : null;
  const hooks: GradientHook[] = [...(options.hooks ?? [])];
  let steps = 0;
  const kernelChoice = (choice: KernelChoice | undefined): boolean => {
    const c = choice ?? "auto";
    checkKernelChoice(c);
    return useWasmKernels(c);
  };
  let useWasm = kernelChoice(options.kernel);
  let wn: WasmNet | null = null;
  /** Made on the first WebAssembly step, for the capacity asked or the first batch's size; false: no memory for it (JavaScript then). */
  let wnFailed = false;
  const scratch = new Float64Array(4);
  const clipBox = new Float64Array(2);
  const scratchLr = scratch.subarray(0, 1);
  const scratchLoss = scratch.subarray(1, 2);
  const scratchPenalty = scratch.subarray(2, 3);
  const scratchNorm = scratch.subarray(3, 4);
  const report: StepReport = {
    step: 0,
    loss: Number.NaN,
    dataLoss: Number.NaN,
    regLoss: 0,
    gradNorm: Number.NaN,
    learningRate: opts.learningRate,
    batchSize: 0,
    finite: true,
    nonFinite: null,
    skipped: false,
    clipped: false,
    clippedNorm: Number.NaN,
  };
  const ctx: HookContext = { net, grads, report, workspace: null as unknown as Workspace, batch: { x: new Float64Array(0), y: new Float64Array(0), n: 0 } };

  function step(batch: Batch): StepReport {
    const n = batch.n;
    const nOut = net.layers[net.layers.length - 1]!.nOut;
    if (batch.y.length < n * nOut) {
      throw new BackpropError("shape-mismatch", `y has ${batch.y.length} values, a batch of ${n} rows of ${nOut} outputs needs ${n * nOut}`, {
        field: "y",
      });
    }
    if (useWasm && wn === null && !wnFailed) {
      wn = createWasmNet(net, ws?.capacity ?? options.capacity ?? n);
      wnFailed = wn === null;
    }
    if (useWasm && wn !== null) return stepWasm(batch, wn);
    if (ws === null) ws = createWorkspace(net, n);
    forward(ws, net, batch.x, n);
    // scalars go through `scratch`: [learning rate, data loss, penalty, gradient norm]
    scratchLr[0] = opts.learningRate;
    computeLearningRate(scratchLr, opts.schedule, steps);
    computeLoss(scratchLoss, ws, net, batch.y, n, opts.loss);
    const examples = opts.examples ?? n;
    computePenalty(scratchPenalty, net, opts.regularization, examples);
    lossGradient(ws, net, batch.y, n, opts.loss);
    backward(ws, net, grads, n);
    addRegularizationGradient(grads, net, opts.regularization, examples);
    computeNorm(scratchNorm, grads.data);
    startReport(n);

    ctx.workspace = ws;
    ctx.batch = batch;
    for (let h = 0; h < hooks.length; h++) if (hooks[h]!(ctx) === "skip") report.skipped = true;
    if (!report.skipped) {
      if (opts.clipping !== null) {
        // the norm again: a hook may have changed the gradient
        computeNorm(clipBox, grads.data);
        if (clipByGlobalNorm(grads.data, opts.clipping.maxNorm, clipBox)) report.clipped = true;
        report.clippedNorm = clipBox[1]!;
      }
      applyUpdate(optState, net.params, grads.data, scratchLr);
      const bad = firstNonFinite(net.params);
      if (bad >= 0) {
        report.nonFinite = locateParameter(net, bad);
        report.finite = false;
      }
    }
    steps++;
    return report;
  }

  /** The report's fields from the scratch slots (rate, data loss, penalty, norm), before hooks and the update. */
  function startReport(n: number): void {
    const dataLoss = scratch[1]!;
    const gradNorm = scratch[3]!;
    report.step = steps + 1;
    report.dataLoss = dataLoss;
    report.regLoss = scratch[2]!;
    report.loss = dataLoss + report.regLoss;
    report.gradNorm = gradNorm;
    report.learningRate = scratch[0]!;
    report.batchSize = n;
    report.finite = Number.isFinite(report.loss) && Number.isFinite(gradNorm);
    report.nonFinite = null;
    report.skipped = false;
    report.clipped = false;
    report.clippedNorm = gradNorm;
  }

  /** `step` on the WebAssembly kernels: the same operations in the same order, so the same bits. */
  function stepWasm(batch: Batch, k: WasmNet): StepReport {
    const n = batch.n;
    const kws = k.ws;
    checkBatch(kws, net, batch.x, n);
    kws.x = batch.x;
    k.forward(net, batch.x, n);
    scratchLr[0] = opts.learningRate;
    computeLearningRate(scratchLr, opts.schedule, steps);
    k.loss(scratchLoss, net, batch.y, n, opts.loss);
    const examples = opts.examples ?? n;
    k.penalty(scratchPenalty, opts.regularization, examples);
    k.backward(batch.y, n, opts.loss);
    k.addRegularizationGradient(opts.regularization, examples);
    k.gradNorm(scratchNorm);
    k.gradsOut(grads.data);
    startReport(n);

    ctx.workspace = kws;
    ctx.batch = batch;
    for (let h = 0; h < hooks.length; h++) if (hooks[h]!(ctx) === "skip") report.skipped = true;
    if (!report.skipped) {
      // a hook may have changed the gradient in place
      if (hooks.length > 0) k.gradsIn(grads.data);
      if (opts.clipping !== null) {
        k.gradNorm(clipBox);
        // clipByGlobalNorm's decision; the scaling itself in the kernel
        const norm = clipBox[0]!;
        const coef = opts.clipping.maxNorm / (norm + CLIP_NORM_EPSILON);
        if (Number.isFinite(norm) && coef < 1) {
          clipBox[0] = coef;
          k.scaleGrads(clipBox);
          k.gradsOut(grads.data);
          report.clipped = true;
          report.clippedNorm = norm * coef;
        } else report.clippedNorm = norm;
      }
      k.update(optState, scratchLr);
      k.paramsOut(net.params);
      const bad = firstNonFinite(net.params);
      if (bad >= 0) {
        report.nonFinite = locateParameter(net, bad);
        report.finite = false;
      }
    }
    steps++;
    return report;
  }

  return {
    net,
    grads,
    report,
    get steps() {
      return steps;
    },
    get kernel() {
      return useWasm && !wnFailed ? "wasm" : "js";
    },
    step,
    configure(partial) {
      if (partial.kernel !== undefined) useWasm = kernelChoice(partial.kernel);
      const next = resolve(net, partial, opts);
      if (next.optimizer.kind !== opts.optimizer.kind) optState = createOptimizerState(next.optimizer, net.params.length);
      else optState.config = next.optimizer;
      opts = next;
    },
    settings: () => opts,
    resetOptimizer() {
      optState = createOptimizerState(opts.optimizer, net.params.length);
    },
    rewind(to) {
      assertInt(to, "steps", 0);
      steps = to;
    },
    optimizerState: () => optState,
    addHook(hook) {
      hooks.push(hook);
      return () => {
        const i = hooks.indexOf(hook);
        if (i >= 0) hooks.splice(i, 1);
      };
    },
  };
}
