import { gradientCheck, type GradientHook, type HookContext, type Trainer } from "@backprop-lab/core";
import { FINDING_CODES, FINDING_NUMBERS, FINDING_SEVERITY, findingMessage, type Finding, type FindingCode } from "./findings.js";
import { fixFor } from "./advice.js";
import { createMonitorWithTotals, type HealthMonitor } from "./health.js";
import { findNonFinite } from "./non-finite.js";
import { constantLoss } from "./baseline.js";
import {
  CONVERGED_FRACTION,
  DEAD_FRACTION,
  EXPLODE_LOSS_FACTOR,
  EXPLODE_PATIENCE,
  GRAD_GROWTH_LOSS_RISE,
  GRAD_GROWTH_RATIO,
  GRADIENT_CHECK_MAX_PARAMS,
  GRADIENT_CHECK_ROWS,
  GRADIENT_CHECK_TOLERANCE,
  LOSS_RISE_FLOOR,
  LOSS_SPIKE_RATIO,
  LOW_UPDATE_RATIO,
  NOISE_SIGMAS,
  OSCILLATION_PROGRESS,
  OSCILLATION_UP_FRACTION,
  OSCILLATION_WINDOW,
  PLATEAU_IMPROVEMENT,
  PLATEAU_LOSS_FRACTION,
  PLATEAU_WINDOW,
  RISE_PATIENCE,
  RISE_RATIO,
  RISE_WINDOW,
  SATURATED_FRACTION,
  SATURATION_PATIENCE,
  STALE_STEPS,
  STUCK_IMPROVEMENT,
  STUCK_BASELINE_FRACTION,
  STUCK_WINDOW,
  VANISHING_PATIENCE,
  VANISHING_RATIO,
  WEIGHT_COLLAPSE_RATIO,
} from "./thresholds.js";

export interface DetectorOptions {
  /** A monitor already installed elsewhere; without one the detectors run their own inside their hook. */
  monitor?: HealthMonitor;
  /** Updates per pass over the training data (run.batcher.batchesPerEpoch); 1 means full-batch gradient descent. */
  stepsPerEpoch?: number;
  /** Run a gradient check when the loss first spikes (default true). */
  gradientCheck?: boolean;
}

/** A gradient check the detectors ran when the loss spiked. */
export interface GradientCheckRecord {
  step: number;
  ok: boolean;
  maxRelativeError: number;
  rows: number;
}

export interface Detectors {
  /** Install with trainer.addHook(detectors.hook) (attachDiagnostics does it for a run). */
  hook: GradientHook;
  /** One finding per code seen so far, errors first; fresh objects on every call. */
  findings(): Finding[];
  /** The gradient checks run so far (at most 3 per run, on loss spikes). */
  gradientChecks(): readonly GradientCheckRecord[];
  /**
   * Back to the state of new detectors (no findings, no gradient checks,
   * empty windows), in place: the hook stays installed, so a trainer keeps
   * its compiled code. Resets the monitor too when the detectors made it;
   * a monitor passed in options is its owner's to reset.
   */
  reset(): void;
  readonly monitor: HealthMonitor;
}

interface Slot {
  seen: boolean;
  active: boolean;
  firstStep: number;
  step: number;
  values: Float64Array;
  tensor: string;
}

/**
 * The detectors of exploding and vanishing gradients, dead and saturated
 * units, a learning rate too high or too low, missing biases, a penalty too
 * strong and a wrong gradient, fed every step by a gradient hook. They keep
 * a smoothed loss (an EMA over about an epoch; the raw loss for full-batch
 * descent), its running minimum and its noise, and ring buffers allocated
 * once: a step allocates nothing unless a finding needs a gradient check or
 * a non-finite value needs locating. Thresholds: see thresholds.ts.
 */
