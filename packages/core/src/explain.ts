import { activationSlope } from "./activations.js";
import { BackpropError } from "./errors.js";
import { checkLoss, lossGradient, lossValue, type LossName } from "./loss.js";
import { cloneMlp, createGradients, type Mlp } from "./mlp.js";
import { addRegularizationGradient, normalizeRegularization, regularizationLoss, type Regularization } from "./regularization.js";
import { clipByGlobalNorm } from "./clip.js";
import { assertFinite } from "./errors.js";
import { applyUpdate, createOptimizerState, normalizeOptimizer, type OptimizerConfig, type OptimizerState } from "./optimizers.js";
import { computeLearningRate, normalizeSchedule, type Schedule } from "./schedules.js";
import { computeNorm } from "./trainer.js";
import { backward, createWorkspace, forward } from "./workspace.js";

export type Matrix = number[][];

/** Every intermediate of one layer, in the course's row-vector shapes. */
export interface ExplainedLayer {
  index: number;
  activation: string;
  nIn: number;
  nOut: number;
  input: Matrix; // (n, nIn): x or the layer below's a
  W: Matrix; // (nIn, nOut)
  b: number[] | null; // (nOut)
  z: Matrix; // (n, nOut) = input·W + b
  a: Matrix; // (n, nOut) = f(z)
  dL_da: Matrix; // (n, nOut)
  da_dz: Matrix; // (n, nOut): f'(z) (softmax: its diagonal)
  dL_dz: Matrix; // (n, nOut)
  dL_dW: Matrix; // (nIn, nOut) = inputᵀ·dL_dz (+ penalty gradient)
  dL_db: number[] | null; // (nOut) = Σ_rows dL_dz
  dL_dinput: Matrix | null; // (n, nIn) = dL_dz·Wᵀ, null for the first layer
  W_next: Matrix;
  b_next: number[] | null;
}

export interface Explanation {
  n: number;
  loss: LossName;
  /** The learning rate this step uses: the base rate through the schedule at `step`. */
  learningRate: number;
  baseLearningRate: number;
  /** Updates done before this one (the schedule's t). */
  step: number;
  optimizer: OptimizerConfig["kind"];
  /** ‖g‖ of data loss + penalty, before clipping; and after (equal when clipping did not act). */
  gradNorm: number;
  clipped: boolean;
  clippedNorm: number;
  x: Matrix;
  y: Matrix;
  output: Matrix;
  dataLoss: number;
  regLoss: number;
  totalLoss: number;
  layers: ExplainedLayer[];
  /** Loss of the same rows after the update. */
  lossAfterUpdate: number;
}

export interface ExplainSettings {
  /** The base learning rate. */
  learningRate: number;
  loss?: LossName;
  regularization?: Regularization;
  /** Training examples the penalty is divided by; default the rows explained. */
  examples?: number;
  /** The optimizer, or its state to continue from (copied, never changed); default plain SGD. */
  optimizer?: OptimizerConfig | OptimizerConfig["kind"] | Readonly<OptimizerState>;
  schedule?: Schedule;
  /** Updates done before this one (the schedule's t); default 0. */
  step?: number;
  clipping?: { maxNorm: number } | null;
}

function optimizerCopy(o: ExplainSettings["optimizer"], size: number): OptimizerState {
  if (o !== undefined && typeof o === "object" && "m" in o) {
    return { config: { ...o.config }, m: o.m.slice(), v: o.v.slice(), t: o.t };
  }
  return createOptimizerState(normalizeOptimizer(o ?? "sgd"), size);
}

function toMatrix(v: Float64Array, rows: number, cols: number): Matrix {
  const m: Matrix = [];
  for (let r = 0; r < rows; r++) m.push(Array.from(v.subarray(r * cols, (r + 1) * cols)));
  return m;
}

/**
 * One forward, loss, backward and update on the rows x (n, nIn) with targets
 * y (n, nOut), every intermediate kept, with the trainer's arithmetic in the
 * trainer's order: penalty over `examples`, global-norm clipping, the
 * scheduled rate and the real optimizer (from a copy of its state), so
 * `W_next` is the trainer's next W to the bit. `net` is not changed. On the
 * course's network, sample and learning rate this prints the worked
 * example's numbers.
 */
