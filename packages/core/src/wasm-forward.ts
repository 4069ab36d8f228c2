import { BackpropError } from "./errors.js";
import type { Mlp } from "./mlp.js";
import { createWasmNet, wasmTrainingAvailable, type WasmNet } from "./wasm-train.js";

/**
 * `forwardFast` run by the WebAssembly SIMD kernels training runs on
 * (scripts/gen-wasm-train.mjs), for sampling the same network many times
 * (grids): the dense layers and every activation two values at a time. The
 * kernels do forwardFast's arithmetic in its order, so the outputs have the
 * same bits as forwardFast, `predict` and a training step's forward pass
 * (test/wasm-forward.test.ts); only the time differs.
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

/** Whether this runtime runs the kernels (WebAssembly with 128-bit SIMD, compiled from bytes). */
export function wasmKernelsAvailable(): boolean {
  return wasmTrainingAvailable();
}

/** The sizes and bias choice of a network, for messages. */
function shapeText(net: Mlp): string {
  return `[${net.spec.sizes}] ${net.layers[0]?.b ? "with biases" : "without biases"}`;
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
  let kernels: WasmNet | null = createWasmNet(net, capacity);
  if (!kernels) return null;
  const sizes = [...net.spec.sizes];
  const biases = net.layers.map((l) => l.b !== null);
  const nIn = sizes[0]!;

  /** Same sizes and the same bias choice per layer (loops, not closures: a sample must not allocate). */
  const sameShape = (other: Mlp): boolean => {
    const s = other.spec.sizes;
    if (s.length !== sizes.length) return false;
    for (let i = 0; i < s.length; i++) if (s[i] !== sizes[i]) return false;
    for (let i = 0; i < biases.length; i++) if ((other.layers[i]!.b !== null) !== biases[i]) return false;
    return true;
  };

  return {
    capacity,
    load(other) {
      if (!sameShape(other)) {
        throw new BackpropError("shape-mismatch", `the kernels were made for sizes ${shapeText(net)}, the network has ${shapeText(other)}`, { field: "net" });
      }
      // another activation on the same sizes: kernels of its own (made once per change, not per pass)
      if (!kernels!.matches(other)) {
        const next = createWasmNet(other, capacity);
        if (!next) throw new BackpropError("invalid-argument", "the WebAssembly kernels could not be made again for this network", { field: "net" });
        kernels = next;
      }
      // the weights last loaded stay in the kernels' memory (zeros before the first load): not copied per pass
      kernels!.loadParams(other.params);
    },
    forward(x, n) {
      if (!Number.isInteger(n) || n < 1) throw new BackpropError("invalid-argument", `n must be a positive integer, got ${n}`, { field: "n" });
      if (n > capacity) throw new BackpropError("capacity-exceeded", `a batch of ${n} rows exceeds the capacity of ${capacity}`, { field: "n" });
      if (x.length < n * nIn) {
        throw new BackpropError("shape-mismatch", `x has ${x.length} values, a batch of ${n} rows of ${nIn} inputs needs ${n * nIn}`, { field: "x" });
      }
      return kernels!.forwardRows(x, 0, n);
    },
  };
}
