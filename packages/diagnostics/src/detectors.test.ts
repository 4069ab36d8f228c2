import { createTrainingRun, presetDocument, type RunDocument } from "@backprop-lab/core";
import { describe, expect, it } from "vitest";
import { attachDiagnostics } from "./attach.js";
import { createDetectors, type Detectors } from "./detectors.js";
import { FINDING_CODES, FINDING_NUMBERS } from "./findings.js";
import { labDocument } from "./labs.js";
import { createDivergingRun } from "../test/helpers.js";
import * as DEFAULT_THRESHOLDS from "./thresholds.js";
import { LOW_UPDATE_RATIO, SATURATED_FRACTION } from "./thresholds.js";

function withRate(id: string, learningRate: number): RunDocument {
  const config = presetDocument(id);
  config.training.learningRate = learningRate;
  return config;
}

function diagnose(config: RunDocument, steps: number) {
  const run = createTrainingRun(config);
  const diagnostics = attachDiagnostics(run);
  for (let i = 0; i < steps; i++) run.step();
  const findings = diagnostics.findings();
  return { run, diagnostics, findings, byCode: new Map(findings.map((f) => [f.code, f])) };
}

describe("detectors on real runs", () => {
  it("the explosion detector fires before the first NaN", () => {
    const run = createDivergingRun();
    const diagnostics = attachDiagnostics(run);
    let firstBad = -1;
    for (let i = 0; i < 30; i++) {
      const report = run.step();
      if (!report.finite && firstBad < 0) firstBad = report.step;
    }
    expect(firstBad).toBeGreaterThan(0);
    const byCode = new Map(diagnostics.findings().map((f) => [f.code, f]));
    const exploding = byCode.get("exploding-gradients")!;
    expect(exploding.severity).toBe("error");
    expect(exploding.firstStep).toBeLessThan(firstBad);
    expect(exploding.numbers.growth).toBeGreaterThanOrEqual(10);
    // an explosion's fix lowers the learning rate 100× (clipping at the old norm left the rate that overflowed)
    expect(exploding.fix!.id).toBe("lower-learning-rate");
    expect(exploding.fix!.patch).toEqual({ training: { learningRate: 0.003 } });
    // (loss-spike needs 10 steps in a row to confirm on full batches; this run overflows sooner, and exploding-gradients says it)
    expect(byCode.get("non-finite")!.firstStep).toBe(firstBad);
    expect(byCode.get("non-finite")!.fix!.patch).toEqual({ training: { learningRate: 0.003 } });
  });

  it("healthy presets raise no warning or error", () => {
    for (const id of ["playground-xor", "playground-circle", "playground-gauss", "playground-spiral", "course-2-3-2-bias", "course-2-4-2-bias"]) {
      const { findings } = diagnose(presetDocument(id), 2000);
      expect(findings.filter((f) => f.severity !== "info").map((f) => f.code), id).toEqual([]);
    }
  });

  it("learning rate too low: a plateau of tiny updates; the fix raises the rate", () => {
    const slow = diagnose(withRate("course-2-3-2-bias", 0.0003), 600).byCode.get("learning-rate-too-low");
    expect(slow).toBeDefined();
    expect(slow!.active).toBe(true);
    expect(slow!.numbers.updateRatio).toBeLessThan(LOW_UPDATE_RATIO);
    expect(slow!.fix!.patch).toEqual({ training: { learningRate: 0.001 } });
    expect(diagnose(presetDocument("course-2-3-2-bias"), 600).byCode.has("learning-rate-too-low")).toBe(false);
  });

  it("saturated units: the course's 50-neuron net at 400× its rate pins its sigmoid outputs", () => {
    const { byCode, run } = diagnose(withRate("course-2-50-2", 60), 300);
    const saturated = byCode.get("saturated-units")!;
    expect(saturated.numbers.layer).toBe(1);
    expect(saturated.numbers.saturatedFraction).toBeGreaterThanOrEqual(SATURATED_FRACTION);
    expect(run.trainer.report.loss).toBeGreaterThan(0.45);
    expect(byCode.get("loss-spike")!.numbers.ratio).toBeGreaterThan(1.9);
  });

  // lr 30 on the 2-3-2 only bounces for 3 steps now (no longer a spike); at 400× its rate the 50-neuron net climbs for good
  it("a real climb with a correct gradient passes the gradient check the spike triggers", () => {
    const { byCode, diagnostics } = diagnose(withRate("course-2-50-2", 60), 300);
    expect(byCode.has("loss-spike")).toBe(true);
    const checks = diagnostics.gradientChecks();
    expect(checks.length).toBeGreaterThan(0);
    expect(checks.every((c) => c.ok)).toBe(true);
    expect(byCode.has("gradient-check-failed")).toBe(false);
  });

  it("findings: one per code, errors first, the numbers named per code, messages in both languages", () => {
    const { findings } = diagnose(withRate("course-2-50-2", 60), 300);
    expect(new Set(findings.map((f) => f.code)).size).toBe(findings.length);
    const rank = { error: 0, warning: 1, info: 2 };
    for (let i = 1; i < findings.length; i++) expect(rank[findings[i]!.severity]).toBeGreaterThanOrEqual(rank[findings[i - 1]!.severity]);
    for (const f of findings) {
      expect(FINDING_CODES).toContain(f.code);
      expect(Object.keys(f.numbers)).toEqual([...FINDING_NUMBERS[f.code]]);
      expect(f.firstStep).toBeLessThanOrEqual(f.step);
      expect(f.message.en).not.toBe(f.message.es);
      expect(f.message.es.length).toBeGreaterThan(40);
      expect(JSON.parse(JSON.stringify(f))).toEqual(f);
    }
  });
});

