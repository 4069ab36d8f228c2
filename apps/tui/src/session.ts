import {
  createRng,
  createTrainingRun,
  gradientCheck,
  mlpToJSON,
  normalizeRunDocument,
  type Evaluation,
  type Explanation,
  type GradientCheckResult,
  type Mlp,
  type ModelJSON,
  type RunDocument,
  type RunDocumentInput,
  type RunSchedule,
  type RunStepReport,
  type TrainingRun,
} from "@backprop-lab/core";
import { createDetectors, type Detectors, type Finding, type Fix, type LayerHealth, type RunDocumentPatch } from "@backprop-lab/diagnostics";
import { createMetricSeries, type MetricSeries } from "@backprop-lab/viz";
import type { MenuPreset } from "./presets.js";

/** Learning rates `+` and `-` step through: the Playground's 1-3-10 ladder, widened. */
export const LEARNING_RATE_LADDER: readonly number[] = [
  1e-5, 3e-5, 1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1, 3, 10, 30,
];

/** The schedule `d` switches on when the run has none: η_t = η / (1 + t/1000). */
export const DECAY_SCHEDULE: RunSchedule = { kind: "inverse-time", decayRate: 1, decaySteps: 1000 };

/** Clipping norm `c` switches on when the run has never had one. */
export const DEFAULT_CLIP_NORM = 1;

/** Rows the `g` key's gradient check uses at most. */
export const GRADIENT_CHECK_ROWS = 64;

export interface SessionInit {
  /** The run (validated by core's normalizeRunDocument). */
  document: RunDocumentInput;
  presetId?: string | null;
  totalSteps?: number | null;
  /** Initial weights (--load); reset returns to them. */
  model?: Mlp | null;
}

/** The curves a dashboard draws, one series per line, against the updates made since the last reset. */
export interface SessionHistory {
  dataLoss: MetricSeries;
  regLoss: MetricSeries;
  trainAccuracy: MetricSeries;
  testAccuracy: MetricSeries;
}

/** What the diagnostics (plugged into the run as an observer) show. */
export interface SessionDiagnostics {
  findings(): Finding[];
  health(): LayerHealth[];
}

/**
 * The dashboard's controls around one core run (`createTrainingRun`): the
 * run owns stepping, batching, the schedule, clipping, the guard, the
 * evaluation cadence and reset; the session maps keys onto the run document
 * and records the curves through the run's observers. Plain logic with no
 * terminal in it, so the dashboard, the NDJSON writer and the tests drive the
 * same object.
 */
export interface Session {
  /** The run document as it stands now (mid-run changes from keys included). */
  readonly document: RunDocument;
  readonly run: TrainingRun;
  readonly presetId: string | null;
  readonly totalSteps: number | null;
  readonly clipOn: boolean;
  /** The clipping norm, or the one `c` switches on. */
  readonly clipNorm: number;
  /** Updates behind the current weights (the run's counter). */
  readonly steps: number;
  /** A copy of the latest step's report (null before the first step). */
  readonly last: RunStepReport | null;
  /** True once the run diverged (a non-finite step no guard could undo). */
  readonly diverged: boolean;
  /** True when a fixed-length run has made all its steps. */
  readonly done: boolean;
  readonly history: SessionHistory;
  readonly diagnostics: SessionDiagnostics;
  /** Updates behind the current weights whose gradient clipping scaled (the run's own count). */
  clipCount(): number;
  /** One update (the run's step); a hand step also shows its accuracy on the curve. */
  step(): RunStepReport;
  /** Up to `maxSteps` updates, stopping early when `stop()` says so, the run diverges or it is done; returns how many were made. */
  advance(maxSteps: number, stop?: () => boolean): number;
  /** Loss and accuracy of the current weights on the train and test sets (the run's evaluation, cached per step). */
  evaluate(): { train: Evaluation; test: Evaluation | null };
  /** The step the run takes next, every intermediate (the run's explain()). */
  explain(): Explanation;
  /** Core's gradient check on the current weights, the run's loss and penalty, on the first rows of the training set. */
  gradientCheck(tolerance: number): GradientCheckResult & { rows: number };
  findings(): Finding[];
  /** The fix of the most severe finding that has one. */
  suggestedFix(): Fix | null;
  /** Back to step 0 of the current document: the same numbers again. */
  reset(): void;
  /** Draws the next seed from the current one (deterministically) and resets. */
  newSeed(): number;
  /** Replaces the document (validated) and resets. */
  setDocument(document: RunDocumentInput, options?: { presetId?: string | null; keepModel?: boolean }): void;
  loadPreset(preset: MenuPreset): void;
  /** Moves the learning rate one rung up (+1) or down (−1) the ladder, mid-run. */
  adjustLearningRate(direction: 1 | -1): number;
  /** Clipping on or off, mid-run. */
  toggleClip(): boolean;
  /** Learning-rate decay on or off, mid-run. */
  toggleDecay(): boolean;
  /** Applies the suggested fix to the document and restarts; null when there is none. */
  applySuggestedFix(): Fix | null;
  modelJSON(): ModelJSON;
}

