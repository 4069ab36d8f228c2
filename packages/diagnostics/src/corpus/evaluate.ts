import { createTrainingRun, type TrainingRun, type RunDocument } from "@backprop-lab/core";
import { attachDiagnostics, type ClipOption } from "../attach.js";
import { clipByNormHook } from "../clip.js";
import { FINDING_CODES, FINDING_SEVERITY, type FindingCode } from "../findings.js";
import { applyFix, type Fix } from "../fixes.js";
import { labelRun, RUN_LABELS, type LabelResult, type RunLabel } from "./label.js";
import { recordSegment, type Detection, type Segment } from "./record.js";
import type { CorpusEntry } from "./spec.js";

/**
 * The labels each finding claims: a finding on a run with another label is
 * a false alarm, and a run with one of these labels the finding misses is a
 * miss. `non-finite` is scored against the fact (a non-finite step), not a label.
 */
export const FINDING_TARGETS: Record<FindingCode, readonly RunLabel[]> = {
  "non-finite": ["exploding", "l2-bug"],
  "exploding-gradients": ["exploding", "l2-bug"],
  "loss-spike": ["exploding", "unstable", "l2-bug"],
  "learning-rate-too-high": ["exploding", "unstable"],
  "learning-rate-too-low": ["plateau"],
  "vanishing-gradients": ["vanishing"],
  "saturated-units": ["vanishing", "plateau"],
  "dead-units": ["dead-units"],
  "no-biases": ["plateau"],
  "regularization-too-strong": ["plateau"],
  // it tests the gradient itself, so it is right on a course-bug run before the loss shows the bug too
  "gradient-check-failed": ["l2-bug", "l2-bug-latent"],
};

export interface RunResult {
  entry: CorpusEntry;
  label: LabelResult;
  firstNonFinite: number;
  detections: Detection[];
  /** For every detection with a fix: whether the run is healthy after it, and after a second fix. */
  cures: CureResult[];
}

export interface CureResult {
  code: FindingCode;
  fix: Fix;
  healthy: boolean;
  /** The label of the run after the fix. */
  after: RunLabel;
  /** The second fix suggested after the first (null when none was); `loosened`: the same finding's second fix undoes the first. */
  second: { fix: Fix; after: RunLabel; worse: boolean; loosened: boolean } | null;
}

/** A fix that changes the network, the inputs or the batch cannot act mid-run: the run restarts with it. */
function needsRestart(fix: Fix): boolean {
  const p = fix.patch;
  return p.network !== undefined || p.init !== undefined || p.features !== undefined || p.seed !== undefined || p.training?.batchSize !== undefined || p.training?.loss !== undefined;
}

function finiteParams(run: TrainingRun): boolean {
  for (const v of run.net.params) if (!Number.isFinite(v)) return false;
  return true;
}

interface PlanStep {
  /** Updates of the current run object before the fix is applied. */
  after: number;
  fix: Fix;
  /** The weights are spoilt (an explosion): start over with the fixed settings, as a face's fix key does. */
  restart: boolean;
}

/**
 * After an explosion, or training on a wrong gradient, the weights at the
 * step of detection are spoilt: the copy starts over with the fix.
 */
const RESTART_CODES: readonly FindingCode[] = ["non-finite", "exploding-gradients", "gradient-check-failed"];

/**
 * Replays `config`, applying each fix of `plan` after its number of updates
 * (mid-run with trainer.configure and a clip hook, or by restarting with the
 * fixed config when the fix changes the network or batch, or the weights
 * already overflowed), then records `steps` more updates with diagnostics.
 */
