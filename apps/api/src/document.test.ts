// The train body is a mapping of core's run document: document → body →
// document is the identity, every value core refuses is refused by the API
// with core's own text and the field's path, and the reports /v1/train
// returns are the run's reports as core's run makes them.
import {
  BackpropError,
  createTrainingRun,
  DATASET_NAMES,
  FEATURE_NAMES,
  HIDDEN_ACTIVATIONS,
  INIT_SCHEMES,
  normalizeRunDocument,
  parseRunDocument,
  RUN_DOCUMENT_FIELDS,
  type RunDocument,
  type RunDocumentInput,
  type RunField,
} from "@backprop-lab/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createApp } from "./app.js";
import { documentErrors, documentToTrainBody } from "./engine/document.js";
import { trainBodyToDocument } from "./engine/train.js";
import { DEFAULT_LIMITS } from "./limits.js";
import { TrainRequestSchema } from "./schemas.js";
import { expectProblem, post } from "./test/helpers.js";

const app = createApp();

/** k/100 for k in [lo·100, hi·100]: decimal fractions, never -0. */
const frac = (lo: number, hi: number) => fc.integer({ min: Math.round(lo * 100), max: Math.round(hi * 100) }).map((k) => k / 100);
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const defined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

const generated = fc
  .record({
    name: fc.constantFrom(...DATASET_NAMES),
    n: fc.integer({ min: 8, max: 300 }),
    noise: frac(0, 0.5),
    seed: maybe(fc.nat()),
    testRatio: frac(0, 0.9),
    trainRows: maybe(fc.integer({ min: 1, max: 8 })),
    encoding: maybe(fc.constantFrom("one-hot" as const, "binary" as const, "signed" as const)),
  })
  .map(({ trainRows, testRatio, ...d }) => defined({ source: "generated" as const, ...d, ...(trainRows === undefined ? { testRatio } : { trainRows }) }));
const inline = fc
  .array(fc.tuple(frac(-6, 6), frac(-6, 6), fc.integer({ min: 0, max: 1 })), { minLength: 2, maxLength: 12 })
  .map((rows) => ({ source: "inline" as const, x: rows.map(([a, b]) => [a, b]), y: rows.map(([, , c]) => c), testRatio: 0 }));

const optimizer = fc.oneof(
  fc.constant({ kind: "sgd" as const }),
  fc.record({ kind: fc.constant("momentum" as const), momentum: frac(0, 0.99), nesterov: fc.boolean() }),
  fc.record({ kind: fc.constant("adam" as const), beta1: frac(0, 0.99), beta2: frac(0, 0.99), epsilon: fc.constantFrom(1e-8, 1e-6, 0.01) }),
);
const steps = fc.integer({ min: 1, max: 5000 });
const schedule = (learningRate: number) =>
  fc.oneof(
    fc.constant({ kind: "constant" as const }),
    fc.record({ kind: fc.constant("step" as const), every: steps, factor: frac(0.01, 1) }),
    fc.record({ kind: fc.constant("exponential" as const), decayRate: frac(0.01, 1), decaySteps: steps }),
    fc.record({ kind: fc.constant("inverse-time" as const), decayRate: frac(0.01, 1), decaySteps: steps }),
    fc.record({ kind: fc.constant("cosine" as const), totalSteps: steps, minLearningRate: frac(0, 1).map((f) => f * learningRate) }),
    fc.record({ kind: fc.constant("linear" as const), totalSteps: steps, endLearningRate: fc.constantFrom(1e-4, 0.01, 0.5) }),
  );
