import { createRun, presetConfig } from "@backprop-lab/core";
import { describe, expect, it } from "vitest";
import { expectClose } from "@backprop-lab/test-utils";
import { DEFAULT_PRESET, findPreset } from "./presets.js";
import { ACCURACY_EVERY, createSession, LEARNING_RATE_LADDER, nextLearningRate } from "./session.js";

const base = () => presetConfig(DEFAULT_PRESET);

describe("session", () => {
  it("steps exactly like core's run of the same config", () => {
    const session = createSession({ config: base() });
    const run = createRun(base());
    for (let i = 1; i <= 25; i++) {
      const r = session.step();
      const ref = run.step();
      expect(r.step).toBe(i);
      expect(r.loss).toBe(ref.loss);
      expect(r.gradNorm).toBe(ref.gradNorm);
    }
    expect(Array.from(session.run.net.params)).toEqual(Array.from(run.net.params));
    expectClose(session.evaluate().train.accuracy!, run.evaluate().train.accuracy!, 0);
  });

  it("reset replays the identical run from the same seed", () => {
    const session = createSession({ config: base() });
    const first = Array.from({ length: 40 }, () => session.step().loss);
    const weights = Array.from(session.run.net.params);
    session.reset();
    expect(session.steps).toBe(0);
    expect(session.history.dataLoss.length).toBe(0);
    const second = Array.from({ length: 40 }, () => session.step().loss);
    expect(second).toEqual(first);
    expect(Array.from(session.run.net.params)).toEqual(weights);
  });

  it("records the curves: every step's losses, accuracy every few steps and at every hand step", () => {
    const session = createSession({ config: base() });
    session.advance(2 * ACCURACY_EVERY);
    expect(session.history.dataLoss.length).toBe(2 * ACCURACY_EVERY);
    expect(Array.from(session.history.trainAccuracy.steps())).toEqual([0, ACCURACY_EVERY, 2 * ACCURACY_EVERY]);
    session.step();
    expect(session.history.trainAccuracy.stepAt(3)).toBe(2 * ACCURACY_EVERY + 1);
  });

  it("a new seed is drawn from the old one: deterministic, and a different run", () => {
    const a = createSession({ config: base() });
    const b = createSession({ config: base() });
    const seedA = a.newSeed();
    expect(b.newSeed()).toBe(seedA);
    expect(seedA).not.toBe(base().seed);
    expect(a.config.init.seed).toBeUndefined();
    expect(Array.from(a.run.net.params)).not.toEqual(Array.from(createRun(base()).net.params));
  });

  it("moves the learning rate along the ladder mid-run, and reset keeps it", () => {
    expect(nextLearningRate(3, 1)).toBe(10);
    expect(nextLearningRate(3, -1)).toBe(1);
    expect(nextLearningRate(0.15, 1)).toBe(0.3);
    expect(nextLearningRate(0.15, -1)).toBe(0.1);
    expect(nextLearningRate(LEARNING_RATE_LADDER.at(-1)!, 1)).toBe(LEARNING_RATE_LADDER.at(-1));
    const session = createSession({ config: base() });
    session.step();
    expect(session.adjustLearningRate(-1)).toBe(1);
    expect(session.run.trainer.settings().learningRate).toBe(1);
    expect(session.step().learningRate).toBe(1);
    session.reset();
    expect(session.step().learningRate).toBe(1);
  });

  it("clipping scales the gradient to the norm while it is on", () => {
    const session = createSession({ config: base(), clipNorm: 1e-4 });
    expect(session.step().clipped).toBe(false);
    expect(session.toggleClip()).toBe(true);
    const r = session.step();
    expect(r.clipped).toBe(true);
    expect(r.gradNorm).toBeGreaterThan(1e-4);
    expectClose(r.clippedNorm, 1e-4, 1e-6);
    expect(session.clipStats().clipped).toBe(1);
  });

  it("decay switches the schedule mid-run", () => {
    const session = createSession({ config: base() });
    const eta = session.config.training.learningRate;
    expect(session.toggleDecay()).toBe(true);
    session.advance(1000);
    // inverse-time: η / (1 + t/1000) at t = 1000 is η/2
    expectClose(session.step().learningRate, eta / 2, 1e-12);
    expect(session.toggleDecay()).toBe(false);
    expect(session.step().learningRate).toBe(eta);
  });

  it("a diverging run stops, and its suggested fix restarts it with the fixed config", () => {
    const config = base();
    config.network = { hidden: [8, 8], activation: "relu", output: "linear", bias: true };
    config.training.learningRate = 10;
    const session = createSession({ config });
    session.advance(500);
    expect(session.diverged).toBe(true);
    const fix = session.suggestedFix();
    expect(fix).not.toBeNull();
    const applied = session.applySuggestedFix()!;
    expect(applied.id).toBe(fix!.id);
    expect(session.steps).toBe(0);
    expect(session.diverged).toBe(false);
    // the fix changes the run: a lower learning rate, or clipping switched on at the suggested norm
    const lowered = applied.patch.training?.learningRate;
    expect(lowered !== undefined || applied.clip !== undefined, JSON.stringify(applied)).toBe(true);
    if (lowered !== undefined) expect(session.config.training.learningRate).toBe(lowered);
    expect(lowered === undefined || lowered < 10).toBe(true);
    expect(session.clipOn).toBe(applied.clip !== undefined);
    // and it cures: the same 500 steps that diverged before now stay finite
    session.advance(500);
    expect(session.steps).toBe(500);
    expect(session.diverged).toBe(false);
    expect(Number.isFinite(session.step().loss)).toBe(true);
  });

  it("loads a preset and stops at a fixed length", () => {
    const session = createSession({ config: base(), totalSteps: 30 });
    session.loadPreset(findPreset("course-2-50-2")!);
    expect(session.presetId).toBe("course-2-50-2");
    expect(session.run.net.spec.sizes).toEqual([2, 50, 2]);
    expect(session.advance(1000)).toBe(30);
    expect(session.done).toBe(true);
  });
});
