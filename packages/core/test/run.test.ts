import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { backpropErrorOf } from "./helpers.js";
import { createMlp, createTrainer, createTrainingRun, evaluate, makeDataset, normalizeOptimizer, predict, predictedClass, type RunDocumentInput, type RunStepReport } from "../src/index.js";
import { createWorkspace, forwardFast } from "../src/internal.js";

/** The bytes of doubles, so +0/−0 and NaN payloads count too. */
const bits = (v: ArrayLike<number>) => Array.from(new Uint8Array(Float64Array.from(v as ArrayLike<number>).buffer));

const optimizers = [
  { kind: "sgd" },
  { kind: "momentum", momentum: 0.9, nesterov: false },
  { kind: "momentum", momentum: 0.8, nesterov: true },
  { kind: "adam", beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
] as const;

describe("explain() is the step the run takes next", () => {
  it.each(optimizers)("$kind (nesterov: $nesterov): after = the run's next parameters, bit for bit, with a schedule, L2 and clipping on", (optimizer) => {
    const run = createTrainingRun({
      seed: 7,
      data: { name: "circle", n: 60, noise: 0.1, testRatio: 0.25 },
      network: { hidden: [5, 3], activation: "tanh", output: "sigmoid", bias: true },
      training: {
        optimizer,
        learningRate: 0.5,
        schedule: { kind: "step", every: 3, factor: 0.7 },
        regularization: { kind: "l2", lambda: 0.05 },
        batchSize: 8,
        clipping: { maxNorm: 0.05 },
      },
    });
    let clippedSteps = 0;
    for (let s = 0; s < 25; s++) {
      const e = run.explain();
      const r = run.step();
      expect(e.step).toBe(s);
      expect(e.learningRate).toBe(r.learningRate);
      expect(e.totalLoss).toBe(r.loss);
      expect(e.regLoss).toBe(r.regLoss);
      expect(e.gradNorm).toBe(r.gradNorm);
      expect(e.clipped).toBe(r.clipped);
      expect(e.clippedNorm).toBe(r.clippedNorm);
      // counted from the two norms, not from the run's flag: clipping scaled this step iff the norm after is below the norm before
      if (r.clippedNorm < r.gradNorm) clippedSteps++;
      expect(r.clipCount).toBe(clippedSteps);
      run.net.layers.forEach((layer, l) => {
        expect(bits(e.layers[l]!.W_next.flat())).toEqual(bits(layer.W));
        expect(bits(e.layers[l]!.b_next!)).toEqual(bits(layer.b!));
      });
    }
    // the schedule moved and clipping acted, so both were really exercised
    expect(run.explain().learningRate).toBeLessThan(0.5);
    expect(clippedSteps).toBeGreaterThan(0);
  });
});

describe("independent seed streams", () => {
  const spec: RunDocumentInput = { seed: 11, network: { hidden: [4] }, init: { scheme: "xavier" } };
  it("changing the data (seed, size, noise, split) leaves the initial weights as they were", () => {
    const weights = (data: RunDocumentInput["data"]) => Array.from(createTrainingRun({ ...spec, data }).net.params);
    const reference = weights({ name: "xor", n: 50 });
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 2, max: 300 }), fc.double({ min: 0, max: 0.5, noNaN: true }), fc.double({ min: 0, max: 0.9, noNaN: true }), (seed, n, noise, testRatio) => {
        expect(weights({ name: "circle", seed, n, noise, testRatio })).toEqual(reference);
      }),
      { numRuns: 40, seed: 3 },
    );
  });

  it("the run seed does change the weights and the data, through different streams", () => {
    const a = createTrainingRun({ ...spec, data: { name: "xor", n: 50 } });
    const b = createTrainingRun({ ...spec, seed: 12, data: { name: "xor", n: 50 } });
    expect(Array.from(a.net.params)).not.toEqual(Array.from(b.net.params));
    expect(Array.from(a.points.train.x)).not.toEqual(Array.from(b.points.train.x));
    // data and weights are not drawn from one stream: the data of seed 11 is not makeDataset(…, { seed: 11 })
    expect(Array.from(makeDataset("xor", { n: 50, seed: 11 }).x)).not.toEqual(Array.from(a.points.train.x));
  });
});

