import type { RunDocument } from "@backprop-lab/core";

/**
 * The objective labels of the corpus. Each comes from the run's own
 * trajectory (the full training-set loss at a fixed cadence, the per-step
 * loss, finiteness, the first and last layers' gradient RMS, and the dead
 * relu units counted by a forward pass written in record.ts), never from a
 * detector. One label per run, the first rule that holds in this order.
 */
export type RunLabel = "l2-bug" | "l2-bug-latent" | "exploding" | "dead-units" | "vanishing" | "unstable" | "plateau" | "healthy";

export const RUN_LABELS: readonly RunLabel[] = ["healthy", "exploding", "l2-bug", "l2-bug-latent", "vanishing", "dead-units", "unstable", "plateau"];

/** exploding: some step is non-finite, or the training loss reached this many times its starting value. */
export const LABEL_EXPLODE_FACTOR = 100;
/** ...and its onset is the first step whose loss is this many times the start (or non-finite). */
export const LABEL_EXPLODE_ONSET_FACTOR = 10;
/**
 * A sustained rise: two checkpoints in a row where the training loss is above
 * its running minimum by more than this fraction of that minimum...
 */
export const LABEL_RISE_FRACTION = 0.1;
/** ...and by more than this fraction of the starting loss (a converged loss of 1e-4 bumping to 1.2e-4 is not a rise). */
export const LABEL_RISE_FLOOR = 0.01;
/**
 * l2-bug: a run with the course's L2 gradient whose loss ends this fraction
 * above its minimum (and LABEL_RISE_FLOOR of its start), or overflows. A run
 * with that gradient whose loss has not turned up is l2-bug-latent: its
 * gradient is wrong from the first update, so it is never healthy.
 */
export const LABEL_L2_END_RISE = 0.02;
/** healthy: the loss ends at most this fraction of where it started. */
export const LABEL_HEALTHY_END = 0.9;
/** vanishing: the median over the run of (first layer's gradient RMS) / (last layer's) is below this... */
export const LABEL_VANISHING_RATIO = 1e-3;
/**
 * ...with the loss stuck: it ends above LABEL_HEALTHY_END of its start, or no
 * better than this fraction of the best constant prediction's loss (learned
 * nothing but the base rates). plateau uses the same test.
 */
export const LABEL_STUCK_BASELINE = 0.95;
/** dead-units: this fraction of a hidden relu layer's units output 0 on every training row... */
export const LABEL_DEAD_FRACTION = 0.5;
/** ...at every checkpoint from this fraction of the run to its end. */
export const LABEL_DEAD_FROM = 0.75;

/** What the labeler reads of a run (record.ts fills it). */
export interface Trajectory {
  steps: number;
  /** Per step (index step − 1): the reported loss, NaN when non-finite. */
  loss: Float64Array;
  /** First step whose loss, gradient or parameters were non-finite; −1 when none. */
  firstNonFinite: number;
  /** Per step: first and last layers' gradient RMS. */
  gradFirst: Float64Array;
  gradLast: Float64Array;
  /** The full training-set loss at checkpoints: checkpointSteps[i] updates done (0 = the start). */
  checkpointSteps: number[];
  checkpointLoss: number[];
  /** The loss of the best constant prediction on the training data (baseline.ts). */
  baseline: number;
  /** At each checkpoint, the largest fraction of a hidden relu layer's units that are 0 on every training row (0 without relu layers). */
  checkpointDead: number[];
}

export interface LabelResult {
  label: RunLabel;
  /** The step at which the labelled problem started (for "median steps from onset to detection"); 0 for healthy. */
  onset: number;
}

/** First checkpoint index of a sustained rise, or −1. */
function sustainedRise(t: Trajectory): number {
  const start = t.checkpointLoss[0]!;
  let min = Infinity;
  let above = 0;
  for (let i = 0; i < t.checkpointLoss.length; i++) {
    const l = t.checkpointLoss[i]!;
    if (!Number.isFinite(l)) return i;
    if (l > min * (1 + LABEL_RISE_FRACTION) && l - min > LABEL_RISE_FLOOR * start) {
      above++;
      if (above >= 2) return i - 1;
    } else above = 0;
    if (l < min) min = l;
  }
  return -1;
}

