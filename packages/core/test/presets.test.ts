import { describe, expect, it } from "vitest";
import { backpropErrorOf } from "./helpers.js";
import { createTrainingRun, evaluate, explainStep, normalizeRunDocument, PRESETS, presetDocument, type RunDocumentInput } from "../src/index.js";

const fieldOf = (fn: () => unknown): string | undefined => backpropErrorOf(fn).field;

describe("presets and run documents", () => {
  it("every preset is a complete document that survives a JSON round trip unchanged, and trains", () => {
    for (const preset of PRESETS) {
      expect(normalizeRunDocument(preset.document)).toEqual(preset.document);
      expect(normalizeRunDocument(JSON.parse(JSON.stringify(preset.document)))).toEqual(preset.document);
      // a copy: editing it leaves the preset as it was
      const copy = presetDocument(preset.id);
      copy.network.hidden.push(9);
      expect(preset.document.network.hidden).not.toContain(9);
      expect(createTrainingRun(preset.document).step().finite).toBe(true);
    }
    expect(backpropErrorOf(() => presetDocument("course-2-3")).message).toContain("course-2-3-2");
  });

  const bad: [string, Record<string, unknown>, string][] = [
    ["unknown data set", { data: { name: "mnist" } }, "data.name"],
    ["noise out of range", { data: { name: "xor", noise: 0.9 } }, "data.noise"],
    ["test ratio out of range", { data: { name: "xor", testRatio: 1 } }, "data.testRatio"],
    ["too many rows", { data: { name: "xor", n: 10_000_000 } }, "data.n"],
    ["unknown feature", { features: ["x1", "cos"] }, "features[1]"],
    ["hidden width 0", { network: { hidden: [4, 0] } }, "network.hidden[1]"],
    ["unknown activation", { network: { activation: "gelu" } }, "network.activation"],
    ["activation list of the wrong length", { network: { hidden: [2, 2], activation: ["tanh"] } }, "network.activation"],
    ["negative learning rate", { training: { learningRate: -0.1 } }, "training.learningRate"],
    ["learning rate as text", { training: { learningRate: "fast" } }, "training.learningRate"],
    ["unknown optimizer", { training: { optimizer: { kind: "lbfgs" } } }, "training.optimizer.kind"],
    ["batch size 0", { training: { batchSize: 0 } }, "training.batchSize"],
    ["negative lambda", { training: { regularization: { kind: "l1", lambda: -1 } } }, "training.regularization.lambda"],
    ["seed out of range", { seed: -5 }, "seed"],
    ["init scheme", { init: { scheme: "orthogonal" } }, "init.scheme"],
  ];
  for (const [name, config, field] of bad) {
    it(`rejects ${name}, naming ${field}`, () => expect(fieldOf(() => createTrainingRun(config as RunDocumentInput))).toBe(field));
  }

  it("rejects a loss that does not fit the output", () => {
    expect(fieldOf(() => createTrainingRun({ network: { output: "tanh" }, training: { loss: "cross-entropy" } }))).toBe("training.loss");
  });

  it("inline data runs like a generated set with the same points", () => {
    const base = createTrainingRun({ seed: 4, data: { name: "gauss", n: 40, trainRows: 40 }, training: { batchSize: "full" } });
    const x = Array.from({ length: 40 }, (_, i) => [base.train.x[2 * i]!, base.train.x[2 * i + 1]!]);
    const y = Array.from(base.train.labels!);
    const inline = createTrainingRun({ seed: 4, data: { source: "inline", x, y, trainRows: 40 }, training: { batchSize: "full" } });
    expect(Array.from(inline.train.y)).toEqual(Array.from(base.train.y));
    for (let i = 0; i < 10; i++) expect({ ...inline.step() }).toEqual({ ...base.step() });
  });

  it("bad inline data names the row and column", () => {
    // JSON of unknown shape, as a file or a request body brings it
    const json: unknown = JSON.parse('{ "data": { "source": "inline", "x": [[0, 1], [2, "a"]], "y": [0, 1] } }');
    const field = fieldOf(() => createTrainingRun(json as RunDocumentInput));
    expect(field).toBe("data.x[1][1]");
  });

  it("features turn 2-D points into the Playground's inputs", () => {
    const run = createTrainingRun({ data: { name: "circle", n: 30 }, features: ["x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1", "sinx2"] });
    expect(run.train.nIn).toBe(7);
    expect(run.net.spec.sizes[0]).toBe(7);
    const [a, b] = [run.points.train.x[0]!, run.points.train.x[1]!];
    expect(Array.from(run.train.x.subarray(0, 7))).toEqual([a, b, a * a, b * b, a * b, Math.sin(a), Math.sin(b)]);
  });
});

describe("the course's claims about biases (DESIGN.md)", () => {
  // all 300 course points, full batch, 20,000 steps
  const accuracyAfter = (id: string, steps: number) => {
    const run = createTrainingRun(presetDocument(id));
    for (let i = 0; i < steps; i++) run.step();
    return evaluate(run.net, run.train).accuracy!;
  };
  it("without biases the 2-3-2 net stalls near 68 %; with biases it reaches ≈93 %; with 4 hidden units ≈99 %", () => {
    const none = accuracyAfter("course-2-3-2-all", 20_000);
    const bias = accuracyAfter("course-2-3-2-bias", 20_000);
    const four = accuracyAfter("course-2-4-2-bias", 20_000);
    expect(none).toBeGreaterThan(0.6);
    expect(none).toBeLessThan(0.7);
    expect(bias).toBeGreaterThan(0.9);
    expect(bias).toBeLessThan(0.96);
    expect(four).toBeGreaterThan(0.98);
  });
});

describe("evaluate and explainStep on batches", () => {
  it("the confusion matrix counts every row once and its diagonal is the accuracy", () => {
    const run = createTrainingRun({ seed: 8, data: { name: "spiral3", n: 90 }, network: { output: "softmax", hidden: [6] }, training: { loss: "cross-entropy", learningRate: 0.1 } });
    for (let i = 0; i < 200; i++) run.step();
    const e = evaluate(run.net, run.train, { loss: "cross-entropy" });
    expect(e.confusion!.length).toBe(3);
    const total = e.confusion!.flat().reduce((s, v) => s + v, 0);
    expect(total).toBe(run.train.n);
    expect(e.accuracy).toBeCloseTo((e.confusion![0]![0]! + e.confusion![1]![1]! + e.confusion![2]![2]!) / total, 15);
  });

  it("explainStep's update is one SGD step of the trainer, for several rows and a deep net", () => {
    const run = createTrainingRun({ seed: 5, data: { name: "moons", n: 6, testRatio: 0 }, network: { hidden: [4, 3], activation: "relu", bias: true }, training: { batchSize: "full", learningRate: 0.3, regularization: { kind: "l2", lambda: 0.01 } } });
    const e = explainStep(run.net, run.train.x, run.train.y, { learningRate: 0.3, regularization: { kind: "l2", lambda: 0.01 } });
    const report = { ...run.step() };
    expect(e.totalLoss).toBe(report.loss);
    expect(e.n).toBe(6);
    e.layers.forEach((layer, l) => {
      expect(layer.W_next.flat()).toEqual(Array.from(run.net.layers[l]!.W));
      expect(layer.b_next).toEqual(Array.from(run.net.layers[l]!.b!));
    });
  });
});