describe("the divergence guard", () => {
  // linear units and a rate far too high: the loss overflows within a few steps
  const exploding: RunDocumentInput = {
    seed: 4,
    data: { name: "gauss", n: 40, noise: 0.3 },
    network: { hidden: [8, 8], activation: "linear", output: "linear" },
    training: { learningRate: 40, batchSize: 7, guard: { factor: 0.1, minLearningRate: 1e-9 } },
    evaluation: { every: 1000 },
  };

  it("a rollback puts step, epoch, batches and weights back where they were after the restored step", () => {
    const run = createTrainingRun(exploding);
    const paramsAfter = new Map<number, number[]>([[0, Array.from(run.net.params)]]);
    const batchOf = new Map<number, number[]>();
    let rollbacks = 0;
    for (let i = 0; i < 200 && !run.diverged; i++) {
      const next = run.steps + 1;
      const batch = Array.from(run.batcher.peek().x.subarray(0, run.batcher.peek().n * 2));
      if (batchOf.has(next)) expect(batch).toEqual(batchOf.get(next));
      else batchOf.set(next, batch);
      const r: RunStepReport = { ...run.step() };
      expect(r.step).toBe(next);
      if (r.rollback) {
        rollbacks++;
        const to = r.rollback.restoredStep;
        expect(to).toBeLessThan(r.step);
        expect(run.steps).toBe(to);
        expect(run.epoch).toBe(Math.ceil(to / run.batcher.batchesPerEpoch));
        expect(r.epoch).toBe(run.epoch);
        expect(Array.from(run.net.params)).toEqual(paramsAfter.get(to));
        expect(r.rollback.learningRateAfter).toBe(Math.max(r.rollback.learningRateBefore * 0.1, 1e-9));
        expect(run.learningRate).toBe(r.rollback.learningRateAfter);
      } else {
        expect(run.steps).toBe(r.step);
        expect(r.finite).toBe(true);
        paramsAfter.set(run.steps, Array.from(run.net.params));
      }
    }
    expect(rollbacks).toBeGreaterThan(0);
    expect(run.rollbacks.length).toBe(rollbacks);
    // the lowered rate trains on: the last steps are finite
    expect(run.diverged).toBe(false);
    expect(Number.isFinite(run.evaluate().train.loss)).toBe(true);
  });

  it("the clip count belongs to the weights: a rollback sets it back to its value at the restored step, reset to 0", () => {
    // clipping keeps this run finite; the guard's gradient-jump rule still rolls it back
    const guard = { ...exploding.training!.guard!, gradJump: 3 };
    const run = createTrainingRun({ ...exploding, training: { ...exploding.training, clipping: { maxNorm: 10 }, guard } });
    // clipped updates behind the weights after each step, counted here from the norms before and after clipping
    const clipsAfter = new Map<number, number>([[0, 0]]);
    let rollbacks = 0;
    let lowered = 0;
    for (let i = 0; i < 300 && !run.diverged; i++) {
      const before = run.clipCount;
      const r: RunStepReport = { ...run.step() };
      if (r.rollback) {
        rollbacks++;
        expect(r.clipCount).toBe(clipsAfter.get(r.rollback.restoredStep));
        if (r.clipCount < before) lowered++;
      } else {
        clipsAfter.set(r.step, clipsAfter.get(r.step - 1)! + (r.clippedNorm < r.gradNorm ? 1 : 0));
        expect(r.clipCount).toBe(clipsAfter.get(r.step));
      }
      expect(run.clipCount).toBe(r.clipCount);
    }
    expect(rollbacks).toBeGreaterThan(0);
    // some rollback went back past clipped updates, so the count really moved back
    expect(lowered).toBeGreaterThan(0);
    expect(run.clipCount).toBeGreaterThan(0);
    run.reset();
    expect(run.clipCount).toBe(0);
    expect(run.step().clipCount).toBe(clipsAfter.get(1));
  });

  it("at the learning-rate floor the run stops as diverged; without a guard a non-finite step stops it", () => {
    const floor = createTrainingRun({ ...exploding, training: { ...exploding.training, guard: { factor: 0.5, minLearningRate: 40 } } });
    expect(floor.advance(100)).toBeLessThan(100);
    expect(floor.diverged).toBe(true);
    expect(floor.rollbacks.at(-1)!.gaveUp).toBe(true);
    const none = createTrainingRun({ ...exploding, training: { ...exploding.training, guard: null } });
    none.advance(100);
    expect(none.diverged).toBe(true);
  });

  it("a non-finite parameter after an update is reported in that step, with its layer and tensor", () => {
    const run = createTrainingRun({ seed: 1, data: { name: "xor", n: 20 }, network: { hidden: [3] }, training: { batchSize: "full" } });
    const k = run.net.layers[1]!.bOffset + 0;
    run.observe({ onGradients: (ctx) => void (ctx.report.step === 3 ? (ctx.grads.data[k] = -Infinity) : 0) });
    run.step();
    run.step();
    const r = run.step();
    expect(r.finite).toBe(false);
    expect(r.nonFinite).toEqual({ layer: 1, tensor: "b", row: -1, col: 0, value: Infinity });
    expect(run.diverged).toBe(true);
  });
});

