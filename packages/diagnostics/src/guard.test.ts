import { createRun, presetConfig, type RunConfig } from "@backprop-lab/core";
import { describe, expect, it } from "vitest";
import { createDivergenceGuard } from "./guard.js";
import { createDivergingRun, divergingConfig, expectClose } from "./test-helpers.js";
import { GUARD_FACTOR } from "./thresholds.js";

describe("createDivergenceGuard", () => {
  it("the diverging run overflows within a few steps without a guard", () => {
    const run = createDivergingRun();
    let firstBad = -1;
    for (let i = 0; i < 20 && firstBad < 0; i++) if (!run.step().finite) firstBad = run.trainer.steps;
    expect(firstBad).toBeGreaterThan(0);
    expect(firstBad).toBeLessThanOrEqual(10);
  });

  it("vetoes diverging steps, restores the last healthy parameters and lowers the learning rate", () => {
    const run = createDivergingRun();
    // what each step started from, to compare a rollback against
    const startedFrom = new Map<number, Float64Array>();
    run.trainer.addHook((ctx) => void startedFrom.set(ctx.report.step, ctx.net.params.slice()));
    const guard = createDivergenceGuard(run.trainer);
    run.trainer.addHook(guard.hook);
    const restoredAfter = new Map<number, Float64Array>();
    for (let i = 0; i < 300; i++) {
      const report = run.step();
      if (report.skipped) restoredAfter.set(report.step, run.net.params.slice());
    }
    const events = guard.events();
    expect(events.length).toBeGreaterThan(0);
    expect(guard.rollbacks).toBe(events.length);
    let lr = divergingConfig().training.learningRate;
    for (const e of events) {
      expect(e.learningRateBefore).toBe(lr);
      expectClose(e.learningRateAfter, lr * GUARD_FACTOR, 0);
      lr = e.learningRateAfter;
      // the parameters after the vetoed step are exactly those the restored step started from
      expect(e.restoredStep).toBeLessThan(e.step);
      expect(Array.from(restoredAfter.get(e.step)!)).toEqual(Array.from(startedFrom.get(e.restoredStep + 1)!));
    }
    expect(run.trainer.settings().learningRate).toBe(lr);
    // training goes on, finite, at the lowered rate
    expect(Array.from(run.net.params).every(Number.isFinite)).toBe(true);
    const last = run.step();
    expect(last.finite).toBe(true);
    expect(last.skipped).toBe(false);
    expect(last.loss).toBeLessThan(1);
  });

  it("resets the optimizer's moments on a rollback, so Adam recovers too", () => {
    const config: RunConfig = divergingConfig();
    config.training.optimizer = { kind: "adam" };
    config.training.learningRate = 3;
    const run = createRun(config);
    const guard = createDivergenceGuard(run.trainer);
    run.trainer.addHook(guard.hook);
    const reports = [];
    for (let i = 0; i < 400; i++) reports.push({ ...run.step() });
    expect(guard.events().length).toBeGreaterThan(0);
    expect(run.trainer.settings().optimizer.kind).toBe("adam");
    expect(reports.slice(-20).every((r) => r.finite && !r.skipped)).toBe(true);
  });

  it("never acts on healthy runs, full-batch or mini-batch", () => {
    for (const id of ["course-2-3-2-bias", "playground-xor", "playground-spiral"]) {
      const run = createRun(presetConfig(id));
      const guard = createDivergenceGuard(run.trainer);
      run.trainer.addHook(guard.hook);
      for (let i = 0; i < 1000; i++) run.step();
      expect(guard.events(), id).toEqual([]);
    }
  });

  it("rejects a factor outside (0, 1)", () => {
    const run = createDivergingRun();
    expect(() => createDivergenceGuard(run.trainer, { factor: 1 })).toThrow(/factor/);
  });
});
