import {
  createRng,
  createRun,
  mlpToJSON,
  normalizeRunConfig,
  type Evaluation,
  type Mlp,
  type ModelJSON,
  type Run,
  type RunConfig,
  type StepReport,
} from "@backprop-lab/core";
import { applyFix, attachDiagnostics, clipByNormHook, type ClipHook, type Diagnostics, type Finding, type Fix } from "@backprop-lab/diagnostics";
import { createMetricSeries, type MetricSeries } from "@backprop-lab/viz";
import type { MenuPreset } from "./presets.js";

/** Learning rates `+` and `-` step through: the Playground's 1-3-10 ladder, widened. */
export const LEARNING_RATE_LADDER: readonly number[] = [
  1e-5, 3e-5, 1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1, 3, 10, 30,
];

/** The schedule `d` switches on when the run has none: η_t = η / (1 + t/1000). */
export const DECAY_SCHEDULE: RunConfig["training"]["schedule"] = { kind: "inverse-time", decayRate: 1, decaySteps: 1000 };

/** Accuracy is measured every this many steps for the curve (and at every single step made with `s`). */
export const ACCURACY_EVERY = 10;

export interface SessionInit {
  config: RunConfig;
  presetId?: string | null;
  totalSteps?: number | null;
  clipNorm?: number;
  clipOn?: boolean;
  /** Initial weights (--load); reset returns to them. */
  model?: Mlp | null;
}

/** The curves a dashboard draws, one series per line. */
export interface SessionHistory {
  dataLoss: MetricSeries;
  regLoss: MetricSeries;
  trainAccuracy: MetricSeries;
  testAccuracy: MetricSeries;
}

/**
 * A training run with the controls of the dashboard: step, reset to the same
 * seed, change settings mid-run, apply a diagnostic's fix. Plain logic with
 * no terminal in it, so the dashboard, the NDJSON writer and the tests drive
 * the same object.
 */
export interface Session {
  readonly config: RunConfig;
  readonly run: Run;
  readonly presetId: string | null;
  readonly totalSteps: number | null;
  readonly clipOn: boolean;
  readonly clipNorm: number;
  /** Updates made since the last reset. */
  readonly steps: number;
  /** A copy of the latest step's report (null before the first step). */
  readonly last: StepReport | null;
  /** True once a step's loss or gradient was NaN or infinite. */
  readonly diverged: boolean;
  /** True when a fixed-length run has made all its steps. */
  readonly done: boolean;
  readonly history: SessionHistory;
  readonly diagnostics: Diagnostics;
  /** How often clipping scaled the gradient since the last reset. */
  clipStats(): { steps: number; clipped: number };
  /** One update; also records the curves. */
  step(): StepReport;
  /** Up to `maxSteps` updates, stopping early when `stop()` says so, the run diverges or it is done; returns how many were made. */
  advance(maxSteps: number, stop?: () => boolean): number;
  /** Loss and accuracy of the current weights on the train and test sets (cached per step). */
  evaluate(): { train: Evaluation; test: Evaluation | null };
  /** The diagnostics' findings, most severe first. */
  findings(): Finding[];
  /** The fix of the most severe finding that has one. */
  suggestedFix(): Fix | null;
  /** Rebuilds the run from the same config and seed: the same numbers again. */
  reset(): void;
  /** Draws the next seed from the current one (deterministically) and resets. */
  newSeed(): number;
  /** Replaces the config (validated) and resets. */
  setConfig(config: RunConfig, options?: { presetId?: string | null; keepModel?: boolean }): void;
  loadPreset(preset: MenuPreset): void;
  /** Moves the learning rate one rung up (+1) or down (−1) the ladder, mid-run. */
  adjustLearningRate(direction: 1 | -1): number;
  toggleClip(): boolean;
  /** Learning-rate decay on or off, mid-run. */
  toggleDecay(): boolean;
  /** Applies the suggested fix (a config patch, and clipping when it asks) and restarts; null when there is none. */
  applySuggestedFix(): Fix | null;
  modelJSON(): ModelJSON;
}

function copyConfig(config: RunConfig): RunConfig {
  return JSON.parse(JSON.stringify(config)) as RunConfig;
}

/** The next rung of the ladder above (or below) `lr`. */
export function nextLearningRate(lr: number, direction: 1 | -1): number {
  const ladder = LEARNING_RATE_LADDER;
  if (direction > 0) return ladder.find((x) => x > lr * (1 + 1e-9)) ?? ladder[ladder.length - 1]!;
  for (let i = ladder.length - 1; i >= 0; i--) if (ladder[i]! < lr * (1 - 1e-9)) return ladder[i]!;
  return ladder[0]!;
}

