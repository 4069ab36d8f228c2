import type { Batch, Mlp, Trainer } from "@backprop-lab/core";
import { clipByNormHook, createDetectors, type Detectors } from "@backprop-lab/diagnostics";
import { maxRelativeError } from "../agreement.js";
import { oursTrainer } from "../peers/ours.js";
import { sizesLabel, type TrainingProblem } from "../problem.js";
import { median } from "../runner.js";
import { trainingProblem, type TrainingWorkloadConfig } from "../training.js";
import type { Agreement, Subject, Workload } from "../types.js";
import { configB } from "./b-xor-2-50-2.js";

/** Issue 3's target: diagnostics may add at most 10 % to a training step of workload B. */
export const DIAGNOSTICS_OVERHEAD_TARGET = 0.1;

export const BARE = "bare step";
export const WITH_DIAGNOSTICS = "with diagnostics";

export interface DiagnosticsOverheadOptions {
  /** Also clip the gradient to this global norm after the detectors, as `attachDiagnostics(run, { clip })` does. */
  clipNorm?: number;
}

/**
 * Diagnostics as `attachDiagnostics(run)` installs them on a full-batch run:
 * one hook running the health monitor and every detector, then clipping if asked.
 */
function installDiagnostics(trainer: Trainer, options: DiagnosticsOverheadOptions): { detectors: Detectors; detach: () => void } {
  const detectors = createDetectors(trainer, { stepsPerEpoch: 1 });
  const clip = options.clipNorm === undefined ? null : clipByNormHook(options.clipNorm);
  const detach = trainer.addHook((ctx) => {
    detectors.hook(ctx);
    if (clip) clip(ctx);
  });
  return { detectors, detach };
}

function trainFrom(problem: TrainingProblem, net: Mlp, trainer: Trainer, batch: Batch, steps: number): void {
  net.params.set(problem.initial);
  for (let s = 0; s < steps; s++) trainer.step(batch);
}

/**
 * Workload `config` (B by default) trained by ours twice over: once bare and
 * once with the diagnostics hook on every step. There are no peers; the
 * figure is the ratio of the two. Each subject also times its own step loop,
 * so the diagnostics subject can state the overhead in its note.
 */
export function diagnosticsOverheadWorkload(config: TrainingWorkloadConfig, options: DiagnosticsOverheadOptions = {}, id = "F"): Workload {
  const { steps, learningRate } = config;
  return {
    id,
    title: `diagnostics overhead per step on workload ${config.id} (${sizesLabel(config.sizes)})`,
    description:
      `Workload ${config.id}'s ${steps} full-batch steps (${sizesLabel(config.sizes)} sigmoid, N = ${config.n}, learning rate ${learningRate}) by ours, ` +
      `bare and with @backprop-lab/diagnostics on every step: per-layer gradient health (L2 norm, max |g|, weight norm, update ratio, ` +
      `saturation, dead units) and every detector, the hook \`attachDiagnostics(run)\` installs by default (no clipping, no guard). ` +
      `The ratio of the two is the overhead; the target is ≤ ${DIAGNOSTICS_OVERHEAD_TARGET * 100} %. At least three untimed rounds come first.`,
    metric: { kind: "rate", perRun: steps, unit: "steps/s" },
    // the diagnostics' hook, monitor and detectors are many small functions: V8 has tiered them all up only
    // after a few rounds (a 5-run pass with one warm-up round measured 1.40, 1.32, 1.04, 1.06, 1.01)
    minWarmup: 3,
    async setup() {
      const problem = trainingProblem(config);
      const batch: Batch = { x: problem.data.x, y: problem.data.y, n: problem.data.n };

      const bare = oursTrainer(problem, learningRate);
      const bareMs: number[] = [];
      const bareSubject: Subject = {
        name: BARE,
        library: "@backprop-lab/core",
        note: "trainer.step(batch), no hook",
        reset: () => bare.net.params.set(problem.initial),
        run() {
          const t0 = performance.now();
          for (let s = 0; s < steps; s++) bare.trainer.step(batch);
          bareMs.push(performance.now() - t0);
          if (!bare.trainer.report.finite) throw new Error(`${BARE}: the loss became non-finite`);
        },
      };

      const diag = oursTrainer(problem, learningRate);
      const installed = installDiagnostics(diag.trainer, options);
      const diagMs: number[] = [];
      const diagSubject: Subject = {
        name: WITH_DIAGNOSTICS,
        library: "@backprop-lab/diagnostics + core",
        maxRatio: 1 + DIAGNOSTICS_OVERHEAD_TARGET,
        get note() {
          const base = `trainer.step(batch) with createDetectors(trainer)${options.clipNorm === undefined ? "" : ` and clipByNormHook(${options.clipNorm})`} as a hook`;
          // the runs are interleaved, so each round's two loops shared the machine's load: the median of the
          // per-round ratios (the warm-up round left out) is the steadier figure on a shared machine
          const rounds = Math.min(bareMs.length, diagMs.length);
          if (rounds < 2) return base;
          const ratios: number[] = [];
          for (let i = 1; i < rounds; i++) ratios.push(diagMs[i]! / bareMs[i]!);
          const overhead = median(ratios) - 1;
          const verdict = overhead <= DIAGNOSTICS_OVERHEAD_TARGET ? "✓" : "✗";
          return `${base}; overhead per step ${(overhead * 100).toFixed(1)} % (median of the ${ratios.length} rounds' ratios; target ≤ ${DIAGNOSTICS_OVERHEAD_TARGET * 100} % ${verdict})`;
        },
        reset() {
          // the detectors start over with the weights, in place: detaching the hook and installing
          // a new one would make V8 drop trainer.step's compiled code (it refers to the old hook)
          // at the runner's gc() before the timed run, a recompile that bare runs never pay
          installed.detectors.reset();
          diag.net.params.set(problem.initial);
        },
        run() {
          const t0 = performance.now();
          for (let s = 0; s < steps; s++) diag.trainer.step(batch);
          diagMs.push(performance.now() - t0);
          if (!diag.trainer.report.finite) throw new Error(`${WITH_DIAGNOSTICS}: the loss became non-finite`);
          // the monitor saw the last step, so the hook ran on every step of the loop
          const health = installed.detectors.monitor.health();
          if (health.some((h) => h.step !== diag.trainer.report.step || !(h.gradNorm > 0))) {
            throw new Error(`${WITH_DIAGNOSTICS}: the health monitor did not see step ${diag.trainer.report.step}`);
          }
        },
      };

      return {
        subjects: [bareSubject, diagSubject],
        // diagnostics only read: the same steps with and without them give the same numbers, bit for bit (clipping would not)
        async check(): Promise<Agreement[]> {
          const a = oursTrainer(problem, learningRate);
          const b = oursTrainer(problem, learningRate);
          const { detach } = installDiagnostics(b.trainer, options);
          trainFrom(problem, a.net, a.trainer, batch, steps);
          trainFrom(problem, b.net, b.trainer, batch, steps);
          detach();
          return [
            {
              subject: WITH_DIAGNOSTICS,
              quantity: `weights after ${steps} steps, against the bare run`,
              precision: "float64",
              relativeError: maxRelativeError(a.net.params, b.net.params),
              tolerance: 0,
            },
          ];
        },
        dispose: () => installed.detach(),
      };
    },
  };
}

export const workloadDiagnosticsOverhead = diagnosticsOverheadWorkload(configB);