function median(xs: number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * The label of a run from its trajectory and (for the L2 bug only) whether its
 * config uses the course's L2 gradient. `resumed`: the trajectory continues a
 * run from the middle (a fix applied at the step of detection); it is healthy
 * when its loss ends lower than where it resumed (the 10 % margin of
 * LABEL_HEALTHY_END tells learning from a plateau in a run from scratch, not
 * in one that had already learned before the fix).
 */
export function labelRun(t: Trajectory, config: { training: { regularization: { kind: RunDocument["training"]["regularization"]["kind"]; lambda: number; gradient?: "correct" | "course-bug" } } }, options: { resumed?: boolean } = {}): LabelResult {
  const start = t.checkpointLoss[0]!;
  const end = t.checkpointLoss[t.checkpointLoss.length - 1]!;
  const rise = sustainedRise(t);
  const riseStep = rise >= 0 ? t.checkpointSteps[rise]! : -1;
  // exploding: a non-finite step, or the loss multiplied by 100
  let explodeOnset = t.firstNonFinite;
  let maxLoss = 0;
  for (let k = 0; k < t.steps; k++) {
    const l = t.loss[k]!;
    if (Number.isFinite(l) && l > maxLoss) maxLoss = l;
    if (explodeOnset < 0 && Number.isFinite(l) && l >= LABEL_EXPLODE_ONSET_FACTOR * start) explodeOnset = k + 1;
  }
  for (const l of t.checkpointLoss) if (Number.isFinite(l) && l > maxLoss) maxLoss = l;
  const exploding = t.firstNonFinite >= 0 || maxLoss >= LABEL_EXPLODE_FACTOR * start;

  const reg = config.training.regularization;
  // the bug's trademark: the loss turns back up and stays up (a bump that training recovers from is mini-batch noise)
  let min = Infinity;
  for (const l of t.checkpointLoss) if (l < min) min = l;
  const endsUp = end > min * (1 + LABEL_L2_END_RISE) && end - min > LABEL_RISE_FLOOR * start;
  const courseBug = reg.kind === "l2" && reg.lambda > 0 && reg.gradient === "course-bug";
  if (courseBug && (t.firstNonFinite >= 0 || endsUp)) {
    let upStep = t.checkpointSteps[t.checkpointLoss.indexOf(min)] ?? 1;
    if (riseStep >= 0) upStep = riseStep;
    const onset = t.firstNonFinite >= 0 && t.firstNonFinite < upStep ? t.firstNonFinite : upStep;
    return { label: "l2-bug", onset };
  }
  // the same wrong gradient, not yet visible in the loss: not healthy whatever the loss does, and the fault is there from update 1
  if (courseBug) return { label: "l2-bug-latent", onset: 1 };
  if (exploding) return { label: "exploding", onset: explodeOnset >= 0 ? explodeOnset : 1 };

  // dead relus: half of a hidden relu layer silent on every training row from 75 % of the run to its end
  const n = t.checkpointSteps.length;
  const from = t.checkpointSteps.findIndex((s) => s >= LABEL_DEAD_FROM * t.steps);
  if (from >= 0 && t.checkpointDead.slice(from).every((d) => d >= LABEL_DEAD_FRACTION)) {
    let i = n - 1;
    while (i > 0 && t.checkpointDead[i - 1]! >= LABEL_DEAD_FRACTION) i--;
    return { label: "dead-units", onset: Math.max(1, t.checkpointSteps[i]!) };
  }

  const stuck = !(end <= (options.resumed ? 1 : LABEL_HEALTHY_END) * start) || (options.resumed === true && !(end < start)) || end >= LABEL_STUCK_BASELINE * t.baseline;
  const ratios: number[] = [];
  let vanishOnset = -1;
  for (let k = 0; k < t.steps; k++) {
    const a = t.gradFirst[k]!;
    const b = t.gradLast[k]!;
    if (!(b > 0) || !Number.isFinite(a)) continue;
    const r = a / b;
    ratios.push(r);
    if (vanishOnset < 0 && r < LABEL_VANISHING_RATIO) vanishOnset = k + 1;
  }
  if (stuck && median(ratios) < LABEL_VANISHING_RATIO) return { label: "vanishing", onset: Math.max(1, vanishOnset) };
  if (rise >= 0) return { label: "unstable", onset: Math.max(1, riseStep) };
  if (stuck) return { label: "plateau", onset: 1 };
  return { label: "healthy", onset: 0 };
}
