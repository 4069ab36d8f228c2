import type { Evaluation, Explanation, GradientCheckResult, OutputActivation, RunDocument, RunStepReport } from "@backprop-lab/core";
import type { LayerHealth } from "@backprop-lab/diagnostics";
import type { Domain } from "@backprop-lab/viz";
import type { PastSettings, WeightEdit } from "../state/app-state.js";

/** What decides the numbers of the page's run: core's run document, the weight edits and the live changes logged with their steps. */
export interface RunState {
  document: RunDocument;
  edits: WeightEdit[];
  history: PastSettings[];
}

/** One report of the reports hook: the run's own report after `at` updates, unchanged. */
export interface ReportRow {
  at: number;
  /** The run's RunStepReport of that update (losses, regLoss, gradNorm before clipping, clippedNorm after, learningRate, rollback, evaluation at its cadence). */
  report: RunStepReport;
  /** The report's own `clipCount`: clipped updates behind the weights, this one included. */
  clipCount: number;
  /** `run.evaluate()` at that step: loss, data loss, penalty and accuracy on train and test. */
  scores: { train: Evaluation; test: Evaluation | null };
}

/** Side of the decision-boundary heatmap and of each neuron thumbnail, in samples. */
export const HEATMAP_SIZE = 100;
export const THUMBNAIL_SIZE = 10;

export type ToWorker =
  /** Builds a run from the document (Reset sends the same state: the run's own reset replays the same numbers). */
  | { type: "init"; state: RunState }
  /** The page plays or pauses: the run's pause (a tick then trains nothing unless it is a single step). */
  | { type: "play"; playing: boolean }
  /** Training settings changed: applied to the running trainer, the network kept. */
  | { type: "configure"; state: RunState }
  /**
   * Runs `steps` updates, then samples and reports a frame. `focus` asks for
   * one neuron's map at heatmap resolution; `recycle` hands back the buffers
   * of an earlier frame so the worker can refill them instead of allocating.
   */
  | { type: "tick"; steps: number; focus: number | null; recycle: ArrayBuffer[]; single?: boolean }
  /** Sets one weight (row ≥ 0) or bias (row −1) now; the edit's step is the current one. */
  | { type: "edit"; layer: number; row: number; col: number; value: number }
  | { type: "gradient-check" }
  /**
   * "course": explainStep on the course's worked example (its 2-3-2 network
   * from seed 2017, its first point, learning rate 0.001); "current":
   * `run.explain()`, the step this run takes next (its batch, scheduled rate,
   * penalty, clipping and optimizer state).
   */
  | { type: "explain"; source: "course" | "current" }
  /**
   * The reports hook for cross-face tests: a fresh run of `document` (JSON,
   * validated by core) stepped to each of `steps`, answered with the run's
   * reports there and `run.explain()` after `explainAt` steps (default the
   * last of `steps`). The page's run is not touched.
   */
  | { type: "reports"; requestId: number; document: unknown; steps: number[]; explainAt?: number }
  | { type: "export-model" }
  /** Replaces the network's parameters with a model JSON of the same shape. */
  | { type: "import-model"; json: string };

/** Points as the page plots them: 2-D inputs and one target value per row. */
export interface PointSet {
  n: number;
  x: Float64Array; // (n, 2)
  /** Class index (classification) or target value (regression). */
  target: Float64Array; // (n)
}

/** What the page needs to draw a run that does not change while it trains. */
export interface RunInfo {
  runId: number;
  /** The run's document as core normalized it. */
  document: RunDocument;
  /** Layer widths, inputs first: [nIn, ...hidden, nOut]. */
  sizes: number[];
  activations: string[];
  bias: boolean;
  /** Where layer l's W (nIn, nOut) and b (nOut) start in `Frame.params`; b is −1 without biases. */
  layout: { w: number; b: number }[];
  classes: number;
  regression: boolean;
  /** The plane the heatmap covers. */
  domain: Domain;
  /** One-output networks: the output value where the class flips. */
  threshold: number;
  nOut: number;
  outputActivation: OutputActivation;
  /** Maps in `Frame.neurons`: input features, hidden units, outputs. */
  neuronCount: number;
  train: PointSet;
  test: PointSet;
  batchSize: number;
  stepsPerEpoch: number;
}

