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
  dispose?(): void;
}

export interface Subject {
  /** "backprop-lab", "tfjs-cpu", "brain.js". */
  name: string;
  /** Library and version, e.g. "@tensorflow/tfjs-core 4.22.0 (cpu)". */
  library: string;
  /** What one run of this subject does, where it differs from the workload's description. */
  note: string;
  /** Puts the subject back at its starting weights; not timed. */
  reset(): void;
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
  /** The peer's arithmetic: tfjs-cpu stores float32, brain.js Float32Array weights. */
  precision: "float32" | "float64";
  relativeError: number;
  tolerance: number;
}
