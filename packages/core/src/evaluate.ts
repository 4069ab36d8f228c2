import { predictedClass, type Dataset } from "./data.js";
import { BackpropError } from "./errors.js";
import { checkLoss, lossValue, type LossName } from "./loss.js";
import type { Mlp } from "./mlp.js";
import { regularizationLoss, type Regularization } from "./regularization.js";
import { forwardFast } from "./inference.js";
import { normalizeRegularization } from "./regularization.js";
import { checkBatch, createWorkspace, type Workspace } from "./workspace.js";
import { cachedWasmNet, checkKernelChoice, createWasmNet, useWasmKernels, type KernelChoice } from "./wasm-train.js";

const CHUNK = 256;

/**
 * Network outputs for n rows of x (n, nIn), streamed through a workspace in
 * chunks. Writes into `out` (n, nOut) when given and returns it. It runs
 * the WebAssembly SIMD kernels where the runtime has them (`kernel` "auto"),
 * kept with `ws` (or the network) so a warm call makes nothing, and
 * `forwardFast` elsewhere or with "js": the same bits (test/wasm-train.test.ts);
 * `evaluate`, training and the grid samplers give them too. With the kernels
 * `ws` only keys them (its arrays are not filled).
 */
export function predict(net: Mlp, x: Float64Array, n: number, out?: Float64Array, ws?: Workspace, kernel: KernelChoice = "auto"): Float64Array {
  checkKernelChoice(kernel);
  const nIn = net.layers[0]!.nIn;
  const nOut = net.layers[net.layers.length - 1]!.nOut;
  if (x.length < n * nIn) {
    throw new BackpropError("shape-mismatch", `x has ${x.length} values, ${n} rows of ${nIn} inputs need ${n * nIn}`, { field: "x" });
  }
  const result = out ?? new Float64Array(n * nOut);
  if (result.length < n * nOut) {
    throw new BackpropError("shape-mismatch", `out has ${result.length} values, needs ${n * nOut}`, { field: "out" });
  }
  // the WebAssembly kernels (the same bits), kept with the workspace or the network
  const wasm = useWasmKernels(kernel) ? cachedWasmNet(ws ?? net, net, ws ? ws.capacity : CHUNK) : null;
  if (wasm) {
    const cap = ws ? ws.capacity : CHUNK;
    // checked once (x holds every row, checked above), the parameters copied in once, and no view of x per chunk
    if (n > 0) checkBatch(wasm.ws, net, x, Math.min(cap, n));
    wasm.loadParams(net.params);
    for (let start = 0; start < n; start += cap) {
      const m = Math.min(cap, n - start);
      const a = wasm.forwardRows(x, start, m);
      for (let i = 0, o = start * nOut; i < m * nOut; i++) result[o + i] = a[i]!;
    }
    return result;
  }
  const work = ws ?? createWorkspace(net, Math.min(CHUNK, Math.max(n, 1)));
  for (let start = 0; start < n; start += work.capacity) {
    const m = Math.min(work.capacity, n - start);
    const a = forwardFast(work, net, x.subarray(start * nIn, (start + m) * nIn), m);
    result.set(a.subarray(0, m * nOut), start * nOut);
  }
  return result;
}

export interface Evaluation {
  n: number;
  loss: number;
  dataLoss: number;
  regLoss: number;
  /** Fraction of rows classified right; null for regression. */
  accuracy: number | null;
  /** confusion[actual][predicted] counts; null for regression. */
  confusion: number[][] | null;
}

export interface EvaluateOptions {
  loss?: LossName;
  regularization?: Regularization;
  /** Training examples the penalty is divided by (a run passes its training rows); default data.n. */
  examples?: number;
  /**
   * A workspace of this network to stream the rows through (any capacity);
   * without one, evaluate makes one for the call. A run evaluating every
   * frame passes its own, so evaluating allocates no activation buffers.
   */
  workspace?: Workspace;
  /** Who does the arithmetic ("auto" default: WebAssembly SIMD where the runtime has it); the same bits either way. */
  kernel?: KernelChoice;
}

/**
 * Loss (data and penalty apart), accuracy and confusion matrix over a whole
 * data set, through `forwardFast` like `predict`: the outputs it scores are
 * `predict`'s bits.
 */
export function evaluate(net: Mlp, data: Dataset, options: EvaluateOptions = {}): Evaluation {
  const loss = options.loss ?? "mse";
  checkLoss(loss, net.spec.output);
  const nIn = net.layers[0]!.nIn;
  const nOut = net.layers[net.layers.length - 1]!.nOut;
  if (data.nIn !== nIn || data.nOut !== nOut) {
    throw new BackpropError("shape-mismatch", `the data has ${data.nIn} inputs and ${data.nOut} outputs, the network ${nIn} and ${nOut}`, {
      field: "data",
    });
  }
  if (data.n === 0) return { n: 0, loss: Number.NaN, dataLoss: Number.NaN, regLoss: 0, accuracy: null, confusion: null };
  const kernel = options.kernel ?? "auto";
  checkKernelChoice(kernel, "kernel");
  const cap = options.workspace ? options.workspace.capacity : Math.min(CHUNK, data.n);
  // the kernels kept with the caller's workspace (a run evaluating every frame makes nothing), or made for this call
  const wasm = useWasmKernels(kernel) ? (options.workspace ? cachedWasmNet(options.workspace, net, cap) : createWasmNet(net, cap)) : null;
  const ws = wasm ? wasm.ws : (options.workspace ?? createWorkspace(net, cap));
  const classes = data.labels ? data.classes : 0;
  const confusion = data.labels ? Array.from({ length: classes }, () => new Array<number>(classes).fill(0)) : null;
  let sum = 0;
  let correct = 0;
  for (let start = 0; start < data.n; start += cap) {
    const m = Math.min(cap, data.n - start);
    const xs = data.x.subarray(start * nIn, (start + m) * nIn);
    let a: Float64Array;
    if (wasm) {
      checkBatch(ws, net, xs, m);
      a = wasm.forward(net, xs, m);
    } else a = forwardFast(ws, net, xs, m);
    // lossValue averages over m rows; weight by m to average over all n
    sum += lossValue(ws, net, data.y.subarray(start * nOut, (start + m) * nOut), m, loss) * m;
    if (data.labels && confusion) {
      for (let r = 0; r < m; r++) {
        const actual = data.labels[start + r]!;
        const guess = predictedClass(a, r, nOut, data.encoding);
        confusion[actual]![guess]! += 1;
        if (actual === guess) correct++;
      }
    }
  }
  const dataLoss = sum / data.n;
  const regLoss = regularizationLoss(net, normalizeRegularization(options.regularization), options.examples ?? data.n);
  return { n: data.n, loss: dataLoss + regLoss, dataLoss, regLoss, accuracy: confusion ? correct / data.n : null, confusion };
}
