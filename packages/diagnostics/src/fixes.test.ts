import { BackpropError, defaultRunConfig, normalizeRunConfig, presetConfig } from "@backprop-lab/core";
import { describe, expect, it } from "vitest";
import { applyFix, fixes } from "./fixes.js";

describe("applyFix", () => {
  it("deep-merges the patch, leaves the input untouched and re-validates", () => {
    const config = presetConfig("course-2-50-2");
    const copy = JSON.parse(JSON.stringify(config));
    const next = applyFix(config, fixes.lowerLearningRate(config.training.learningRate, 0.3));
    expect(config).toEqual(copy);
    expect(next.training.learningRate).toBe(0.045);
    expect(next).toEqual(normalizeRunConfig({ ...copy, training: { ...copy.training, learningRate: 0.045 } }));
    expect(applyFix(config, fixes.enableBias()).network).toEqual({ ...config.network, bias: true });
    expect(applyFix(config, fixes.useTanh()).network.activation).toBe("tanh");
    expect(applyFix(config, fixes.largerBatch(32)).training.batchSize).toBe(32);
  });

  it("replaces an object of another kind instead of mixing the fields of two kinds", () => {
    const config = defaultRunConfig();
    config.training.optimizer = { kind: "momentum", momentum: 0.5, nesterov: true };
    const schedule = applyFix(config, fixes.decayLearningRate(500));
    expect(schedule.training.schedule).toEqual({ kind: "exponential", decayRate: 0.5, decaySteps: 500 });
    const adam = applyFix(config, { patch: { training: { optimizer: { kind: "adam" } } } });
    expect(adam.training.optimizer).toEqual({ kind: "adam", beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });
  });

  it("turns the course's L2 bug off and keeps λ", () => {
    const config = presetConfig("course-2-50-2");
    config.training.regularization = { kind: "l2", lambda: 1e-4, gradient: "course-bug" };
    expect(applyFix(config, fixes.correctL2Gradient(1e-4)).training.regularization).toEqual({ kind: "l2", lambda: 1e-4 });
    expect(applyFix(config, fixes.weakerRegularization("l2", 1e-4, 0.1)).training.regularization).toEqual({
      kind: "l2",
      lambda: 1e-5,
      gradient: "course-bug",
    });
  });

  it("a patch with an invalid setting throws a BackpropError naming the field", () => {
    const error = (() => {
      try {
        applyFix(defaultRunConfig(), { patch: { training: { learningRate: -1 } } });
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(BackpropError);
    expect((error as BackpropError).field).toBe("training.learningRate");
  });

  it("a clip fix changes no setting and carries the clip for attachDiagnostics", () => {
    const fix = fixes.clipGradients(0.01834);
    expect(fix.clip).toEqual({ kind: "norm", maxNorm: 0.0183 });
    expect(applyFix(defaultRunConfig(), fix)).toEqual(defaultRunConfig());
  });

  it("every fix label exists in English and Spanish", () => {
    const all = [
      fixes.lowerLearningRate(1, 0.3),
      { ...fixes.calmExplosion(1, 0.01, { from: 10, to: 40 }), id: "calm-explosion" },
      fixes.raiseLearningRate(1, 0.3),
      fixes.clipGradients(1),
      fixes.decayLearningRate(100),
      fixes.largerBatch(40),
      fixes.useTanh(),
      fixes.useRelu(),
      fixes.useLeakyRelu(),
      fixes.enableBias(),
      fixes.weakerRegularization("l1", 1, 0.1),
      fixes.correctL2Gradient(1e-4),
    ];
    expect(new Set(all.map((f) => f.id)).size).toBe(all.length);
    for (const f of all) {
      expect(f.label.en.length).toBeGreaterThan(5);
      expect(f.label.es.length).toBeGreaterThan(5);
      expect(f.label.es).not.toBe(f.label.en);
      expect(JSON.parse(JSON.stringify(f))).toEqual(f);
    }
  });
});

describe("the fix after an explosion", () => {
  it("lowers the rate 100× and, for a mini-batch under 32, makes the batch 4× larger", () => {
    expect(fixes.calmExplosion(41, 0.01, null)).toEqual(fixes.lowerLearningRate(41, 0.01));
    const fix = fixes.calmExplosion(41, 0.01, { from: 10, to: 40 });
    expect(fix.patch).toEqual({ training: { learningRate: 0.41, batchSize: 40 } });
    expect(fix.label.en).toBe("Learning rate 41 → 0.41, batch size 10 → 40");
    const config = defaultRunConfig();
    expect(applyFix(config, fix).training).toEqual({ ...config.training, learningRate: 0.41, batchSize: 40 });
  });
});