describe("Detectors.reset", () => {
  // everything a face can read from detectors, as plain data
  const observe = (d: Detectors) => JSON.stringify({ findings: d.findings(), checks: d.gradientChecks(), health: d.monitor.health() });

  it("leaves detectors that see the rest of a run exactly as new ones do", () => {
    let findingsAfter = 0;
    for (const [id, config, before, after] of [
      ["exploding-learning-rate", labDocument("exploding-learning-rate"), 150, 300],
      ["dying-relu", labDocument("dying-relu"), 300, 300],
      ["vanishing-sigmoid", labDocument("vanishing-sigmoid"), 260, 200],
      ["saturated course-2-50-2", withRate("course-2-50-2", 60), 150, 150],
    ] as const) {
      const run = createTrainingRun(config);
      const options = { stepsPerEpoch: run.batcher.batchesPerEpoch };
      const used = createDetectors(run.trainer, options);
      run.trainer.addHook(used.hook);
      for (let i = 0; i < before; i++) run.step();
      expect(used.findings().length, id).toBeGreaterThan(0);
      used.reset();
      expect(used.findings(), id).toEqual([]);
      expect(used.gradientChecks(), id).toEqual([]);
      expect(used.monitor.health().every((h) => h.step === 0 && h.gradNorm === 0), id).toBe(true);
      const fresh = createDetectors(run.trainer, options);
      run.trainer.addHook(fresh.hook);
      for (let i = 0; i < after; i++) {
        run.step();
        expect(observe(used), `${id}, step ${run.trainer.report.step}`).toBe(observe(fresh));
      }
      findingsAfter += fresh.findings().length;
    }
    expect(findingsAfter).toBeGreaterThan(0);
  });
});

describe("stale findings", () => {
  it("a finding whose evidence stopped holding leaves findings() after STALE_STEPS steps", () => {
    // the guard rolls the diverging run back and lowers its rate: the explosion is history
    const run = createDivergingRun();
    const diagnostics = attachDiagnostics(run, { guard: true });
    for (let i = 0; i < 30; i++) run.step();
    expect(diagnostics.guardEvents().length).toBeGreaterThan(0);
    const exploding = diagnostics.findings().find((f) => f.code === "exploding-gradients");
    expect(exploding).toBeDefined();
    expect(exploding!.active).toBe(false);
    // still shown for STALE_STEPS steps after it last held...
    while (run.trainer.report.step < exploding!.step + DEFAULT_THRESHOLDS.STALE_STEPS) run.step();
    expect(diagnostics.findings().map((f) => f.code)).toContain("exploding-gradients");
    // ...then gone, and nothing left on screen quotes evidence older than that
    run.step();
    const left = diagnostics.findings();
    expect(left.map((f) => f.code)).not.toContain("exploding-gradients");
    for (const f of left) expect(f.active || run.trainer.report.step - f.step <= DEFAULT_THRESHOLDS.STALE_STEPS, f.code).toBe(true);
  });
});
