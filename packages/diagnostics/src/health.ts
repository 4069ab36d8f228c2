import type { Activation, GradientHook, HookContext, Mlp } from "@backprop-lab/core";
import { countOutside } from "@backprop-lab/core/internal";
import { DEAD_PATIENCE, SATURATION_MARGIN } from "./thresholds.js";

/**
 * One weight layer's health after a step. The monitor reuses these objects;
 * copy one (`{ ...h }`) to keep it.
 */
export interface LayerHealth {
  layer: number;
  activation: Activation;
  /** Whether this is a hidden layer (not the output layer). */
  hidden: boolean;
  /** Update this describes (the trainer's report.step). */
  step: number;
  /** ‖(dW, db)‖₂ of the raw gradient, before any clipping. */
  gradNorm: number;
  /** gradNorm / √(parameter count): comparable across layers of different sizes. */
  gradRms: number;
  /** max |g| over dW and db. */
  maxAbsGrad: number;
  /** ‖(W, b)‖₂ before the update. */
  weightNorm: number;
  /** η·gradNorm / weightNorm: the relative size of a plain gradient step (≈1e-3 is healthy). */
  updateRatio: number;
  /**
   * sigmoid and tanh layers: the fraction of (row, unit) activations within
   * SATURATION_MARGIN of the range's ends (there f′ is below 4 % of its
   * peak). 0 for other activations.
   */
  saturatedFraction: number;
  /** relu layers: the fraction of units that are 0 on every row of this batch. 0 otherwise. */
  deadFraction: number;
  /** relu layers: the fraction of units that were 0 on every row of each of the last `deadPatience` batches. */
  persistentDeadFraction: number;
}

export interface HealthMonitor {
  /** Install with trainer.addHook(monitor.hook); place it before clipping hooks to see raw gradients. */
  hook: GradientHook;
  /** Per layer, after the latest step: the same array and objects every call. */
  health(): LayerHealth[];
  /**
   * Back to the state of a new monitor (every figure 0, no unit silent yet),
   * in place: the hook stays installed, so a trainer keeps its compiled code.
   */
  reset(): void;
}

export interface HealthMonitorOptions {
  /** Batches a relu unit must stay silent before it counts as persistently dead. */
  deadPatience?: number;
}

/**
 * Per-layer gradient and activation statistics every step. Everything is
 * allocated here, once; the hook allocates nothing. Cost per step: one pass
 * over the parameters and gradients, one over the hidden activations.
 */
export function createHealthMonitor(net: Mlp, options: HealthMonitorOptions = {}): HealthMonitor {
  return createMonitorWithTotals(net, options).monitor;
}

/**
 * A health monitor, and what its pass over the weights also yields for the
 * detectors that own it: weightSq[0] = Σ W² over every layer's W (no biases),
 * layer after layer, k ascending, one running sum — the detectors' own loop's
 * order, so the same bits — as of the latest hook.
 */