/** The next rung of the ladder above (or below) `lr`. */
export function nextLearningRate(lr: number, direction: 1 | -1): number {
  const ladder = LEARNING_RATE_LADDER;
  if (direction > 0) return ladder.find((x) => x > lr * (1 + 1e-9)) ?? ladder[ladder.length - 1]!;
  for (let i = ladder.length - 1; i >= 0; i--) if (ladder[i]! < lr * (1 - 1e-9)) return ladder[i]!;
  return ladder[0]!;
}

type Plain = Record<string, unknown>;
const isPlain = (v: unknown): v is Plain => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * A fix's patch merged into a document the way diagnostics' applyFix merges
 * it into a config: objects key by key, arrays and scalars replace, and an
 * object of another `kind` replaces the old one. Then core validates it.
 */
export function patchDocument(document: RunDocument, patch: RunDocumentPatch): RunDocument {
  const merge = (base: unknown, p: unknown): unknown => {
    if (!isPlain(p) || !isPlain(base)) return structuredClone(p);
    if ("kind" in p && p.kind !== base.kind) return structuredClone(p);
    const out: Plain = { ...base };
    for (const [k, v] of Object.entries(p)) if (v !== undefined) out[k] = k in base ? merge(base[k], v) : structuredClone(v);
    return out;
  };
  return normalizeRunDocument(merge(structuredClone(document), patch) as RunDocumentInput);
}

