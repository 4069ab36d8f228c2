import { createTrainingRun, type TrainingRun, type RunDocument } from "@backprop-lab/core";
import { attachDiagnostics, type ClipOption, type Diagnostics } from "../attach.js";
import type { Finding, FindingCode, Severity } from "../findings.js";
import type { Fix } from "../fixes.js";
import { constantLoss } from "../baseline.js";
import type { Trajectory } from "./label.js";

/** Checkpoints (full training-set loss, dead units) per run: one every steps / CHECKPOINTS updates. */
export const CHECKPOINTS = 50;

/** A finding as it was when it first appeared. */
export interface Detection {
  code: FindingCode;
  step: number;
  severity: Severity;
  fix: Fix | null;
  /** The finding's severity at the end of the segment (dead-units may turn into an error). */
  lastSeverity: Severity;
  activeAtEnd: boolean;
}

export interface Segment {
  trajectory: Trajectory;
  /** By code, in order of first appearance. */
  detections: Detection[];
  /** The step of the run where this segment began (0 for a fresh run). */
  offset: number;
}

function rms(dW: Float64Array, db: Float64Array | null): number {
  let s = 0;
  for (let k = 0; k < dW.length; k++) s += dW[k]! * dW[k]!;
  let n = dW.length;
  if (db) {
    for (let k = 0; k < db.length; k++) s += db[k]! * db[k]!;
    n += db.length;
  }
  return Math.sqrt(s / n);
}

/**
 * The largest fraction of a hidden relu layer's units that output 0 on every
 * training row, by a forward pass written here (W is (nIn, nOut) row-major),
 * independent of the monitor's batch-wise count.
 */
export function deadFraction(run: TrainingRun): number {
  const net = run.net;
  const data = run.train;
  let a = data.x;
  let width = data.nIn;
  let worst = 0;
  for (let l = 0; l < net.layers.length - 1; l++) {
    const layer = net.layers[l]!;
    const out = new Float64Array(data.n * layer.nOut);
    const alive = new Uint8Array(layer.nOut);
    for (let r = 0; r < data.n; r++) {
      for (let j = 0; j < layer.nOut; j++) {
        let z = layer.b ? layer.b[j]! : 0;
        for (let i = 0; i < width; i++) z += a[r * width + i]! * layer.W[i * layer.nOut + j]!;
        const act = layer.activation;
        const v = act === "relu" ? Math.max(0, z) : act === "leaky-relu" ? (z > 0 ? z : 0.01 * z) : act === "tanh" ? Math.tanh(z) : act === "sigmoid" ? 1 / (1 + Math.exp(-z)) : z;
        out[r * layer.nOut + j] = v;
        if (v !== 0) alive[j] = 1;
      }
    }
    if (layer.activation === "relu") {
      let dead = 0;
      for (let j = 0; j < layer.nOut; j++) dead += alive[j] ? 0 : 1;
      worst = Math.max(worst, dead / layer.nOut);
    }
    a = out;
    width = layer.nOut;
  }
  return worst;
}

function paramsFinite(run: TrainingRun): boolean {
  const p = run.net.params;
  for (let k = 0; k < p.length; k++) if (!Number.isFinite(p[k]!)) return false;
  return true;
}

/**
 * Runs `steps` more updates of `run` and records its trajectory and the
 * findings of `diagnostics` (attached by the caller) as they first appear.
 * Step numbers in the trajectory are the segment's own (1 = its first update).
 */
export function recordSegment(run: TrainingRun, steps: number, diagnostics: Diagnostics | null): Segment {
  const offset = run.trainer.steps;
  const loss = new Float64Array(steps);
  const gradFirst = new Float64Array(steps);
  const gradLast = new Float64Array(steps);
  const last = run.net.layers.length - 1;
  let firstNonFinite = -1;
  const checkpointSteps: number[] = [];
  const checkpointLoss: number[] = [];
  const checkpointDead: number[] = [];
  const every = Math.max(1, Math.round(steps / CHECKPOINTS));
  const checkpoint = (k: number) => {
    checkpointSteps.push(k);
    const finite = paramsFinite(run);
    checkpointLoss.push(finite ? run.evaluate().train.loss : Number.NaN);
    checkpointDead.push(finite ? deadFraction(run) : 0);
  };
  checkpoint(0);
  const seen = new Map<FindingCode, Detection>();
  for (let k = 1; k <= steps; k++) {
    const report = run.step();
    const g = run.trainer.grads.layers;
    // the gradient is the raw one only when no clip hook ran; record it from the report's norm otherwise
    gradFirst[k - 1] = rms(g[0]!.dW, g[0]!.db);
    gradLast[k - 1] = rms(g[last]!.dW, g[last]!.db);
    loss[k - 1] = report.finite ? report.loss : Number.NaN;
    if (firstNonFinite < 0 && (!report.finite || !paramsFinite(run))) firstNonFinite = k;
    if (diagnostics) {
      for (const f of diagnostics.findings()) {
        const d = seen.get(f.code);
        if (!d) seen.set(f.code, { code: f.code, step: k, severity: f.severity, fix: f.fix, lastSeverity: f.severity, activeAtEnd: f.active });
        else {
          d.lastSeverity = f.severity === "error" || d.lastSeverity === "error" ? "error" : f.severity;
          d.activeAtEnd = f.active;
        }
      }
    }
    if (k % every === 0 || k === steps) checkpoint(k);
  }
  const data = run.train;
  const sumY = new Float64Array(data.nOut);
  const sumY2 = new Float64Array(data.nOut);
  for (let k = 0; k < data.n * data.nOut; k++) {
    const o = k % data.nOut;
    sumY[o] = sumY[o]! + data.y[k]!;
    sumY2[o] = sumY2[o]! + data.y[k]! * data.y[k]!;
  }
  const baseline = constantLoss(run.trainer.settings().loss, sumY, sumY2, data.n);
  return {
    trajectory: { steps, loss, firstNonFinite, gradFirst, gradLast, checkpointSteps, checkpointLoss, checkpointDead, baseline },
    detections: [...seen.values()],
    offset,
  };
}

/** A fresh run of `config` for `steps` updates with diagnostics attached. */
export function recordRun(config: RunDocument, steps: number, options: { clip?: ClipOption } = {}): Segment & { run: TrainingRun } {
  const run = createTrainingRun(config);
  const diagnostics = attachDiagnostics(run, options.clip ? { clip: options.clip } : {});
  return { ...recordSegment(run, steps, diagnostics), run };
}

export type { Finding };
