import { activationBackward, type OutputActivation } from "./activations.js";
import { BackpropError } from "./errors.js";
import { fastExpInPlace } from "./fast-math.js";
import { logAt, softplusAt } from "./libm.js";
import type { Mlp } from "./mlp.js";
import type { Workspace } from "./workspace.js";

/**
 * - `mse`: Σ (y − ŷ)² / (2n), so dL/dŷ = −(y − ŷ)/n; for n = 1 the course's ½·Σ(y − h2)².
 * - `cross-entropy`: −Σ y·log p / n over a softmax output; fused dL/dz = (p − y)/n.
 * - `binary-cross-entropy`: −Σ [y·log p + (1 − y)·log(1 − p)] / n over sigmoid
 *   outputs; fused dL/dz = (p − y)/n.
 */
export type LossName = "mse" | "cross-entropy" | "binary-cross-entropy";
export const LOSS_NAMES: readonly LossName[] = ["mse", "cross-entropy", "binary-cross-entropy"];

/** Throws unless the loss fits the output activation. */
export function checkLoss(loss: unknown, output: OutputActivation, field = "loss"): asserts loss is LossName {
  if (!LOSS_NAMES.includes(loss as LossName)) {
    throw new BackpropError("invalid-argument", `${field} must be one of ${LOSS_NAMES.join(", ")}, got ${JSON.stringify(loss)}`, { field });
  }
  if (loss === "cross-entropy" && output !== "softmax") {
    throw new BackpropError("invalid-argument", `${field} "cross-entropy" needs a softmax output, the network's output is ${output}`, { field });
  }
  if (loss === "binary-cross-entropy" && output !== "sigmoid") {
    throw new BackpropError("invalid-argument", `${field} "binary-cross-entropy" needs a sigmoid output, the network's output is ${output}`, {
      field,
    });
  }
}

const SCRATCH = new Float64Array(1);
/** Scratch for exp and log in place (a double crossing a call that is not inlined would be boxed). */
let row = new Float64Array(16);

/** Data loss of the first n rows after `forward`; reads the output layer's z and a. */
export function lossValue(ws: Workspace, net: Mlp, y: Float64Array, n: number, loss: LossName): number {
  return computeLoss(SCRATCH, ws, net, y, n, loss)[0]!;
}

/**
 * `lossValue` written into out[0]: a double returned from a call that is not
 * inlined is boxed on the heap, so the training step uses this form.
 */
export function computeLoss(out: Float64Array, ws: Workspace, net: Mlp, y: Float64Array, n: number, loss: LossName): Float64Array {
  const L = net.layers.length - 1;
  const nOut = net.layers[L]!.nOut;
  const a = ws.a[L]!;
  const z = ws.z[L]!;
  const len = n * nOut;
  let sum = 0;
  switch (loss) {
    case "mse":
      for (let i = 0; i < len; i++) {
        const d = y[i]! - a[i]!;
        sum += d * d;
      }
      out[0] = sum / (2 * n);
      return out;
    case "cross-entropy":
      // log p_j = z_j − max − log Σ_k e^(z_k − max), exact even where p underflows
      for (let r = 0; r < len; r += nOut) {
        let max = -Infinity;
        for (let j = 0; j < nOut; j++) if (z[r + j]! > max) max = z[r + j]!;
        if (row.length < nOut) row = new Float64Array(nOut);
        for (let j = 0; j < nOut; j++) row[j] = z[r + j]! - max;
        fastExpInPlace(row, 0, nOut);
        let s = 0;
        for (let j = 0; j < nOut; j++) s += row[j]!;
        row[0] = s;
        logAt(row, 0);
        const logSum = max + row[0]!;
        for (let j = 0; j < nOut; j++) if (y[r + j]! !== 0) sum -= y[r + j]! * (z[r + j]! - logSum);
      }
      out[0] = sum / n;
      return out;
    case "binary-cross-entropy":
      // −[y log σ(z) + (1−y) log(1−σ(z))] = softplus(z) − y·z, softplus(z) = log(1 + e^z) without overflow
      for (let i = 0; i < len; i++) {
        const zi = z[i]!;
        row[0] = zi;
        softplusAt(row, 0);
        sum += row[0]! - y[i]! * zi;
      }
      out[0] = sum / n;
      return out;
  }
}

/** Writes dL/dz of the output layer into ws.dz[last] (for mse also dL/da into ws.da[last]). */
export function lossGradient(ws: Workspace, net: Mlp, y: Float64Array, n: number, loss: LossName): void {
  const L = net.layers.length - 1;
  const layer = net.layers[L]!;
  const nOut = layer.nOut;
  const a = ws.a[L]!;
  const da = ws.da[L]!;
  const dz = ws.dz[L]!;
  const len = n * nOut;
  if (loss === "mse") {
    for (let i = 0; i < len; i++) da[i] = -(y[i]! - a[i]!) / n;
    activationBackward(dz, da, a, ws.z[L]!, len, nOut, layer.activation);
    return;
  }
  // fused: dL/dz = (p − y)/n; dL/da is not formed (explainStep derives it)
  for (let i = 0; i < len; i++) dz[i] = (a[i]! - y[i]!) / n;
}
