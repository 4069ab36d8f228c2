import {
  BackpropError,
  createTrainingRun,
  DATASET_NAMES,
  FEATURE_NAMES,
  HIDDEN_ACTIVATIONS,
  INIT_SCHEMES,
  LOSS_NAMES,
  normalizeRunDocument,
  OUTPUT_ACTIVATIONS,
  RUN_DOCUMENT_FIELDS,
  type RunDocument,
  type RunField,
} from "@backprop-lab/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { UsageError } from "./files.js";
import { documentToFlags, flagForField, parseCli, type CliContext } from "./flags.js";
import { allPresets } from "./presets.js";

/*
 * document → flags → document is an identity, and every out-of-range field is
 * rejected by its flag with core's own message.
 *
 * The documents are drawn within what the flags can express. The flags
 * cannot express inline data (rows in the document: a --dataset file gives
 * them, or --config <file> gives a whole document, inline rows included), a
 * per-layer activation list of one layer (["tanh"] reads back as "tanh", the
 * same run) or of none. Sizes are kept small (up to 2,000 points, 3 layers of
 * 8) only so that parseCli's check, which builds the run, stays fast.
 */

const ctx: CliContext = { env: {}, cwd: process.cwd(), isTTY: false, version: "0.0.0" };
const F = RUN_DOCUMENT_FIELDS as Record<string, RunField>;
const zero = (x: number) => (Object.is(x, -0) ? 0 : x);
/** A double in [min, max] (min excluded when `open`), finite. */
const real = (min: number, max: number, open = false) =>
  fc.double({ min, max, noNaN: true, noDefaultInfinity: true }).map(zero).filter((x) => !open || x > min);
const seed = fc.integer({ min: 0, max: 0xffffffff });
const maybe = <T,>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });

const optimizer = fc.oneof(
  fc.constant({ kind: "sgd" as const }),
  fc.record({ kind: fc.constant("momentum" as const), momentum: real(0, 0.999), nesterov: fc.boolean() }),
  fc.record({ kind: fc.constant("adam" as const), beta1: real(0, 0.999), beta2: real(0, 0.9999), epsilon: real(0, 1, true) }),
);
const steps = fc.integer({ min: 1, max: 1_000_000 });
const schedule = (lr: number) =>
  fc.oneof(
    fc.constant({ kind: "constant" as const }),
    fc.record({ kind: fc.constant("step" as const), every: steps, factor: real(0, 1, true) }),
    fc.record({ kind: fc.constantFrom("exponential" as const, "inverse-time" as const), decayRate: real(0, 1, true), decaySteps: steps }),
    fc.record({ kind: fc.constant("cosine" as const), totalSteps: steps, minLearningRate: real(0, lr) }),
    fc.record({ kind: fc.constant("linear" as const), totalSteps: steps, endLearningRate: real(0, 1000, true) }),
  );

