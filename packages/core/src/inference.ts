import { activateFast } from "./activations.js";
import type { Mlp } from "./mlp.js";
import { forwardWith, type Workspace } from "./workspace.js";

/**
 * `forward` for inference: the same layers, the same sums in the same order,
 * with sigmoid, tanh and softmax from core's fast-math.ts instead of Math.exp
 * and Math.tanh. Each activation is within a few ulp of `forward`'s, so the
 * outputs agree with `forward` and `predict` to about 1e-15 relative (more
 * only where a deep network amplifies it); the bits are the same on every
 * engine. Grid sampling and neuron maps use it; training keeps `forward`.
 * Fills ws.z and ws.a like `forward`; returns the output buffer (capacity
 * rows, first n valid).
 */
export function forwardFast(ws: Workspace, net: Mlp, x: Float64Array, n: number): Float64Array {
  return forwardWith(ws, net, x, n, activateFast);
}