function replay(config: RunDocument, plan: PlanStep[], steps: number): Segment & { resumed: boolean } {
  let resumed = false;
  let cfg = config;
  let run = createTrainingRun(cfg);
  let clip: ClipOption | undefined;
  let detachClip: (() => void) | null = null;
  for (const { after, fix, restart } of plan) {
    for (let i = 0; i < after; i++) run.step();
    cfg = applyFix(cfg, fix);
    if (fix.clip) clip = fix.clip;
    if (restart || needsRestart(fix) || !finiteParams(run)) {
      run = createTrainingRun(cfg);
      detachClip = null;
      resumed = false;
    } else {
      resumed = true;
      const t = cfg.training;
      run.trainer.configure({ learningRate: t.learningRate, optimizer: t.optimizer, schedule: t.schedule, regularization: t.regularization });
    }
    detachClip?.();
    detachClip = clip && clip.kind === "norm" ? run.trainer.addHook(clipByNormHook(clip.maxNorm)) : null;
  }
  detachClip?.();
  const diagnostics = attachDiagnostics(run, clip ? { clip } : {});
  return { ...recordSegment(run, steps, diagnostics), resumed };
}

/** The first detection that offers a fix (what a face's one key applies). */
function firstFixable(detections: Detection[]): Detection | null {
  const rank = { error: 0, warning: 1, info: 2 } as const;
  const withFix = detections.filter((d) => d.fix !== null);
  withFix.sort((a, b) => a.step - b.step || rank[a.severity] - rank[b.severity]);
  return withFix[0] ?? null;
}

function configAfter(config: RunDocument, plan: PlanStep[]): RunDocument {
  let c = config;
  for (const p of plan) c = applyFix(c, p.fix);
  return c;
}

/** The momentum of a config's optimizer (0 without momentum) and its batch in rows (Infinity for the full set). */
const momentumOf = (c: RunDocument): number => (c.training.optimizer.kind === "momentum" ? (c.training.optimizer.momentum ?? 0.9) : 0);
const batchOf = (c: RunDocument): number => (c.training.batchSize === "full" ? Infinity : c.training.batchSize);

/** A second fix that undoes part of the first: a rate raised back, momentum raised back, a smaller batch. */
function undoes(config: RunDocument, first: PlanStep[], second: PlanStep[]): boolean {
  const a = configAfter(config, first);
  const b = configAfter(config, second);
  return b.training.learningRate > a.training.learningRate || momentumOf(b) > momentumOf(a) || batchOf(b) < batchOf(a);
}

export function cure(entry: CorpusEntry, d: Detection): CureResult {
  const fix = d.fix!;
  const plan = [{ after: d.step - 1, fix, restart: RESTART_CODES.includes(d.code) }];
  const seg = replay(entry.config, plan, entry.steps);
  const after = labelRun(seg.trajectory, applyFix(entry.config, fix), { resumed: seg.resumed }).label;
  let second: CureResult["second"] = null;
  const next = firstFixable(seg.detections);
  if (next) {
    const plan2 = [...plan, { after: next.step - 1, fix: next.fix!, restart: RESTART_CODES.includes(next.code) }];
    const seg2 = replay(entry.config, plan2, entry.steps);
    const after2 = labelRun(seg2.trajectory, applyFix(applyFix(entry.config, fix), next.fix!), { resumed: seg2.resumed }).label;
    // the same finding again, with a fix that undoes the first: a looser clip, or a rate or momentum raised back, a smaller batch
    const loosened =
      next.code === d.code &&
      ((fix.clip !== undefined && next.fix!.clip !== undefined && next.fix!.clip.maxNorm > fix.clip.maxNorm) ||
        (fix.id === "lower-learning-rate" && undoes(entry.config, plan, plan2)));
    second = { fix: next.fix!, after: after2, worse: after === "healthy" && after2 !== "healthy", loosened };
  }
  return { code: d.code, fix, healthy: after === "healthy", after, second };
}

