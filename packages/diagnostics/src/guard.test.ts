import { createTrainingRun, presetDocument, type RunDocument } from "@backprop-lab/core";
import { describe, expect, it } from "vitest";
import { createDivergenceGuard, GUARD_MIN_LEARNING_RATE } from "./guard.js";
import { createDivergingRun, divergingConfig, expectClose } from "../test/helpers.js";
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
    const config: RunDocument = divergingConfig();
    config.training.optimizer = { kind: "adam", beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };
    config.training.learningRate = 3;
    const run = createTrainingRun(config);
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
      const run = createTrainingRun(presetDocument(id));
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

  it("never lowers the rate below its floor, and gives up there instead of reaching 0", () => {
    // a batch of one row and a hair-trigger jump test: nearly every other step is vetoed
    const config: RunDocument = divergingConfig();
    config.training.batchSize = 1;
    config.training.learningRate = 0.01;
    const run = createTrainingRun(config);
    const guard = createDivergenceGuard(run.trainer, { gradJump: 1.0001 });
    run.trainer.addHook(guard.hook);
    expect(guard.minLearningRate).toBe(GUARD_MIN_LEARNING_RATE);
    const rates: number[] = [];
    for (let i = 0; i < 2000; i++) {
      run.step();
      rates.push(run.trainer.settings().learningRate);
    }
    const events = guard.events();
    // the direct rule, written out: each rollback multiplies by the factor, clamped to the floor
    let lr = 0.01;
    events.forEach((e, i) => {
      expect(e.learningRateBefore).toBe(lr);
      if (i < events.length - 1) {
        expect(e.gaveUp).toBe(false);
        expect(e.learningRateAfter).toBe(Math.max(lr * GUARD_FACTOR, GUARD_MIN_LEARNING_RATE));
        lr = e.learningRateAfter;
      }
    });
    // 0.01 · 0.3^k reaches 1e-6 after 8 rollbacks; the next divergence is at the floor and the guard gives up
    expect(events.length).toBe(9);
    const last = events.at(-1)!;
    expect(last).toMatchObject({ gaveUp: true, learningRateBefore: GUARD_MIN_LEARNING_RATE, learningRateAfter: GUARD_MIN_LEARNING_RATE });
    expect(guard.gaveUp).toBe(true);
    expect(Math.min(...rates)).toBe(GUARD_MIN_LEARNING_RATE);
    // after giving up it acts no more: the rate stays where it was
    expect(rates.at(-1)).toBe(GUARD_MIN_LEARNING_RATE);
    expect(guard.rollbacks).toBe(9);
  });

  it("keeps a starting rate below the floor as its floor, and rejects a floor that is not positive", () => {
    const config: RunDocument = divergingConfig();
    config.training.learningRate = 1e-8;
    const run = createTrainingRun(config);
    expect(createDivergenceGuard(run.trainer).minLearningRate).toBe(1e-8);
    expect(createDivergenceGuard(run.trainer, { minLearningRate: 1e-9 }).minLearningRate).toBe(1e-9);
    expect(() => createDivergenceGuard(run.trainer, { minLearningRate: 0 })).toThrow(/minLearningRate/);
  });
});
