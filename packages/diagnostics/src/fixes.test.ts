import { BackpropError, createTrainingRun, defaultRunDocument, normalizeRunDocument, presetDocument, type TrainingRun, type RunDocument, type RunDocumentInput } from "@backprop-lab/core";
import { describe, expect, it } from "vitest";
import { fixFor, type AdviceContext } from "./advice.js";
import { attachDiagnostics } from "./attach.js";
import { applyFix, fixes } from "./fixes.js";
import { labDocument } from "./labs.js";

describe("applyFix", () => {
  it("deep-merges the patch, leaves the input untouched and re-validates", () => {
    const config = presetDocument("course-2-50-2");
    const copy = JSON.parse(JSON.stringify(config));
    const next = applyFix(config, fixes.lowerLearningRate(config.training.learningRate, 0.3));
    expect(config).toEqual(copy);
    expect(next.training.learningRate).toBe(0.045);
    expect(next).toEqual(normalizeRunDocument({ ...copy, training: { ...copy.training, learningRate: 0.045 } }));
    expect(applyFix(config, fixes.enableBias()).network).toEqual({ ...config.network, bias: true });
    expect(applyFix(config, fixes.useTanh()).network.activation).toBe("tanh");
    expect(applyFix(config, fixes.largerBatch(32)).training.batchSize).toBe(32);
  });

  it("replaces an object of another kind instead of mixing the fields of two kinds", () => {
    const config = defaultRunDocument();
    config.training.optimizer = { kind: "momentum", momentum: 0.5, nesterov: true };
    const schedule = applyFix(config, fixes.decayLearningRate(500));
    expect(schedule.training.schedule).toEqual({ kind: "exponential", decayRate: 0.5, decaySteps: 500 });
    const adam = applyFix(config, { patch: { training: { optimizer: { kind: "adam", beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } } } });
    expect(adam.training.optimizer).toEqual({ kind: "adam", beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });
  });

  it("turns the course's L2 bug off and keeps λ", () => {
    const config = presetDocument("course-2-50-2");
    config.training.regularization = { kind: "l2", lambda: 1e-4, gradient: "course-bug" };
    expect(applyFix(config, fixes.correctL2Gradient(1e-4)).training.regularization).toEqual({ kind: "l2", lambda: 1e-4, gradient: "correct" });
    expect(applyFix(config, fixes.weakerRegularization("l2", 1e-4, 0.1)).training.regularization).toEqual({
      kind: "l2",
      lambda: 1e-5,
      gradient: "course-bug",
    });
  });

  it("a patch with an invalid setting throws a BackpropError naming the field", () => {
    const error = (() => {
      try {
        applyFix(defaultRunDocument(), { patch: { training: { learningRate: -1 } } });
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
    expect(applyFix(defaultRunDocument(), fix)).toEqual(defaultRunDocument());
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
    const config = defaultRunDocument();
    expect(applyFix(config, fix).training).toEqual({ ...config.training, learningRate: 0.41, batchSize: 40 });
  });
});

describe("the fix after an explosion under momentum", () => {
  // the corpus's high-lr-19: momentum 0.9 at rate 58 on batches of 10 overflows; × 0.01 alone still rises and falls
  const config = (): RunDocumentInput => ({
    seed: 219,
    data: { source: "generated", name: "course-xor" },
    features: ["x1", "x2"],
    network: { hidden: [6], activation: "sigmoid", output: "linear", bias: true },
    init: { scheme: "xavier" },
    training: {
      loss: "mse",
      optimizer: { kind: "momentum", momentum: 0.9 },
      learningRate: 58,
      schedule: { kind: "constant" },
      regularization: { kind: "none", lambda: 0 },
      batchSize: 10,
    },
  });
  const ctx = (run: TrainingRun): AdviceContext => ({
    settings: run.trainer.settings(),
    firstHidden: run.net.layers[0]!.activation,
    hiddenLayers: run.net.layers.length - 1,
    fullBatch: run.batcher.batchesPerEpoch === 1,
    batchSize: run.batcher.batchSize,
    initialLoss: 1,
    step: 1,
  });

  it("the finding on a real run offers rate × 0.01, momentum 0.9 → 0.5 and batch 10 → 40, in one fix", () => {
    const run = createTrainingRun(config());
    const diagnostics = attachDiagnostics(run);
    let finding;
    for (let i = 0; i < 50 && !finding; i++) {
      run.step();
      finding = diagnostics.findings().find((f) => f.code === "exploding-gradients");
    }
    expect(finding).toBeDefined();
    expect(finding!.fix!.patch).toEqual({ training: { learningRate: 0.58, optimizer: { kind: "momentum", momentum: 0.5 }, batchSize: 40 } });
    expect(finding!.fix!.label.en).toBe("Learning rate 58 → 0.58, momentum 0.9 → 0.5, batch size 10 → 40");
    expect(finding!.fix!.label.es).toBe("Tasa de aprendizaje 58 → 0.58, momento 0.9 → 0.5, tamaño de lote 10 → 40");
    // nesterov and the other settings stay as they were
    const fixed = applyFix(normalizeRunDocument(config()), finding!.fix!);
    expect(fixed.training.optimizer).toEqual({ kind: "momentum", momentum: 0.5, nesterov: false });
    expect(fixed.training.learningRate).toBe(0.58);
    expect(fixed.training.batchSize).toBe(40);
  });

  it("applied twice, it lowers the rate again and never raises momentum or shrinks the batch", () => {
    const first = fixFor("exploding-gradients", {}, ctx(createTrainingRun(config())))!;
    const once = applyFix(normalizeRunDocument(config()), first);
    const second = fixFor("non-finite", {}, ctx(createTrainingRun(once)))!;
    const twice = applyFix(once, second);
    expect(twice.training.learningRate).toBe(0.0058);
    expect(twice.training.optimizer).toEqual({ kind: "momentum", momentum: 0.5, nesterov: false });
    // 40 rows is no longer a small batch: it stays
    expect(twice.training.batchSize).toBe(40);
    // a momentum already at or below 0.5 is left alone
    const low = normalizeRunDocument({ ...config(), training: { ...config().training, optimizer: { kind: "momentum", momentum: 0.3, nesterov: true } } });
    const lowFix = fixFor("exploding-gradients", {}, ctx(createTrainingRun(low)))!;
    expect(applyFix(low, lowFix).training.optimizer).toEqual({ kind: "momentum", momentum: 0.3, nesterov: true });
    expect(lowFix.label.en).toBe("Learning rate 58 → 0.58, batch size 10 → 40");
  });
});

describe("the fix for relu units killed by a step that blew the loss up", () => {
  // the corpus's relu-high-lr-14: one batch's loss jumps 128× at step 2, then every unit of a layer is silent for good
  const config = (): RunDocumentInput => ({
    seed: 414,
    data: { source: "generated", name: "gauss", n: 200, noise: 0, testRatio: 0.5 },
    features: ["x1", "x2"],
    network: { hidden: [8, 6], activation: "relu", output: "softmax", bias: true },
    init: { scheme: "he" },
    training: {
      loss: "cross-entropy",
      optimizer: { kind: "sgd" },
      learningRate: 3.9,
      schedule: { kind: "constant" },
      regularization: { kind: "none", lambda: 0 },
      batchSize: 25,
    },
  });

  it("names the blow-up and lowers the step with the activation; leaky relu alone is the fix when no step blew up", () => {
    const run = createTrainingRun(normalizeRunDocument(config()));
    const diagnostics = attachDiagnostics(run);
    const losses: number[] = [];
    let dead;
    for (let i = 0; i < 200 && !dead; i++) {
      losses.push(run.step().loss);
      dead = diagnostics.findings().find((f) => f.code === "dead-units");
    }
    expect(dead).toBeDefined();
    // the largest loss before the units were found dead, over the first one, by a direct loop
    let peak = 0;
    let peakStep = 0;
    for (let k = 0; k < losses.length; k++) {
      if (losses[k]! / losses[0]! > peak) {
        peak = losses[k]! / losses[0]!;
        peakStep = k + 1;
      }
    }
    expect(peak).toBeGreaterThan(10);
    expect(dead!.numbers.blowup).toBe(peak);
    expect(dead!.numbers.blowupStep).toBe(peakStep);
    expect(dead!.message.en).toContain(`jumped to ${Number(peak.toPrecision(3))}× its first value at step ${peakStep}`);
    expect(dead!.message.es).toContain(`saltara a ${Number(peak.toPrecision(3))}× su primer valor en el paso ${peakStep}`);
    expect(dead!.fix!.id).toBe("use-leaky-relu");
    expect(dead!.fix!.patch).toEqual({ network: { activation: "leaky-relu" }, training: { learningRate: 0.039, batchSize: 100 } });
    expect(dead!.fix!.label.en).toBe("Hidden activation relu → leaky-relu, learning rate 3.9 → 0.039, batch size 25 → 100");
    expect(dead!.fix!.label.es).toBe("Activación oculta relu → leaky-relu, tasa de aprendizaje 3.9 → 0.039, tamaño de lote 25 → 100");
    // the fixed run, from the start: no unit dies and nothing blows up
    const fixed = createTrainingRun(applyFix(normalizeRunDocument(config()), dead!.fix!));
    const after = attachDiagnostics(fixed);
    for (let i = 0; i < 500; i++) fixed.step();
    expect(after.findings().map((f) => f.code)).toEqual([]);
  });

  it("a run whose units die without a blow-up keeps the plain fix (the dying-relu lab)", () => {
    const run = createTrainingRun(labDocument("dying-relu"));
    const diagnostics = attachDiagnostics(run);
    for (let i = 0; i < 500; i++) run.step();
    const dead = diagnostics.findings().find((f) => f.code === "dead-units")!;
    expect(dead.numbers.blowup).toBe(0);
    expect(dead.fix).toEqual(fixes.useLeakyRelu());
  });
});
