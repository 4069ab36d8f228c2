import type { TrainingRun } from "@backprop-lab/core";
import { clipByNormHook, clipByValueHook, type ClipHook, type ClipStats } from "./clip.js";
import { createDetectors, type Detectors, type GradientCheckRecord } from "./detectors.js";
import type { Finding } from "./findings.js";
import { createDivergenceGuard, type DivergenceGuard, type GuardEvent } from "./guard.js";
import type { LayerHealth } from "./health.js";

const NO_EVENTS: readonly GuardEvent[] = [];

export type ClipOption = { kind: "norm"; maxNorm: number } | { kind: "value"; limit: number };

export interface AttachOptions {
  clip?: ClipOption;
  /** Roll back and lower the learning rate when training diverges (default false). */
  guard?: boolean;
  /** Run a gradient check when the loss first spikes (default true). */
  gradientCheck?: boolean;
}

/** Everything a face shows about a run's health. */
export interface Diagnostics {
  /** One finding per code, errors first, with the latest numbers. */
  findings(): Finding[];
  /** Per layer, after the latest step (live objects: copy to keep). */
  health(): LayerHealth[];
  /** How often clipping acted ({ steps: 0, clipped: 0 } without clipping). */
  clipStats(): ClipStats;
  guardEvents(): readonly GuardEvent[];
  /** Gradient checks run when the loss spiked: a failed one means the backward pass is wrong. */
  gradientChecks(): readonly GradientCheckRecord[];
  /** Removes the hook from the trainer; findings stay readable. */
  detach(): void;
}

/**
 * Monitors every `run.step()`: installs one gradient hook on run.trainer that
 * runs, in order, the divergence guard (optional), the health monitor and
 * detectors (on the raw gradient) and clipping (optional).
 */
export function attachDiagnostics(run: TrainingRun, options: AttachOptions = {}): Diagnostics {
  const trainer = run.trainer;
  const guard: DivergenceGuard | null = options.guard ? createDivergenceGuard(trainer) : null;
  const detectors: Detectors = createDetectors(trainer, {
    stepsPerEpoch: run.batcher.batchesPerEpoch,
    ...(options.gradientCheck === undefined ? {} : { gradientCheck: options.gradientCheck }),
  });
  const clip: ClipHook | null =
    options.clip === undefined ? null : options.clip.kind === "norm" ? clipByNormHook(options.clip.maxNorm) : clipByValueHook(options.clip.limit);
  const noClip: ClipStats = { steps: 0, clipped: 0 };
  const detach = trainer.addHook((ctx) => {
    let verdict: "skip" | undefined;
    if (guard && guard.hook(ctx) === "skip") {
      verdict = "skip";
      ctx.report.skipped = true;
    }
    detectors.hook(ctx);
    if (clip) clip(ctx);
    return verdict;
  });
  return {
    findings: detectors.findings,
    health: detectors.monitor.health,
    clipStats: () => (clip ? clip.stats : noClip),
    guardEvents: () => (guard ? guard.events() : NO_EVENTS),
    gradientChecks: detectors.gradientChecks,
    detach,
  };
}
