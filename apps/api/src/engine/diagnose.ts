import type { TrainingRun } from "@backprop-lab/core";
import {
  applyFix,
  attachDiagnostics,
  DEFAULT_THRESHOLDS,
  FAILURE_LABS,
  type ClipStats,
  type FailureLab,
  type Finding,
  type Fix,
  type LayerHealth,
} from "@backprop-lab/diagnostics";
import { gradientCheckCost } from "../limits.js";
import type { DiagnosticsOptions } from "../schemas.js";

export { applyFix, FAILURE_LABS };
export type { FailureLab, Finding, Fix };

/** What training reports about a run's health, as plain JSON. */
export interface RunDiagnostics {
  findings(): Finding[];
  health(): LayerHealth[];
  clipStats(): ClipStats;
}

/** The detectors run at most this many gradient checks per run (on the first loss spikes). */
export const GRADIENT_CHECKS_PER_RUN = 3;

/**
 * Work of the gradient checks diagnostics may run mid-training: none when
 * the network is too big for them, else three checks on up to 32 rows.
 */
export function diagnosticsCost(parameters: number, batchSize: number, gradientCheck: boolean): number {
  if (!gradientCheck || parameters > DEFAULT_THRESHOLDS.GRADIENT_CHECK_MAX_PARAMS) return 0;
  return GRADIENT_CHECKS_PER_RUN * gradientCheckCost(Math.min(batchSize, DEFAULT_THRESHOLDS.GRADIENT_CHECK_ROWS), parameters);
}

/** Attaches @backprop-lab/diagnostics to a run; health objects are copied so they survive postMessage and later steps. */
export function attachRunDiagnostics(run: TrainingRun, options: DiagnosticsOptions & { gradientCheck: boolean }): RunDiagnostics {
  const d = attachDiagnostics(run, {
    ...(options.clip === undefined ? {} : { clip: options.clip }),
    guard: options.guard ?? false,
    gradientCheck: options.gradientCheck,
  });
  return {
    findings: () => d.findings(),
    health: () => d.health().map((h) => ({ ...h })),
    clipStats: () => ({ ...d.clipStats() }),
  };
}