const regularization = fc.oneof(
  fc.record({ kind: fc.constantFrom("none" as const, "l1" as const, "l2" as const), lambda: frac(0, 2), gradient: fc.constant("correct" as const) }),
  fc.record({ kind: fc.constant("l2" as const), lambda: frac(0, 2), gradient: fc.constant("course-bug" as const) }),
);
const training = fc
  .record({ output: fc.constantFrom("sigmoid" as const, "tanh" as const, "linear" as const, "softmax" as const), learningRate: fc.constantFrom(0.001, 0.03, 0.3, 3) })
  .chain(({ output, learningRate }) =>
    fc.record({
      output: fc.constant(output),
      training: fc
        .record({
          loss: fc.constantFrom(...(output === "softmax" ? (["mse", "cross-entropy"] as const) : output === "sigmoid" ? (["mse", "binary-cross-entropy"] as const) : (["mse"] as const))),
          optimizer,
          learningRate: fc.constant(learningRate),
          schedule: schedule(learningRate),
          regularization,
          batchSize: fc.oneof(fc.integer({ min: 1, max: 64 }), fc.constant("full" as const)),
          shuffle: maybe(fc.boolean()),
          clipping: fc.oneof(fc.constant(null), fc.record({ maxNorm: frac(0.01, 10) })),
          guard: fc.oneof(fc.constant(null), fc.record({ factor: frac(0.01, 0.99), minLearningRate: fc.constantFrom(1e-6, 1e-4), gradJump: fc.oneof(fc.constant(null), frac(1.5, 100)) })),
        })
        .map(defined),
    }),
  );

/** Valid run documents within the API's limits, every default filled (core normalizes them). */
const documents: fc.Arbitrary<RunDocument> = fc
  .record({
    seed: fc.integer({ min: 0, max: 0xffffffff }),
    data: fc.oneof({ weight: 4, arbitrary: generated }, { weight: 1, arbitrary: inline }),
    features: fc.subarray([...FEATURE_NAMES], { minLength: 1 }),
    hidden: fc.array(fc.integer({ min: 1, max: 8 }), { maxLength: 3 }),
    activation: fc.constantFrom(...HIDDEN_ACTIVATIONS),
    perLayer: fc.boolean(),
    bias: fc.boolean(),
    init: fc.record({ scheme: fc.constantFrom(...INIT_SCHEMES), seed: maybe(fc.nat()) }).map(defined),
    training,
    every: fc.integer({ min: 1, max: 100 }),
  })
  .map(({ seed, data, features, hidden, activation, perLayer, bias, init, training: t, every }) =>
    normalizeRunDocument({
      seed,
      data,
      features: data.source === "inline" ? ["x1", "x2"] : features,
      network: { hidden, activation: perLayer ? hidden.map(() => activation) : activation, output: t.output, bias },
      init,
      training: t.training,
      evaluation: { every },
    } as RunDocumentInput),
  );

describe("document → API body → document", () => {
  it("is the identity, and the body passes the API's schema (300 documents)", () => {
    fc.assert(
      fc.property(documents, fc.integer({ min: 1, max: 1000 }), (doc, stepCount) => {
        const body = documentToTrainBody(doc, { steps: stepCount });
        // what the route sees: the body after JSON and the schema
        const parsed = TrainRequestSchema.safeParse(JSON.parse(JSON.stringify(body)));
        expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
        const back = trainBodyToDocument(parsed.data!, DEFAULT_LIMITS);
        expect(back.document).toEqual(doc);
        expect(back.steps).toBe(stepCount);
      }),
      { numRuns: 300, seed: 12 },
    );
  });

  it("comes back as the trained config from POST /v1/train (12 documents that build a run)", async () => {
    const buildable = documents.filter((doc) => {
      try {
        createTrainingRun(doc);
        return true;
      } catch {
        return false;
      }
    });
    await fc.assert(
      fc.asyncProperty(buildable, async (doc) => {
        const res = await post(app, "/v1/train", { ...documentToTrainBody(doc, { steps: 2 }), diagnostics: { gradientCheck: false } });
        expect(res.status).toBe(200);
        expect(((await res.json()) as { config: unknown }).config).toEqual(doc);
      }),
      { numRuns: 12, seed: 5 },
    );
  });

  it("sets the document's cadence from reportEvery, and refuses a reportEvery the document contradicts", async () => {
    const doc = normalizeRunDocument({ evaluation: { every: 4 } });
    expect(trainBodyToDocument({ config: doc as never, reportEvery: 4 }, DEFAULT_LIMITS).document).toEqual(doc);
    const p = await expectProblem(await post(app, "/v1/train", { config: doc, reportEvery: 5 }), 422);
    expect(p.errors[0]!.field).toBe("reportEvery");
    // without either, 20 reports: the cadence is steps / 20
    expect(trainBodyToDocument({ steps: 100 }, DEFAULT_LIMITS).document.evaluation.every).toBe(5);
  });
});