/** Runs and labels one corpus entry; with `cures`, replays every fix it was offered. */
export function evaluateEntry(entry: CorpusEntry, options: { cures?: boolean } = {}): RunResult {
  const run = createTrainingRun(entry.config);
  const diagnostics = attachDiagnostics(run);
  const seg = recordSegment(run, entry.steps, diagnostics);
  const label = labelRun(seg.trajectory, entry.config);
  const cures: CureResult[] = [];
  if (options.cures && label.label !== "healthy") {
    for (const d of seg.detections) if (d.fix) cures.push(cure(entry, d));
  }
  return { entry, label, firstNonFinite: seg.trajectory.firstNonFinite, detections: seg.detections, cures };
}

export interface FindingRow {
  code: FindingCode | string;
  precision: number;
  recall: number;
  support: number;
  fired: number;
  medianDelay: number;
}

function median(xs: number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export interface Summary {
  runs: number;
  byLabel: Record<RunLabel, number>;
  findings: FindingRow[];
  labels: FindingRow[];
  healthy: { runs: number; withError: number; withWarning: number; withInfo: number; codes: Record<string, number> };
  nonFinite: { runs: number; caughtAtStep: number };
  cures: { code: string; offered: number; cured: number; twiceWorse: number; loosened: number }[];
  firstFix: { label: RunLabel; runs: number; cured: number }[];
}

/** Precision, recall, support and detection delay per finding and per label. */
export function summarize(results: RunResult[]): Summary {
  const byLabel = Object.fromEntries(RUN_LABELS.map((l) => [l, 0])) as Record<RunLabel, number>;
  for (const r of results) byLabel[r.label.label]++;
  const findings: FindingRow[] = FINDING_CODES.map((code) => {
    const targets = FINDING_TARGETS[code];
    const relevant = (r: RunResult) => (code === "non-finite" ? r.firstNonFinite >= 0 : targets.includes(r.label.label));
    let tp = 0;
    let fired = 0;
    let support = 0;
    const delays: number[] = [];
    for (const r of results) {
      const d = r.detections.find((x) => x.code === code);
      const rel = relevant(r);
      if (rel) support++;
      if (d) fired++;
      if (d && rel) {
        tp++;
        const onset = code === "non-finite" ? r.firstNonFinite : r.label.onset;
        delays.push(d.step - onset);
      }
    }
    return { code, precision: fired ? tp / fired : Number.NaN, recall: support ? tp / support : Number.NaN, support, fired, medianDelay: median(delays) };
  });
  const labels: FindingRow[] = RUN_LABELS.filter((l) => l !== "healthy").map((label) => {
    const codes = FINDING_CODES.filter((c) => FINDING_TARGETS[c].includes(label));
    let tp = 0;
    let fired = 0;
    let support = 0;
    const delays: number[] = [];
    for (const r of results) {
      const ds = r.detections.filter((d) => codes.includes(d.code));
      const rel = r.label.label === label;
      if (rel) support++;
      // a label counts as predicted when a finding claims it and no finding claims a label earlier in the list
      if (ds.length) fired++;
      if (ds.length && rel) {
        tp++;
        delays.push(Math.min(...ds.map((d) => d.step)) - r.label.onset);
      }
    }
    return { code: label, precision: fired ? tp / fired : Number.NaN, recall: support ? tp / support : Number.NaN, support, fired, medianDelay: median(delays) };
  });
  const healthyRuns = results.filter((r) => r.label.label === "healthy");
  const codes: Record<string, number> = {};
  for (const r of healthyRuns) for (const d of r.detections) codes[d.code] = (codes[d.code] ?? 0) + 1;
  const sev = (r: RunResult, s: string) => r.detections.some((d) => d.severity === s || d.lastSeverity === s);
  const nonFiniteRuns = results.filter((r) => r.firstNonFinite >= 0);
  const caughtAtStep = nonFiniteRuns.filter((r) => r.detections.some((d) => d.code === "non-finite" && d.step <= r.firstNonFinite)).length;
  const cureRows = new Map<string, { code: string; offered: number; cured: number; twiceWorse: number; loosened: number }>();
  for (const r of results) {
    for (const c of r.cures) {
      const row = cureRows.get(c.code) ?? { code: c.code, offered: 0, cured: 0, twiceWorse: 0, loosened: 0 };
      row.offered++;
      if (c.healthy) row.cured++;
      if (c.second?.worse) row.twiceWorse++;
      if (c.second?.loosened) row.loosened++;
      cureRows.set(c.code, row);
    }
  }
  const firstFix = RUN_LABELS.filter((l) => l !== "healthy").map((label) => {
    const runs = results.filter((r) => r.label.label === label && r.cures.length > 0);
    let cured = 0;
    for (const r of runs) {
      const first = firstFixable(r.detections);
      const c = first && r.cures.find((x) => x.code === first.code);
      if (c?.healthy) cured++;
    }
    return { label, runs: runs.length, cured };
  });
  return {
    runs: results.length,
    byLabel,
    findings,
    labels,
    healthy: {
      runs: healthyRuns.length,
      withError: healthyRuns.filter((r) => sev(r, "error")).length,
      withWarning: healthyRuns.filter((r) => sev(r, "warning")).length,
      withInfo: healthyRuns.filter((r) => sev(r, "info")).length,
      codes,
    },
    nonFinite: { runs: nonFiniteRuns.length, caughtAtStep },
    cures: FINDING_CODES.filter((c) => cureRows.has(c)).map((c) => cureRows.get(c)!),
    firstFix,
  };
}

const f2 = (x: number) => (Number.isNaN(x) ? "    –" : x.toFixed(2).padStart(5));
const pad = (s: string | number, w: number) => String(s).padStart(w);

/** The summary as text tables in scikit-learn's classification_report layout. */
export function formatSummary(s: Summary): string {
  const lines: string[] = [];
  lines.push(`${s.runs} runs: ${RUN_LABELS.map((l) => `${s.byLabel[l]} ${l}`).join(", ")}`);
  lines.push("");
  const table = (title: string, rows: FindingRow[]) => {
    lines.push(`${title.padEnd(26)} precision  recall  support  fired  median steps onset→detection`);
    for (const r of rows) lines.push(`${String(r.code).padEnd(26)} ${f2(r.precision).padStart(9)} ${f2(r.recall).padStart(7)} ${pad(r.support, 8)} ${pad(r.fired, 6)} ${pad(Number.isNaN(r.medianDelay) ? "–" : r.medianDelay, 8)}`);
    lines.push("");
  };
  table("finding", s.findings);
  table("label (any finding)", s.labels);
  const h = s.healthy;
  lines.push(`healthy runs: ${h.runs}; with an error: ${h.withError}; with a warning: ${h.withWarning} (${h.runs ? ((100 * h.withWarning) / h.runs).toFixed(1) : "0"} %); with info: ${h.withInfo}${Object.keys(h.codes).length ? ` (${Object.entries(h.codes).map(([c, n]) => `${c} ${n}`).join(", ")})` : ""}`);
  lines.push(`non-finite runs: ${s.nonFinite.runs}; caught at the step it happened: ${s.nonFinite.caughtAtStep}`);
  lines.push("");
  if (s.cures.length) {
    lines.push(`${"fix offered by".padEnd(26)}  offered  cured  twice-worse  loosened`);
    for (const c of s.cures) lines.push(`${c.code.padEnd(26)} ${pad(c.offered, 8)} ${pad(c.cured, 6)} ${pad(c.twiceWorse, 12)} ${pad(c.loosened, 9)}`);
    lines.push("");
    lines.push(`${"first fix on label".padEnd(26)}  runs  cured`);
    for (const c of s.firstFix) lines.push(`${c.label.padEnd(26)} ${pad(c.runs, 5)} ${pad(c.cured, 6)}${c.runs ? `  (${((100 * c.cured) / c.runs).toFixed(0)} %)` : ""}`);
  }
  return lines.join("\n");
}

export { FINDING_SEVERITY };
