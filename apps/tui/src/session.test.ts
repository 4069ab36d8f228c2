import { createTrainingRun, normalizeRunDocument, type RunDocument } from "@backprop-lab/core";
import { describe, expect, it } from "vitest";
import { expectClose } from "@backprop-lab/test-utils";
import { DEFAULT_PRESET, findPreset } from "./presets.js";
import { createSession, LEARNING_RATE_LADDER, nextLearningRate, patchDocument } from "./session.js";

const base = (): RunDocument => structuredClone(findPreset(DEFAULT_PRESET)!.document);

describe("session", () => {
  it("is core's run of the same document: every report field and the weights, bit for bit", () => {
    const doc = normalizeRunDocument({
      ...base(),
      training: { ...base().training, optimizer: { kind: "adam" }, learningRate: 0.05, schedule: { kind: "step", every: 7, factor: 0.5 }, batchSize: 16, clipping: { maxNorm: 0.05 } },
      evaluation: { every: 5 },
    });
    const session = createSession({ document: doc });
    const run = createTrainingRun(doc);
    for (let i = 1; i <= 25; i++) {
      const r = session.step();
      const ref = { ...run.step() };
      expect(r.step).toBe(i);
      expect(JSON.stringify(r)).toBe(JSON.stringify(ref));
    }
    expect(Array.from(session.run.net.params)).toEqual(Array.from(run.net.params));
    expect(session.evaluate().train.accuracy).toBe(run.evaluate().train.accuracy);
    expect(session.clipCount()).toBeGreaterThan(0);
  });

  it("the default run ends where the course's recorded run does (README: loss 0.08938, train accuracy 89.0% after 3000 steps)", () => {
    const session = createSession({ document: base() });
    session.advance(3000);
    expect(session.steps).toBe(3000);
    expect(session.last!.loss.toPrecision(4)).toBe("0.08938");
    expect((100 * session.evaluate().train.accuracy!).toFixed(1)).toBe("89.0");
  });

  it("reset replays the identical run from the same seed (the run's own reset)", () => {
    const session = createSession({ document: base() });
    const run = session.run;
    const first = Array.from({ length: 40 }, () => session.step().loss);
    const weights = Array.from(session.run.net.params);
    session.reset();
    expect(session.run).toBe(run);
    expect(session.steps).toBe(0);
    expect(session.history.dataLoss.length).toBe(0);
    expect(session.findings()).toEqual([]);
    const second = Array.from({ length: 40 }, () => session.step().loss);
    expect(second).toEqual(first);
    expect(Array.from(session.run.net.params)).toEqual(weights);
  });

  it("records the curves through the run's observers: every step's losses, accuracy at the document's cadence and at every hand step", () => {
    const doc = base();
    const every = doc.evaluation.every;
    const session = createSession({ document: doc });
    session.advance(2 * every);
    expect(session.history.dataLoss.length).toBe(2 * every);
    expect(Array.from(session.history.trainAccuracy.steps())).toEqual([0, every, 2 * every]);
    session.step();
    expect(session.history.trainAccuracy.stepAt(3)).toBe(2 * every + 1);
  });

  it("a new seed is drawn from the old one: deterministic, and a different run", () => {
    const a = createSession({ document: base() });
    const b = createSession({ document: base() });
    const seedA = a.newSeed();
    expect(b.newSeed()).toBe(seedA);
    expect(seedA).not.toBe(base().seed);
    expect(a.document.init.seed).toBeUndefined();
    expect(Array.from(a.run.net.params)).not.toEqual(Array.from(createTrainingRun(base()).net.params));
  });

  it("moves the learning rate along the ladder mid-run, the document follows, and reset keeps it", () => {
    expect(nextLearningRate(3, 1)).toBe(10);
    expect(nextLearningRate(3, -1)).toBe(1);
    expect(nextLearningRate(0.15, 1)).toBe(0.3);
    expect(nextLearningRate(0.15, -1)).toBe(0.1);
    expect(nextLearningRate(LEARNING_RATE_LADDER.at(-1)!, 1)).toBe(LEARNING_RATE_LADDER.at(-1));
    const session = createSession({ document: base() });
    session.step();
    expect(session.adjustLearningRate(-1)).toBe(1);
    expect(session.run.trainer.settings().learningRate).toBe(1);
    expect(session.document.training.learningRate).toBe(1);
    expect(session.step().learningRate).toBe(1);
    session.reset();
    expect(session.step().learningRate).toBe(1);
  });

  it("clipping is the document's, switched mid-run: the gradient is scaled to the norm while it is on", () => {
    const session = createSession({ document: base() });
    expect(session.step().clipped).toBe(false);
    session.setDocument({ ...session.document, training: { ...session.document.training, clipping: { maxNorm: 1e-4 } } });
    expect(session.toggleClip()).toBe(false);
    expect(session.document.training.clipping).toBeNull();
    expect(session.step().clipped).toBe(false);
    expect(session.toggleClip()).toBe(true);
    expect(session.document.training.clipping).toEqual({ maxNorm: 1e-4 });
    const r = session.step();
    expect(r.clipped).toBe(true);
    expect(r.gradNorm).toBeGreaterThan(1e-4);
    // PyTorch's rule: g·maxNorm/(‖g‖ + 1e-6)
    expectClose(r.clippedNorm, (1e-4 * r.gradNorm) / (r.gradNorm + 1e-6), 1e-12);
    expect(session.clipCount()).toBe(1);
  });

  it("decay switches the schedule mid-run", () => {
    const session = createSession({ document: base() });
    const eta = session.document.training.learningRate;
    expect(session.toggleDecay()).toBe(true);
    session.advance(1000);
    // inverse-time: η / (1 + t/1000) at t = 1000 is η/2
    expectClose(session.step().learningRate, eta / 2, 1e-12);
    expect(session.toggleDecay()).toBe(false);
    expect(session.step().learningRate).toBe(eta);
  });

  it("a diverging run stops, and its suggested fix, applied to the document, restarts it and cures it", () => {
    const doc = base();
    doc.network = { hidden: [8, 8], activation: "relu", output: "linear", bias: true };
    doc.training.learningRate = 10;
    const session = createSession({ document: doc });
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
    if (lowered !== undefined) expect(session.document.training.learningRate).toBe(lowered);
    expect(lowered === undefined || lowered < 10).toBe(true);
    expect(session.clipOn).toBe(applied.clip !== undefined);
    // and it cures: the same 500 steps that diverged before now stay finite
    session.advance(500);
    expect(session.steps).toBe(500);
    expect(session.diverged).toBe(false);
    expect(Number.isFinite(session.step().loss)).toBe(true);
  });

  it("a fix's patch merges into the document as diagnostics' applyFix merges it into a config", () => {
    const doc = base();
    doc.training.regularization = { kind: "l2", lambda: 0.5, gradient: "course-bug" };
    const weaker = patchDocument(doc, { training: { regularization: { kind: "l2", lambda: 0.05 } } });
    expect(weaker.training.regularization).toEqual({ kind: "l2", lambda: 0.05, gradient: "course-bug" });
    const decayed = patchDocument(doc, { training: { schedule: { kind: "exponential", decayRate: 0.5, decaySteps: 100 } } });
    expect(decayed.training.schedule).toEqual({ kind: "exponential", decayRate: 0.5, decaySteps: 100 });
    expect(() => patchDocument(doc, { training: { learningRate: -1 } })).toThrow("training.learningRate must be a number in (0, 1000], got -1");
  });

  it("loads a preset and stops at a fixed length", () => {
    const session = createSession({ document: base(), totalSteps: 30 });
    session.loadPreset(findPreset("course-2-50-2")!);
    expect(session.presetId).toBe("course-2-50-2");
    expect(session.run.net.spec.sizes).toEqual([2, 50, 2]);
    expect(session.advance(1000)).toBe(30);
    expect(session.done).toBe(true);
  });

  it("explains the step the run takes next: the explanation's next weights are the run's after step()", () => {
    const doc = normalizeRunDocument({
      ...base(),
      training: { ...base().training, optimizer: { kind: "momentum", momentum: 0.9, nesterov: true }, schedule: { kind: "exponential", decayRate: 0.5, decaySteps: 3 }, regularization: { kind: "l2", lambda: 0.01, gradient: "correct" }, clipping: { maxNorm: 0.01 } },
    });
    const session = createSession({ document: doc });
    session.advance(4);
    const e = session.explain();
    expect(e.optimizer).toBe("momentum");
    expectClose(e.learningRate, doc.training.learningRate * 0.5 ** (4 / 3), 1e-14);
    session.step();
    const net = session.run.net;
    e.layers.forEach((layer, l) => {
      const L = net.layers[l]!;
      const W = Array.from({ length: L.nIn }, (_, i) => Array.from({ length: L.nOut }, (_, j) => net.params[L.wOffset + i * L.nOut + j]!));
      expect(layer.W_next).toEqual(W);
    });
  });
});
