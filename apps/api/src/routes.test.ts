// The route suite: runs under Node (vitest.config.ts) and inside workerd
// (vitest.workers.config.ts), so it uses Web APIs only.
import {
  createTrainingRun,
  DATASET_NAMES,
  mlpFromJSON,
  mlpToJSON,
  normalizeRunDocument,
  parseRunDocument,
  PRESETS,
  presetDocument,
  predictedClass,
  type RunDocumentInput,
} from "@backprop-lab/core";
import { presetText } from "@backprop-lab/i18n";
import { expectClose } from "@backprop-lab/test-utils";
import { describe, expect, it } from "vitest";
import golden from "../../../tooling/reference/seed-worked-example.json";
import { createApp } from "./app.js";
import { createClient } from "./client.js";
import { applyFix, FAILURE_LABS } from "./engine/diagnose.js";
import { DEFAULT_LIMITS } from "./limits.js";
import { memoryRateLimiter } from "./rate-limit.js";
import { expectProblem, parseSSE, post } from "./test/helpers.js";

const app = createApp();

describe("lists", () => {
  it("lists every data set with its domain and both languages", async () => {
    const res = await app.request("/v1/datasets");
    expect(res.status).toBe(200);
    const { datasets } = (await res.json()) as { datasets: { name: string; domain: { xMin: number; xMax: number }; description: { en: string; es: string } }[] };
    expect(datasets.map((d) => d.name)).toEqual([...DATASET_NAMES]);
    expect(datasets.find((d) => d.name === "xor")!.domain).toEqual({ xMin: -6, xMax: 6, yMin: -6, yMax: 6 });
    for (const d of datasets) expect(d.description.es.length).toBeGreaterThan(0);
  });

  it("lists presets and failure labs with full configs", async () => {
    const res = await app.request("/v1/presets");
    const body = (await res.json()) as { presets: { id: string; title: { en: string; es: string }; description: { en: string; es: string }; config: unknown }[]; failureLabs: { id: string }[] };
    expect(body.presets.map((p) => p.id)).toEqual(PRESETS.map((p) => p.id));
    expect(body.presets[0]!.config).toEqual(normalizeRunDocument(body.presets[0]!.config as RunDocumentInput));
    // the whole document, and the text of the faces' shared module in both languages
    expect(body.presets.map((p) => p.config)).toEqual(PRESETS.map((p) => p.document));
    expect(body.presets.map((p) => p.title)).toEqual(PRESETS.map((p) => presetText(p.id).title));
    expect(body.presets.every((p) => p.description.es.length > 0 && p.description.en !== p.description.es)).toBe(true);
    expect(body.failureLabs.map((l) => l.id)).toEqual(FAILURE_LABS.map((l) => l.id));
    expect(body.failureLabs.length).toBeGreaterThan(0);
  });

  it("serves an OpenAPI 3.1 document naming every route and the run config", async () => {
    const doc = (await (await app.request("/openapi.json")).json()) as { openapi: string; paths: Record<string, unknown>; components: { schemas: Record<string, unknown> } };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths).sort()).toEqual(
      ["/health", "/v1/boundary", "/v1/datasets", "/v1/evaluate", "/v1/explain", "/v1/gradient-check", "/v1/limits", "/v1/predict", "/v1/presets", "/v1/train", "/v1/train/stream"].sort(),
    );
    for (const name of ["RunDocument", "TrainRequest", "Model", "Problem", "TrainResult", "Explanation"]) expect(doc.components.schemas).toHaveProperty(name);
  });
});