export function createMonitorWithTotals(net: Mlp, options: HealthMonitorOptions = {}): { monitor: HealthMonitor; weightSq: Float64Array } {
  const weightSq = new Float64Array(1);
  const patience = options.deadPatience ?? DEAD_PATIENCE;
  const last = net.layers.length - 1;
  const health: LayerHealth[] = net.layers.map((layer, l) => ({
    layer: l,
    activation: layer.activation,
    hidden: l < last,
    step: 0,
    gradNorm: 0,
    gradRms: 0,
    maxAbsGrad: 0,
    weightNorm: 0,
    updateRatio: 0,
    saturatedFraction: 0,
    deadFraction: 0,
    persistentDeadFraction: 0,
  }));
  // consecutive batches each relu unit has been silent, per layer
  const silentFor = net.layers.map((layer) => new Int32Array(layer.activation === "relu" ? layer.nOut : 0));

  function reset(): void {
    for (const h of health) {
      h.step = 0;
      h.gradNorm = 0;
      h.gradRms = 0;
      h.maxAbsGrad = 0;
      h.weightNorm = 0;
      h.updateRatio = 0;
      h.saturatedFraction = 0;
      h.deadFraction = 0;
      h.persistentDeadFraction = 0;
    }
    for (const silent of silentFor) silent.fill(0);
    weightSq[0] = 0;
  }

  function hook(ctx: HookContext): void {
    const { net, grads, report, workspace, batch } = ctx;
    const n = batch.n;
    const lr = report.learningRate;
    let allWSq = 0;
    for (let l = 0; l <= last; l++) {
      const layer = net.layers[l]!;
      const g = grads.layers[l]!;
      const h = health[l]!;
      let gSq = 0;
      let gMax = 0;
      let wSq = 0;
      const { dW, db } = g;
      const { W, b } = layer;
      for (let k = 0; k < dW.length; k++) {
        const v = dW[k]!;
        gSq += v * v;
        // no branch: Math.max keeps a NaN once seen (as the old `abs > gMax || abs !== abs` did), and gMax,
        // starting at +0, never becomes −0
        gMax = Math.max(gMax, Math.abs(v));
        const w = W[k]!;
        const w2 = w * w;
        wSq += w2;
        allWSq += w2;
      }
      let count = dW.length;
      if (db && b) {
        for (let k = 0; k < db.length; k++) {
          const v = db[k]!;
          gSq += v * v;
          gMax = Math.max(gMax, Math.abs(v));
          wSq += b[k]! * b[k]!;
        }
        count += db.length;
      }
      h.step = report.step;
      h.gradNorm = Math.sqrt(gSq);
      h.gradRms = Math.sqrt(gSq / count);
      h.maxAbsGrad = gMax;
      h.weightNorm = Math.sqrt(wSq);
      h.updateRatio = h.weightNorm > 0 ? (lr * h.gradNorm) / h.weightNorm : lr * h.gradNorm === 0 ? 0 : Infinity;

      const a = workspace.a[l]!;
      const nOut = layer.nOut;
      const len = n * nOut;
      h.saturatedFraction = 0;
      h.deadFraction = 0;
      h.persistentDeadFraction = 0;
      if (layer.activation === "sigmoid") {
        h.saturatedFraction = countSaturated(a, len, false) / len;
      } else if (layer.activation === "tanh") {
        h.saturatedFraction = countSaturated(a, len, true) / len;
      } else if (layer.activation === "relu") {
        const silent = silentFor[l]!;
        let dead = 0;
        let stuck = 0;
        for (let j = 0; j < nOut; j++) {
          let alive = false;
          for (let r = 0; r < n; r++) {
            if (a[r * nOut + j]! > 0) {
              alive = true;
              break;
            }
          }
          if (alive) silent[j] = 0;
          else {
            dead++;
            silent[j] = silent[j]! + 1;
          }
          if (silent[j]! >= patience) stuck++;
        }
        h.deadFraction = dead / nOut;
        h.persistentDeadFraction = stuck / nOut;
      }
    }
    weightSq[0] = allWSq;
  }

  return { monitor: { hook, health: () => health, reset }, weightSq };
}

/**
 * How many of a[0..len) are saturated: sigmoid |a − ½| > ½ − SATURATION_MARGIN;
 * tanh, which spans 2, |a| > 1 − 2·SATURATION_MARGIN (NaN never counts).
 * This pass over every activation of the batch is most of the monitor's
 * cost: core's countOutside does it (in its WebAssembly kernel when the
 * workspace is a WebAssembly trainer's, else in JavaScript); integer counts
 * are exact in any order, so the result is that of the plain loop.
 */
export function countSaturated(a: Float64Array, len: number, tanh: boolean): number {
  // |a − center| > edge, counted by core's WebAssembly kernel in place when a is a view of a WebAssembly
  // trainer's workspace, else by the same test in JavaScript. A full batch of B's 400 × 50 units: about
  // 3.6 µs (scripts/quick-f.mjs; 7.4-7.9 µs before the kernel took eight values a pass), where a JavaScript
  // loop took 20 µs; it is most of the hook's 3.9 µs on B, and it has to read every activation for the
  // health numbers to be exact
  return countOutside(a, len, tanh ? TANH_BAND : SIGMOID_BAND);
}

/** Centre and half-width of the unsaturated band, as countOutside takes them. */
const SIGMOID_BAND = Float64Array.of(0.5, 0.5 - SATURATION_MARGIN);
const TANH_BAND = Float64Array.of(0, 1 - 2 * SATURATION_MARGIN);
