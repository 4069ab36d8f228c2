// createTrainingRun(doc, { model }): a run that starts from uploaded weights.
import { describe, expect, it } from "vitest";
import { backpropErrorOf } from "./helpers.js";
import { createTrainingRun, mlpFromJSON, mlpToJSON, modelMismatch, type ModelJSON, type RunDocumentInput } from "../src/index.js";

/** The bytes of doubles, so +0/−0 and NaN payloads count too. */
const bits = (v: ArrayLike<number>) => Array.from(new Uint8Array(Float64Array.from(v as ArrayLike<number>).buffer));

/** A model as an upload carries it: through JSON text. */
const upload = (json: ModelJSON): ModelJSON => JSON.parse(JSON.stringify(json)) as ModelJSON;

// full batch, no shuffle, constant rate: every step of the uninterrupted run is a function of its weights alone
const fullBatch = (optimizer: NonNullable<NonNullable<RunDocumentInput["training"]>["optimizer"]>): RunDocumentInput => ({
  seed: 11,
  data: { name: "circle", n: 80, noise: 0.1, testRatio: 0.25 },
  network: { hidden: [5, 3], activation: "tanh", output: "sigmoid", bias: true },
  training: {
    optimizer,
    learningRate: 0.5,
    batchSize: "full",
    regularization: { kind: "l2", lambda: 0.01 },
    clipping: { maxNorm: 2 },
    guard: { factor: 0.3, minLearningRate: 1e-6, gradJump: null },
  },
  evaluation: { every: 50 },
});

