/**
 * A workload is one job done by every subject (ours and each peer) on the
 * same data from the same weights. The runner times `run()` of each subject,
 * with `reset()` before every run outside the timing, and reports the median.
 */
export interface Workload {
  /** Short id used on the command line and in tables: "A", "B", … */
  id: string;
  title: string;
  /** What one run is, in words (printed in RESULTS.md). */
  description: string;
  /** How a run's time becomes the figure of merit. */
  metric: Metric;
  /** Builds data, weights and every subject; may train a network first. */
  setup(): Promise<PreparedWorkload>;
  /** At least this many untimed rounds first, whatever --warmup says (code with many functions takes longer to tier up). */
  minWarmup?: number;
  /**
   * The arithmetic of one unit of the metric (a training step, a grid), for
   * ns per sample·unit and the share of the machine's SIMD peak.
   */
  work?: WorkSize;
}

export interface WorkSize {
  /** Rows one unit processes: N for a full-batch step, the cells for a grid. */
  samples: number;
  /** Floating-point operations of one unit (matrix products only; see peak.ts). */
  flops: number;
}

/**
 * `rate`: `perRun` units (steps, requests) per run, reported as units per
 * second. `time`: one run is the unit, reported in milliseconds.
 */
export type Metric = { kind: "rate"; perRun: number; unit: string } | { kind: "time"; unit: string };

export interface PreparedWorkload {
  /** The first subject is ours; ratios are taken against it. */
  subjects: Subject[];
  /**
   * The fairness contract: for each peer, how closely it computes what ours
   * computes on a few steps from the same start. Run outside the timings.
   */
  check(): Promise<Agreement[]>;
  /** One line for each peer that could not run here, e.g. "numpy peer skipped: python3 not found". */
  skipped?: string[];
  dispose?(): void;
}

export interface Subject {
  /** "backprop-lab", "tfjs-cpu", "brain.js". */
  name: string;
  /** Library and version, e.g. "@tensorflow/tfjs-core 4.22.0 (cpu)". */
  library: string;
  /** What one run of this subject does, where it differs from the workload's description. */
  note: string;
  /** Puts the subject back at its starting weights (and a tfjs backend in place); not timed. */
  reset(): void | Promise<void>;
  /**
   * Units of a rate metric per run for this subject, where it is not the
   * workload's (a slow peer may do fewer steps a run to keep the bench short;
   * figures and ratios are per unit).
   */
  perRun?: number;
  /** The timed work. Throws if the work was not done in full (e.g. a peer stopped early). */
  run(): void | Promise<void>;
  /**
   * A ceiling instead of a target: this subject's median time over ours may be
   * at most this (e.g. 1.1 for "diagnostics add at most 10 %").
   */
  maxRatio?: number;
}

/** How far a peer's numbers are from ours, and the bound the contract allows. */
export interface Agreement {
  subject: string;
  /** What was compared, e.g. "loss after each of 5 steps". */
  quantity: string;
  /** The peer's arithmetic: tfjs stores float32, brain.js Float32Array weights, numpy float64. */
  precision: "float32" | "float64";
  relativeError: number;
  tolerance: number;
}