// ---- out-of-range fields ----

type NumberField = Extract<RunField, { type: "integer" } | { type: "number" }>;
const FIELDS = RUN_DOCUMENT_FIELDS as Record<string, RunField>;
const NUMERIC = Object.entries(FIELDS).filter((e): e is [string, NumberField] => e[1].type === "integer" || e[1].type === "number");

/** Values out of a field's range: past each bound (an exclusive bound itself), a fraction for an integer, another type. */
function badValues(path: string, f: NumberField, learningRate: number): unknown[] {
  // null is gradJump's "off"
  const out: unknown[] = path === "training.guard.gradJump" ? ["0.5"] : ["0.5", null];
  if (f.type === "integer") out.push(f.minimum - 1, f.maximum + 1, f.minimum + 0.5);
  else {
    if (f.minimum !== undefined) out.push(f.minimum - 1e-3);
    if (f.exclusiveMinimum !== undefined) out.push(f.exclusiveMinimum);
    if (f.maximum !== undefined) out.push(f.maximum * 2 + 1);
    if (f.exclusiveMaximum !== undefined) out.push(f.exclusiveMaximum);
    if (f.maximumField !== undefined) out.push(learningRate * 1.5);
  }
  // JSON has no NaN or Infinity; a request can only send numbers, strings and null
  return out.filter((v) => v === null || typeof v === "string" || Number.isFinite(v));
}

/** A valid document with `value` at `path`, in the variant (optimizer, schedule, data source) that reads it. */
function withValue(path: string, value: unknown): { doc: RunDocumentInput; concrete: string } {
  const d = JSON.parse(JSON.stringify(normalizeRunDocument({ training: { clipping: { maxNorm: 1 }, guard: {} } }))) as Record<string, any>;
  const [head, ...rest] = path.split(".");
  const key = rest.at(-1)!;
  if (path === "network.hidden[]") {
    d.network.hidden = [3, value];
    d.network.activation = "tanh";
    return { doc: d as RunDocumentInput, concrete: "network.hidden[1]" };
  }
  if (rest.length === 0) d[head!] = value;
  else if (path.startsWith("training.optimizer.")) d.training.optimizer = { kind: key === "momentum" ? "momentum" : "adam", [key]: value };
  else if (path.startsWith("training.schedule.")) {
    const variants = (FIELDS["training.schedule"] as Extract<RunField, { type: "object" }>).variants!.keys;
    const kind = Object.entries(variants).find(([, keys]) => keys.includes(key))![0];
    d.training.schedule = { kind, [key]: value };
  } else if (path === "data.trainRows") {
    delete d.data.testRatio;
    d.data.trainRows = value;
  } else {
    let node = d;
    for (const k of [head!, ...rest.slice(0, -1)]) node = node[k];
    node[key] = value;
  }
  return { doc: d as RunDocumentInput, concrete: path };
}

