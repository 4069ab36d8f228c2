// 10,000 random requests across every route: the API never answers 5xx, and
// every 4xx is well-formed problem+json. The app gets a small work budget so
// that the bodies that do pass validation train for a moment only.
import { createTrainingRun, DATASET_NAMES, FEATURE_NAMES, mlpToJSON, PRESETS } from "@backprop-lab/core";
import fc from "fast-check";
import { expect, it } from "vitest";
import { createApp } from "./app.js";

const unexpected: unknown[] = [];
const tally = new Map<string, number>();
const app = createApp({ limits: { workBudget: 300_000 }, onUnexpectedError: (e) => unexpected.push(e) });

const ROUTES = ["/v1/train", "/v1/train/stream", "/v1/predict", "/v1/boundary", "/v1/gradient-check", "/v1/explain"] as const;
const GETS = ["/v1/datasets", "/v1/presets", "/v1/limits", "/openapi.json", "/", "/v1/unknown", "/v1/train"];

const model = mlpToJSON(createTrainingRun({ seed: 1, network: { hidden: [3] } }).net);

// Values that are often almost right: near the limits, the wrong type, a name with a typo.
const smallInt = fc.oneof(fc.integer({ min: -3, max: 12 }), fc.constantFrom(0, 1, 65, 5001, 100_001, 2 ** 32, 1.5, -0));
const anyScalar = fc.oneof(smallInt, fc.double(), fc.string({ maxLength: 6 }), fc.boolean(), fc.constant(null));
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
/** Mostly one of `names`, sometimes a near miss or another type. */
const nameLike = (names: readonly string[]) =>
  fc.oneof({ weight: 16, arbitrary: fc.constantFrom(...names) }, { weight: 1, arbitrary: fc.string({ maxLength: 8 }) }, { weight: 1, arbitrary: anyScalar });
/** Mostly `valid`, sometimes anything. */
const mostly = <T>(valid: fc.Arbitrary<T>) => fc.oneof({ weight: 16, arbitrary: valid }, { weight: 1, arbitrary: anyScalar });
const steps = mostly(fc.integer({ min: 1, max: 8 }));
const coordinate = fc.double({ min: -6, max: 6, noNaN: true });
const row = mostly(fc.tuple(coordinate, coordinate).map((r): unknown[] => r));
const rows = fc.oneof({ weight: 8, arbitrary: fc.array(row, { minLength: 1, maxLength: 6 }) }, { weight: 1, arbitrary: fc.array(fc.array(anyScalar, { maxLength: 3 }), { maxLength: 3 }) });
const labels = fc.array(mostly(fc.integer({ min: 0, max: 2 })), { minLength: 1, maxLength: 6 });

const data = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record(
      { source: maybe(nameLike(["generated"])), name: nameLike(DATASET_NAMES), n: maybe(mostly(fc.integer({ min: 1, max: 60 }))), noise: maybe(mostly(fc.double({ min: 0, max: 0.5, noNaN: true }))), seed: maybe(smallInt), testRatio: maybe(mostly(fc.double({ min: 0, max: 0.9, noNaN: true }))), trainRows: maybe(smallInt), encoding: maybe(nameLike(["one-hot", "binary", "signed"])) },
      { requiredKeys: ["name"] },
    ),
  },
  { weight: 2, arbitrary: fc.record({ source: maybe(fc.constant("inline")), x: rows, y: fc.oneof(labels, rows), testRatio: maybe(fc.double({ min: 0, max: 1 })) }, { requiredKeys: ["x", "y"] }) },
  { weight: 1, arbitrary: anyScalar },
);
const features = mostly(fc.oneof(fc.constant(["x1", "x2"]), fc.subarray([...FEATURE_NAMES], { minLength: 1 }), fc.array(nameLike(FEATURE_NAMES), { maxLength: 3 })));

