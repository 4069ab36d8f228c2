// POST /v1/evaluate against a forward pass, loss and counts written here
// with Math.exp / Math.tanh (core has its own libm: equal to 1e-12).
import { makeDataset, type ModelJSON } from "@backprop-lab/core";
import { afterAll, describe, expect, it } from "vitest";
import { createApp } from "./app.js";
import type { EvaluateResult } from "./evaluate.js";
import { startServer } from "./node/server.js";
import { expectProblem, post } from "./test/helpers.js";

const app = createApp();

/** A 2-3-2 tanh/softmax model with fixed weights. */
const softmaxModel: ModelJSON = {
  format: "backprop-lab/mlp",
  version: 1,
  spec: { sizes: [2, 3, 2], hidden: "tanh", output: "softmax", bias: true },
  weights: [
    [[0.8, -1.2, 0.3], [0.5, 0.9, -1.1]],
    [[1.5, -1.0], [-0.7, 1.3], [0.4, 0.2]],
  ],
  biases: [[0.1, -0.2, 0.05], [0.3, -0.3]],
} as ModelJSON;

/** A 2-4-1 sigmoid/sigmoid model. */
const sigmoidModel: ModelJSON = {
  format: "backprop-lab/mlp",
  version: 1,
  spec: { sizes: [2, 4, 1], hidden: "sigmoid", output: "sigmoid", bias: true },
  weights: [
    [[2.1, -1.3, 0.7, 0.2], [-0.4, 1.8, -2.2, 0.9]],
    [[1.2], [-2.0], [1.7], [0.3]],
  ],
  biases: [[0, 0.5, -0.5, 0.1], [-0.2]],
} as ModelJSON;

const act: Record<string, (z: number) => number> = { tanh: Math.tanh, sigmoid: (z) => 1 / (1 + Math.exp(-z)), relu: (z) => Math.max(0, z), linear: (z) => z };

/** The model's outputs for one row: z = a·W + b layer by layer. */
function forward(m: ModelJSON, row: number[]): number[] {
  let a = row;
  m.weights.forEach((W, l) => {
    const nOut = W[0]!.length;
    const z = Array.from({ length: nOut }, (_, j) => a.reduce((s, x, i) => s + x * W[i]![j]!, m.biases ? m.biases[l]![j]! : 0));
    const last = l === m.weights.length - 1;
    if (last && m.spec.output === "softmax") {
      const max = Math.max(...z);
      const e = z.map((v) => Math.exp(v - max));
      const s = e.reduce((p, q) => p + q, 0);
      a = e.map((v) => v / s);
    } else {
      a = z.map(act[last ? m.spec.output : (m.spec.hidden as string)]!);
    }
  });
  return a;
}

function counts(actual: number[], guess: number[], classes: number) {
  const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  actual.forEach((c, i) => confusion[c]![guess[i]!]!++);
  return confusion;
}