export function createDetectors(trainer: Trainer, options: DetectorOptions = {}): Detectors {
  const net = trainer.net;
  const ownMonitor = options.monitor === undefined;
  // a monitor of their own also sums the weights' squares for them, in its pass over the weights
  const own = ownMonitor ? createMonitorWithTotals(net) : null;
  const monitor = options.monitor ?? own!.monitor;
  const ownWeightSq = own ? own.weightSq : null;
  const stepsPerEpoch = Math.max(1, Math.floor(options.stepsPerEpoch ?? 1));
  const fullBatch = stepsPerEpoch === 1;
  const runCheck = options.gradientCheck ?? true;
  const alpha = fullBatch ? 1 : Math.min(0.1, 2 / (stepsPerEpoch + 1));
  const warmup = fullBatch ? 1 : Math.ceil(2 / alpha);
  const riseWindow = fullBatch ? RISE_WINDOW : Math.max(RISE_WINDOW, 2 * stepsPerEpoch);
  const plateauWindow = Math.max(PLATEAU_WINDOW, 10 * stepsPerEpoch);
  const history = new Float64Array(plateauWindow + 1); // smoothed loss, ring indexed by count
  const ups = new Uint8Array(OSCILLATION_WINDOW); // 1 where the loss went up, ring
  const last = net.layers.length - 1;
  const hiddenUnits = net.spec.sizes.slice(1, -1).reduce((s, w) => s + w, 0);
  let weightCount = 0;
  for (const layer of net.layers) weightCount += layer.W.length;

  const slots = {} as Record<FindingCode, Slot>;
  for (const code of FINDING_CODES) {
    slots[code] = { seen: false, active: false, firstStep: 0, step: 0, values: new Float64Array(FINDING_NUMBERS[code].length), tensor: "" };
  }
  const mark = (slot: Slot, step: number, onset = step): void => {
    if (!slot.seen) slot.firstStep = onset;
    slot.seen = true;
    slot.active = true;
    slot.step = step;
  };

  let count = 0; // finite steps seen
  // The running doubles live in a Float64Array: a closure variable holding a
  // double is boxed by V8, so every write to it would allocate.
  // [L̃, EMA of (L − L̃)², smoothed gradient norm, starting loss, best L̃,
  //  smoothed gradient norm at the best, previous loss, starting weight RMS, (1 − α)^count,
  //  first raw loss, first gradient norm, largest raw loss / first raw loss]
  const INITIAL_STATE = [0, 0, 0, 0, Infinity, 0, Number.NaN, Number.NaN, 1, Number.NaN, Number.NaN, 0];
  const state = new Float64Array(INITIAL_STATE);
  let bestStep = 0;
  let peakStep = 0;
  let upCount = 0;
  let vanishingFor = 0;
  let saturatedFor = 0;
  const checks: GradientCheckRecord[] = [];
  let spikeFor = 0;
  let riseFor = 0;
  let blowupFor = 0;
  let growFor = 0;
  // a finding about the loss must hold for an epoch (mini-batches: one bad batch is not a trend)
  // or RISE_PATIENCE steps (full batch: one bounce is not a trend); its firstStep is where it began
  const persist = fullBatch ? RISE_PATIENCE : stepsPerEpoch;
  const explodePatience = fullBatch ? 1 : EXPLODE_PATIENCE;
  const stuckWindow = Math.max(STUCK_WINDOW, 5 * stepsPerEpoch);
  const staleAfter = Math.max(STALE_STEPS, 10 * stepsPerEpoch);
  let lastBatchSize = 0;
  let lastStep = 0;
  // the targets seen so far, per output: for the loss of the best constant prediction
  const nOutputs = net.layers[last]!.nOut;
  const sumY = new Float64Array(nOutputs);
  const sumY2 = new Float64Array(nOutputs);
  let rowsSeen = 0;

  function checkGradient(ctx: HookContext): void {
    if (!runCheck || checks.length >= 3 || net.params.length > GRADIENT_CHECK_MAX_PARAMS) return;
    const { batch } = ctx;
    const rows = Math.min(batch.n, GRADIENT_CHECK_ROWS);
    const nIn = net.layers[0]!.nIn;
    const nOut = net.layers[last]!.nOut;
    const s = trainer.settings();
    const result = gradientCheck(
      net,
      { x: batch.x.subarray(0, rows * nIn), y: batch.y.subarray(0, rows * nOut), n: rows },
      { loss: s.loss, regularization: s.regularization, tolerance: GRADIENT_CHECK_TOLERANCE },
    );
    checks.push({ step: ctx.report.step, ok: result.ok, maxRelativeError: result.maxRelativeError, rows });
    const worst = result.worst;
    if (result.ok || worst === null) return;
    const slot = slots["gradient-check-failed"];
    const v = slot.values;
    v[0] = result.maxRelativeError;
    v[1] = worst.layer;
    v[2] = worst.kind === "b" ? -1 : worst.row;
    v[3] = worst.col;
    v[4] = worst.analytic;
    v[5] = worst.numeric;
    mark(slot, ctx.report.step);
  }

  function hook(ctx: HookContext): void {
    if (ownMonitor) monitor.hook(ctx);
    const report = ctx.report;
    const step = report.step;
    const health = monitor.health();
    lastBatchSize = report.batchSize;
    lastStep = step;

    let wSq = 0;
    if (ownWeightSq) wSq = ownWeightSq[0]!;
    else {
      for (const layer of net.layers) {
        const W = layer.W;
        for (let k = 0; k < W.length; k++) wSq += W[k]! * W[k]!;
      }
    }
    const weightRms = Math.sqrt(wSq / weightCount);

    addTargetSums(ctx.batch.y, ctx.batch.n, nOutputs, sumY, sumY2);
    rowsSeen += ctx.batch.n;

    const nonFinite = slots["non-finite"];
    if (!report.finite || !Number.isFinite(weightRms)) {
      if (!nonFinite.active) {
        const where = findNonFinite({ net, grads: ctx.grads, workspace: ctx.workspace, n: ctx.batch.n, loss: report.loss });
        const v = nonFinite.values;
        v[0] = report.loss;
        v[1] = report.gradNorm;
        v[2] = where ? where.layer : -1;
        v[3] = where ? where.index : -1;
        v[4] = where ? where.value : Number.NaN;
        // the loss itself is already in the message
        nonFinite.tensor = where && where.tensor !== "loss" ? where.tensor : "";
        mark(nonFinite, step);
      } else nonFinite.step = step;
      return;
    }
    nonFinite.active = false;

    // smoothed loss and its noise
    let smooth = state[0]!;
    let variance = state[1]!;
    let gradSmooth = state[2]!;
    let initialLoss = state[3]!;
    let best = state[4]!;
    let gradAtBest = state[5]!;
    const prevLoss = state[6]!;
    let initialWeightRms = state[7]!;
    let decay = state[8]!; // (1 − α)^updates, to correct the variance EMA for starting at 0
    const loss = report.loss;
    const g = report.gradNorm;
    if (count === 0) {
      smooth = loss;
      gradSmooth = g;
      initialWeightRms = weightRms;
      state[9] = loss;
      state[10] = g;
    } else {
      const d = loss - smooth;
      variance = (1 - alpha) * variance + alpha * d * d;
      decay *= 1 - alpha;
      // (1 − α)·old + α·new, not old + α·(new − old): with α = 1 and values
      // 30 orders of magnitude apart the latter cancels to 0
      smooth = (1 - alpha) * smooth + alpha * loss;
      gradSmooth = (1 - alpha) * gradSmooth + alpha * g;
    }
    if (count < warmup) initialLoss += loss / warmup;
    history[count % history.length] = smooth;
    const slotUp = count % OSCILLATION_WINDOW;
    upCount -= ups[slotUp]!;
    ups[slotUp] = count > 0 && loss > prevLoss ? 1 : 0;
    upCount += ups[slotUp]!;
    count++;
    // the noise of L̃ itself; none for full-batch descent, whose loss is exact
    const noise = fullBatch || decay === 1 ? 0 : NOISE_SIGMAS * Math.sqrt((variance / (1 - decay)) * (alpha / (2 - alpha)));
    const settled = count >= warmup;
    if (settled && smooth < best) {
      best = smooth;
      bestStep = step;
      gradAtBest = gradSmooth;
    }
    state[0] = smooth;
    state[1] = variance;
    state[2] = gradSmooth;
    state[3] = initialLoss;
    state[4] = best;
    state[5] = gradAtBest;
    state[6] = loss;
    state[7] = initialWeightRms;
    state[8] = decay;

    // exploding: the loss jumps above its best, the gradient norm grows since then
    const spike = slots["loss-spike"];
    const wasSpiking = spike.active;
    spike.active = false;
    const floor = LOSS_RISE_FLOOR * initialLoss;
    spikeFor = settled && smooth > LOSS_SPIKE_RATIO * best + noise && smooth - best > floor ? spikeFor + 1 : 0;
    // full batch: check where the spike begins (the course's climb); mini-batches: once it is confirmed (noise makes brief ones)
    const spikeStarts = fullBatch ? spikeFor === 1 : spikeFor === persist;
    if (spikeFor >= persist) {
      const v = spike.values;
      v[0] = smooth;
      v[1] = best;
      v[2] = bestStep;
      v[3] = best > 0 ? smooth / best : Infinity;
      mark(spike, step, step - spikeFor + 1);
    }
    const exploding = slots["exploding-gradients"];
    const wasExploding = exploding.active;
    exploding.active = false;
    // the raw loss multiplied by EXPLODE_LOSS_FACTOR: an explosion may come before the smoothed loss has settled
    const startLoss = state[9]!;
    blowupFor = startLoss > 0 && loss >= EXPLODE_LOSS_FACTOR * startLoss ? blowupFor + 1 : 0;
    if (startLoss > 0 && loss / startLoss > state[11]!) {
      state[11] = loss / startLoss;
      peakStep = step;
    }
    if (blowupFor >= explodePatience) {
      const v = exploding.values;
      v[0] = g;
      v[1] = state[10]!;
      v[2] = g / state[10]!;
      v[3] = loss;
      v[4] = startLoss;
      v[5] = 1;
      mark(exploding, step, step - blowupFor + 1);
    }
    growFor = settled && gradSmooth > GRAD_GROWTH_RATIO * gradAtBest && smooth > (1 + GRAD_GROWTH_LOSS_RISE) * best + noise && smooth - best > floor ? growFor + 1 : 0;
    if (!exploding.active && growFor >= persist) {
      const v = exploding.values;
      v[0] = gradSmooth;
      v[1] = gradAtBest;
      v[2] = gradSmooth / gradAtBest;
      v[3] = smooth;
      v[4] = best;
      v[5] = bestStep;
      mark(exploding, step, step - growFor + 1);
    }
    // the check runs where the rise begins, before it is confirmed: a wrong gradient is worth knowing at once
    // (not once the loss has blown up: finite differences on huge weights disagree with any backward pass)
    let checked = false;
    if ((spikeStarts || growFor === persist || (exploding.active && !wasExploding)) && loss < EXPLODE_LOSS_FACTOR * startLoss) {
      checkGradient(ctx);
      checked = true;
    }

    // learning rate too high: rising over a short window, or (full batch) bouncing without progress
    const high = slots["learning-rate-too-high"];
    const wasHigh = high.active;
    high.active = false;
    if (count > riseWindow) {
      const before = history[(count - 1 - riseWindow) % history.length]!;
      riseFor = smooth > before * (1 + RISE_RATIO) + noise * Math.SQRT2 && smooth - before > floor ? riseFor + 1 : 0;
      if (riseFor >= persist) {
        const v = high.values;
        v[0] = smooth;
        v[1] = before;
        v[2] = riseWindow;
        v[3] = 0;
        v[4] = 0;
        v[5] = report.learningRate;
        mark(high, step, step - riseFor + 1);
      }
    }
    // bouncing without progress; a converged loss (below CONVERGED_FRACTION of its start) bounces on rounding alone
    if (fullBatch && !high.active && count > stuckWindow && smooth > CONVERGED_FRACTION * initialLoss && upCount >= OSCILLATION_UP_FRACTION * OSCILLATION_WINDOW) {
      // no progress over STUCK_WINDOW steps: a bouncy descent still descends
      const before = history[(count - 1 - stuckWindow) % history.length]!;
      let lo = Infinity;
      let hi = -Infinity;
      for (let k = count - OSCILLATION_WINDOW; k < count; k++) {
        const h = history[k % history.length]!;
        if (h < lo) lo = h;
        if (h > hi) hi = h;
      }
      if (smooth >= before * (1 - OSCILLATION_PROGRESS) && hi - lo > floor) {
        const v = high.values;
        v[0] = smooth;
        v[1] = before;
        v[2] = OSCILLATION_WINDOW;
        v[3] = upCount;
        v[4] = 1;
        v[5] = report.learningRate;
        mark(high, step);
      }
    }

    // a loss going the wrong way may be a wrong gradient (the course's L2 bug): check it when the finding appears
    if (high.active && !wasHigh && !checked && loss < EXPLODE_LOSS_FACTOR * startLoss) checkGradient(ctx);

    // dead relus: a hidden layer mostly silent for DEAD_PATIENCE batches
    const dead = slots["dead-units"];
    dead.active = false;
    let worstDead = 0;
    let worstLayer = -1;
    let deadUnits = 0;
    let reluUnits = 0;
    for (let l = 0; l < last; l++) {
      const h = health[l]!;
      if (h.activation !== "relu") continue;
      const units = net.layers[l]!.nOut;
      reluUnits += units;
      deadUnits += Math.round(h.persistentDeadFraction * units);
      if (h.persistentDeadFraction > worstDead) {
        worstDead = h.persistentDeadFraction;
        worstLayer = l;
      }
    }
    if (worstDead >= DEAD_FRACTION) {
      const v = dead.values;
      v[0] = worstDead;
      v[1] = worstLayer;
      v[2] = deadUnits;
      v[3] = reluUnits;
      // a loss that blew up (even for one step) before the units died: that step's size is what killed them
      if (!dead.seen && state[11]! >= EXPLODE_LOSS_FACTOR) {
        v[4] = state[11]!;
        v[5] = peakStep;
      }
      mark(dead, step);
    }

    // stuck: little progress over STUCK_WINDOW steps, far from converged
    const settings = trainer.settings();
    const baseline = constantLoss(settings.loss, sumY, sumY2, rowsSeen);
    const learnedNothing = smooth >= STUCK_BASELINE_FRACTION * baseline;
    let stuck = false;
    if (count > stuckWindow && learnedNothing) {
      const before = history[(count - 1 - stuckWindow) % history.length]!;
      stuck = (before - smooth) / before < STUCK_IMPROVEMENT;
    }

    // vanishing: the first layer's gradient a tiny fraction of the last layer's while the loss is stuck; a layer of
    // silent relus blocks the gradient outright, which is the dead-units finding instead
    const vanishing = slots["vanishing-gradients"];
    vanishing.active = false;
    const firstRms = health[0]!.gradRms;
    const lastRms = health[last]!.gradRms;
    let blocked = false;
    for (let l = 0; l < last; l++) if (health[l]!.activation === "relu" && health[l]!.deadFraction >= DEAD_FRACTION) blocked = true;
    if (last > 0 && !blocked && !dead.active && lastRms > 0 && firstRms < VANISHING_RATIO * lastRms) vanishingFor++;
    else if (vanishingFor > 0) vanishingFor--;
    if (vanishingFor >= VANISHING_PATIENCE && stuck) {
      const v = vanishing.values;
      v[0] = firstRms / lastRms;
      v[1] = firstRms;
      v[2] = lastRms;
      v[3] = last + 1;
      mark(vanishing, step);
    }

    // saturation: sigmoid/tanh units pinned to their rails while little is learned; the output
    // layer counts under mse, whose gradient carries σ′ (cross-entropy with softmax cancels it)
    const saturated = slots["saturated-units"];
    saturated.active = false;
    let satFraction = 0;
    let satLayer = -1;
    const mse = settings.loss === "mse";
    for (let l = 0; l <= last; l++) {
      const h = health[l]!;
      if (h.activation !== "sigmoid" && h.activation !== "tanh") continue;
      if (l === last && !mse) continue;
      if (h.saturatedFraction > satFraction) {
        satFraction = h.saturatedFraction;
        satLayer = l;
      }
    }
    if (satFraction >= SATURATED_FRACTION && smooth > PLATEAU_LOSS_FRACTION * initialLoss) saturatedFor++;
    else saturatedFor = 0;
    if (saturatedFor >= SATURATION_PATIENCE && settled && stuck) {
      const v = saturated.values;
      v[0] = satFraction;
      v[1] = satLayer;
      v[2] = smooth;
      v[3] = initialLoss;
      mark(saturated, step);
    }

    // plateau at the best loss so far: explained by missing biases, or by steps too small to matter
    const noBias = slots["no-biases"];
    const low = slots["learning-rate-too-low"];
    noBias.active = false;
    low.active = false;
    if (count > plateauWindow && smooth <= best * (1 + PLATEAU_IMPROVEMENT) && smooth > PLATEAU_LOSS_FRACTION * initialLoss) {
      const before = history[(count - 1 - plateauWindow) % history.length]!;
      const improvement = (before - smooth) / before;
      if (Math.abs(improvement) < PLATEAU_IMPROVEMENT) {
        let maxRatio = 0;
        for (let l = 0; l <= last; l++) if (health[l]!.updateRatio > maxRatio) maxRatio = health[l]!.updateRatio;
        if (!net.spec.bias && hiddenUnits > 0) {
          const v = noBias.values;
          v[0] = smooth;
          v[1] = improvement;
          v[2] = plateauWindow;
          v[3] = hiddenUnits;
          mark(noBias, step);
        } else if (maxRatio < LOW_UPDATE_RATIO && !dead.active && !vanishing.active && !saturated.active) {
          const v = low.values;
          v[0] = smooth;
          v[1] = improvement;
          v[2] = plateauWindow;
          v[3] = maxRatio;
          v[4] = report.learningRate;
          mark(low, step);
        }
      }
    }

    // a penalty that crushes every weight towards 0
    const collapse = slots["regularization-too-strong"];
    collapse.active = false;
    const reg = settings.regularization;
    if (reg.kind !== "none" && reg.lambda > 0 && weightRms < WEIGHT_COLLAPSE_RATIO * initialWeightRms && settled && learnedNothing) {
      const v = collapse.values;
      v[0] = weightRms;
      v[1] = initialWeightRms;
      v[2] = reg.lambda;
      mark(collapse, step);
    }
  }

  function findings(): Finding[] {
    const out: Finding[] = [];
    const firstHiddenActivation = last > 0 ? net.layers[0]!.activation : undefined;
    // when the gradient itself is wrong, advice about its step size does not apply
    const wrongGradient = slots["gradient-check-failed"].seen;
    for (const code of FINDING_CODES) {
      const slot = slots[code];
      if (!slot.seen) continue;
      // stale: its evidence has not held for a while (a wrong gradient stays wrong)
      if (!slot.active && code !== "gradient-check-failed" && lastStep - slot.step > staleAfter) continue;
      if (wrongGradient && (code === "learning-rate-too-high" || code === "learning-rate-too-low")) continue;
      const numbers: Record<string, number> = {};
      FINDING_NUMBERS[code].forEach((name, i) => (numbers[name] = slot.values[i]!));
      let severity = FINDING_SEVERITY[code];
      if (code === "dead-units" && numbers.deadFraction === 1) severity = "error";
      out.push({
        code,
        severity,
        step: slot.step,
        firstStep: slot.firstStep,
        active: slot.active,
        numbers,
        message: findingMessage(code, numbers, code === "non-finite" ? slot.firstStep : slot.step, slot.tensor, {
          activation: firstHiddenActivation,
          optimizer: trainer.settings().optimizer.kind,
        }),
        fix: fixFor(code, numbers, {
          settings: trainer.settings(),
          firstHidden: net.layers[0]!.activation,
          hiddenLayers: last,
          fullBatch,
          batchSize: lastBatchSize,
          initialLoss: state[3]!,
          step: slot.step,
        }),
      });
    }
    const rank = { error: 0, warning: 1, info: 2 } as const;
    return out.sort((a, b) => rank[a.severity] - rank[b.severity] || a.firstStep - b.firstStep);
  }

  function reset(): void {
    if (ownMonitor) monitor.reset();
    for (const code of FINDING_CODES) {
      const slot = slots[code];
      slot.seen = false;
      slot.active = false;
      slot.firstStep = 0;
      slot.step = 0;
      slot.values.fill(0);
      slot.tensor = "";
    }
    history.fill(0);
    ups.fill(0);
    state.set(INITIAL_STATE);
    count = 0;
    bestStep = 0;
    peakStep = 0;
    upCount = 0;
    vanishingFor = 0;
    saturatedFor = 0;
    checks.length = 0;
    spikeFor = 0;
    riseFor = 0;
    blowupFor = 0;
    growFor = 0;
    sumY.fill(0);
    sumY2.fill(0);
    rowsSeen = 0;
    lastBatchSize = 0;
    lastStep = 0;
  }

  return { hook, findings, gradientChecks: () => checks, reset, monitor };
}

