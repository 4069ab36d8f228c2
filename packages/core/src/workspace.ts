import { activate, activationBackward } from "./activations.js";
import { BackpropError, assertInt } from "./errors.js";
import { denseBackward, denseForward } from "./kernels.js";
import type { Gradients, Mlp } from "./mlp.js";

/**
 * Activation buffers for batches of up to `capacity` rows, allocated once.
 * Per weight layer l: z[l] = a[l−1]·W + b and a[l] = f(z[l]), both
 * (capacity, nOut); da[l] = dL/da[l] and dz[l] = dL/dz[l] likewise.
 * `x` remembers the input of the last forward pass for the backward pass.
 */
export interface Workspace {
  capacity: number;
  sizes: number[];
  z: Float64Array[];
  a: Float64Array[];
  da: Float64Array[];
  dz: Float64Array[];
  x: Float64Array;
}

export function createWorkspace(net: Mlp, capacity: number): Workspace {
  assertInt(capacity, "capacity", 1, 1 << 24);
  const make = () => net.layers.map((layer) => new Float64Array(capacity * layer.nOut));
  return { capacity, sizes: [...net.spec.sizes], z: make(), a: make(), da: make(), dz: make(), x: new Float64Array(0) };
}

export function checkBatch(ws: Workspace, net: Mlp, x: Float64Array, n: number): void {
  if (!Number.isInteger(n) || n < 1) {
    throw new BackpropError("invalid-argument", `n must be a positive integer, got ${n}`, { field: "n" });
  }
  if (n > ws.capacity) {
    throw new BackpropError("capacity-exceeded", `a batch of ${n} rows exceeds the workspace capacity of ${ws.capacity}`, { field: "n" });
  }
  const nIn = net.layers[0]!.nIn;
  if (x.length < n * nIn) {
    throw new BackpropError("shape-mismatch", `x has ${x.length} values, a batch of ${n} rows of ${nIn} inputs needs ${n * nIn}`, {
      field: "x",
    });
  }
  let sameShape = ws.sizes.length === net.spec.sizes.length;
  for (let i = 0; sameShape && i < ws.sizes.length; i++) sameShape = ws.sizes[i] === net.spec.sizes[i];
  if (!sameShape) {
    throw new BackpropError("shape-mismatch", `the workspace was made for sizes [${ws.sizes}], the network has [${net.spec.sizes}]`, {
      field: "workspace",
    });
  }
}

/**
 * Forward pass of the first n rows of x (n, nIn). Returns the output
 * activations: always the same (capacity, nOut) buffer, rows 0..n−1 valid.
 */
export function forward(ws: Workspace, net: Mlp, x: Float64Array, n: number): Float64Array {
  return forwardWith(ws, net, x, n, activate);
}

/** `forward` with the activation kernel given (core's `activate`, or `activateFast` for inference). */
export function forwardWith(ws: Workspace, net: Mlp, x: Float64Array, n: number, activateLayer: typeof activate): Float64Array {
  checkBatch(ws, net, x, n);
  ws.x = x;
  let input = x;
  const layers = net.layers;
  for (let l = 0; l < layers.length; l++) {
    const layer = layers[l]!;
    denseForward(ws.z[l]!, input, layer.W, layer.b, n, layer.nIn, layer.nOut);
    activateLayer(ws.a[l]!, ws.z[l]!, n * layer.nOut, layer.nOut, layer.activation);
    input = ws.a[l]!;
  }
  return ws.a[layers.length - 1]!;
}

/**
 * Backward pass after `forward` and after the loss has written dL/dz of the
 * output layer into ws.dz[last]. Overwrites `grads` with dL/dW and dL/db of
 * the data loss; returns `grads`.
 */
export function backward(ws: Workspace, net: Mlp, grads: Gradients, n: number): Gradients {
  grads.data.fill(0);
  const layers = net.layers;
  for (let l = layers.length - 1; l >= 0; l--) {
    const layer = layers[l]!;
    const g = grads.layers[l]!;
    const input = l > 0 ? ws.a[l - 1]! : ws.x;
    denseBackward(l > 0 ? ws.da[l - 1]! : null, g.dW, g.db, ws.dz[l]!, input, layer.W, n, layer.nIn, layer.nOut);
    if (l > 0) {
      const below = layers[l - 1]!;
      activationBackward(ws.dz[l - 1]!, ws.da[l - 1]!, ws.a[l - 1]!, ws.z[l - 1]!, n * below.nOut, below.nOut, below.activation);
    }
  }
  return grads;
}