describe("POST /v1/explain", () => {
  it("gives the course's worked example by default, to 1e-12 of the reference", async () => {
    const res = await post(app, "/v1/explain");
    expect(res.status).toBe(200);
    const e = (await res.json()) as { x: number[][]; output: number[][]; dataLoss: number; lossAfterUpdate: number; layers: Record<string, unknown>[] };
    const g = golden.expected as Record<string, unknown>;
    expectClose(e.x, golden.inputs.X, 0, "X");
    expectClose(e.layers[0]!.W, golden.inputs.W1, 0, "W1");
    expectClose(e.layers[1]!.W, golden.inputs.W2, 0, "W2");
    const pairs: [string, unknown][] = [
      ["z1", e.layers[0]!.z],
      ["h1", e.layers[0]!.a],
      ["z2", e.layers[1]!.z],
      ["h2", e.output],
      ["dL_dh2", e.layers[1]!.dL_da],
      ["dh2_dz2", e.layers[1]!.da_dz],
      ["dL_dz2", e.layers[1]!.dL_dz],
      ["dL_dW2", e.layers[1]!.dL_dW],
      ["dL_dh1", e.layers[1]!.dL_dinput],
      ["dh1_dz1", e.layers[0]!.da_dz],
      ["dL_dz1", e.layers[0]!.dL_dz],
      ["dL_dW1", e.layers[0]!.dL_dW],
      ["W1_next", e.layers[0]!.W_next],
      ["W2_next", e.layers[1]!.W_next],
    ];
    for (const [key, actual] of pairs) expectClose(actual, g[key], 1e-12, key);
    expectClose(e.dataLoss, g.loss as number, 1e-12, "loss");
    expectClose(e.lossAfterUpdate, g.loss_after_update as number, 1e-12, "loss_after_update");
  });

  it("explains a given model and rows, naming a shape mismatch", async () => {
    const model = mlpToJSON(createTrainingRun({ seed: 5, network: { hidden: [2] } }).net);
    const ok = await post(app, "/v1/explain", { model, x: [[1, 2], [3, 4]], y: [[1, 0], [0, 1]], learningRate: 0.1 });
    expect(((await ok.json()) as { n: number }).n).toBe(2);
    const bad = await expectProblem(await post(app, "/v1/explain", { model, x: [[1, 2, 3]], y: [[1, 0]] }), 422);
    expect(bad.errors[0]!.field).toBe("x[0]");
  });
});

