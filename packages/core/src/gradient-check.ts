import type { Batch } from "./data.js";
import { lossGradient, lossValue, type LossName } from "./loss.js";
import { createGradients, type Mlp } from "./mlp.js";
import { addRegularizationGradient, regularizationLoss, type Regularization } from "./regularization.js";
import { backward, createWorkspace, forward } from "./workspace.js";

export interface GradientCheckOptions {
  loss?: LossName;
  regularization?: Regularization;
  /** Central-difference step. */
  epsilon?: number;
  /** A parameter fails when its relative error exceeds this. */
  tolerance?: number;
}

export interface ParameterCheck {
  layer: number;
  kind: "W" | "b";
  /** Row and column in W (row = input unit, column = output unit); row −1 for a bias. */
  row: number;
  col: number;
  analytic: number;
  numeric: number;
  relativeError: number;
}

export interface GradientCheckResult {
  ok: boolean;
  tolerance: number;
  maxRelativeError: number;
  worst: ParameterCheck | null;
  parameters: ParameterCheck[];
}

/**
 * Compares backprop's gradient of loss + penalty with a central difference
 * (L(p + ε) − L(p − ε)) / 2ε for every parameter. Relative error is
 * |a − n| / max(|a| + |n|, 1e-4): the central difference itself carries a
 * round-off of about 1e-16/ε ≈ 1e-11 and a truncation error of about ε² ≈ 1e-10, so gradients far below 1e-4 are judged
 * on that absolute scale instead. The network is restored exactly afterwards.
 */
export function gradientCheck(net: Mlp, data: Batch, options: GradientCheckOptions = {}): GradientCheckResult {
  const loss = options.loss ?? "mse";
  const reg = options.regularization ?? { kind: "none", lambda: 0 };
  const eps = options.epsilon ?? 1e-5;
  const tolerance = options.tolerance ?? 1e-6;
  const n = data.n;
  const ws = createWorkspace(net, n);
  const grads = createGradients(net);
  const total = (): number => {
    forward(ws, net, data.x, n);
    return lossValue(ws, net, data.y, n, loss) + regularizationLoss(net, reg, n);
  };
  forward(ws, net, data.x, n);
  lossGradient(ws, net, data.y, n, loss);
  backward(ws, net, grads, n);
  addRegularizationGradient(grads, net, reg, n);

  const parameters: ParameterCheck[] = [];
  let worst: ParameterCheck | null = null;
  net.layers.forEach((layer, l) => {
    const visit = (offset: number, kind: "W" | "b", row: number, col: number) => {
      const saved = net.params[offset]!;
      net.params[offset] = saved + eps;
      const plus = total();
      net.params[offset] = saved - eps;
      const minus = total();
      net.params[offset] = saved;
      const numeric = (plus - minus) / (2 * eps);
      const analytic = grads.data[offset]!;
      const denom = Math.max(Math.abs(analytic) + Math.abs(numeric), 1e-4);
      const relativeError = Number.isFinite(analytic) && Number.isFinite(numeric) ? Math.abs(analytic - numeric) / denom : Infinity;
      const check: ParameterCheck = { layer: l, kind, row, col, analytic, numeric, relativeError };
      parameters.push(check);
      if (worst === null || relativeError > worst.relativeError) worst = check;
    };
    for (let i = 0; i < layer.nIn; i++) for (let j = 0; j < layer.nOut; j++) visit(layer.wOffset + i * layer.nOut + j, "W", i, j);
    if (layer.b) for (let j = 0; j < layer.nOut; j++) visit(layer.bOffset + j, "b", -1, j);
  });
  const maxRelativeError = worst === null ? 0 : (worst as ParameterCheck).relativeError;
  return { ok: maxRelativeError <= tolerance, tolerance, maxRelativeError, worst, parameters };
}