describe("every out-of-range field", () => {
  const cases = NUMERIC.flatMap(([path, f]) => badValues(path, f, 0.03).map((value) => ({ path, value })));

  it(`is refused by core naming the field (${cases.length} values of ${NUMERIC.length} fields)`, () => {
    expect(NUMERIC.length).toBeGreaterThan(20);
    for (const { path, value } of cases) {
      const { doc, concrete } = withValue(path, value);
      let error: unknown = null;
      try {
        parseRunDocument(doc);
      } catch (e) {
        error = e;
      }
      expect(error, `${path} = ${JSON.stringify(value)}`).toBeInstanceOf(BackpropError);
      expect((error as BackpropError).field).toBe(concrete);
      expect((error as BackpropError).message).toContain(concrete);
    }
  });

  it("is refused by the API with 422, the field's path under config and core's text for it (in Spanish too)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...cases), async ({ path, value }) => {
        const { doc, concrete } = withValue(path, value);
        let core: BackpropError | null = null;
        try {
          parseRunDocument(doc);
        } catch (e) {
          core = e as BackpropError;
        }
        const en = await expectProblem(await post(app, "/v1/train", { config: doc, steps: 1 }), 422);
        expect(en.type).toBe("urn:backprop-lab:problem:validation-failed");
        expect(en.errors[0]!.field).toBe(`config.${concrete}`);
        expect(en.errors[0]!.message).toBe(core!.message);
        const es = await expectProblem(await post(app, "/v1/train", { config: doc, steps: 1 }, { "accept-language": "es" }), 422);
        expect(es.errors[0]!.field).toBe(`config.${concrete}`);
        expect(es.errors[0]!.message).toContain(core!.message);
        expect(es.errors[0]!.message).not.toBe(core!.message);
      }),
      { numRuns: Math.min(150, cases.length * 2), seed: 7 },
    );
  });

  it("an unknown key in any object of the document is refused the same way, naming the key's path", async () => {
    const objects = Object.entries(FIELDS).filter(([, f]) => f.type === "object").map(([path]) => path);
    expect(objects.length).toBeGreaterThan(8);
    for (const path of objects) {
      const d = JSON.parse(JSON.stringify(normalizeRunDocument({ training: { clipping: { maxNorm: 1 }, guard: {} } }))) as Record<string, any>;
      let node = d;
      if (path !== "$") for (const k of path.split(".")) node = node[k];
      node.lerningRate = 1;
      const concrete = path === "$" ? "lerningRate" : `${path}.lerningRate`;
      let core: BackpropError | null = null;
      try {
        parseRunDocument(d);
      } catch (e) {
        core = e as BackpropError;
      }
      expect(core?.field, path).toBe(concrete);
      const p = await expectProblem(await post(app, "/v1/train", { config: d, steps: 1 }), 422);
      expect(p.errors.map((e) => e.field)).toEqual([`config.${concrete}`]);
      expect(p.errors[0]!.message).toBe(core!.message);
      expect(p.errors[0]!.message).toContain('unknown key "lerningRate"');
    }
  });

  it("is listed with every other error of the document, each in core's words", async () => {
    const config = { seed: -1, data: { name: "xorr", noise: 3 }, trainig: {}, training: { optimizer: { kind: "adam", epsilon: 0 } } };
    const p = await expectProblem(await post(app, "/v1/train", { config, steps: 0 }), 422);
    expect(p.errors.map((e) => e.field).sort()).toEqual(["config.data.name", "config.data.noise", "config.seed", "config.training.optimizer.epsilon", "config.trainig", "steps"].sort());
    expect(p.errorCount).toBe(6);
    expect(p.errors.find((e) => e.field === "config.trainig")!.message).toContain('did you mean "training"?');
    expect(p.errors.find((e) => e.field === "config.training.optimizer.epsilon")!.message).toBe("training.optimizer.epsilon must be a number in (0, 1], got 0");
    // the same list core gives, one error at a time
    expect(documentErrors(config).map((e) => e.field).sort()).toEqual(["data.name", "data.noise", "seed", "training.optimizer.epsilon", "trainig"].sort());
  });
});

