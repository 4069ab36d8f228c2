import type { MachineInfo } from "./machine.js";
import type { SimdPeak } from "./peak.js";
import type { RunOptions, SubjectResult, WorkloadResult } from "./runner.js";
import type { Agreement } from "./types.js";

/** 3 significant digits, thousands grouped: 12,300 · 183 · 4.52 · 0.0312. */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const digits = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(x) || 1)));
  return Number(x.toPrecision(3)).toLocaleString("en-US", { minimumFractionDigits: Math.min(digits, 20), maximumFractionDigits: Math.min(digits, 20) });
}

/** 1.2e-7, or 0 when exact. */
export function formatError(x: number): string {
  return x === 0 ? "0" : x.toExponential(1);
}

export function formatFigure(result: WorkloadResult, s: SubjectResult): string {
  return `${formatNumber(s.figure)} ${result.metric.unit}`;
}

export function formatSpeedup(s: SubjectResult): string {
  if (s.speedup === null) return "—";
  const mark =
    s.ceiling !== null
      ? s.speedup <= s.ceiling
        ? ` (≤ ${s.ceiling}× ✓)`
        : ` (target ≤ ${s.ceiling}× ✗)`
      : s.target === null
        ? ""
        : s.speedup >= s.target
          ? ` (≥ ${s.target}× ✓)`
          : ` (target ${s.target}× ✗)`;
  return `${s.speedup.toFixed(2)}×${mark}`;
}

export function agreementHolds(a: Agreement): boolean {
  return a.relativeError <= a.tolerance;
}

export function formatAgreement(a: Agreement): string {
  return `${a.subject}: ${a.quantity}: relative error ${formatError(a.relativeError)} (${a.precision}, bound ${formatError(a.tolerance)}) ${agreementHolds(a) ? "✓" : "✗"}`;
}

/** What `--check` prints for one workload: each agreement, then each peer skipped. */
export function formatCheckResult(workload: { id: string; title: string }, agreements: Agreement[], skipped: readonly string[] = []): string {
  return `${workload.id}  ${workload.title}\n${agreements.map((a) => `  ${formatAgreement(a)}\n`).join("")}${skipped.map((line) => `  ${line}\n`).join("")}`;
}

/** "123 ns (4.5 % of peak)" for one subject, or "" where the workload gives no size. */
export function formatWork(s: SubjectResult): string {
  if (s.nsPerSampleUnit === undefined || s.nsPerSampleUnit === null) return "";
  const share = s.peakShare === undefined || s.peakShare === null ? "" : ` (${formatNumber(100 * s.peakShare)} % of peak)`;
  return `${formatNumber(s.nsPerSampleUnit)} ns${share}`;
}

/** "1.90e+10 flop/s" as "19.0 GFLOP/s". */
/**
 * For every missed speed-up target on a workload of known size: the matrix-product flops per second ours would
 * have to sustain to meet it (our units per second × target ÷ speed-up, times the flops of a unit), as a share of
 * the measured one-core SIMD peak, beside the share ours reached. Over 100 % no one-thread kernel can meet it.
 */
export function targetReach(results: readonly WorkloadResult[], peakFlops: number): string[] {
  const lines: string[] = [];
  for (const r of results) {
    const ours = r.subjects[0];
    if (!r.work || !ours) continue;
    const oursUnitsPerSecond = ((ours.unitsPerRun ?? 1) * 1000) / ours.medianMs;
    for (const s of r.subjects) {
      if (s.speedup === null || s.target === null || s.speedup >= s.target) continue;
      const need = r.work.flops * oursUnitsPerSecond * (s.target / s.speedup);
      const reached = r.work.flops * oursUnitsPerSecond;
      const verdict = need > peakFlops ? "more than one core can do, whatever the kernel" : "within one core's reach";
      lines.push(
        `${r.id} vs ${s.name}: ${s.target}× needs ${formatFlops(need)} in the matrix products alone, ` +
          `${formatNumber((100 * need) / peakFlops)} % of the peak (ours reached ${formatNumber((100 * reached) / peakFlops)} %): ${verdict}.`,
      );
    }
  }
  return lines;
}

export function formatFlops(flopsPerSecond: number): string {
  return `${formatNumber(flopsPerSecond / 1e9)} GFLOP/s`;
}

/** The console block for one workload. */
export function formatWorkloadResult(result: WorkloadResult): string {
  const rows = result.subjects.map((s) => [
    s.name,
    formatFigure(result, s),
    `${formatNumber(s.medianMs)} ms`,
    `${formatNumber(s.minMs)}–${formatNumber(s.maxMs)} ms`,
    formatSpeedup(s),
  ]);
  const head = ["subject", result.metric.unit, "median run", "range", "ours is"];
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]) => "  " + cells.map((cell, c) => cell.padEnd(widths[c]!)).join("  ").trimEnd();
  return [
    `${result.id}  ${result.title}`,
    line(head),
    ...rows.map(line),
    ...result.agreements.map((a) => `  check ${formatAgreement(a)}`),
    ...(result.skipped ?? []).map((line) => `  ${line}`),
  ].join("\n");
}

