import type { Activation } from "./activations.js";
import { BackpropError } from "./errors.js";
import { EXPM1_TABLE, POW2 } from "./fast-math.js";
import { powIntAt } from "./libm.js";
import { computeLoss, type LossName } from "./loss.js";
import type { Mlp } from "./mlp.js";
import type { OptimizerState } from "./optimizers.js";
import type { Regularization } from "./regularization.js";
import { TRAIN_EXPM1_AT, TRAIN_FREE_AT, TRAIN_POW2_AT, TRAIN_WASM } from "./wasm-train-kernels.generated.js";
import { instantiate, wasmModuleLoader } from "./wasm-module.js";
import type { Workspace } from "./workspace.js";

/**
 * Which code runs the numbers of a training step, `predict` and `evaluate`:
 * "wasm" the WebAssembly SIMD kernels (scripts/gen-wasm-train.mjs), "js" the
 * JavaScript, "auto" (the default) the kernels where the runtime has
 * WebAssembly with SIMD and the JavaScript elsewhere. Both give the same bits
 * (test/wasm-train.test.ts); only the time differs.
 */
export type KernelChoice = "js" | "wasm" | "auto";
export const KERNEL_CHOICES: readonly KernelChoice[] = ["js", "wasm", "auto"];


type Elementwise2 = (out: number, a: number, len: number, args: number) => void;
type Elementwise3 = (out: number, a: number, b: number, len: number, args: number) => void;

interface TrainKernels {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  dense(z: number, x: number, w: number, b: number, n: number, inner: number, nOut: number, xRow: number, xStep: number): void;
  dense_small(z: number, x: number, w: number, b: number, n: number, inner: number, nOut: number, xRow: number, a: number, dz: number): void;
  dense_small_db(z: number, x: number, w: number, n: number, inner: number, nOut: number, xRow: number, a: number, dz: number, db: number): void;
  sigmoid(out: number, z: number, len: number): void;
  tanh(out: number, z: number, len: number): void;
  relu: Elementwise2;
  leaky_relu: Elementwise2;
  copy: Elementwise2;
  softmax(out: number, z: number, len: number, nOut: number): void;
  sigmoid_back: Elementwise3;
  tanh_back: Elementwise3;
  relu_back: Elementwise3;
  leaky_relu_back: Elementwise3;
  softmax_back(dz: number, da: number, a: number, len: number, nOut: number): void;
  mse_grad: Elementwise3;
  xent_grad: Elementwise3;
  l2_grad: Elementwise2;
  l1_grad: Elementwise2;
  add_const(g: number, len: number, args: number): void;
  scale(g: number, len: number, args: number): void;
  sgd: Elementwise2;
  momentum: Elementwise3;
  nesterov: Elementwise3;
  adam(p: number, g: number, m: number, v: number, len: number, args: number): void;
  sum_sq(out: number, p: number, len: number): void;
  sum_abs(out: number, p: number, len: number): void;
  sum_sq_diff(out: number, y: number, a: number, len: number): void;
  col_sum(db: number, dz: number, n: number, nOut: number): void;
  transpose(dst: number, src: number, rows: number, cols: number): void;
  count_outside(p: number, len: number, args: number): number;
}

/** The instances whose memory holds training state, by that memory's buffer, with two doubles of their own for count_outside. */
const instances = new WeakMap<ArrayBuffer, { k: TrainKernels; heap: Float64Array; args: number }>();

/**
 * How many of a[0 … len) lie farther than band[1] from band[0] (|a[i] − band[0]| > band[1], NaN not counted): in
 * the training kernels when `a` is a view of a training instance's memory (a WebAssembly trainer's workspace, as
 * a hook sees it), else in JavaScript. Both give the same count. The band is an array, not two numbers: a double
 * passed to a call V8 does not inline is boxed, an allocation on every step.
 */