describe("POST /v1/explain with a run document", () => {
  // a schedule, L2, clipping that acts on every step and a guard: the explanation must be the run's real next step
  const base = {
    seed: 3,
    data: { source: "generated", name: "circle", n: 120, noise: 0.1, testRatio: 0.25 },
    network: { hidden: [5, 4], activation: "tanh", output: "sigmoid", bias: true },
    training: {
      learningRate: 0.3,
      schedule: { kind: "exponential", decayRate: 0.5, decaySteps: 10 },
      regularization: { kind: "l2", lambda: 0.01 },
      batchSize: 16,
      clipping: { maxNorm: 0.05 },
      guard: { factor: 0.5, minLearningRate: 1e-6, gradJump: null },
    },
    evaluation: { every: 1 },
  };
  const optimizers = [
    { kind: "momentum", momentum: 0.9, nesterov: false },
    { kind: "momentum", momentum: 0.8, nesterov: true },
    { kind: "adam", beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
  ];
  for (const optimizer of optimizers) {
    it(`its W_next and b_next are the weights /v1/train has one step later, bit for bit (${optimizer.kind}${"nesterov" in optimizer && optimizer.nesterov ? ", Nesterov" : ""})`, async () => {
      const config = { ...base, training: { ...base.training, optimizer } };
      for (const steps of [0, 7, 12]) {
        const e = (await (await post(app, "/v1/explain", { config, steps })).json()) as {
          learningRate: number;
          regLoss: number;
          layers: { W_next: number[][]; b_next: number[] | null }[];
        };
        const r = (await (await post(app, "/v1/train", { config, steps: steps + 1, diagnostics: { gradientCheck: false } })).json()) as {
          model: { weights: number[][][]; biases: number[][] | null };
          reports: { step: number; learningRate: number; regLoss: number; clipped: boolean; gradNorm: number; clippedNorm: number }[];
        };
        expect(e.layers).toHaveLength(3);
        e.layers.forEach((layer, l) => {
          expect(layer.W_next, `W_next of layer ${l} after ${steps} steps`).toEqual(r.model.weights[l]);
          expect(layer.b_next, `b_next of layer ${l} after ${steps} steps`).toEqual(r.model.biases![l]);
        });
        // the step explained is the one the run took: its scheduled rate (0.3·0.5^(t/10)) and its penalty, clipped
        const report = r.reports.at(-1)!;
        expect(report.step).toBe(steps + 1);
        expect(e.learningRate).toBe(report.learningRate);
        expect(report.learningRate).toBeCloseTo(0.3 * 0.5 ** (steps / 10), 14);
        expect(e.regLoss).toBe(report.regLoss);
        expect(report.clipped).toBe(true);
        expect(report.clippedNorm).toBeLessThan(report.gradNorm);
      }
    });
  }

  it("refuses a run document together with a model, and steps without a run document", async () => {
    const both = await expectProblem(await post(app, "/v1/explain", { config: {}, learningRate: 0.1 }), 422);
    expect(both.errors[0]!.field).toBe("learningRate");
    const steps = await expectProblem(await post(app, "/v1/explain", { steps: 3 }), 422);
    expect(steps.errors[0]!.field).toBe("steps");
    const rows = await expectProblem(await post(app, "/v1/explain", { config: { training: { batchSize: "full" } } }), 422);
    expect(rows).toMatchObject({ type: "urn:backprop-lab:problem:limit-exceeded", limit: DEFAULT_LIMITS.maxExplainRows });
    expect(rows.errors[0]!.field).toBe("config.training.batchSize");
  });
});

describe("POST /v1/train", () => {
  it("trains exactly as core does, and reports the course network's missing biases", async () => {
    const res = await post(app, "/v1/train", { preset: "course-2-3-2", steps: 400, reportEvery: 100 });
    expect(res.status).toBe(200);
    const r = (await res.json()) as { model: unknown; steps: number; final: { train: { loss: number; accuracy: number } }; findings: { code: string; message: { en: string; es: string } }[]; curves: { loss: { step: number[] }; trainLoss: { step: number[] } } };
    const run = createTrainingRun(presetDocument("course-2-3-2"));
    for (let i = 0; i < 400; i++) run.step();
    expect(r.model).toEqual(mlpToJSON(run.net));
    const ev = run.evaluate();
    expect(r.final.train.loss).toBe(ev.train.loss);
    expect(r.final.train.accuracy).toBe(ev.train.accuracy);
    expect(r.curves.trainLoss.step).toEqual([100, 200, 300, 400]);
    expect(r.curves.loss.step[0]).toBe(1);
    expect(r.curves.loss.step.at(-1)).toBe(400);
    expect(r.curves.loss.step.length).toBeLessThanOrEqual(200);
  });

  it("finds what goes wrong with a learning rate far too high, in both languages", async () => {
    // full batch, tanh, rate 30: the loss bounces up over the last steps (the diagnostics corpus's "unstable" label)
    const res = await post(app, "/v1/train", { config: { network: { hidden: [3], activation: "tanh" }, training: { learningRate: 30, batchSize: "full" } }, steps: 300 });
    const r = (await res.json()) as { findings: { code: string; severity: string; message: { en: string; es: string } }[] };
    const codes = r.findings.map((f) => f.code);
    expect(codes).toContain("learning-rate-too-high");
    for (const f of r.findings) expect(f.message.es).not.toBe(f.message.en);
  });

  it("counts the work budget as documented, and returns the boundary grid when asked", async () => {
    const body = { config: { seed: 9, data: { source: "generated", name: "circle", n: 200, testRatio: 0.25 }, network: { hidden: [5] } }, steps: 40, reportEvery: 10, grid: { resolution: 12 }, diagnostics: { gradientCheck: false } };
    const r = (await (await post(app, "/v1/train", body)).json()) as { cost: number; parameters: number; grid: { width: number; value: number[]; classIndex: number[]; domain: unknown } };
    expect(r.parameters).toBe(2 * 5 + 5 + 5 * 2 + 2);
    // the cost model written out: steps, evaluations, bookkeeping, events, grid (README "Limits")
    // (27 parameters, batch 10, 40 steps, 200 rows, 5 evaluations, 5 events, 144 cells)
    expect(r.cost).toBeCloseTo((0.05 * 27 * 10 + 3 * 27) * 40 + (0.03 * 27 + 3) * 200 * 5 + (100 + 5 * 10) * 40 + 6000 * 5 + 0.1 * 27 * 144, 6);
    expect(r.grid.width).toBe(12);
    expect(r.grid.value).toHaveLength(144);
    expect(r.grid.classIndex).toHaveLength(144);
    expect(r.grid.domain).toEqual({ xMin: -6, xMax: 6, yMin: -6, yMax: 6 });
  });

  it("is byte-identical for the same body, and different for another seed", async () => {
    const body = { config: { seed: 11, data: { source: "generated", name: "spiral", n: 120, noise: 0.1 } }, steps: 60, grid: { resolution: 8 } };
    const a = await (await post(app, "/v1/train", body)).text();
    const b = await (await post(app, "/v1/train", body)).text();
    expect(a).toBe(b);
    const c = await (await post(app, "/v1/train", { ...body, config: { ...body.config, seed: 12 } })).text();
    expect(c).not.toBe(a);
  });

  it("trains on inline data in place of a generated set", async () => {
    const x = [[0, 0], [0, 1], [1, 0], [1, 1]];
    const y = [0, 1, 1, 0];
    const res = await post(app, "/v1/train", { config: { data: { source: "inline", x, y }, network: { hidden: [4] }, training: { batchSize: "full", learningRate: 1 } }, steps: 50 });
    expect(res.status).toBe(200);
    const r = (await res.json()) as { final: { train: { n: number } } };
    expect(r.final.train.n).toBe(4);
  });

  it("streams progress, findings and the same result as Server-Sent Events", async () => {
    const body = { preset: "course-2-3-2", steps: 300, reportEvery: 100 };
    const res = await post(app, "/v1/train/stream", body);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const events = parseSSE(await res.text());
    const progress = events.filter((e) => e.event === "progress").map((e) => JSON.parse(e.data) as { step: number });
    expect(progress.map((p) => p.step)).toEqual([100, 200, 300]);
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => String(i)));
    const result = events.at(-1)!;
    expect(result.event).toBe("result");
    expect(result.data).toBe(await (await post(app, "/v1/train", body)).text());
  });
});

