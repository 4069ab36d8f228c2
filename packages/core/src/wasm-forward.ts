import { activateFast } from "./activations.js";
import { BackpropError } from "./errors.js";
import { EXPM1_TABLE, POW2 } from "./fast-math.js";
import type { Mlp } from "./mlp.js";
import { EXPM1_AT, FREE_AT, KERNELS_WASM, POW2_AT } from "./wasm-kernels.generated.js";
import { instantiate, wasmModuleLoader } from "./wasm-module.js";

/**
 * `forwardFast` run by WebAssembly kernels, for sampling the same network
 * many times (grids): the dense layers and tanh two values at a time
 * (128-bit SIMD), the other activations by core's own functions on the
 * module's memory. The kernels do forwardFast's arithmetic in its order, so
 * the outputs have the same bits (test/wasm-forward.test.ts); only the time
 * differs (less than half of forwardFast's for a 6×8 tanh network, see the README).
 */
export interface WasmForward {
  /** Rows a forward pass takes at most. */
  readonly capacity: number;
  /** Copies the network's weights and biases in: call it whenever they change. `net` must have the sizes it was made for. */
  load(net: Mlp): void;
  /**
   * forwardFast's output layer for rows 0 … n − 1 of x ((n, nIn) row-major), with the weights last loaded:
   * a view of the module's memory, (capacity, nOut) with the first n rows valid as forwardFast's, overwritten by the next call.
   */
  forward(x: Float64Array, n: number): Float64Array;
}

interface Kernels {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  dense(z: number, x: number, w: number, b: number, n: number, nIn: number, nOut: number): void;
  tanh(out: number, z: number, len: number): void;
}

/** The compiled module, or null where WebAssembly, its SIMD or compiling from bytes is not allowed (Cloudflare Workers). */
const kernelsModule = wasmModuleLoader(KERNELS_WASM);

/** Whether this runtime runs the kernels (WebAssembly with SIMD, compiled from bytes). */
export function wasmKernelsAvailable(): boolean {
  return kernelsModule() !== null;
}

/**
 * WebAssembly kernels for `net`'s shape, `capacity` rows a pass; null where
 * the runtime cannot run them (use forwardFast there: the results are the same).
 *
 * @example
 * const fast = createWasmForward(net, 256);
 * fast?.load(net);
 * const out = fast ? fast.forward(x, n) : forwardFast(ws, net, x, n);
 */
export function createWasmForward(net: Mlp, capacity: number): WasmForward | null {
  if (!Number.isInteger(capacity) || capacity < 1 || capacity > 1 << 20) {
    throw new BackpropError("invalid-argument", `capacity must be an integer from 1 to ${1 << 20}, got ${capacity}`, { field: "capacity" });
  }
  const mod = kernelsModule();
  if (!mod) return null;
  const instance = instantiate<Kernels>(mod);
  if (!instance) return null;
  const kernels: Kernels = instance;
  const sizes = [...net.spec.sizes];
  // memory: the tables, then the input rows, then per layer W, b, z and a; 16-byte aligned for the 2-lane loads
  let top = FREE_AT;
  const take = (doubles: number): number => {
    const at = top;
    top = (top + doubles * 8 + 15) & ~15;
    return at;
  };
  const nIn = net.layers[0]!.nIn;
  const xAt = take(capacity * nIn);
  const layers = net.layers.map((l) => ({
    nIn: l.nIn,
    nOut: l.nOut,
    activation: l.activation,
    w: take(l.nIn * l.nOut),
    b: l.b ? take(l.nOut) : -1,
    z: take(capacity * l.nOut),
    a: take(capacity * l.nOut),
  }));
  const have = kernels.memory.buffer.byteLength;
  if (top > have) kernels.memory.grow(Math.ceil((top - have) / 65536));
  const heap = new Float64Array(kernels.memory.buffer);
  heap.set(EXPM1_TABLE, EXPM1_AT / 8);
  heap.set(POW2, POW2_AT / 8);
  // views of each layer's z and a in the module's memory, and plain arrays the JavaScript activations work on (they
  // are copied across: core's activation functions then only ever see ordinary arrays, as in forwardFast)
  const views = layers.map((l) => ({
    z: heap.subarray(l.z / 8, l.z / 8 + capacity * l.nOut),
    a: heap.subarray(l.a / 8, l.a / 8 + capacity * l.nOut),
    zJs: new Float64Array(capacity * l.nOut),
    aJs: new Float64Array(capacity * l.nOut),
  }));

  /** Same sizes and the same bias choice per layer (loops, not closures: a sample must not allocate). */
  const sameShape = (other: Mlp): boolean => {
    const s = other.spec.sizes;
    if (s.length !== sizes.length) return false;
    for (let i = 0; i < s.length; i++) if (s[i] !== sizes[i]) return false;
    for (let i = 0; i < layers.length; i++) if ((other.layers[i]!.b !== null) !== layers[i]!.b >= 0) return false;
    return true;
  };

  return {
    capacity,
    load(other) {
      if (!sameShape(other)) {
        const biases = (net: { layers: readonly { b: Float64Array | null }[] }) => (net.layers[0]?.b ? "with biases" : "without biases");
        throw new BackpropError(
          "shape-mismatch",
          `the kernels were made for sizes [${sizes}] ${layers[0]!.b >= 0 ? "with biases" : "without biases"}, the network has [${other.spec.sizes}] ${biases(other)}`,
          { field: "net" },
        );
      }
      for (let i = 0; i < layers.length; i++) {
        const l = other.layers[i]!;
        const at = layers[i]!;
        at.activation = l.activation;
        heap.set(l.W, at.w / 8);
        if (l.b) heap.set(l.b, at.b / 8);
      }
    },
    forward(x, n) {
      if (!Number.isInteger(n) || n < 1) throw new BackpropError("invalid-argument", `n must be a positive integer, got ${n}`, { field: "n" });
      if (n > capacity) throw new BackpropError("capacity-exceeded", `a batch of ${n} rows exceeds the capacity of ${capacity}`, { field: "n" });
      if (x.length < n * nIn) {
        throw new BackpropError("shape-mismatch", `x has ${x.length} values, a batch of ${n} rows of ${nIn} inputs needs ${n * nIn}`, { field: "x" });
      }
      if (x.length === n * nIn) heap.set(x, xAt / 8);
      else for (let i = 0, o = xAt / 8; i < n * nIn; i++) heap[o + i] = x[i]!;
      let input = xAt;
      for (let i = 0; i < layers.length; i++) {
        const l = layers[i]!;
        kernels.dense(l.z, input, l.w, l.b, n, l.nIn, l.nOut);
        if (l.activation === "tanh") kernels.tanh(l.a, l.z, n * l.nOut);
        else {
          const v = views[i]!;
          v.zJs.set(v.z);
          activateFast(v.aJs, v.zJs, n * l.nOut, l.nOut, l.activation);
          v.a.set(v.aJs);
        }
        input = l.a;
      }
      return views[layers.length - 1]!.a;
    },
  };
}
