import type { RunObserver, TrainingRun } from "@backprop-lab/core";
import { createDetectors, FINDING_SEVERITY, findingMessage, type LayerHealth } from "@backprop-lab/diagnostics";
import type { FindingView } from "./protocol.js";

/**
 * packages/diagnostics on the worker's run, plugged in as the run's
 * observers: the detectors and the health monitor see the raw gradient of
 * every step through `onGradients`. Clipping and the divergence guard are
 * the run's own (its document's training.clipping and training.guard).
 */
export interface RunDiagnostics {
  findings(): FindingView[];
  health(): LayerHealth[];
  /** Another observer of the same run, removed with the rest by `detach`. */
  observe(observer: RunObserver): void;
  /** Removes every observer from the run. */
  detach(): void;
}

export function attachRunDiagnostics(run: TrainingRun): RunDiagnostics {
  const detectors = createDetectors(run.trainer, { stepsPerEpoch: run.batcher.batchesPerEpoch });
  // The run stops at the update that left a parameter non-finite (no guard to undo it), so the detectors never see a
  // NaN loss after it: the run's own report of that step (layer, tensor, value) becomes diagnostics' "non-finite" finding.
  let overflow: FindingView | null = null;
  const removers = [
    run.observe({
      onGradients: (ctx) => detectors.hook(ctx),
      onStep(report) {
        if (report.finite || overflow !== null || report.rollback !== null) return;
        const p = report.nonFinite;
        // numbered as the detectors number them: layer from 0, the flat index into W (row · nOut + col) or b
        const index = p ? (p.tensor === "W" ? p.row * run.net.layers[p.layer]!.nOut + p.col : p.col) : -1;
        const numbers = { loss: report.loss, gradNorm: report.gradNorm, layer: p ? p.layer : -1, index, value: p ? p.value : Number.NaN };
        const tensor = p ? p.tensor : "";
        overflow = {
          code: "non-finite",
          severity: FINDING_SEVERITY["non-finite"],
          step: report.step,
          firstStep: report.step,
          active: true,
          numbers,
          message: findingMessage("non-finite", numbers, report.step, tensor, { optimizer: run.trainer.settings().optimizer.kind }),
          fix: null,
        };
      },
      onReset() {
        overflow = null;
      },
    }),
  ];
  return {
    findings: () => {
      const found: FindingView[] = detectors.findings();
      return overflow !== null && !found.some((f) => f.code === "non-finite") ? [overflow, ...found] : found;
    },
    // live objects inside the package: copy them for the frame
    health: () => detectors.monitor.health().map((h) => ({ ...h })),
    observe(observer) {
      removers.push(run.observe(observer));
    },
    detach() {
      for (const r of removers.splice(0)) r();
    },
  };
}