describe("a run from an uploaded model", () => {
  it("SGD, full batch: 100 steps, export, 100 more from the model = 200 steps in one run, bit for bit", () => {
    const doc = fullBatch({ kind: "sgd" });
    const a = createTrainingRun(doc);
    a.advance(200);
    const b = createTrainingRun(doc);
    b.advance(100);
    const c = createTrainingRun(doc, { model: upload(mlpToJSON(b.net)) });
    expect(c.steps).toBe(0);
    expect(bits(c.net.params)).toEqual(bits(b.net.params));
    c.advance(100);
    expect(a.steps).toBe(200);
    expect(a.rollbacks).toEqual([]);
    expect(bits(c.net.params)).toEqual(bits(a.net.params));
    // and the first 100 steps moved the weights: C did not merely start where A began
    expect(bits(b.net.params)).not.toEqual(bits(createTrainingRun(doc).net.params));
  });

  it("trains from the uploaded weights as a direct loop does (mse, tanh, sigmoid, full-batch SGD, written here)", () => {
    const doc: RunDocumentInput = {
      seed: 3,
      data: { name: "xor", n: 40, noise: 0, testRatio: 0.5, encoding: "binary" },
      network: { hidden: [3], activation: "tanh", output: "sigmoid", bias: true },
      training: { optimizer: { kind: "sgd" }, learningRate: 0.3, batchSize: "full", loss: "mse" },
    };
    // weights no initializer draws: W1 (2×3), b1 (3), W2 (3×1), b2 (1)
    const model: ModelJSON = {
      format: "backprop-lab/mlp",
      version: 1,
      spec: { sizes: [2, 3, 1], hidden: "tanh", output: "sigmoid", bias: true },
      weights: [
        [
          [0.25, -0.5, 0.125],
          [-0.375, 0.75, 0.5],
        ],
        [[0.625], [-0.25], [0.875]],
      ],
      biases: [[0.1, -0.2, 0.05], [-0.15]],
    };
    const run = createTrainingRun(doc, { model });
    const { x, y, n } = run.train;
    const W1 = model.weights[0]!.map((r) => r.slice());
    const b1 = model.biases![0]!.slice();
    const W2 = model.weights[1]!.map((r) => r[0]!);
    let b2 = model.biases![1]![0]!;
    const lr = 0.3;
    for (let step = 0; step < 50; step++) {
      const gW1 = [
        [0, 0, 0],
        [0, 0, 0],
      ];
      const gb1 = [0, 0, 0];
      const gW2 = [0, 0, 0];
      let gb2 = 0;
      for (let r = 0; r < n; r++) {
        const xi = [x[2 * r]!, x[2 * r + 1]!];
        const h = [0, 1, 2].map((j) => Math.tanh(xi[0]! * W1[0]![j]! + xi[1]! * W1[1]![j]! + b1[j]!));
        const out = 1 / (1 + Math.exp(-(h[0]! * W2[0]! + h[1]! * W2[1]! + h[2]! * W2[2]! + b2)));
        // L = Σ (y − out)² / (2n)
        const dz2 = (-(y[r]! - out) / n) * out * (1 - out);
        gb2 += dz2;
        for (let j = 0; j < 3; j++) {
          gW2[j]! += h[j]! * dz2;
          const dz1 = dz2 * W2[j]! * (1 - h[j]! * h[j]!);
          gb1[j]! += dz1;
          gW1[0]![j]! += xi[0]! * dz1;
          gW1[1]![j]! += xi[1]! * dz1;
        }
      }
      for (let j = 0; j < 3; j++) {
        W1[0]![j]! -= lr * gW1[0]![j]!;
        W1[1]![j]! -= lr * gW1[1]![j]!;
        b1[j]! -= lr * gb1[j]!;
        W2[j]! -= lr * gW2[j]!;
      }
      b2 -= lr * gb2;
    }
    run.advance(50);
    const got = mlpToJSON(run.net);
    const expected = [...W1[0]!, ...W1[1]!, ...b1, ...W2, b2];
    const actual = [...got.weights[0]![0]!, ...got.weights[0]![1]!, ...got.biases![0]!, ...got.weights[1]!.map((r) => r[0]!), got.biases![1]![0]!];
    let worst = 0;
    for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
    // core's own exp/tanh against the platform's: agreement to rounding, far below the 50 steps' movement
    expect(worst).toBeLessThan(1e-12);
    let moved = 0;
    const start = [...model.weights[0]![0]!, ...model.weights[0]![1]!, ...model.biases![0]!, ...model.weights[1]!.map((r) => r[0]!), model.biases![1]![0]!];
    for (let i = 0; i < start.length; i++) moved = Math.max(moved, Math.abs(actual[i]! - start[i]!));
    expect(moved).toBeGreaterThan(1e-3);
  });

  it("Adam: the model format carries weights only, so a continued run restarts its moments and does not equal the uninterrupted one", () => {
    const doc = fullBatch({ kind: "adam", beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });
    const a = createTrainingRun(doc);
    a.advance(200);
    const b = createTrainingRun(doc);
    b.advance(100);
    const c = createTrainingRun(doc, { model: upload(mlpToJSON(b.net)) });
    c.advance(100);
    expect(bits(c.net.params)).not.toEqual(bits(a.net.params));
  });

  it("reset() returns to the uploaded weights, not to the document's initial draw, and trains the same numbers again", () => {
    const doc = fullBatch({ kind: "momentum", momentum: 0.9, nesterov: false });
    const b = createTrainingRun(doc);
    b.advance(30);
    const model = upload(mlpToJSON(b.net));
    const c = createTrainingRun(doc, { model });
    // the oracle: the uploaded JSON's own numbers, in the model format's order (W row-major, then b, per layer)
    const uploaded = model.weights.flatMap((W, l) => [...W.flat(), ...model.biases![l]!]);
    expect(bits(c.net.params)).toEqual(bits(uploaded));
    c.advance(40);
    const after40 = c.net.params.slice();
    expect(bits(after40)).not.toEqual(bits(uploaded));
    c.reset();
    expect(c.steps).toBe(0);
    expect(bits(c.net.params)).toEqual(bits(uploaded));
    c.advance(40);
    expect(bits(c.net.params)).toEqual(bits(after40));
  });

  it("the guard's rollback returns to the uploaded weights when no better checkpoint exists", () => {
    // a rate that blows up at once: the loss only grows until it is not finite, so the guard's checkpoint is step 0
    const doc: RunDocumentInput = {
      seed: 2,
      data: { name: "xor", n: 40 },
      network: { hidden: [4], activation: "relu", output: "linear", bias: true },
      training: { optimizer: { kind: "sgd" }, learningRate: 1000, batchSize: "full", guard: { factor: 0.1, minLearningRate: 1e-6, gradJump: null } },
    };
    const model = upload(mlpToJSON(createTrainingRun({ ...doc, seed: 99 }).net));
    const run = createTrainingRun(doc, { model });
    const uploaded = mlpFromJSON(model).params;
    expect(bits(run.net.params)).not.toEqual(bits(createTrainingRun(doc).net.params));
    let rollback = null;
    for (let i = 0; i < 50 && rollback === null; i++) rollback = run.step().rollback;
    expect(rollback).not.toBeNull();
    expect(rollback!.restoredStep).toBe(0);
    expect(run.steps).toBe(0);
    expect(bits(run.net.params)).toEqual(bits(uploaded));
  });

  it("takes an Mlp as well as its JSON", () => {
    const doc = fullBatch({ kind: "sgd" });
    const b = createTrainingRun(doc);
    b.advance(10);
    const fromNet = createTrainingRun(doc, { model: b.net });
    const fromJson = createTrainingRun(doc, { model: upload(mlpToJSON(b.net)) });
    fromNet.advance(5);
    fromJson.advance(5);
    expect(bits(fromNet.net.params)).toEqual(bits(fromJson.net.params));
    // the run owns its weights: training it leaves the source network alone
    expect(bits(b.net.params)).not.toEqual(bits(fromNet.net.params));
  });
});