describe("failure labs", () => {
  const fits = FAILURE_LABS.filter((lab) => lab.steps <= DEFAULT_LIMITS.maxSteps);
  for (const lab of fits) {
    it(`${lab.id}: finds ${lab.expected.join(", ")}, and the fix clears it`, async () => {
      const broken = (await (await post(app, "/v1/train", { preset: lab.id })).json()) as { steps: number; findings: { code: string }[] };
      expect(broken.steps).toBe(lab.steps);
      const found = broken.findings.map((f) => f.code);
      for (const code of lab.expected) expect(found).toContain(code);
      const fixed = (await (await post(app, "/v1/train", { preset: lab.id, applyFix: true })).json()) as { config: unknown; findings: { code: string }[] };
      // the lab's document, the fix applied, with the default cadence of 20 reports
      const document = parseRunDocument(JSON.parse(JSON.stringify(applyFix(lab.config, lab.fix))));
      expect(fixed.config).toEqual({ ...document, evaluation: { every: Math.ceil(lab.steps / 20) } });
      for (const code of lab.expected) expect(fixed.findings.map((f) => f.code)).not.toContain(code);
    });
  }

  it("refuses a lab longer than the step limit, naming steps", async () => {
    const long = FAILURE_LABS.filter((lab) => lab.steps > DEFAULT_LIMITS.maxSteps);
    expect(long.length + fits.length).toBe(FAILURE_LABS.length);
    for (const lab of long) {
      const p = await expectProblem(await post(app, "/v1/train", { preset: lab.id }), 422);
      expect(p).toMatchObject({ limit: DEFAULT_LIMITS.maxSteps, value: lab.steps });
    }
  });

  it("refuses applyFix without a failure lab", async () => {
    const p = await expectProblem(await post(app, "/v1/train", { preset: "course-2-3-2", applyFix: true }), 422);
    expect(p.errors[0]!.field).toBe("applyFix");
  });
});

