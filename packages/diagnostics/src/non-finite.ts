import type { Gradients, Mlp } from "@backprop-lab/core";
import type { Workspace } from "@backprop-lab/core/internal";

/** Where the first NaN or ±Infinity sits. */
export interface NonFinite {
  tensor: "W" | "b" | "dW" | "db" | "z" | "a" | "loss";
  /** Weight layer (0-based); −1 for the loss. */
  layer: number;
  /** Flat row-major index inside the tensor (W: i·nOut + j; z, a: row·nOut + unit); 0 for the loss. */
  index: number;
  value: number;
}

export interface FindNonFiniteInput {
  net: Mlp;
  grads?: Gradients;
  workspace?: Workspace;
  /** Rows of the workspace to scan (the last batch's n); the whole capacity by default. */
  n?: number;
  loss?: number;
}

/** Index of the first non-finite entry of the first `len` values, or −1. */
function firstNonFinite(v: Float64Array, len: number): number {
  for (let i = 0; i < len; i++) {
    // x − x is 0 for every finite x and NaN for NaN and ±Infinity: one test for both
    const x = v[i]!;
    if (x - x !== 0) return i;
  }
  return -1;
}

/**
 * The first NaN or ±Infinity, searched in causal order: parameters (W, b per
 * layer), then the forward pass (z, a per layer), the loss, and last the
 * gradients (dW, db per layer). A bad weight poisons everything after it, so
 * the first hit is the closest to the cause. Returns null when all is finite;
 * allocates only when it finds something.
 */
export function findNonFinite(input: FindNonFiniteInput): NonFinite | null {
  const { net, grads, workspace, loss } = input;
  const layers = net.layers;
  for (let l = 0; l < layers.length; l++) {
    const { W, b } = layers[l]!;
    let i = firstNonFinite(W, W.length);
    if (i >= 0) return { tensor: "W", layer: l, index: i, value: W[i]! };
    if (b) {
      i = firstNonFinite(b, b.length);
      if (i >= 0) return { tensor: "b", layer: l, index: i, value: b[i]! };
    }
  }
  if (workspace) {
    const rows = Math.min(input.n ?? workspace.capacity, workspace.capacity);
    for (let l = 0; l < layers.length; l++) {
      const len = rows * layers[l]!.nOut;
      const z = workspace.z[l]!;
      let i = firstNonFinite(z, len);
      if (i >= 0) return { tensor: "z", layer: l, index: i, value: z[i]! };
      const a = workspace.a[l]!;
      i = firstNonFinite(a, len);
      if (i >= 0) return { tensor: "a", layer: l, index: i, value: a[i]! };
    }
  }
  if (loss !== undefined && !Number.isFinite(loss)) return { tensor: "loss", layer: -1, index: 0, value: loss };
  if (grads) {
    for (let l = 0; l < grads.layers.length; l++) {
      const { dW, db } = grads.layers[l]!;
      let i = firstNonFinite(dW, dW.length);
      if (i >= 0) return { tensor: "dW", layer: l, index: i, value: dW[i]! };
      if (db) {
        i = firstNonFinite(db, db.length);
        if (i >= 0) return { tensor: "db", layer: l, index: i, value: db[i]! };
      }
    }
  }
  return null;
}