describe("a model that does not fit the document's network", () => {
  const doc = fullBatch({ kind: "sgd" });
  const good = (): ModelJSON => upload(mlpToJSON(createTrainingRun(doc).net));
  /** A model of another network: the same document with `network` (and features) changed. */
  const other = (change: Partial<RunDocumentInput>): ModelJSON => upload(mlpToJSON(createTrainingRun({ ...doc, ...change }).net));
  const refused = (model: ModelJSON) => backpropErrorOf(() => createTrainingRun(doc, { model }));

  it("names a hidden layer's units, in model and document terms", () => {
    const e = refused(other({ network: { hidden: [5, 4], activation: "tanh", output: "sigmoid", bias: true } }));
    expect(e.code).toBe("shape-mismatch");
    expect(e.field).toBe("model.spec.sizes[2]");
    expect(e.message).toBe("model layer 2 has 4 units, the document's network has 3 (network.hidden[1])");
  });

  it("names the number of hidden layers, the inputs and the outputs", () => {
    let e = refused(other({ network: { hidden: [5], activation: "tanh", output: "sigmoid", bias: true } }));
    expect([e.field, e.message]).toEqual(["model.spec.sizes", "the model has 1 hidden layer, the document's network has 2 (network.hidden)"]);
    e = refused(other({ features: ["x1", "x2", "x1sq"] }));
    expect([e.field, e.message]).toEqual(["model.spec.sizes[0]", "the model reads 3 inputs, the document's network reads 2 (its data and features)"]);
    e = refused(other({ data: { name: "circle", n: 80, noise: 0.1, testRatio: 0.25, encoding: "binary" } }));
    expect([e.field, e.message]).toEqual(["model.spec.sizes[3]", "the model has 1 output, the document's network has 2 (its data's targets)"]);
  });

  it("names an activation, the output activation and biases", () => {
    let e = refused(other({ network: { hidden: [5, 3], activation: ["tanh", "relu"], output: "sigmoid", bias: true } }));
    expect([e.field, e.message]).toEqual(["model.spec.hidden[1]", "model layer 2 uses relu, the document's network uses tanh (network.activation)"]);
    e = refused(other({ network: { hidden: [5, 3], activation: "tanh", output: "linear", bias: true } }));
    expect([e.field, e.message]).toEqual(["model.spec.output", "the model's output activation is linear, the document's network's is sigmoid (network.output)"]);
    e = refused(other({ network: { hidden: [5, 3], activation: "tanh", output: "sigmoid", bias: false } }));
    expect([e.field, e.message]).toEqual(["model.spec.bias", "the model has no biases, the document's network has them (network.bias)"]);
  });

  it("names a malformed model's field under model", () => {
    const bad = good();
    bad.weights[1]![2]![0] = "x" as unknown as number;
    const e = refused(bad);
    expect(e.code).toBe("invalid-model");
    expect(e.field).toBe("model.weights[1][2][0]");
    expect(e.message).toBe('model: weights[1][2][0]: must be a finite number, got "x"');
  });

  it("modelMismatch reports the difference as data (what, layer, both values, the document's field)", () => {
    const m = modelMismatch({ sizes: [2, 5, 4, 1], hidden: "tanh", output: "sigmoid", bias: true }, { sizes: [2, 5, 3, 1], hidden: "tanh", output: "sigmoid", bias: true });
    expect(m).toEqual({
      field: "spec.sizes[2]",
      what: "units",
      layer: 2,
      model: 4,
      network: 3,
      source: "network.hidden[1]",
      message: "model layer 2 has 4 units, the document's network has 3 (network.hidden[1])",
    });
    expect(modelMismatch(good().spec, good().spec)).toBeNull();
  });
});