export function countOutside(a: Float64Array, len: number, band: Float64Array): number {
  if (!Number.isInteger(len) || len < 0 || len > a.length) {
    throw new BackpropError("invalid-argument", `len must be an integer from 0 to ${a.length}, got ${len}`, { field: "len" });
  }
  const center = band[0]!;
  const edge = band[1]!;
  const hit = instances.get(a.buffer as ArrayBuffer);
  if (hit) {
    hit.heap[hit.args / 8] = center;
    hit.heap[hit.args / 8 + 1] = edge;
    return hit.k.count_outside(a.byteOffset, len, hit.args);
  }
  // no data-dependent branch, eight values an iteration into two counters (diagnostics' former countSaturated)
  let s0 = 0;
  let s1 = 0;
  let k = 0;
  for (; k + 7 < len; k += 8) {
    s0 +=
      +(Math.abs(a[k]! - center) > edge) +
      +(Math.abs(a[k + 1]! - center) > edge) +
      +(Math.abs(a[k + 2]! - center) > edge) +
      +(Math.abs(a[k + 3]! - center) > edge);
    s1 +=
      +(Math.abs(a[k + 4]! - center) > edge) +
      +(Math.abs(a[k + 5]! - center) > edge) +
      +(Math.abs(a[k + 6]! - center) > edge) +
      +(Math.abs(a[k + 7]! - center) > edge);
  }
  for (; k < len; k++) s0 += +(Math.abs(a[k]! - center) > edge);
  return s0 + s1;
}

/** The compiled training module, or null where WebAssembly, its SIMD or compiling from bytes is not allowed. */
const trainModule = wasmModuleLoader(TRAIN_WASM);

/** Whether this runtime runs the training kernels (WebAssembly with 128-bit SIMD, compiled from bytes). */
export function wasmTrainingAvailable(): boolean {
  return trainModule() !== null;
}

/** Throws unless `value` is a KernelChoice. */
export function checkKernelChoice(value: unknown, field = "kernel"): asserts value is KernelChoice {
  if (!KERNEL_CHOICES.includes(value as KernelChoice)) {
    throw new BackpropError("invalid-argument", `${field} must be one of ${KERNEL_CHOICES.join(", ")}, got ${JSON.stringify(value)}`, { field });
  }
}

/** Whether `choice` runs the kernels here; "wasm" where they cannot run is an error. */
export function useWasmKernels(choice: KernelChoice, field = "kernel"): boolean {
  if (choice === "js") return false;
  const ok = wasmTrainingAvailable();
  if (choice === "wasm" && !ok) {
    throw new BackpropError("invalid-argument", `${field} "wasm" needs WebAssembly with SIMD, which this runtime does not run; use "auto" or "js"`, { field });
  }
  return ok;
}

/**
 * One network's training state in a WebAssembly instance of its own: the
 * parameters (laid out as `net.params`), gradients, optimizer moments, the
 * batch and every layer's z, a, da and dz, all allocated once for `capacity`
 * rows. `ws` is a Workspace whose arrays are views of the instance's memory
 * (hooks and the loss read them as they read the JavaScript workspace).
 */
export interface WasmNet {
  readonly capacity: number;
  readonly ws: Workspace;
  /** Whether `net` has the sizes, activations and bias choice these kernels were made for. */
  matches(net: Mlp): boolean;
  /** Copies the parameters in (a caller may have changed net.params since), then x's first n rows; runs every layer. Returns the output view. */
  forward(net: Mlp, x: Float64Array, n: number): Float64Array;
  /** forward with these parameters (laid out as `net.params`) in place of a network's. */
  forwardParams(params: Float64Array, x: Float64Array, n: number): Float64Array;
  /** Copies parameters (laid out as `net.params`) in, for forwardRows. */
  loadParams(params: Float64Array): void;
  /**
   * Every layer for rows row … row + n − 1 of x ((rows, nIn) row-major) with the parameters last copied in (no
   * view of x made: a grid streamed in chunks makes nothing per chunk). Returns the output view.
   */
  forwardRows(x: Float64Array, row: number, n: number): Float64Array;
  /** The data loss of the last forward into out[0] (mse here, the others by loss.ts on the views: the same function). */
  loss(out: Float64Array, net: Mlp, y: Float64Array, n: number, loss: LossName): void;
  /** The penalty of the parameters last copied in, into out[0] (regularization.ts's computePenalty, the sum here). */
  penalty(out: Float64Array, reg: Regularization, examples: number): void;
  /** dL/dz of the output layer, then backward through every layer: the gradients in the instance. */
  backward(y: Float64Array, n: number, loss: LossName): void;
  addRegularizationGradient(reg: Regularization, examples: number): void;
  /** ‖gradient‖₂ into out[0]. */
  gradNorm(out: Float64Array): void;
  gradsOut(to: Float64Array): void;
  gradsIn(from: Float64Array): void;
  /** gradient ← gradient · box[0]. */
  scaleGrads(box: Float64Array): void;
  /** optimizers.ts's applyUpdate on the instance's parameters (the moments copied in and out), learning rate in lrBox[0]. */
  update(state: OptimizerState, lrBox: Float64Array): void;
  paramsOut(to: Float64Array): void;
}

