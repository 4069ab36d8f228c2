import { describe, expect, it } from "vitest";
import { gridPoints } from "./grid.js";
import { machineInfo } from "./machine.js";
import { formatNumber, renderResultsMarkdown, targetReach } from "./report.js";
import { figureOf, median, type WorkloadResult } from "./runner.js";

describe("runner arithmetic", () => {
  it("takes the median of odd and even counts without reordering the samples", () => {
    const samples = [5, 1, 3];
    expect(median(samples)).toBe(3);
    expect(samples).toEqual([5, 1, 3]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow();
  });

  it("turns a run time into steps per second or milliseconds", () => {
    expect(figureOf({ kind: "rate", perRun: 1000, unit: "steps/s" }, 250)).toBe(4000);
    expect(figureOf({ kind: "time", unit: "ms/grid" }, 12.5)).toBe(12.5);
  });

  it("prints three significant digits", () => {
    expect(formatNumber(12345)).toBe("12,300");
    expect(formatNumber(183.4)).toBe("183");
    expect(formatNumber(4.519)).toBe("4.52");
    expect(formatNumber(0.031234)).toBe("0.0312");
  });
});

describe("RESULTS.md", () => {
  const machine = machineInfo(new Date("2025-01-02T03:04:05Z"));
  const subject = (name: string, medianMs: number, speedup: number | null, target: number | null, ceiling: number | null = null) => ({
    name,
    library: `${name} lib`,
    note: `${name} note`,
    samplesMs: [medianMs],
    medianMs,
    minMs: medianMs,
    maxMs: medianMs,
    figure: 1000 / medianMs,
    speedup,
    target,
    ceiling,
  });
  const result: WorkloadResult = {
    id: "A",
    title: "a title",
    description: "a description",
    metric: { kind: "rate", perRun: 1, unit: "steps/s" },
    subjects: [subject("backprop-lab", 1, null, null), subject("tfjs-cpu", 4, 4, 3), subject("brain.js", 1.5, 1.5, 1.8)],
    agreements: [{ subject: "tfjs-cpu", quantity: "loss", precision: "float32", relativeError: 7.7e-8, tolerance: 1e-6 }],
  };
  const md = renderResultsMarkdown([result], machine, { runs: 5, warmup: 1 });

  it("names the date, the machine and the method", () => {
    expect(machine.cores).toBeGreaterThanOrEqual(1);
    expect(machine.cpu.length).toBeGreaterThan(0);
    expect(md).toContain("on 2025-01-02");
    expect(md).toContain(`${machine.cpu}, ${machine.cores} logical cores`);
    expect(md).toContain(`Node ${process.version}`);
    expect(md).toContain("5 timed runs per subject");
    expect(md).toContain(`Load average when the run started: ${machine.load.toFixed(2)} (1 min)`);
  });

  it("gives a workload without peers, or with other peers, blank cells in the summary", () => {
    const solo: WorkloadResult = { ...result, id: "E", title: "solo", metric: { kind: "time", unit: "ms" }, subjects: [{ ...subject("backprop-lab API", 2, null, null), figure: 2 }], agreements: [] };
    const other: WorkloadResult = { ...result, id: "F", title: "other", subjects: [subject("bare", 1, null, null), subject("with hooks", 2, 2, null)], agreements: [] };
    const lines = renderResultsMarkdown([result, solo, other], machine, { runs: 5, warmup: 1 }).split("\n");
    expect(lines).toContain("| workload | ours | tfjs-cpu | brain.js | with hooks | ours vs tfjs-cpu (target ≥ 3×) | ours vs brain.js (target ≥ 1.8×) | ours vs with hooks |");
    expect(lines).toContain("| E: solo | 2.00 ms |  |  |  |  |  |  |");
    expect(lines).toContain("| F: other | 1,000 steps/s |  |  | 500 steps/s |  |  | 2.00× |");
    const summary = lines.filter((l) => l.startsWith("| ") && lines.indexOf(l) < lines.indexOf("## A: a title"));
    expect(new Set(summary.map((l) => l.split(" | ").length)).size).toBe(1);
  });

  it("gives each ratio against its target and lists the misses", () => {
    expect(md).toContain("| A: a title | 1,000 steps/s | 250 steps/s | 667 steps/s | 4.00× (≥ 3× ✓) | 1.50× (target 1.8× ✗) |");
    expect(md).toContain("Targets missed: A vs brain.js.");
    expect(md).toContain("- tfjs-cpu: loss: relative error 7.7e-8 (float32, bound 1.0e-6) ✓");
  });

  it("checks a ceiling (at most so many times ours) and lists a subject over it as missed", () => {
    const within: WorkloadResult = { ...result, id: "F", title: "overhead", subjects: [subject("bare", 1, null, null), subject("with hooks", 1.05, 1.05, null, 1.1)], agreements: [] };
    const over: WorkloadResult = { ...within, id: "G", subjects: [subject("bare", 1, null, null), subject("with hooks", 1.2, 1.2, null, 1.1)] };
    const ok = renderResultsMarkdown([within], machine, { runs: 5, warmup: 1 });
    expect(ok).toContain("1.05× (≤ 1.1× ✓)");
    expect(ok).toContain("Every target is met.");
    const missed = renderResultsMarkdown([within, over], machine, { runs: 5, warmup: 1 });
    expect(missed).toContain("1.20× (target ≤ 1.1× ✗)");
    expect(missed).toContain("Targets missed: G vs with hooks.");
  });

  it("says what a missed target asks of the kernels against one core's peak", () => {
    // ours: 100 steps in a 50 ms run = 2,000 steps/s of 1e7 flops = 20 GFLOP/s; a peer at 1.5× of a 2× target
    // needs 2,000 × 2 / 1.5 steps/s = 26.7 GFLOP/s; against a 25 GFLOP/s peak that is 107 % (ours 80 %)
    const sized: WorkloadResult = {
      ...result,
      id: "C",
      metric: { kind: "rate", perRun: 100, unit: "steps/s" },
      work: { samples: 1000, flops: 1e7 },
      subjects: [
        { ...subject("backprop-lab", 50, null, null), unitsPerRun: 100 },
        { ...subject("numpy", 75, 1.5, 2), unitsPerRun: 100 },
        { ...subject("tfjs-wasm", 500, 10, 1.5), unitsPerRun: 100 },
      ],
    };
    expect(targetReach([sized], 25e9)).toEqual([
      "C vs numpy: 2× needs 26.7 GFLOP/s in the matrix products alone, 107 % of the peak (ours reached 80.0 %): more than one core can do, whatever the kernel.",
    ]);
    expect(targetReach([sized], 40e9)[0]).toMatch(/66.7 % of the peak \(ours reached 50.0 %\): within one core's reach\.$/);
    expect(renderResultsMarkdown([sized], machine, { runs: 5, warmup: 1, peak: { flopsPerSecond: 25e9, chains: 12, iterations: 1, method: "m" } })).toContain("- C vs numpy: 2× needs 26.7 GFLOP/s");
  });
});

describe("gridPoints", () => {
  it("lays cell centres over [-6, 6]², x1 fastest, top row first, as float32 values", () => {
    const g = gridPoints(4);
    expect(g.length).toBe(32);
    expect(Array.from(g.slice(0, 8))).toEqual([-4.5, 4.5, -1.5, 4.5, 1.5, 4.5, 4.5, 4.5]);
    expect(Array.from(g.slice(24))).toEqual([-4.5, -4.5, -1.5, -4.5, 1.5, -4.5, 4.5, -4.5]);
    const h = gridPoints(200);
    expect(h.every((v) => Math.fround(v) === v && Math.abs(v) < 6)).toBe(true);
  });

});