export function explainStep(net: Mlp, x: Float64Array | number[][], y: Float64Array | number[][], settings: ExplainSettings): Explanation {
  const nIn = net.layers[0]!.nIn;
  const L = net.layers.length;
  const nOut = net.layers[L - 1]!.nOut;
  const xs = Array.isArray(x) ? Float64Array.from(x.flat()) : x;
  const ys = Array.isArray(y) ? Float64Array.from(y.flat()) : y;
  const n = xs.length / nIn;
  if (!Number.isInteger(n) || n < 1) throw new BackpropError("shape-mismatch", `x must hold whole rows of ${nIn} inputs`, { field: "x" });
  if (ys.length !== n * nOut) throw new BackpropError("shape-mismatch", `y must hold ${n} rows of ${nOut} targets`, { field: "y" });
  const loss = settings.loss ?? "mse";
  checkLoss(loss, net.spec.output);
  const reg = normalizeRegularization(settings.regularization);
  const base = settings.learningRate;
  assertFinite(base, "learningRate");
  if (base <= 0) throw new BackpropError("invalid-argument", `learningRate must be > 0, got ${base}`, { field: "learningRate" });
  const schedule = normalizeSchedule(settings.schedule);
  const t = settings.step ?? 0;
  const examples = settings.examples ?? n;
  const lrBox = computeLearningRate(Float64Array.of(base), schedule, t);
  const lr = lrBox[0]!;

  const ws = createWorkspace(net, n);
  const grads = createGradients(net);
  forward(ws, net, xs, n);
  const dataLoss = lossValue(ws, net, ys, n, loss);
  const regLoss = regularizationLoss(net, reg, examples);
  lossGradient(ws, net, ys, n, loss);
  backward(ws, net, grads, n);
  addRegularizationGradient(grads, net, reg, examples);
  // what the trainer does after its hooks: the norm, clipping, the optimizer's update
  const box = computeNorm(new Float64Array(2), grads.data);
  const gradNorm = box[0]!;
  let clipped = false;
  box[1] = gradNorm;
  if (settings.clipping) {
    computeNorm(box, grads.data);
    clipped = clipByGlobalNorm(grads.data, settings.clipping.maxNorm, box);
  }
  const clippedNorm = box[1]!;

  // fused losses skip dL/da at the output; derive it for display
  const outA = ws.a[L - 1]!;
  const outDa = new Float64Array(n * nOut);
  for (let i = 0; i < n * nOut; i++) {
    const p = outA[i]!;
    const t = ys[i]!;
    if (loss === "mse") outDa[i] = -(t - p) / n;
    else if (loss === "cross-entropy") outDa[i] = t === 0 ? 0 : -t / (p * n);
    else outDa[i] = -(t / p - (1 - t) / (1 - p)) / n;
  }

  const after = cloneMlp(net);
  const state = optimizerCopy(settings.optimizer, net.params.length);
  applyUpdate(state, after.params, grads.data, lrBox);

  const layers = net.layers.map((layer, l): ExplainedLayer => {
    const input = l === 0 ? xs : ws.a[l - 1]!;
    const z = ws.z[l]!;
    const a = ws.a[l]!;
    const slope = new Float64Array(n * layer.nOut);
    for (let i = 0; i < slope.length; i++) slope[i] = activationSlope(a[i]!, z[i]!, layer.activation);
    const g = grads.layers[l]!;
    const next = after.layers[l]!;
    return {
      index: l,
      activation: layer.activation,
      nIn: layer.nIn,
      nOut: layer.nOut,
      input: toMatrix(input, n, layer.nIn),
      W: toMatrix(layer.W, layer.nIn, layer.nOut),
      b: layer.b ? Array.from(layer.b) : null,
      z: toMatrix(z, n, layer.nOut),
      a: toMatrix(a, n, layer.nOut),
      dL_da: toMatrix(l === L - 1 ? outDa : ws.da[l]!, n, layer.nOut),
      da_dz: toMatrix(slope, n, layer.nOut),
      dL_dz: toMatrix(ws.dz[l]!, n, layer.nOut),
      dL_dW: toMatrix(g.dW, layer.nIn, layer.nOut),
      dL_db: g.db ? Array.from(g.db) : null,
      dL_dinput: l === 0 ? null : toMatrix(ws.da[l - 1]!, n, layer.nIn),
      W_next: toMatrix(next.W, layer.nIn, layer.nOut),
      b_next: next.b ? Array.from(next.b) : null,
    };
  });

  const wsAfter = createWorkspace(after, n);
  forward(wsAfter, after, xs, n);
  const lossAfterUpdate = lossValue(wsAfter, after, ys, n, loss) + regularizationLoss(after, reg, examples);
  return {
    n,
    loss,
    learningRate: lr,
    baseLearningRate: base,
    step: t,
    optimizer: state.config.kind,
    gradNorm,
    clipped,
    clippedNorm,
    x: toMatrix(xs, n, nIn),
    y: toMatrix(ys, n, nOut),
    output: toMatrix(outA, n, nOut),
    dataLoss,
    regLoss,
    totalLoss: dataLoss + regLoss,
    layers,
    lossAfterUpdate,
  };
}