export function createSession(init: SessionInit): Session {
  let document = normalizeRunDocument(init.document);
  let presetId = init.presetId ?? null;
  let totalSteps = init.totalSteps ?? null;
  let clipNorm = document.training.clipping?.maxNorm ?? DEFAULT_CLIP_NORM;
  let model: Mlp | null = init.model ?? null;

  let run!: TrainingRun;
  let detectors!: Detectors;
  let last: RunStepReport | null = null;
  // the run's own (reused) report object of its latest step
  let latest: RunStepReport | null = null;
  // updates attempted since the reset: the curves' x axis (a guard's rollback lowers the run's counter, never this)
  let made = 0;
  let evalStep = -1;
  let evalCache: { train: Evaluation; test: Evaluation | null } | null = null;
  const history: SessionHistory = {
    dataLoss: createMetricSeries(),
    regLoss: createMetricSeries(),
    trainAccuracy: createMetricSeries(),
    testAccuracy: createMetricSeries(),
  };

  function recordAccuracy(e: { train: Evaluation; test: Evaluation | null }): void {
    if (e.train.accuracy !== null) history.trainAccuracy.append(made, e.train.accuracy);
    if (e.test && e.test.accuracy !== null) history.testAccuracy.append(made, e.test.accuracy);
  }

  function evaluate(): { train: Evaluation; test: Evaluation | null } {
    if (evalCache === null || evalStep !== run.steps) {
      const e = run.lastEvaluation;
      evalCache = e !== null && e.step === run.steps ? { train: e.train, test: e.test } : run.evaluate();
      evalStep = run.steps;
    }
    return evalCache;
  }

  function clearCurves(): void {
    last = null;
    latest = null;
    made = 0;
    evalCache = null;
    evalStep = -1;
    for (const s of Object.values(history)) s.clear();
    recordAccuracy(evaluate());
  }

  function build(): void {
    run = createTrainingRun(document);
    if (model) run.net.params.set(model.params);
    detectors = createDetectors(run.trainer, { stepsPerEpoch: run.batcher.batchesPerEpoch });
    // the diagnostics and the curves plug into the run as an observer: they see the raw gradient (before clipping) and every report
    run.observe({
      onGradients: (ctx) => {
        detectors.hook(ctx);
      },
      onStep: (report) => {
        latest = report;
        made++;
        history.dataLoss.append(made, report.dataLoss);
        history.regLoss.append(made, report.regLoss);
        // the run evaluates at the document's cadence
        if (report.evaluation !== null) recordAccuracy(report.evaluation);
      },
      onReset: () => {
        detectors.reset();
        clearCurves();
      },
    });
    clearCurves();
  }

  /** run.reset() when the run is still the document's run, else a new run from the document. */
  function reset(): void {
    if (model === null && JSON.stringify(run.document) === JSON.stringify(document)) run.reset();
    else build();
  }

  build();

  const session: Session = {
    get document() {
      return document;
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
      return run.trainer.settings().clipping !== null;
    },
    get clipNorm() {
      return clipNorm;
    },
    get steps() {
      return run.steps;
    },
    get last() {
      return last;
    },
    get diverged() {
      return run.diverged;
    },
    get done() {
      return totalSteps !== null && run.steps >= totalSteps;
    },
    history,
    diagnostics: {
      findings: () => detectors.findings(),
      health: () => detectors.monitor.health(),
    },
    clipCount: () => run.clipCount,
    step() {
      const report = run.step();
      last = { ...report };
      // a step made by hand always shows its accuracy on the curve
      if (report.evaluation === null) recordAccuracy(evaluate());
      return last;
    },
    advance(maxSteps, stop) {
      // the run's own loop, up to the session's length
      const room = totalSteps === null ? maxSteps : Math.min(maxSteps, Math.max(0, totalSteps - run.steps));
      const n = room > 0 ? run.advance(room, stop) : 0;
      if (n > 0 && latest !== null) last = { ...latest };
      return n;
    },
    evaluate,
    explain: () => run.explain(),
    gradientCheck(tolerance) {
      const t = run.trainer.settings();
      const rows = Math.min(run.train.n, GRADIENT_CHECK_ROWS);
      const batch = { x: run.train.x.subarray(0, rows * run.train.nIn), y: run.train.y.subarray(0, rows * run.train.nOut), n: rows };
      return { ...gradientCheck(run.net, batch, { loss: t.loss, regularization: t.regularization, tolerance }), rows };
    },
    findings: () => detectors.findings(),
    suggestedFix() {
      for (const f of detectors.findings()) if (f.fix) return f.fix;
      return null;
    },
    reset,
    newSeed() {
      const seed = Math.floor(createRng(document.seed).next() * 0xffffffff) >>> 0;
      const next = structuredClone(document);
      next.seed = seed;
      delete next.init.seed;
      if (next.data.source === "generated") delete next.data.seed;
      document = normalizeRunDocument(next);
      model = null;
      build();
      return seed;
    },
    setDocument(next, options = {}) {
      document = normalizeRunDocument(next);
      if (document.training.clipping) clipNorm = document.training.clipping.maxNorm;
      if (options.presetId !== undefined) presetId = options.presetId;
      if (!options.keepModel) model = null;
      build();
    },
    loadPreset(preset) {
      // a failure lab runs for its fixed number of steps; other presets keep the run's length
      totalSteps = preset.steps ?? init.totalSteps ?? null;
      session.setDocument(preset.document, { presetId: preset.id });
    },
    adjustLearningRate(direction) {
      const lr = nextLearningRate(run.trainer.settings().learningRate, direction);
      document = normalizeRunDocument({ ...document, training: { ...document.training, learningRate: lr } });
      run.trainer.configure({ learningRate: lr });
      return lr;
    },
    toggleClip() {
      const clipping = session.clipOn ? null : { maxNorm: clipNorm };
      document = normalizeRunDocument({ ...document, training: { ...document.training, clipping } });
      run.trainer.configure({ clipping });
      return clipping !== null;
    },
    toggleDecay() {
      const decaying = document.training.schedule.kind !== "constant";
      const schedule: RunSchedule = decaying ? { kind: "constant" } : DECAY_SCHEDULE;
      document = normalizeRunDocument({ ...document, training: { ...document.training, schedule } });
      run.trainer.configure({ schedule });
      return !decaying;
    },
    applySuggestedFix() {
      const fix = session.suggestedFix();
      if (!fix) return null;
      let next = patchDocument(document, fix.patch);
      if (fix.clip) next = normalizeRunDocument({ ...next, training: { ...next.training, clipping: { maxNorm: fix.clip.maxNorm } } });
      session.setDocument(next, { keepModel: false });
      return fix;
    },
    modelJSON: () => mlpToJSON(run.net),
  };
  return session;
}