describe("the penalty is per data set", () => {
  const doc = (batchSize: number | "full", kind: "l1" | "l2"): RunDocumentInput => ({
    seed: 9,
    data: { name: "moons", n: 48, testRatio: 0.25 },
    network: { hidden: [6] },
    training: { batchSize, regularization: { kind, lambda: 0.3 } },
  });

  it.each(["l1", "l2"] as const)("%s: the same for every batch size, λ·Σ over the training rows (a direct loop)", (kind) => {
    const full = createTrainingRun(doc("full", kind));
    const nTrain = full.train.n;
    expect(nTrain).toBe(36);
    let sum = 0;
    for (const layer of full.net.layers) for (const w of layer.W) sum += kind === "l2" ? w * w : Math.abs(w);
    const golden = kind === "l2" ? (0.3 * sum) / (2 * nTrain) : (0.3 * sum) / nTrain;
    for (const batchSize of [1, 5, 36, "full"] as const) {
      const run = createTrainingRun(doc(batchSize, kind));
      expect(run.step().regLoss).toBe(golden);
      // and evaluate reports the same penalty on train and test
      const fresh = createTrainingRun(doc(batchSize, kind));
      const e = fresh.evaluate();
      expect(e.train.regLoss).toBe(golden);
      expect(e.test!.regLoss).toBe(golden);
    }
  });
});

describe("one inference forward", () => {
  it("predict, forwardFast and evaluate give the same bits", () => {
    fc.assert(
      fc.property(fc.nat(), fc.constantFrom("sigmoid", "tanh", "relu") as fc.Arbitrary<"sigmoid" | "tanh" | "relu">, (seed, hidden) => {
        const net = createMlp({ sizes: [2, 5, 2], hidden, output: "sigmoid", bias: true }, { seed });
        const data = makeDataset("gauss", { n: 37, noise: 0.4, seed });
        const p = predict(net, data.x, data.n);
        const ws = createWorkspace(net, data.n);
        expect(bits(p)).toEqual(bits(forwardFast(ws, net, data.x, data.n).subarray(0, data.n * 2)));
        // evaluate's loss, accuracy and confusion from predict's outputs, in one chunk as evaluate takes them
        let sq = 0;
        for (let i = 0; i < p.length; i++) sq += (data.y[i]! - p[i]!) * (data.y[i]! - p[i]!);
        const confusion = [
          [0, 0],
          [0, 0],
        ];
        for (let r = 0; r < data.n; r++) confusion[data.labels![r]!]![predictedClass(p, r, 2, data.encoding)]! += 1;
        const e = evaluate(net, data, { workspace: ws });
        expect(e.dataLoss).toBe(((sq / (2 * data.n)) * data.n) / data.n);
        expect(e.confusion).toEqual(confusion);
      }),
      { numRuns: 30, seed: 5 },
    );
  });
});

