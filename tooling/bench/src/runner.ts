import type { Agreement, Metric, Subject, Workload, WorkSize } from "./types.js";

/** Speed-ups ours must reach over each peer on every workload. */
export const TARGETS: Readonly<Record<string, number>> = { "tfjs-cpu": 3, "brain.js": 1.8, numpy: 1.3, "tfjs-wasm": 1.5 };

export interface RunOptions {
  /** Timed runs per subject. */
  runs: number;
  /** Untimed runs per subject first, so every JIT has compiled its hot loops. */
  warmup: number;
  /** Progress lines (to stderr in the CLI). */
  log?: (line: string) => void;
  /** The machine's SIMD peak in flop/s (peak.ts), for each subject's share of it. */
  peakFlops?: number;
}

export interface SubjectResult {
  name: string;
  library: string;
  note: string;
  /** Wall time of each timed run, in the order they ran. */
  samplesMs: number[];
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** steps/s for a rate metric, ms for a time metric, from the median run. */
  figure: number;
  /** Units of the metric in one run (a rate metric's perRun, or the subject's own); 1 for a time metric. */
  unitsPerRun?: number;
  /** Median time per sample and unit, in ns, where the workload gives its size. */
  nsPerSampleUnit?: number | null;
  /** The median run's flops per second over the machine's SIMD peak, where both are known. */
  peakShare?: number | null;
  /** The peer's median time over ours (how many times faster ours is); null for ours. */
  speedup: number | null;
  /** The target speed-up over this peer, if any. */
  target: number | null;
  /** The most this subject's median time may be over ours, if a ceiling applies (see Subject.maxRatio). */
  ceiling: number | null;
}

export interface WorkloadResult {
  id: string;
  title: string;
  description: string;
  metric: Metric;
  subjects: SubjectResult[];
  agreements: Agreement[];
  /** Peers that could not run here, one line each. */
  skipped?: string[];
  work?: WorkSize;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error("median of no values");
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** The figure of merit of a run that took `ms`. */
export function figureOf(metric: Metric, ms: number, perRun?: number): number {
  return metric.kind === "rate" ? ((perRun ?? metric.perRun) * 1000) / ms : ms;
}

/** Units of the metric one run of `subject` does. */
export function unitsPerRun(metric: Metric, subject: Pick<Subject, "perRun">): number {
  return metric.kind === "rate" ? (subject.perRun ?? metric.perRun) : 1;
}

// Garbage left by one subject (tfjs allocates a tensor per op) must not be collected on the next one's clock.
function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/**
 * Checks the workload's fairness contract, then times every subject: warm-up
 * runs, then `runs` rounds in which each subject runs once, the order rotating
 * every round so a slow spell on this shared machine hits all subjects alike.
 */
export async function runWorkload(workload: Workload, options: RunOptions): Promise<WorkloadResult> {
  const log = options.log ?? (() => {});
  log(`${workload.id}: ${workload.title}: setting up`);
  const prepared = await workload.setup();
  for (const line of prepared.skipped ?? []) log(line);
  try {
    const agreements = await prepared.check();
    const { subjects } = prepared;
    for (let w = 0; w < Math.max(options.warmup, workload.minWarmup ?? 0); w++) {
      for (const s of subjects) {
        await s.reset();
        await s.run();
      }
    }
    const samples: number[][] = subjects.map(() => []);
    for (let r = 0; r < options.runs; r++) {
      for (let j = 0; j < subjects.length; j++) {
        const k = (j + r) % subjects.length;
        const s = subjects[k]!;
        await s.reset();
        collectGarbage();
        const t0 = performance.now();
        await s.run();
        samples[k]!.push(performance.now() - t0);
      }
      log(`${workload.id}: round ${r + 1}/${options.runs}: ${subjects.map((s, k) => `${s.name} ${samples[k]!.at(-1)!.toFixed(1)} ms`).join(", ")}`);
    }
    // ratios are of the time per unit, so a subject doing fewer steps a run compares fairly
    const ourMsPerUnit = median(samples[0]!) / unitsPerRun(workload.metric, subjects[0]!);
    const { work } = workload;
    return {
      id: workload.id,
      title: workload.title,
      description: workload.description,
      metric: workload.metric,
      agreements,
      ...(prepared.skipped?.length ? { skipped: prepared.skipped } : {}),
      ...(work ? { work } : {}),
      subjects: subjects.map((s, k) => {
        const ms = samples[k]!;
        const med = median(ms);
        const units = unitsPerRun(workload.metric, s);
        const msPerUnit = med / units;
        return {
          name: s.name,
          library: s.library,
          note: s.note,
          samplesMs: ms,
          medianMs: med,
          minMs: Math.min(...ms),
          maxMs: Math.max(...ms),
          figure: figureOf(workload.metric, med, units),
          unitsPerRun: units,
          nsPerSampleUnit: work ? (msPerUnit * 1e6) / work.samples : null,
          peakShare: work && options.peakFlops ? work.flops / (msPerUnit / 1000) / options.peakFlops : null,
          speedup: k === 0 ? null : msPerUnit / ourMsPerUnit,
          target: k === 0 ? null : (TARGETS[s.name] ?? null),
          ceiling: k === 0 ? null : (s.maxRatio ?? null),
        };
      }),
    };
  } finally {
    prepared.dispose?.();
  }
}

/** Only the fairness contracts, without timings, and the lines of peers skipped. */
export async function checkWorkload(workload: Workload): Promise<Agreement[] & { skipped?: string[] }> {
  const prepared = await workload.setup();
  try {
    const agreements: Agreement[] & { skipped?: string[] } = await prepared.check();
    if (prepared.skipped?.length) agreements.skipped = prepared.skipped;
    return agreements;
  } finally {
    prepared.dispose?.();
  }
}