/** The longest inner sum dense_small takes (a layer with at most this many inputs, or dX under one with at most this many outputs). */
const SMALL_INNER = 4;
const ACT_CODE: Record<Activation, number> = { sigmoid: 0, tanh: 1, relu: 2, "leaky-relu": 3, linear: 4, softmax: 5 };
const POWERS = new Float64Array(2);

/**
 * The kernels for `net`'s shape and `capacity` rows, or null where the
 * runtime cannot run them (or cannot give the memory).
 */
export function createWasmNet(net: Mlp, capacity: number): WasmNet | null {
  if (!Number.isInteger(capacity) || capacity < 1 || capacity > 1 << 24) {
    throw new BackpropError("invalid-argument", `capacity must be an integer from 1 to ${1 << 24}, got ${capacity}`, { field: "capacity" });
  }
  const mod = trainModule();
  if (!mod) return null;
  const instance = instantiate<TrainKernels>(mod);
  if (!instance) return null;
  const k: TrainKernels = instance;
  let top = TRAIN_FREE_AT;
  const take = (doubles: number): number => {
    const at = top;
    top = (top + doubles * 8 + 15) & ~15;
    return at;
  };
  const P = net.params.length;
  const L = net.layers.length;
  const nIn0 = net.layers[0]!.nIn;
  const nOutL = net.layers[L - 1]!.nOut;
  const args = take(16);
  const countArgs = take(2);
  const xAt = take(capacity * nIn0);
  const yAt = take(capacity * nOutL);
  const pAt = take(P);
  const gAt = take(P);
  const mAt = take(P);
  const vAt = take(P);
  let wtSize = 1;
  for (const l of net.layers) wtSize = Math.max(wtSize, l.nIn * l.nOut);
  const wtAt = take(wtSize);
  const layers = net.layers.map((l) => ({
    nIn: l.nIn,
    nOut: l.nOut,
    act: ACT_CODE[l.activation],
    w: pAt + l.wOffset * 8,
    b: l.bOffset < 0 ? -1 : pAt + l.bOffset * 8,
    dw: gAt + l.wOffset * 8,
    db: l.bOffset < 0 ? -1 : gAt + l.bOffset * 8,
    z: take(capacity * l.nOut),
    a: take(capacity * l.nOut),
    da: take(capacity * l.nOut),
    dz: take(capacity * l.nOut),
  }));
  try {
    const have = k.memory.buffer.byteLength;
    if (top > have) k.memory.grow(Math.ceil((top - have) / 65536));
  } catch {
    return null;
  }
  const heap = new Float64Array(k.memory.buffer);
  heap.set(EXPM1_TABLE, TRAIN_EXPM1_AT / 8);
  heap.set(POW2, TRAIN_POW2_AT / 8);
  instances.set(k.memory.buffer, { k, heap, args: countArgs });
  const A = args / 8;
  const view = (at: number, len: number) => heap.subarray(at / 8, at / 8 + len);
  const xView = view(xAt, capacity * nIn0);
  const yView = view(yAt, capacity * nOutL);
  const pView = view(pAt, P);
  const gView = view(gAt, P);
  const mView = view(mAt, P);
  const vView = view(vAt, P);
  const ws: Workspace = {
    capacity,
    sizes: [...net.spec.sizes],
    z: layers.map((l) => view(l.z, capacity * l.nOut)),
    a: layers.map((l) => view(l.a, capacity * l.nOut)),
    da: layers.map((l) => view(l.da, capacity * l.nOut)),
    dz: layers.map((l) => view(l.dz, capacity * l.nOut)),
    x: new Float64Array(0),
  };

  function activate(l: (typeof layers)[number], len: number): void {
    switch (l.act) {
      case 0:
        k.sigmoid(l.a, l.z, len);
        break;
      case 1:
        k.tanh(l.a, l.z, len);
        break;
      case 2:
        k.relu(l.a, l.z, len, args);
        break;
      case 3:
        k.leaky_relu(l.a, l.z, len, args);
        break;
      case 4:
        k.copy(l.a, l.z, len, args);
        break;
      default:
        k.softmax(l.a, l.z, len, l.nOut);
    }
  }

  function activationBackward(l: (typeof layers)[number], len: number): void {
    switch (l.act) {
      case 0:
        k.sigmoid_back(l.dz, l.da, l.a, len, args);
        break;
      case 1:
        k.tanh_back(l.dz, l.da, l.a, len, args);
        break;
      case 2:
        k.relu_back(l.dz, l.da, l.z, len, args);
        break;
      case 3:
        k.leaky_relu_back(l.dz, l.da, l.z, len, args);
        break;
      case 4:
        k.copy(l.dz, l.da, len, args);
        break;
      default:
        k.softmax_back(l.dz, l.da, l.a, len, l.nOut);
    }
  }

  function forwardParams(params: Float64Array, x: Float64Array, n: number): Float64Array {
    pView.set(params);
    return forwardRows(x, 0, n);
  }

  function forwardRows(x: Float64Array, row: number, n: number): Float64Array {
    const from = row * nIn0;
    const len = n * nIn0;
    if (from === 0 && x.length === len) xView.set(x);
    else for (let i = 0; i < len; i++) xView[i] = x[from + i]!;
    let input = xAt;
    let inB = nIn0 * 8;
    for (let i = 0; i < L; i++) {
      const l = layers[i]!;
      if (l.nIn <= SMALL_INNER && l.nOut >= 4) k.dense_small(l.z, input, l.w, l.b, n, l.nIn, l.nOut, inB, -1, -1);
      else k.dense(l.z, input, l.w, l.b, n, l.nIn, l.nOut, inB, 8);
      activate(l, n * l.nOut);
      input = l.a;
      inB = l.nOut * 8;
    }
    return ws.a[L - 1]!;
  }

  const acts = net.layers.map((l) => l.activation);
  const biases = net.layers.map((l) => l.b !== null);

  return {
    capacity,
    ws,
    matches(other) {
      const s = other.spec.sizes;
      if (s.length !== ws.sizes.length) return false;
      for (let i = 0; i < s.length; i++) if (s[i] !== ws.sizes[i]) return false;
      for (let i = 0; i < L; i++) {
        const l = other.layers[i]!;
        if (l.activation !== acts[i] || (l.b !== null) !== biases[i]) return false;
      }
      return true;
    },
    forward: (net, x, n) => forwardParams(net.params, x, n),
    forwardParams,
    loadParams(params) {
      pView.set(params);
    },
    forwardRows,
    loss(out, net, y, n, loss) {
      if (loss !== "mse") {
        computeLoss(out, ws, net, y, n, loss);
        return;
      }
      const len = n * nOutL;
      if (y.length === len) yView.set(y);
      else for (let i = 0; i < len; i++) yView[i] = y[i]!;
      k.sum_sq_diff(args, yAt, layers[L - 1]!.a, len);
      out[0] = heap[A]! / (2 * n);
    },
    penalty(out, reg, examples) {
      out[0] = 0;
      if (reg.kind === "none" || reg.lambda === 0) return;
      heap[A] = 0;
      for (let i = 0; i < L; i++) {
        const l = layers[i]!;
        if (reg.kind === "l2") k.sum_sq(args, l.w, l.nIn * l.nOut);
        else k.sum_abs(args, l.w, l.nIn * l.nOut);
      }
      const sum = heap[A]!;
      out[0] = reg.kind === "l2" ? (reg.lambda * sum) / (2 * examples) : (reg.lambda * sum) / examples;
    },
    backward(y, n, loss) {
      const last = layers[L - 1]!;
      const len = n * nOutL;
      if (y.length === len) yView.set(y);
      else for (let i = 0; i < len; i++) yView[i] = y[i]!;
      heap[A] = n;
      if (loss === "mse") {
        k.mse_grad(last.da, last.a, yAt, len, args);
        activationBackward(last, len);
      } else k.xent_grad(last.dz, last.a, yAt, len, args);
      gView.fill(0);
      // whether the layer's db was made with its dz (by the layer above's dense_small_db)
      let dbMade = false;
      for (let i = L - 1; i >= 0; i--) {
        const l = layers[i]!;
        const input = i > 0 ? layers[i - 1]!.a : xAt;
        // dW = inputᵀ·dz: the input read down its columns; db = column sums of dz
        k.dense(l.dw, input, l.dz, -1, l.nIn, n, l.nOut, 8, l.nIn * 8);
        if (l.db >= 0 && !dbMade) k.col_sum(l.db, l.dz, n, l.nOut);
        dbMade = false;
        if (i > 0) {
          const below = layers[i - 1]!;
          // da below = dz·Wᵀ, with W transposed so the kernel reads pairs; under a narrow layer the short-sum
          // kernel, which also does a sigmoid layer's dz = da·a·(1 − a) as it goes
          k.transpose(wtAt, l.w, l.nIn, l.nOut);
          if (l.nOut <= SMALL_INNER && l.nIn >= 4) {
            if (below.act === 0 && below.db >= 0) {
              // and the column sums of that dz, below's db, as it goes
              k.dense_small_db(below.da, l.dz, wtAt, n, l.nOut, l.nIn, l.nOut * 8, below.a, below.dz, below.db);
              dbMade = true;
            } else if (below.act === 0) k.dense_small(below.da, l.dz, wtAt, -1, n, l.nOut, l.nIn, l.nOut * 8, below.a, below.dz);
            else {
              k.dense_small(below.da, l.dz, wtAt, -1, n, l.nOut, l.nIn, l.nOut * 8, -1, -1);
              activationBackward(below, n * below.nOut);
            }
          } else {
            k.dense(below.da, l.dz, wtAt, -1, n, l.nOut, l.nIn, l.nOut * 8, 8);
            activationBackward(below, n * below.nOut);
          }
        }
      }
    },
    addRegularizationGradient(reg, examples) {
      if (reg.kind === "none" || reg.lambda === 0) return;
      const c = reg.lambda / examples;
      for (let i = 0; i < L; i++) {
        const l = layers[i]!;
        const len = l.nIn * l.nOut;
        if (reg.kind === "l1") {
          heap[A] = c;
          k.l1_grad(l.dw, l.w, len, args);
        } else if (reg.gradient === "course-bug") {
          heap[A] = 0;
          k.sum_sq(args, l.w, len);
          heap[A] = c * heap[A]!;
          k.add_const(l.dw, len, args);
        } else {
          heap[A] = c;
          k.l2_grad(l.dw, l.w, len, args);
        }
      }
    },
    gradNorm(out) {
      heap[A] = 0;
      k.sum_sq(args, gAt, P);
      out[0] = Math.sqrt(heap[A]!);
    },
    gradsOut(to) {
      to.set(gView);
    },
    gradsIn(from) {
      gView.set(from);
    },
    scaleGrads(box) {
      heap[A] = box[0]!;
      k.scale(gAt, P, args);
    },
    update(state, lrBox) {
      const lr = lrBox[0]!;
      const c = state.config;
      state.t++;
      heap[A] = lr;
      if (c.kind === "sgd") {
        k.sgd(pAt, gAt, P, args);
      } else if (c.kind === "momentum") {
        heap[A + 1] = c.momentum;
        mView.set(state.m);
        if (c.nesterov) k.nesterov(pAt, gAt, mAt, P, args);
        else k.momentum(pAt, gAt, mAt, P, args);
        state.m.set(mView);
      } else {
        POWERS[0] = c.beta1;
        POWERS[1] = c.beta2;
        powIntAt(POWERS, 0, state.t);
        powIntAt(POWERS, 1, state.t);
        heap[A + 1] = c.beta1;
        heap[A + 2] = c.beta2;
        heap[A + 3] = c.epsilon;
        heap[A + 4] = 1 - POWERS[0]!;
        heap[A + 5] = 1 - POWERS[1]!;
        heap[A + 6] = 1 - c.beta1;
        heap[A + 7] = 1 - c.beta2;
        mView.set(state.m);
        vView.set(state.v);
        k.adam(pAt, gAt, mAt, vAt, P, args);
        state.m.set(mView);
        state.v.set(vView);
      }
    },
    paramsOut(to) {
      to.set(pView);
    },
  };
}

const cache = new WeakMap<object, WasmNet | null>();

/**
 * The kernels kept for `key` (a workspace, or the network itself), made again
 * when the network's shape or the capacity no longer fits; null where they
 * cannot run. For predict and evaluate: nothing is made per call once warm.
 */
export function cachedWasmNet(key: object, net: Mlp, capacity: number): WasmNet | null {
  let wn = cache.get(key);
  if (wn === null) return null;
  if (wn === undefined || wn.capacity < capacity || !wn.matches(net)) {
    wn = createWasmNet(net, capacity);
    cache.set(key, wn);
  }
  return wn;
}