describe("the run object", () => {
  it("evaluates at its cadence, tells observers, and reset gives the same numbers again", () => {
    const run = createTrainingRun({ seed: 2, data: { name: "spiral", n: 80 }, network: { hidden: [6] }, training: { batchSize: 16, optimizer: "adam" }, evaluation: { every: 4 } });
    const seen: number[] = [];
    const evaluated: number[] = [];
    run.observe({ onStep: (r) => seen.push(r.step), onEvaluation: (e) => evaluated.push(e.step) });
    const first = Array.from({ length: 12 }, () => ({ ...run.step() }));
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(evaluated).toEqual([4, 8, 12]);
    const replay = createTrainingRun(run.document);
    for (let i = 0; i < 4; i++) replay.step();
    expect(first[3]!.evaluation!.train).toEqual(replay.evaluate().train);
    expect(first[2]!.evaluation).toBe(null);
    expect(first[11]!.evaluation!.train).toEqual(run.evaluate().train);
    expect(first[11]!.epoch).toBe(Math.ceil(12 / run.batcher.batchesPerEpoch));
    run.reset();
    expect(run.steps).toBe(0);
    const again = Array.from({ length: 12 }, () => ({ ...run.step() }));
    expect(again.map((r) => r.loss)).toEqual(first.map((r) => r.loss));
  });

  it("a step's report carries every field of the trainer's report, with the trainer's values", () => {
    // the run copies the trainer's report field by field (no allocation per step): a field added to StepReport
    // and not to that copy would show here as missing or stale
    const run = createTrainingRun({ seed: 3, data: { name: "xor", n: 40 }, network: { hidden: [4] }, training: { batchSize: 8, clipping: { maxNorm: 0.01 } } });
    for (let i = 0; i < 3; i++) {
      const report = run.step();
      const own = run.trainer.report as unknown as Record<string, unknown>;
      const copied = report as unknown as Record<string, unknown>;
      for (const key of Object.keys(own)) expect(copied[key], key).toEqual(own[key]);
      expect(Object.keys(copied).sort()).toEqual([...Object.keys(own), "epoch", "clipCount", "rollback", "evaluation"].sort());
    }
    expect(run.clipCount).toBe(3);
  });

  it("advance stops when paused", () => {
    const run = createTrainingRun({ seed: 2 });
    expect(run.advance(5)).toBe(5);
    run.pause();
    expect(run.advance(5)).toBe(0);
    run.step();
    expect(run.steps).toBe(6);
    run.resume();
    expect(run.advance(2, () => true)).toBe(1);
  });

  it("Adam ε = 0 is rejected everywhere; a tiny ε survives a zero gradient", () => {
    expect(backpropErrorOf(() => normalizeOptimizer({ kind: "adam", epsilon: 0 })).field).toBe("optimizer.epsilon");
    const net = createMlp({ sizes: [2, 1], hidden: "tanh", output: "linear", bias: true }, { seed: 1 });
    const trainer = createTrainer(net, { learningRate: 0.1, optimizer: { kind: "adam", epsilon: 1e-300 } });
    // targets equal to the outputs: a zero gradient
    const x = Float64Array.of(0, 0);
    const y = Float64Array.of(net.layers[0]!.b![0]!);
    const r = trainer.step({ x, y, n: 1 });
    expect(r.gradNorm).toBe(0);
    expect(r.finite).toBe(true);
    expect(r.nonFinite).toBe(null);
  });
});