describe("model routes", () => {
  const trained = async () => {
    const body = { config: { seed: 4, data: { source: "generated", name: "xor", n: 200, testRatio: 0 }, network: { hidden: [6] } }, steps: 300 };
    return (await (await post(app, "/v1/train", body)).json()) as { model: unknown; final: { train: { accuracy: number } } };
  };

  it("predicts what training measured: the same accuracy on the training points", async () => {
    const { model, final } = await trained();
    const data = createTrainingRun({ seed: 4, data: { source: "generated", name: "xor", n: 200, testRatio: 0 } }).points.train;
    const x = Array.from({ length: data.n }, (_, i) => [data.x[2 * i]!, data.x[2 * i + 1]!]);
    const res = await post(app, "/v1/predict", { model, x });
    const p = (await res.json()) as { n: number; outputs: number[][]; classIndex: number[] };
    expect(p.n).toBe(200);
    const correct = p.classIndex.filter((c, i) => c === data.labels![i]).length;
    expect(correct / data.n).toBe(final.train.accuracy);
    const net = mlpFromJSON(model);
    const out = Float64Array.from(p.outputs.flat());
    expect(p.classIndex[7]).toBe(predictedClass(out, 7, net.layers.at(-1)!.nOut, "one-hot"));
  });

  it("samples the decision boundary over a grid", async () => {
    const { model } = await trained();
    const res = await post(app, "/v1/boundary", { model, resolution: 30, dataset: "xor" });
    const g = (await res.json()) as { width: number; height: number; classIndex: number[]; boundary: number[][] };
    expect([g.width, g.height]).toEqual([30, 30]);
    expect(new Set(g.classIndex)).toEqual(new Set([0, 1]));
    expect(g.boundary.length).toBeGreaterThan(0);
    for (const line of g.boundary) expect(line.length % 2).toBe(0);
  });

  it("gradient-checks a run's network, and catches the course's L2 bug", async () => {
    const config = { seed: 2, network: { hidden: [3] }, training: { regularization: { kind: "l2", lambda: 0.5 } } };
    const good = (await (await post(app, "/v1/gradient-check", { config, rows: 8 })).json()) as { ok: boolean; maxRelativeError: number; parameters: unknown[] };
    expect(good.ok).toBe(true);
    expect(good.parameters).toHaveLength(2 * 3 + 3 + 3 * 2 + 2);
    const buggy = { ...config, training: { regularization: { kind: "l2", lambda: 0.5, gradient: "course-bug" } } };
    const bad = (await (await post(app, "/v1/gradient-check", { config: buggy, rows: 8 })).json()) as { ok: boolean; maxRelativeError: number; worst: { kind: string } };
    expect(bad.ok).toBe(false);
    expect(bad.maxRelativeError).toBeGreaterThan(1e-3);
    expect(bad.worst.kind).toBe("W");
  });
});