/** RESULTS.md: the latest figures with the date and the machine. */
export function renderResultsMarkdown(
  results: WorkloadResult[],
  machine: MachineInfo,
  options: Pick<RunOptions, "runs" | "warmup"> & { peak?: SimdPeak; notes?: readonly string[] },
): string {
  // workloads may have different peers (or none): one column per peer seen anywhere, blank where absent
  const peers = [...new Set(results.flatMap((r) => r.subjects.slice(1).map((s) => s.name)))];
  const peerOf = (r: WorkloadResult, name: string) => r.subjects.slice(1).find((s) => s.name === name);
  const out: string[] = [];
  out.push("# Benchmark results", "");
  out.push(`Written by \`pnpm bench\` (tooling/bench) on ${machine.date}. Do not edit by hand: run \`pnpm bench\` at the repository root to regenerate.`, "");
  out.push(`- Machine: ${machine.cpu}, ${machine.cores} logical cores, ${machine.platform}`);
  out.push(`- Node ${machine.node}`);
  out.push(`- Load average when the run started: ${machine.load.toFixed(2)} (1 min) on ${machine.cores} cores${machine.load > machine.cores ? ": other work shared the CPU, so absolute figures are low and the ratios are what to read" : ""}`);
  out.push(
    `- Method: ${options.warmup} warm-up run(s), then ${options.runs} timed runs per subject, interleaved (each round runs every subject once, the order rotating), each workload in a Node process of its own (no JIT state carried over from another workload); figures are from the median run. The machine may be shared, so the min–max range is printed too.`,
  );
  if (options.peak) out.push(`- SIMD peak of one core, measured: ${formatFlops(options.peak.flopsPerSecond)} (${options.peak.method})`);
  for (const note of options.notes ?? []) out.push(`- ${note}`);
  out.push("");
  out.push("## Summary", "");
  const targetOf = (name: string) => results.map((r) => peerOf(r, name)?.target ?? null).find((t) => t !== null) ?? null;
  const row = (cells: string[]) => `| ${cells.join(" | ")} |`;
  out.push(row(["workload", "ours", ...peers, ...peers.map((p) => `ours vs ${p}${targetOf(p) === null ? "" : ` (target ≥ ${targetOf(p)}×)`}`)]));
  out.push(row(Array.from({ length: 2 + 2 * peers.length }, () => "---")));
  for (const r of results) {
    const ours = r.subjects[0];
    const figures = peers.map((p) => {
      const s = peerOf(r, p);
      return s ? formatFigure(r, s) : "";
    });
    const ratios = peers.map((p) => {
      const s = peerOf(r, p);
      return s ? formatSpeedup(s) : "";
    });
    out.push(row([`${r.id}: ${r.title}`, ours ? formatFigure(r, ours) : "", ...figures, ...ratios]));
  }
  const missed = results.flatMap((r) =>
    r.subjects
      .filter((s) => s.speedup !== null && ((s.target !== null && s.speedup < s.target) || (s.ceiling !== null && s.speedup > s.ceiling)))
      .map((s) => `${r.id} vs ${s.name}`),
  );
  out.push("", missed.length === 0 ? "Every target is met." : `Targets missed: ${missed.join(", ")}.`, "");
  const reach = options.peak ? targetReach(results, options.peak.flopsPerSecond) : [];
  if (reach.length > 0) out.push("What a missed target asks of our kernels, set against the measured peak of one core:", "", ...reach.map((line) => `- ${line}`), "");
  const skipped = [...new Set(results.flatMap((r) => r.skipped ?? []))];
  if (skipped.length > 0) out.push(...skipped.map((line) => `- ${line}`), "");

  // time per sample and unit, and the share of the SIMD peak, where a workload gives its size
  const sized = results.filter((r) => r.work);
  if (sized.length > 0) {
    const names = [...new Set(sized.flatMap((r) => r.subjects.map((s) => s.name)))];
    out.push("## Time per sample and share of the SIMD peak", "");
    out.push(
      `Median time of one unit (a training step, a grid) over its samples (N rows, or the grid's cells), and the matrix-product flops of that unit per second over the measured SIMD peak${options.peak ? ` (${formatFlops(options.peak.flopsPerSecond)})` : ""}. Activations, biases and updates are not counted, so the share is a lower bound.`,
      "",
    );
    out.push(row(["workload", "flops a unit", ...names.map((n) => `${n}: ns per sample·unit`)]));
    out.push(row(Array.from({ length: 2 + names.length }, () => "---")));
    for (const r of sized) {
      out.push(row([r.id, formatNumber(r.work!.flops), ...names.map((n) => { const s = r.subjects.find((x) => x.name === n); return s ? formatWork(s) : ""; })]));
    }
    out.push("");
  }

  for (const r of results) {
    out.push(`## ${r.id}: ${r.title}`, "", r.description, "");
    out.push(`| subject | library | one run | median run | min–max | ${r.metric.unit} | ours is |`);
    out.push("| --- | --- | --- | --- | --- | --- | --- |");
    for (const s of r.subjects) {
      out.push(
        `| ${s.name} | ${s.library} | ${s.note} | ${formatNumber(s.medianMs)} ms | ${formatNumber(s.minMs)}–${formatNumber(s.maxMs)} ms | ${formatNumber(s.figure)} | ${formatSpeedup(s)} |`,
      );
    }
    out.push("", "Fairness check (the same numbers from the same start, measured before timing):", "");
    for (const a of r.agreements) out.push(`- ${formatAgreement(a)}`);
    for (const line of r.skipped ?? []) out.push(`- ${line}`);
    out.push("");
  }
  return out.join("\n");
}