const document: fc.Arbitrary<RunDocument> = fc
  .record({
    seed,
    name: fc.constantFrom(...DATASET_NAMES),
    n: fc.integer({ min: 20, max: 2000 }),
    noise: real(0, 0.5),
    dataSeed: maybe(seed),
    split: fc.oneof(fc.record({ testRatio: real(0, 0.9) }), fc.record({ trainRows: fc.integer({ min: 1, max: 20 }) })),
    encoding: maybe(fc.constantFrom("one-hot" as const, "binary" as const, "signed" as const)),
    features: fc.shuffledSubarray([...FEATURE_NAMES], { minLength: 1 }),
    hidden: fc.array(fc.integer({ min: 1, max: 8 }), { maxLength: 3 }),
    activation: fc.constantFrom(...HIDDEN_ACTIVATIONS),
    perLayer: fc.array(fc.constantFrom(...HIDDEN_ACTIVATIONS), { minLength: 3, maxLength: 3 }),
    listed: fc.boolean(),
    output: fc.constantFrom(...OUTPUT_ACTIVATIONS),
    bias: fc.boolean(),
    scheme: fc.constantFrom(...INIT_SCHEMES),
    initSeed: maybe(seed),
    loss: fc.constantFrom(...LOSS_NAMES),
    optimizer,
    learningRate: real(0, 1000, true),
    reg: fc.record({ kind: fc.constantFrom("none" as const, "l1" as const, "l2" as const), lambda: real(0, 1000), bug: fc.boolean() }),
    batchSize: fc.oneof(fc.constant("full" as const), fc.integer({ min: 1, max: 100_000 })),
    shuffle: maybe(fc.boolean()),
    clipping: fc.option(fc.record({ maxNorm: real(0, 1e6, true) }), { nil: null }),
    guard: fc.option(
      fc.record({ factor: real(0, 0.999, true), minLearningRate: real(0, 1000, true), gradJump: fc.option(real(1, 1e12, true), { nil: null }) }),
      { nil: null },
    ),
    every: steps,
  })
  .chain((g) => schedule(g.learningRate).map((s) => ({ ...g, schedule: s })))
  .map((g) => {
    const activation = g.listed && g.hidden.length >= 2 ? g.perLayer.slice(0, g.hidden.length) : g.activation;
    return {
      seed: g.seed,
      data: { source: "generated", name: g.name, n: g.n, noise: g.noise, ...(g.dataSeed === undefined ? {} : { seed: g.dataSeed }), ...g.split, ...(g.encoding ? { encoding: g.encoding } : {}) },
      features: g.features,
      network: { hidden: g.hidden, activation, output: g.output, bias: g.bias },
      init: { scheme: g.scheme, ...(g.initSeed === undefined ? {} : { seed: g.initSeed }) },
      training: {
        loss: g.loss,
        optimizer: g.optimizer,
        learningRate: g.learningRate,
        schedule: g.schedule,
        regularization: { kind: g.reg.kind, lambda: g.reg.lambda, gradient: g.reg.bug && g.reg.kind === "l2" ? "course-bug" : "correct" },
        batchSize: g.batchSize,
        ...(g.shuffle === undefined ? {} : { shuffle: g.shuffle }),
        clipping: g.clipping,
        guard: g.guard,
      },
      evaluation: { every: g.every },
    } as RunDocument;
  });

/** A document the run accepts as a whole (a loss fits its output, the targets fit the data): null otherwise. */
function valid(doc: RunDocument): RunDocument | null {
  try {
    const d = normalizeRunDocument(doc);
    createTrainingRun(d);
    return d;
  } catch (error) {
    if (error instanceof BackpropError) return null;
    throw error;
  }
}

function parsed(args: string[]): RunDocument {
  const r = parseCli(args, ctx);
  if (r.kind !== "run") throw new Error("expected a run");
  return r.options.document;
}

const presetIds = allPresets().map((p) => p.id);

describe("document → flags → document", () => {
  it("is an identity, from any preset the flags start from", () => {
    fc.assert(
      fc.property(document, fc.constantFrom(...presetIds), (raw, preset) => {
        const doc = valid(raw);
        fc.pre(doc !== null);
        expect(parsed(["--preset", preset, ...documentToFlags(doc!)])).toEqual(doc);
      }),
      { numRuns: 150 },
    );
  });
});

