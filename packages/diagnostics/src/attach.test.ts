import { createTrainingRun, presetDocument } from "@backprop-lab/core";
import { describe, expect, it } from "vitest";
import { attachDiagnostics } from "./attach.js";
import { createDivergingRun } from "../test/helpers.js";

describe("attachDiagnostics", () => {
  it("monitors every run.step() until detached, and keeps its findings afterwards", () => {
    const run = createTrainingRun(presetDocument("course-2-3-2"));
    const diagnostics = attachDiagnostics(run);
    for (let i = 0; i < 1500; i++) run.step();
    expect(diagnostics.health().map((h) => h.step)).toEqual([1500, 1500]);
    const findings = diagnostics.findings();
    expect(findings.map((f) => f.code)).toEqual(["no-biases"]);
    diagnostics.detach();
    for (let i = 0; i < 10; i++) run.step();
    expect(diagnostics.health()[0]!.step).toBe(1500);
    expect(diagnostics.findings()).toEqual(findings);
    expect(diagnostics.clipStats()).toEqual({ steps: 0, clipped: 0 });
    expect(diagnostics.guardEvents()).toEqual([]);
  });

  it("clips after the monitor has seen the raw gradient, and counts how often", () => {
    const run = createTrainingRun(presetDocument("course-2-50-2"));
    const diagnostics = attachDiagnostics(run, { clip: { kind: "norm", maxNorm: 0.02 } });
    let clipped = 0;
    for (let i = 0; i < 100; i++) {
      const report = run.step();
      if (report.clipped) clipped++;
      // the health numbers describe the raw gradient: their norms add up to report.gradNorm
      const sumSq = diagnostics.health().reduce((s, h) => s + h.gradNorm ** 2, 0);
      expect(Math.abs(Math.sqrt(sumSq) - report.gradNorm)).toBeLessThanOrEqual(1e-15);
    }
    expect(diagnostics.clipStats()).toEqual({ steps: 100, clipped });
    expect(clipped).toBeGreaterThan(0);
    const byValueRun = createTrainingRun(presetDocument("course-2-50-2"));
    const byValue = attachDiagnostics(byValueRun, { clip: { kind: "value", limit: 1e-9 } });
    for (let i = 0; i < 10; i++) byValueRun.step();
    expect(byValue.clipStats()).toEqual({ steps: 10, clipped: 10 });
  });

  it("with the guard, a diverging run is rolled back instead of reaching NaN", () => {
    const run = createDivergingRun();
    const diagnostics = attachDiagnostics(run, { guard: true });
    const reports = [];
    for (let i = 0; i < 300; i++) reports.push({ ...run.step() });
    expect(reports.every((r) => r.finite)).toBe(true);
    const events = diagnostics.guardEvents();
    expect(events.length).toBeGreaterThan(0);
    expect(reports.filter((r) => r.skipped).map((r) => r.step)).toEqual(events.map((e) => e.step));
    expect(diagnostics.findings().find((f) => f.code === "non-finite")).toBeUndefined();
    expect(run.trainer.report.loss).toBeLessThan(0.5);
  });
});