const config = fc.record(
  {
    seed: mostly(fc.nat(100)),
    data,
    features,
    network: fc.record(
      { hidden: mostly(fc.array(mostly(fc.integer({ min: 1, max: 6 })), { maxLength: 3 })), activation: fc.oneof(nameLike(["tanh", "relu", "sigmoid", "linear", "leaky-relu"]), fc.array(nameLike(["tanh", "relu"]), { maxLength: 3 })), output: nameLike(["sigmoid", "tanh", "linear", "softmax"]), bias: fc.oneof(fc.boolean(), anyScalar) },
      { requiredKeys: [] },
    ),
    init: fc.record({ scheme: nameLike(["course", "xavier", "he", "playground"]), seed: smallInt }, { requiredKeys: [] }),
    training: fc.record(
      {
        loss: nameLike(["mse", "cross-entropy", "binary-cross-entropy"]),
        optimizer: fc.oneof(nameLike(["sgd", "momentum", "adam"]), fc.record({ kind: nameLike(["sgd", "momentum", "adam"]), momentum: maybe(fc.double()), beta1: maybe(fc.double()) }, { requiredKeys: [] })),
        learningRate: mostly(fc.double({ min: 1e-4, max: 100, noNaN: true })),
        schedule: fc.oneof(nameLike(["constant", "step", "cosine"]), fc.record({ kind: nameLike(["step", "exponential", "linear"]), every: maybe(smallInt), totalSteps: maybe(smallInt) }, { requiredKeys: [] })),
        regularization: fc.record({ kind: nameLike(["none", "l1", "l2"]), lambda: maybe(fc.double({ min: -1, max: 10 })), gradient: maybe(nameLike(["correct", "course-bug"])) }, { requiredKeys: [] }),
        batchSize: mostly(fc.oneof(fc.integer({ min: 1, max: 20 }), fc.constant("full"))),
        shuffle: maybe(fc.oneof(fc.boolean(), anyScalar)),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: [] },
);

const mutatedModel = fc.oneof(
  { weight: 8, arbitrary: fc.constant(model) },
  { weight: 1, arbitrary: fc.record({ format: fc.constantFrom(model.format, "x"), version: fc.constantFrom(1, 2), spec: fc.constantFrom(model.spec, { ...model.spec, sizes: [2, 4, 2] }, { sizes: [2] }), weights: fc.constantFrom(model.weights, [], [[[1]]]), biases: fc.constantFrom(model.biases, null, [[1]]) }, { requiredKeys: [] }) },
  { weight: 1, arbitrary: anyScalar },
);
const domain = mostly(fc.record({ xMin: coordinate, xMax: coordinate, yMin: coordinate, yMax: coordinate }));

const grid = fc.record({ resolution: mostly(fc.integer({ min: 2, max: 12 })), domain: maybe(domain) }, { requiredKeys: ["resolution"] });

const bodies: Record<(typeof ROUTES)[number], fc.Arbitrary<unknown>> = {
  "/v1/train": fc.record({ config, preset: maybe(nameLike(PRESETS.map((p) => p.id))), applyFix: maybe(fc.boolean()), steps, reportEvery: maybe(mostly(fc.integer({ min: 1, max: 10 }))), curvePoints: maybe(smallInt), grid: maybe(grid), diagnostics: maybe(fc.record({ clip: maybe(fc.record({ kind: nameLike(["norm", "value"]), maxNorm: maybe(fc.double()), limit: maybe(smallInt) }, { requiredKeys: [] })), guard: maybe(fc.boolean()), gradientCheck: maybe(fc.boolean()) }, { requiredKeys: [] })) }, { requiredKeys: [] }),
  "/v1/train/stream": fc.record({ config, steps, reportEvery: maybe(mostly(fc.integer({ min: 1, max: 10 }))) }, { requiredKeys: [] }),
  "/v1/predict": fc.record({ model: mutatedModel, x: rows, features: maybe(features), encoding: maybe(nameLike(["one-hot", "signed", "regression"])) }, { requiredKeys: [] }),
  "/v1/boundary": fc.record({ model: mutatedModel, resolution: maybe(mostly(fc.integer({ min: 2, max: 20 }))), domain: maybe(domain), dataset: maybe(nameLike(DATASET_NAMES)), features: maybe(features) }, { requiredKeys: [] }),
  "/v1/gradient-check": fc.record({ model: maybe(mutatedModel), x: maybe(rows), y: maybe(rows), config: maybe(config), rows: maybe(smallInt), loss: maybe(nameLike(["mse"])), epsilon: maybe(fc.double()), tolerance: maybe(fc.double()) }, { requiredKeys: [] }),
  "/v1/explain": fc.record({ model: maybe(mutatedModel), x: maybe(rows), y: maybe(rows), learningRate: maybe(fc.oneof(fc.double(), anyScalar)), loss: maybe(nameLike(["mse", "cross-entropy"])), regularization: maybe(fc.record({ kind: nameLike(["l2"]), lambda: fc.double() }, { requiredKeys: [] })) }, { requiredKeys: [] }),
};

type Req = { method: string; path: string; body?: string; contentType?: string };

const request: fc.Arbitrary<Req> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...ROUTES).chain((path) => bodies[path].map((b): Req => ({ method: "POST", path, body: JSON.stringify(b), contentType: "application/json" }))) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...ROUTES), fc.jsonValue({ maxDepth: 4 })).map(([path, b]): Req => ({ method: "POST", path, body: JSON.stringify(b), contentType: "application/json" })) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...ROUTES), fc.string({ maxLength: 40 }), fc.constantFrom("application/json", "text/plain", "application/x-www-form-urlencoded", "application/merge-patch+json", "")).map(([path, body, contentType]): Req => ({ method: "POST", path, body, contentType })) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...GETS, ...ROUTES), fc.constantFrom("GET", "PUT", "DELETE", "PATCH", "HEAD")).map(([path, method]): Req => ({ method, path })) },
);