export function createSession(init: SessionInit): Session {
  let config = normalizeRunConfig(init.config);
  let presetId = init.presetId ?? null;
  let totalSteps = init.totalSteps ?? null;
  let clipOn = init.clipOn ?? false;
  let clipNorm = init.clipNorm ?? 1;
  let model: Mlp | null = init.model ?? null;

  let run!: Run;
  let diagnostics!: Diagnostics;
  let clip!: ClipHook;
  let last: StepReport | null = null;
  let diverged = false;
  let evalStep = -1;
  let evalCache: { train: Evaluation; test: Evaluation | null } | null = null;
  const history: SessionHistory = {
    dataLoss: createMetricSeries(),
    regLoss: createMetricSeries(),
    trainAccuracy: createMetricSeries(),
    testAccuracy: createMetricSeries(),
  };

  function evaluate(): { train: Evaluation; test: Evaluation | null } {
    if (evalCache === null || evalStep !== run.trainer.steps) {
      evalCache = run.evaluate();
      evalStep = run.trainer.steps;
    }
    return evalCache;
  }

  function recordAccuracy(): void {
    const e = evaluate();
    const step = run.trainer.steps;
    if (e.train.accuracy !== null) history.trainAccuracy.append(step, e.train.accuracy);
    if (e.test && e.test.accuracy !== null) history.testAccuracy.append(step, e.test.accuracy);
  }

  function build(): void {
    run = createRun(config);
    if (model) run.net.params.set(model.params);
    // diagnostics see the raw gradient; clipping runs after them, switchable mid-run
    diagnostics = attachDiagnostics(run, { guard: false });
    clip = clipByNormHook(clipNorm);
    run.trainer.addHook((ctx) => (clipOn ? clip(ctx) : undefined));
    last = null;
    diverged = false;
    evalCache = null;
    evalStep = -1;
    for (const s of Object.values(history)) s.clear();
    recordAccuracy();
  }

  function step(): StepReport {
    const report = run.step();
    last = { ...report };
    if (!report.finite) diverged = true;
    history.dataLoss.append(report.step, report.dataLoss);
    history.regLoss.append(report.step, report.regLoss);
    if (report.step % ACCURACY_EVERY === 0) recordAccuracy();
    return last;
  }

  build();

  const session: Session = {
    get config() {
      return config;
    },
    get run() {
      return run;
    },
    get presetId() {
      return presetId;
    },
    get totalSteps() {
      return totalSteps;
    },
    get clipOn() {
      return clipOn;
    },
    get clipNorm() {
      return clipNorm;
    },
    get steps() {
      return run.trainer.steps;
    },
    get last() {
      return last;
    },
    get diverged() {
      return diverged;
    },
    get done() {
      return totalSteps !== null && run.trainer.steps >= totalSteps;
    },
    history,
    get diagnostics() {
      return diagnostics;
    },
    clipStats: () => ({ ...clip.stats }),
    step() {
      const r = step();
      // a step made by hand always shows its accuracy on the curve
      if (r.step % ACCURACY_EVERY !== 0) recordAccuracy();
      return r;
    },
    advance(maxSteps, stop) {
      let made = 0;
      while (made < maxSteps && !session.done && !diverged) {
        step();
        made++;
        if (stop?.()) break;
      }
      return made;
    },
    evaluate,
    findings: () => diagnostics.findings(),
    suggestedFix() {
      for (const f of diagnostics.findings()) if (f.fix) return f.fix;
      return null;
    },
    reset: build,
    newSeed() {
      const seed = Math.floor(createRng(config.seed).next() * 0xffffffff) >>> 0;
      config = { ...config, seed };
      if (config.init.seed !== undefined) config = { ...config, init: { scheme: config.init.scheme } };
      if (config.data.source === "generated" && config.data.seed !== undefined) {
        const { seed: _dropped, ...data } = config.data;
        config = { ...config, data };
      }
      model = null;
      build();
      return seed;
    },
    setConfig(next, options = {}) {
      config = normalizeRunConfig(copyConfig(next));
      if (options.presetId !== undefined) presetId = options.presetId;
      if (!options.keepModel) model = null;
      build();
    },
    loadPreset(preset) {
      config = normalizeRunConfig(copyConfig(preset.config));
      presetId = preset.id;
      // a failure lab runs for its fixed number of steps; other presets keep the run's length
      totalSteps = preset.steps ?? init.totalSteps ?? null;
      model = null;
      if (preset.clip !== undefined && preset.clip !== null) {
        clipOn = true;
        clipNorm = preset.clip;
      }
      build();
    },
    adjustLearningRate(direction) {
      const lr = nextLearningRate(config.training.learningRate, direction);
      config = { ...config, training: { ...config.training, learningRate: lr } };
      run.trainer.configure({ learningRate: lr });
      return lr;
    },
    toggleClip() {
      clipOn = !clipOn;
      return clipOn;
    },
    toggleDecay() {
      const decaying = config.training.schedule.kind !== "constant";
      const schedule: RunConfig["training"]["schedule"] = decaying ? { kind: "constant" } : DECAY_SCHEDULE;
      config = { ...config, training: { ...config.training, schedule } };
      run.trainer.configure({ schedule });
      return !decaying;
    },
    applySuggestedFix() {
      const fix = session.suggestedFix();
      if (!fix) return null;
      config = applyFix(config, fix);
      if (fix.clip) {
        clipOn = true;
        clipNorm = fix.clip.maxNorm;
      }
      build();
      return fix;
    },
    modelJSON: () => mlpToJSON(run.net),
  };
  return session;
}