describe("the reports /v1/train returns", () => {
  it("are the run's reports, unchanged: losses, accuracies, penalty, gradient norm before and after clipping, rate, clip count", async () => {
    const config = normalizeRunDocument({
      seed: 21,
      data: { source: "generated", name: "spiral", n: 160, noise: 0.05, testRatio: 0.25 },
      network: { hidden: [6], activation: "tanh", output: "softmax", bias: true },
      training: {
        loss: "cross-entropy",
        optimizer: { kind: "adam" },
        learningRate: 0.05,
        schedule: { kind: "cosine", totalSteps: 40, minLearningRate: 0.001 },
        regularization: { kind: "l2", lambda: 0.02 },
        batchSize: 20,
        clipping: { maxNorm: 0.3 },
      },
      evaluation: { every: 10 },
    });
    const r = (await (await post(app, "/v1/train", { config, steps: 35 })).json()) as { reports: Record<string, unknown>[] };
    // the oracle: core's run stepped here, its reports copied at its own evaluation cadence
    const run = createTrainingRun(config);
    const expected: Record<string, unknown>[] = [];
    let clips = 0;
    for (let i = 0; i < 35; i++) {
      const report = run.step();
      if (report.clipped) clips++;
      const e = report.evaluation ?? (i === 34 ? { train: run.evaluate().train, test: run.evaluate().test } : null);
      if (e === null) continue;
      const { evaluation: _, ...fields } = report;
      expected.push({
        type: "progress",
        ...fields,
        clips,
        train: { loss: e.train.loss, accuracy: e.train.accuracy },
        test: e.test ? { loss: e.test.loss, accuracy: e.test.accuracy } : null,
      });
    }
    expect(r.reports.map((x) => x.step)).toEqual([10, 20, 30, 35]);
    expect(r.reports).toEqual(JSON.parse(JSON.stringify(expected)));
    const last = r.reports.at(-1)!;
    for (const key of ["loss", "dataLoss", "regLoss", "gradNorm", "clippedNorm", "learningRate", "clipped", "clips", "epoch"]) expect(last).toHaveProperty(key);
    expect(last.regLoss as number).toBeGreaterThan(0);
    expect(clips).toBeGreaterThan(0);
  });
});

describe("a run whose guard gives up", () => {
  // rate 1000 on a ReLU regression overflows; the guard halves it twice down to its floor (250), then stops the run
  const config = {
    seed: 2,
    data: { source: "generated", name: "reg-plane", n: 60 },
    network: { hidden: [8, 8], activation: "relu", output: "linear" },
    training: { learningRate: 1000, batchSize: "full", guard: { factor: 0.5, minLearningRate: 250, gradJump: null } },
  };

  it("stops there: the result lists the rollbacks, says diverged, and its last report is the one that gave up", async () => {
    const r = (await (await post(app, "/v1/train", { config, steps: 2000 })).json()) as {
      steps: number;
      diverged: boolean;
      rollbacks: { learningRateBefore: number; learningRateAfter: number; gaveUp: boolean; restoredStep: number }[];
      reports: { step: number; rollback: { gaveUp: boolean } | null; learningRate: number }[];
    };
    // the oracle: core's run stepped here until its guard gives up
    const run = createTrainingRun(config as RunDocumentInput);
    let attempts = 0;
    while (!run.diverged) {
      run.step();
      attempts++;
    }
    expect(r.diverged).toBe(true);
    expect(r.steps).toBe(attempts);
    expect(r.steps).toBeLessThan(2000);
    expect(r.rollbacks.map((e) => [e.learningRateBefore, e.learningRateAfter, e.gaveUp])).toEqual([
      [1000, 500, false],
      [500, 250, false],
      [250, 250, true],
    ]);
    expect(r.rollbacks).toEqual(JSON.parse(JSON.stringify(run.rollbacks)));
    expect(r.reports.at(-1)!.rollback!.gaveUp).toBe(true);
    // the last report is that of the step that gave up
    expect(r.reports.at(-1)!.step).toBe(run.rollbacks.at(-1)!.step);
  });

  it("is explained where it stopped, at the floor's rate", async () => {
    const e = (await (await post(app, "/v1/explain", { config, steps: 2000 })).json()) as { learningRate: number };
    expect(e.learningRate).toBe(250);
  });
});