/**
 * Adds y's first `rows` rows of `nOut` targets to the running per-output sums
 * of y and y². Two outputs at a time, column pairs: each sum takes its rows
 * in ascending order, as a row-major pass with sumY[k % nOut] does (the same
 * additions in the same order, the same bits), with the running sums in
 * registers and no remainder per value (that pass cost 2.1 µs of workload B's
 * 800 targets a step).
 */
export function addTargetSums(y: Float64Array, rows: number, nOut: number, sumY: Float64Array, sumY2: Float64Array): void {
  const end = rows * nOut;
  let o = 0;
  // two outputs a pass over the rows: four independent running sums, each still in its own order
  for (; o + 1 < nOut; o += 2) {
    let s0 = sumY[o]!;
    let q0 = sumY2[o]!;
    let s1 = sumY[o + 1]!;
    let q1 = sumY2[o + 1]!;
    for (let k = o; k < end; k += nOut) {
      const v0 = y[k]!;
      const v1 = y[k + 1]!;
      s0 += v0;
      q0 += v0 * v0;
      s1 += v1;
      q1 += v1 * v1;
    }
    sumY[o] = s0;
    sumY2[o] = q0;
    sumY[o + 1] = s1;
    sumY2[o + 1] = q1;
  }
  if (o < nOut) {
    let s = sumY[o]!;
    let q = sumY2[o]!;
    for (let k = o; k < end; k += nOut) {
      const v = y[k]!;
      s += v;
      q += v * v;
    }
    sumY[o] = s;
    sumY2[o] = q;
  }
}
