import type { TrainingRun } from "@backprop-lab/core";
import { createDetectors, type ClipStats, type Finding, type LayerHealth } from "@backprop-lab/diagnostics";

/** What training reports about a run's health, as plain JSON. */
export interface RunWatch {
  findings(): Finding[];
  health(): LayerHealth[];
  /** With clipping on: the updates behind the weights and how many of them clipping scaled (the run's own steps and clipCount); else zeros. */
  clipStats(): ClipStats;
}

/**
 * Plugs @backprop-lab/diagnostics into a run through the run's observers
 * (core never imports diagnostics): the detectors read the raw gradient in
 * `onGradients`, after the run's guard and before its clipping; clipping
 * itself and the guard are the run's (its document's `training.clipping`
 * and `training.guard`), and so is the count of clipped updates.
 */
export function watchRun(run: TrainingRun, options: { gradientCheck: boolean }): RunWatch {
  const detectors = createDetectors(run.trainer, { stepsPerEpoch: run.batcher.batchesPerEpoch, gradientCheck: options.gradientCheck });
  const clipping = run.document.training.clipping !== null;
  run.observe({
    onGradients: (ctx) => {
      detectors.hook(ctx);
    },
  });
  return {
    findings: () => detectors.findings(),
    // copies: they cross postMessage and outlive later steps
    health: () => detectors.monitor.health().map((h) => ({ ...h })),
    clipStats: (): ClipStats => (clipping ? { steps: run.steps, clipped: run.clipCount } : { steps: 0, clipped: 0 }),
  };
}