describe("POST /v1/evaluate", () => {
  it("scores inline rows with class labels: cross-entropy, accuracy, confusion and per-class counts", async () => {
    const x = [[0.5, -1], [1, 1], [-2, 0.3], [0.1, 0.1], [3, -2], [-1, -1], [0.7, 2.5]];
    const y = [0, 1, 1, 0, 0, 1, 1];
    const res = await post(app, "/v1/evaluate", { model: softmaxModel, data: { x, y }, loss: "cross-entropy" });
    expect(res.status).toBe(200);
    const r = (await res.json()) as EvaluateResult;
    const outs = x.map((row) => forward(softmaxModel, row));
    const loss = outs.reduce((s, o, i) => s - Math.log(o[y[i]!]!), 0) / x.length;
    const guess = outs.map((o) => (o[1]! > o[0]! ? 1 : 0));
    const confusion = counts(y, guess, 2);
    expect(r.n).toBe(7);
    expect(Math.abs(r.dataLoss - loss)).toBeLessThan(1e-12);
    expect(r.loss).toBe(r.dataLoss);
    expect(r.regLoss).toBe(0);
    expect(r.accuracy).toBe(guess.filter((g, i) => g === y[i]).length / 7);
    expect(r.confusion).toEqual(confusion);
    expect(r.classes).toEqual([0, 1].map((k) => ({ class: k, count: y.filter((c) => c === k).length, predicted: guess.filter((g) => g === k).length, correct: confusion[k]![k] })));
    expect(r.lossName).toBe("cross-entropy");
    expect(r.encoding).toBe("one-hot");
  });

  it("scores a generated data set (binary targets, mse, an L2 penalty)", async () => {
    const data = makeDataset("xor", { n: 300, noise: 0.1, seed: 9, encoding: "binary" });
    const res = await post(app, "/v1/evaluate", {
      model: sigmoidModel,
      data: { name: "xor", n: 300, noise: 0.1, seed: 9 },
      regularization: { kind: "l2", lambda: 0.01 },
    });
    expect(res.status).toBe(200);
    const r = (await res.json()) as EvaluateResult;
    let sq = 0;
    const actual: number[] = [];
    const guess: number[] = [];
    for (let i = 0; i < data.n; i++) {
      const o = forward(sigmoidModel, [data.x[2 * i]!, data.x[2 * i + 1]!])[0]!;
      sq += (o - data.y[i]!) ** 2;
      actual.push(data.labels![i]!);
      guess.push(o > 0.5 ? 1 : 0);
    }
    // core's mse is ½·mean squared error per output; the L2 penalty is λ/(2n)·ΣW² (weights only, not biases)
    const w2 = sigmoidModel.weights.flat(2).reduce((s, w) => s + w * w, 0);
    expect(Math.abs(r.dataLoss - sq / (2 * data.n))).toBeLessThan(1e-12);
    expect(Math.abs(r.regLoss - (0.01 / (2 * data.n)) * w2)).toBeLessThan(1e-15);
    expect(r.encoding).toBe("binary");
    expect(r.confusion).toEqual(counts(actual, guess, 2));
    expect(r.classes!.map((c) => c.count)).toEqual([actual.filter((c) => c === 0).length, actual.filter((c) => c === 1).length]);
  });

  it("names what is wrong, in English and Spanish", async () => {
    const cases: [unknown, string, string, number?][] = [
      [{ model: softmaxModel, data: { x: [[1, 2, 3]], y: [0] } }, "data.x[0]", "the model reads 2 inputs"],
      [{ model: softmaxModel, data: { x: [[1, 2]], y: [3] } }, "data.y", "3"],
      [{ model: softmaxModel, data: { name: "xor", n: 5001 } }, "data.n", "limit is 5000"],
      [{ model: softmaxModel, data: { name: "xor" }, features: ["x1", "x2", "x1x2"] }, "features", "reads 2 inputs but the data gives 3"],
      [{ model: sigmoidModel, data: { name: "xor" }, loss: "cross-entropy" }, "loss", "softmax"],
      [{ model: { ...softmaxModel, weights: [] }, data: { name: "xor" } }, "model", ""],
      [{ model: softmaxModel, data: { name: "xorr" } }, "data.name", ""],
      [{ model: softmaxModel }, "data", ""],
    ];
    for (const [body, field, text] of cases) {
      const p = await expectProblem(await post(app, "/v1/evaluate", body), 422);
      expect(p.errors[0]!.field, JSON.stringify(body).slice(0, 80)).toMatch(new RegExp(`^${field.replace(/[.[\]]/g, "\\$&")}`));
      expect(p.errors[0]!.message).toContain(text);
    }
    const es = await expectProblem(await post(app, "/v1/evaluate", { model: softmaxModel, data: { x: [[1, 2, 3]], y: [0] } }, { "accept-language": "es" }), 422);
    expect(es.errors[0]!.message).toBe("data.x[0] tiene 3 valores; el modelo lee 2 entradas");
    expect(es.title).toBe("Petición no válida");
  });

  it("is costed before any work with the one limit set", async () => {
    const wide = { ...softmaxModel, spec: { ...softmaxModel.spec, sizes: [2, 64, 64, 64, 64, 2] }, weights: [], biases: [] };
    const tight = createApp({ limits: { workBudget: 1000 } });
    const p = await expectProblem(await post(tight, "/v1/evaluate", { model: softmaxModel, data: { name: "xor", n: 500 } }), 422);
    expect(p.type).toBe("urn:backprop-lab:problem:work-budget-exceeded");
    expect(p.largest).toBe("rows × parameters");
    // the model's shape is bounded before its weights are read
    const q = await expectProblem(await post(app, "/v1/evaluate", { model: { ...wide, spec: { ...wide.spec, sizes: [2, 65, 2] } }, data: { name: "xor" } }), 422);
    expect(q.errors[0]!.field).toMatch(/^model\.spec\.sizes/);
  });

  describe("on Node, in the worker pool", () => {
    let close: (() => Promise<void>) | undefined;
    afterAll(() => close?.());
    it("answers byte for byte what the in-process app answers", async () => {
      const server = await startServer({ port: 0, pool: { size: 1 } });
      close = server.close;
      const body = JSON.stringify({ model: softmaxModel, data: { name: "gauss", n: 400, seed: 3 }, loss: "cross-entropy" });
      const overHttp = await fetch(`${server.url}/v1/evaluate`, { method: "POST", headers: { "content-type": "application/json" }, body });
      expect(overHttp.status).toBe(200);
      expect(await overHttp.text()).toBe(await (await post(app, "/v1/evaluate", body, { "content-type": "application/json" })).text());
    });
  });
});