describe("problems", () => {
  it("answers unknown routes with a 404 problem", async () => {
    const p = await expectProblem(await app.request("/v2/nothing"), 404);
    expect(p.instance).toBe("/v2/nothing");
    await expectProblem(await app.request("/v1/nothing"), 404);
  });

  it("answers a wrong method with 405 and the methods the route takes in Allow, in both languages", async () => {
    const get = await app.request("/v1/train");
    const p = await expectProblem(get, 405);
    expect(p.type).toBe("urn:backprop-lab:problem:method-not-allowed");
    expect(get.headers.get("allow")).toBe("POST, OPTIONS");
    const put = await app.request("/v1/limits", { method: "PUT", headers: { "accept-language": "es" } });
    expect(put.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
    expect((await expectProblem(put, 405)).title).toBe("Método no permitido");
  });

  it("accepts every RFC 9110 spelling of a JSON content type, and answers any other with 415", async () => {
    const body = JSON.stringify({ x: [[1, -1]], y: [[1, 0]] });
    const direct = await (await post(app, "/v1/explain", body)).text();
    for (const type of ["application/json;", "application/json; charset=utf-8", "Application/JSON", "application/json ; CHARSET=\"UTF-8\"", "application/json;;", "application/problem+json"]) {
      const res = await post(app, "/v1/explain", body, { "content-type": type });
      expect(res.status, type).toBe(200);
      expect(await res.text(), type).toBe(direct);
    }
    for (const type of ["application/json; charset=latin1", "text/json", "application/json; =x", "json", "application/jsonx"]) {
      const p = await expectProblem(await post(app, "/v1/explain", body, { "content-type": type }), 415);
      expect(p.type, type).toBe("urn:backprop-lab:problem:unsupported-media-type");
    }
  });

  it("lists the first 20 field errors and counts them all", async () => {
    const x = Array.from({ length: 500 }, () => ["a", "b"]);
    const p = await expectProblem(await post(app, "/v1/predict", { model: mlpToJSON(createTrainingRun({}).net), x }), 422);
    expect(p.errors).toHaveLength(20);
    expect(p.errorCount).toBe(1000);
    expect(p.errors.map((e) => e.field).slice(0, 3)).toEqual(["x[0][0]", "x[0][1]", "x[1][0]"]);
    expect(p.detail).toContain("1000");
  });

  it("names the offending field, in Spanish when asked", async () => {
    const body = { config: { network: { hidden: [3, 0] } } };
    const en = await expectProblem(await post(app, "/v1/train", body), 422);
    expect(en.errors.map((e) => e.field)).toEqual(["config.network.hidden[1]"]);
    const es = await expectProblem(await post(app, "/v1/train", body, { "accept-language": "es-ES,es;q=0.9,en;q=0.5" }), 422);
    expect(es.title).toBe("Petición no válida");
    expect(es.errors[0]!.field).toBe("config.network.hidden[1]");
    expect(es.errors[0]!.message).not.toBe(en.errors[0]!.message);
  });

  it("reports the closest branch of a union, and unknown fields by name", async () => {
    const p = await expectProblem(await post(app, "/v1/train", { config: { data: { name: "xorr" }, trainig: {} } }), 422);
    expect(p.errors.map((e) => e.field).sort()).toEqual(["config.data.name", "config.trainig"]);
  });

  it("keeps core's validation as the final word", async () => {
    const rows = await expectProblem(await post(app, "/v1/train", { config: { data: { name: "course-xor", trainRows: 400 } } }), 422);
    expect(rows.errors[0]).toMatchObject({ field: "config.data.trainRows", code: "invalid-config" });
    const loss = await expectProblem(await post(app, "/v1/train", { config: { training: { loss: "cross-entropy" } } }), 422);
    expect(loss.errors[0]!.field).toBe("config.training.loss");
    const data = await expectProblem(await post(app, "/v1/train", { config: { data: { x: [[1, 2], [3]], y: [0, 1] } } }), 422);
    expect(data.errors[0]!.field).toMatch(/^config\.data/);
    const model = await expectProblem(await post(app, "/v1/predict", { model: { ...mlpToJSON(createTrainingRun({}).net), weights: [] }, x: [[1, 2]] }), 422);
    expect(model.errors[0]!.field).toBe("model.weights");
  });

  it("refuses work over the budget before doing any, with the budget and the cost", async () => {
    const small = createApp({ limits: { workBudget: 1000 } });
    const p = await expectProblem(await post(small, "/v1/train", { steps: 10 }), 422);
    expect(p.type).toBe("urn:backprop-lab:problem:work-budget-exceeded");
    expect(p.budget).toBe(1000);
    expect(p.cost).toBeGreaterThan(1000);
    const grid = await expectProblem(await post(small, "/v1/boundary", { model: mlpToJSON(createTrainingRun({}).net), resolution: 100 }), 422);
    expect(grid.cost).toBe(Math.ceil(0.1 * 100 * 100 * createTrainingRun({}).net.params.length + 60 * 100 * 100));
  });

  it("bounds an uploaded model's every width, the output too", async () => {
    const wide = { format: "backprop-lab/mlp", version: 1, spec: { sizes: [1, 4096], output: "sigmoid", bias: false }, weights: [[Array.from({ length: 4096 }, () => 0)]], biases: null };
    const p = await expectProblem(await post(app, "/v1/predict", { model: wide, x: [[1]] }), 422);
    expect(p).toMatchObject({ type: "urn:backprop-lab:problem:limit-exceeded", limit: 64, value: 4096 });
    expect(p.errors[0]!.field).toBe("model.spec.sizes[1]");
  });

  it("refuses an answer larger than maxResponseBytes before computing it, naming outputs × rows", async () => {
    const sizes = [2, 64];
    const model = { format: "backprop-lab/mlp", version: 1, spec: { sizes, output: "sigmoid", bias: false }, weights: [[Array.from({ length: 64 }, () => 0.1), Array.from({ length: 64 }, () => 0.1)]], biases: null };
    const x = Array.from({ length: 10_000 }, () => [1, 2]);
    const p = await expectProblem(await post(app, "/v1/predict", { model, x }), 422);
    // 10,000 rows × 64 outputs × 21 bytes is about 13 MB, over the 8 MiB limit
    expect(p).toMatchObject({ resource: "response", limit: DEFAULT_LIMITS.maxResponseBytes, largest: "outputs × rows" });
    expect(p.value).toBeGreaterThan(DEFAULT_LIMITS.maxResponseBytes);
    const es = await expectProblem(await post(app, "/v1/predict", { model, x }, { "accept-language": "es" }), 422);
    expect(es.detail).toContain("bytes de respuesta");
  });

  it("counts progress events in the CPU estimate: reportEvery 1 on a tiny network is refused", async () => {
    const p = await expectProblem(await post(app, "/v1/train/stream", { config: { data: { name: "xor", n: 10 }, network: { hidden: [] } }, steps: 100_000, reportEvery: 1 }), 422);
    expect(p.resource === "cpu" || p.resource === "response").toBe(true);
    expect(["progress events", "progress events × event size"]).toContain(p.largest);
  });

  it("publishes the one limit set in /v1/limits and as maximums in the OpenAPI document", async () => {
    const limits = (await (await app.request("/v1/limits")).json()) as Record<string, number>;
    for (const [k, v] of Object.entries(DEFAULT_LIMITS)) expect(limits[k], k).toBe(v);
    const small = createApp({ limits: { maxSteps: 777 } });
    const doc = JSON.stringify(await (await small.request("/openapi.json")).json());
    expect(doc).toContain('"maximum":777,"x-limit":"maxSteps"');
    expect(doc).toContain(`"maxItems":${DEFAULT_LIMITS.maxPredictRows},"x-limit":"maxPredictRows"`);
  });

  it("checks size limits with the limit and the value", async () => {
    const steps = await expectProblem(await post(app, "/v1/train", { steps: 1_000_000 }), 422);
    expect(steps).toMatchObject({ type: "urn:backprop-lab:problem:limit-exceeded", limit: 100_000, value: 1_000_000 });
    expect(steps.errors[0]!.field).toBe("steps");
    const width = await expectProblem(await post(app, "/v1/train", { config: { network: { hidden: [65] } } }), 422);
    expect(width.errors[0]!.field).toBe("config.network.hidden[0]");
    const n = await expectProblem(await post(app, "/v1/train", { config: { data: { name: "xor", n: 5001 } } }), 422);
    expect(n.errors[0]!.field).toBe("config.data.n");
  });

  it("answers malformed JSON with 400, other media types with 415 and large bodies with 413", async () => {
    await expectProblem(await post(app, "/v1/train", "{not json"), 400);
    await expectProblem(await post(app, "/v1/train", "steps=1", { "content-type": "application/x-www-form-urlencoded" }), 415);
    const small = createApp({ limits: { maxBodyBytes: 100 } });
    const p = await expectProblem(await post(small, "/v1/predict", { x: Array.from({ length: 50 }, () => [1, 2]) }), 413);
    expect(p.detail).toContain("100");
  });

  it("rejects preset and config together, and unknown presets", async () => {
    const both = await expectProblem(await post(app, "/v1/train", { preset: "course-2-3-2", config: {} }), 422);
    expect(both.errors[0]!.field).toBe("preset");
    const unknown = await expectProblem(await post(app, "/v1/train", { preset: "nope" }), 422);
    expect(unknown.errors[0]!.field).toBe("preset");
  });

  it("stops a run at the wall-clock limit with a 504", async () => {
    const impatient = createApp({ trainTimeoutMs: 0 });
    const p = await expectProblem(await post(impatient, "/v1/train", { preset: "course-2-50-2", steps: 200 }), 504);
    expect(p.timeoutMs).toBe(0);
  });
});

describe("headers", () => {
  it("sets a request id (echoing a client's), security headers and CORS", async () => {
    const res = await app.request("/v1/limits", { headers: { "x-request-id": "abc-123", origin: "https://example.org" } });
    expect(res.headers.get("x-request-id")).toBe("abc-123");
    expect((await app.request("/v1/limits")).headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    const only = createApp({ corsOrigins: ["https://lab.example"] });
    const pre = await only.request("/v1/train", { method: "OPTIONS", headers: { origin: "https://lab.example", "access-control-request-method": "POST" } });
    expect(pre.headers.get("access-control-allow-origin")).toBe("https://lab.example");
    const allowed = await only.request("/v1/limits", { headers: { origin: "https://lab.example" } });
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://lab.example");
    expect(allowed.headers.get("vary")).toContain("Origin");
    expect(allowed.headers.get("vary")).toContain("Accept-Language");
    // an error answer carries them too
    const missing = await only.request("/v1/nothing", { headers: { origin: "https://lab.example" } });
    expect([missing.status, missing.headers.get("access-control-allow-origin")]).toEqual([404, "https://lab.example"]);
    const other = await only.request("/v1/limits", { headers: { origin: "https://evil.example" } });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("rate-limits per client with a 429 problem and Retry-After", async () => {
    const limited = createApp({ rateLimiter: memoryRateLimiter({ limit: 2, periodMs: 60_000 }), rateLimit: { limit: 2, periodSeconds: 60 } });
    const get = (ip: string) => limited.request("/v1/limits", { headers: { "cf-connecting-ip": ip } });
    expect((await get("1.1.1.1")).status).toBe(200);
    expect((await get("1.1.1.1")).status).toBe(200);
    const res = await get("1.1.1.1");
    await expectProblem(res, 429);
    expect(res.headers.get("retry-after")).toBe("60");
    expect((await get("2.2.2.2")).status).toBe(200);
  });
});

describe("typed client", () => {
  it("calls the routes through hc with typed bodies", async () => {
    const api = createClient("http://local", { fetch: (input: Request | string | URL, init?: RequestInit) => app.request(input instanceof Request ? input : String(input), init) });
    const res = await api.v1.explain.$post({ json: {} });
    const step = await res.json();
    if (!("layers" in step)) throw new Error("expected an explanation");
    expect(step.layers).toHaveLength(2);
    const limits = await (await api.v1.limits.$get()).json();
    expect(limits.workBudget).toBe(100_000_000);
  });
});