it("answers 10,000 random requests without a 5xx, every 4xx as problem+json", async () => {
  const statuses = new Map<number, number>();
  await fc.assert(
    fc.asyncProperty(request, async (req) => {
      const headers: Record<string, string> = {};
      if (req.contentType) headers["content-type"] = req.contentType;
      const res = await app.request(req.path, { method: req.method, headers, ...(req.body === undefined ? {} : { body: req.body }) });
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (process.env.FUZZ_TALLY && res.status === 422) { const f = JSON.parse(await res.clone().text()).errors[0]?.field?.replace(/\[\d+\]/g, "[]") ?? "budget"; tally.set(f, (tally.get(f) ?? 0) + 1); }
      const text = await res.text();
      expect(res.status).toBeLessThan(500);
      if (res.status >= 400) {
        expect(res.headers.get("content-type")).toBe("application/problem+json");
        if (req.method === "HEAD") return;
        const p = JSON.parse(text) as Record<string, unknown>;
        expect(p.status).toBe(res.status);
        expect(typeof p.type).toBe("string");
        expect(typeof p.title).toBe("string");
        expect(typeof p.detail).toBe("string");
        expect(Array.isArray(p.errors)).toBe(true);
      } else if (req.method !== "HEAD" && res.headers.get("content-type")?.startsWith("application/json")) {
        JSON.parse(text);
      }
    }),
    { numRuns: 10_000, seed: Number(process.env.FUZZ_SEED ?? 20_261_127) },
  );
  expect(unexpected).toEqual([]);
  // the bodies reach past validation too: successes and several kinds of problems
  expect(statuses.get(200) ?? 0).toBeGreaterThan(200);
  for (const status of [400, 404, 413, 415, 422].filter((s) => s !== 413)) expect(statuses.get(status) ?? 0).toBeGreaterThan(0);
  if (process.env.FUZZ_TALLY) console.log([...tally].sort((a, b) => b[1] - a[1]).slice(0, 25));
  console.log("status counts:", Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])));
}, 300_000);