/** Every numeric document field a flag sets, with how to put a value there (choosing the variant that has the field). */
const NUMERIC: Record<string, (d: RunDocument, v: number) => void> = {
  seed: (d, v) => (d.seed = v),
  "data.n": (d, v) => ((d.data as { n: number }).n = v),
  "data.noise": (d, v) => ((d.data as { noise: number }).noise = v),
  "data.seed": (d, v) => ((d.data as { seed?: number }).seed = v),
  "data.testRatio": (d, v) => {
    delete d.data.trainRows;
    d.data.testRatio = v;
  },
  "data.trainRows": (d, v) => {
    delete d.data.testRatio;
    d.data.trainRows = v;
  },
  "network.hidden[]": (d, v) => {
    d.network.hidden = [v, 3];
    d.network.activation = "tanh";
  },
  "init.seed": (d, v) => (d.init.seed = v),
  "training.learningRate": (d, v) => (d.training.learningRate = v),
  "training.optimizer.momentum": (d, v) => (d.training.optimizer = { kind: "momentum", momentum: v, nesterov: false }),
  "training.optimizer.beta1": (d, v) => (d.training.optimizer = { kind: "adam", beta1: v, beta2: 0.999, epsilon: 1e-8 }),
  "training.optimizer.beta2": (d, v) => (d.training.optimizer = { kind: "adam", beta1: 0.9, beta2: v, epsilon: 1e-8 }),
  "training.optimizer.epsilon": (d, v) => (d.training.optimizer = { kind: "adam", beta1: 0.9, beta2: 0.999, epsilon: v }),
  "training.schedule.every": (d, v) => (d.training.schedule = { kind: "step", every: v, factor: 0.5 }),
  "training.schedule.factor": (d, v) => (d.training.schedule = { kind: "step", every: 10, factor: v }),
  "training.schedule.decayRate": (d, v) => (d.training.schedule = { kind: "exponential", decayRate: v, decaySteps: 10 }),
  "training.schedule.decaySteps": (d, v) => (d.training.schedule = { kind: "inverse-time", decayRate: 0.5, decaySteps: v }),
  "training.schedule.totalSteps": (d, v) => (d.training.schedule = { kind: "linear", totalSteps: v, endLearningRate: 1e-4 }),
  "training.schedule.minLearningRate": (d, v) => (d.training.schedule = { kind: "cosine", totalSteps: 10, minLearningRate: v }),
  "training.schedule.endLearningRate": (d, v) => (d.training.schedule = { kind: "linear", totalSteps: 10, endLearningRate: v }),
  "training.regularization.lambda": (d, v) => (d.training.regularization = { kind: "l2", lambda: v, gradient: "correct" }),
  "training.batchSize": (d, v) => (d.training.batchSize = v),
  "training.clipping.maxNorm": (d, v) => (d.training.clipping = { maxNorm: v }),
  "training.guard.factor": (d, v) => (d.training.guard = { factor: v, minLearningRate: 1e-6, gradJump: null }),
  "training.guard.minLearningRate": (d, v) => (d.training.guard = { factor: 0.3, minLearningRate: v, gradJump: null }),
  "training.guard.gradJump": (d, v) => (d.training.guard = { factor: 0.3, minLearningRate: 1e-6, gradJump: v }),
  "evaluation.every": (d, v) => (d.evaluation.every = v),
};

/** Values outside a field's range: below, above, at an open end, and (for integers) between two integers. */
function outside(path: string, d: RunDocument): fc.Arbitrary<number> {
  const f = F[path]!;
  if (f.type === "integer") {
    return fc.oneof(fc.integer({ min: f.minimum - 1e6, max: f.minimum - 1 }), fc.integer({ min: f.maximum + 1, max: f.maximum + 1e6 }), fc.constant(f.minimum + 0.5));
  }
  if (f.type !== "number") throw new Error(path);
  const out: fc.Arbitrary<number>[] = [];
  if (f.minimum !== undefined) out.push(real(f.minimum - 1e3, f.minimum).filter((x) => x < f.minimum!));
  if (f.exclusiveMinimum !== undefined) out.push(real(f.exclusiveMinimum - 1e3, f.exclusiveMinimum));
  const max = f.maximumField === "training.learningRate" ? d.training.learningRate : f.maximum;
  if (max !== undefined) out.push(real(max, max * 2 + 1e3).filter((x) => x > max));
  if (f.exclusiveMaximum !== undefined) out.push(real(f.exclusiveMaximum, f.exclusiveMaximum + 1e3));
  return fc.oneof(...out);
}

describe("every out-of-range field", () => {
  const base = allPresets().find((p) => p.id === "playground-spiral")!.document;
  for (const path of Object.keys(NUMERIC)) {
    it(`${path}: its flag is rejected up front with core's message, which names the field`, () => {
      fc.assert(
        fc.property(outside(path, base), (value) => {
          const bad = structuredClone(base);
          NUMERIC[path]!(bad, value);
          let core = "";
          try {
            normalizeRunDocument(bad);
          } catch (error) {
            core = (error as Error).message;
          }
          expect(core, `core accepts ${path} = ${value}`).not.toBe("");
          expect(core).toContain(path.replace("[]", "[0]"));
          const flag = flagForField(path.replace("[]", "[0]"));
          expect(flag).not.toBe("--config");
          let message = "";
          try {
            parseCli(documentToFlags(bad), ctx);
          } catch (error) {
            expect(error).toBeInstanceOf(UsageError);
            message = (error as UsageError).message;
          }
          expect(message).toBe(`${flag}: ${core}`);
        }),
        { numRuns: 25 },
      );
    });
  }
});