/** One row of the training curves, measured on the whole train and test sets. */
export interface MetricRow {
  step: number;
  epoch: number;
  /** Data loss (penalty left out) on the whole train and test sets; test is NaN without test rows. */
  trainLoss: number;
  testLoss: number;
  /** The regularization penalty, reported apart from the data loss. */
  regLoss: number;
  trainAccuracy: number | null;
  testAccuracy: number | null;
  learningRate: number;
  gradNorm: number;
  /** Updates clipped / skipped since the previous row (the curve's clip ticks). */
  clipped: number;
  skipped: number;
  /** The run's clip count: clipped updates behind the current weights (core's `clipCount`; a rollback lowers it). */
  clipCount: number;
  finite: boolean;
}

/** A diagnostics finding as the page shows it (plain data from packages/diagnostics). */
export interface FindingView {
  code: string;
  severity: string;
  step: number;
  firstStep: number;
  /** Whether it held on the latest step. */
  active: boolean;
  numbers: Record<string, number>;
  message: { en: string; es: string };
  fix: { id: string; label: { en: string; es: string }; patch: object; clip?: { kind: "norm"; maxNorm: number } } | null;
}

export interface Frame {
  runId: number;
  step: number;
  epoch: number;
  /** A copy of every parameter, in core's layout (for the network diagram). */
  params: Float64Array;
  metrics: MetricRow;
  /**
   * packages/viz's GridSample over the HEATMAP_SIZE² grid, row 0 at the top
   * (x2 max): decision value, winning class and every output per cell.
   */
  value: Float64Array; // (HEATMAP_SIZE²)
  classIndex: Uint8Array; // (HEATMAP_SIZE²)
  outputs: Float64Array; // (HEATMAP_SIZE², nOut)
  /** THUMBNAIL_SIZE² values per neuron, hidden layers then output, neuron by neuron. */
  neurons: Float64Array;
  /** The focused neuron's map at HEATMAP_SIZE², or empty. */
  focus: Float64Array;
  focusIndex: number | null;
  /**
   * The decision boundary in data coordinates (src/worker/boundary.ts):
   * x, y pairs, each polyline ended by NaN, NaN, the unused tail NaN; empty
   * for regression or when no cell changes class.
   */
  boundary: Float64Array;
  findings: FindingView[];
  /** Milliseconds the worker spent on this tick: training, evaluation and sampling (for the frame-time report). */
  workMs: number;
  /** Its parts: the updates (with diagnostics), evaluating train and test, sampling the grid and the unit maps. */
  timing: { trainMs: number; evaluateMs: number; sampleMs: number };
  /** Per-layer gradient health from packages/diagnostics. */
  health: LayerHealth[];
}

export type FromWorker =
  | { type: "run"; info: RunInfo }
  | { type: "frame"; frame: Frame }
  | { type: "error"; request: ToWorker["type"]; message: string; field: string | null }
  | { type: "gradient-check"; runId: number; step: number; result: GradientCheckResult }
  /** `step`: the updates behind the weights explained (0 for the course's example). */
  | { type: "explain"; source: "course" | "current"; step: number; explanation: Explanation }
  | { type: "reports"; requestId: number; reports: ReportRow[]; explanation: Explanation; explainedAt: number }
  | { type: "model"; runId: number; json: string }
  /** A live change was applied; `history` is the run's settings log after it (for the URL). */
  | { type: "configured"; runId: number; history: PastSettings[] }
  /** Weight edits as applied, with the step they happened at, for the URL (an imported model is one edit per parameter). */
  | { type: "edited"; runId: number; edits: WeightEdit[] };

/** How a frame's buffers are handed over without a copy. */
export function frameTransfer(frame: Frame): ArrayBuffer[] {
  const buffers = [frame.params, frame.value, frame.classIndex, frame.outputs, frame.neurons, frame.focus, frame.boundary].map((a) => a.buffer as ArrayBuffer);
  return buffers.filter((b, i) => b.byteLength > 0 && buffers.indexOf(b) === i);
}
