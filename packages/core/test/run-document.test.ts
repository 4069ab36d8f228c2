import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { backpropErrorOf } from "./helpers.js";
import { DATASET_NAMES, defaultRunDocument, FEATURE_NAMES, HIDDEN_ACTIVATIONS, normalizeRunDocument, parseRunDocument, RUN_DOCUMENT_FIELDS, RUN_LIMITS, SPEC_LIMITS, type RunDocumentInput, type RunField } from "../src/index.js";
import { editDistance } from "../src/internal.js";

/** A document whose variant makes `path` meaningful (an Adam field needs an Adam optimizer). */
function baseFor(path: string): Record<string, unknown> {
  const training = (t: Record<string, unknown>) => ({ training: t });
  if (path.startsWith("training.optimizer.")) {
    const kind = ["momentum", "nesterov"].includes(path.split(".")[2]!) ? "momentum" : "adam";
    return training({ optimizer: { kind } });
  }
  if (path.startsWith("training.schedule.")) {
    const key = path.split(".")[2]!;
    const kind = { every: "step", factor: "step", decayRate: "exponential", decaySteps: "exponential", totalSteps: "cosine", minLearningRate: "cosine", endLearningRate: "linear" }[key] ?? "constant";
    return training({ schedule: { kind } });
  }
  if (path.startsWith("training.clipping.")) return training({ clipping: { maxNorm: 1 } });
  if (path.startsWith("training.guard.")) return training({ guard: {} });
  if (path === "data.x" || path === "data.y") return { data: { source: "inline", x: [[0, 0], [1, 1]], y: [0, 1] } };
  if (path === "data.trainRows") return { data: { name: "xor", n: 20 } };
  return {};
}

/** `doc` with `value` at `path` (`[]` becomes index 0). */
function withValue(doc: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(doc)) as Record<string, unknown>;
  const keys = path.replace("[]", ".0").split(".");
  let o: Record<string, unknown> = copy;
  for (const k of keys.slice(0, -1)) {
    if (o[k] === undefined || o[k] === null) o[k] = k === "hidden" || k === "features" ? [] : {};
    o = o[k] as Record<string, unknown>;
  }
  if (path === "features[]") (copy as { features: unknown[] }).features = [value];
  else if (path === "network.hidden[]") (copy as { network: { hidden: unknown[] } }).network = { hidden: [value] };
  else if (path === "network.activation[]") (copy as { network: Record<string, unknown> }).network = { hidden: [3], activation: [value] };
  else o[keys[keys.length - 1]!] = value;
  return copy;
}

/** Values just outside a field's range, and of the wrong type. */
function badValues(f: RunField): unknown[] {
  if (f.type === "integer") return [f.minimum - 1, f.maximum + 1, f.minimum + 0.5, "7", null];
  if (f.type === "number") {
    const out: unknown[] = ["0.1", null, true];
    if (f.minimum !== undefined) out.push(f.minimum - 1e-9 * Math.max(1, Math.abs(f.minimum)) - 1e-12);
    if (f.exclusiveMinimum !== undefined) out.push(f.exclusiveMinimum);
    if (f.maximum !== undefined) out.push(f.maximum * (1 + 1e-9) + 1e-12);
    if (f.exclusiveMaximum !== undefined) out.push(f.exclusiveMaximum);
    return out;
  }
  if (f.type === "string") return ["no-such-name", 3];
  if (f.type === "boolean") return ["yes", 1];
  return [];
}

const fields = Object.entries(RUN_DOCUMENT_FIELDS as Record<string, RunField>).filter(([path, f]) => path !== "$" && f.type !== "object" && f.type !== "array");

describe("run document validation", () => {
  it("the defaults are a valid document, returned unchanged", () => {
    const d = defaultRunDocument();
    expect(normalizeRunDocument(d)).toEqual(d);
    expect(normalizeRunDocument({})).toEqual(d);
  });

  it.each(fields)("%s: every value out of range or of the wrong type is rejected, naming the path and the range", (path, f) => {
    // gradJump: null switches the jump test off
    const values = badValues(f).filter((v) => !(path === "training.guard.gradJump" && v === null));
    expect(values.length).toBeGreaterThan(0);
    for (const value of values) {
      const doc = withValue(baseFor(path), path, value);
      const error = backpropErrorOf(() => parseRunDocument(doc));
      const concrete = path.replace("[]", "[0]");
      expect(error.code).toBe("invalid-config");
      expect(error.field, `${path} = ${JSON.stringify(value)}`).toBe(concrete);
      expect(error.message).toContain(concrete);
      if (f.type === "integer") expect(error.message).toContain(`[${f.minimum}, ${f.maximum}]`);
      if (f.type === "string") expect(error.message).toContain(f.enum.join(", "));
    }
  });

  it("the issue's holes are closed: Adam ε ≤ 0, betas outside [0, 1), factors and decay rates outside (0, 1], a cosine floor outside [0, base]", () => {
    const cases: [RunDocumentInput, string, string][] = [
      [{ training: { optimizer: { kind: "adam", epsilon: 0 } } }, "training.optimizer.epsilon", "(0, 1]"],
      [{ training: { optimizer: { kind: "adam", epsilon: -1e-8 } } }, "training.optimizer.epsilon", "(0, 1]"],
      [{ training: { optimizer: { kind: "adam", beta1: 1 } } }, "training.optimizer.beta1", "[0, 1)"],
      [{ training: { optimizer: { kind: "adam", beta2: -0.1 } } }, "training.optimizer.beta2", "[0, 1)"],
      [{ training: { schedule: { kind: "step", factor: 5 } } }, "training.schedule.factor", "(0, 1]"],
      [{ training: { schedule: { kind: "step", factor: 0 } } }, "training.schedule.factor", "(0, 1]"],
      [{ training: { schedule: { kind: "exponential", decayRate: 3 } } }, "training.schedule.decayRate", "(0, 1]"],
      [{ training: { schedule: { kind: "inverse-time", decayRate: 0 } } }, "training.schedule.decayRate", "(0, 1]"],
      [{ training: { schedule: { kind: "cosine", minLearningRate: -1 } } }, "training.schedule.minLearningRate", "[0, 0.03]"],
      [{ training: { learningRate: 0.1, schedule: { kind: "cosine", minLearningRate: 0.2 } } }, "training.schedule.minLearningRate", "[0, 0.1]"],
    ];
    for (const [doc, field, range] of cases) {
      const error = backpropErrorOf(() => normalizeRunDocument(doc));
      expect(error.field).toBe(field);
      expect(error.message).toContain(range);
    }
    expect(normalizeRunDocument({ training: { learningRate: 0.1, schedule: { kind: "cosine", minLearningRate: 0.1 } } }).training.schedule).toEqual({ kind: "cosine", totalSteps: 10000, minLearningRate: 0.1 });
  });

  it("an unknown key is an error naming it and the nearest known key", () => {
    const cases: [unknown, string, string][] = [
      [{ sed: 1 }, "sed", "seed"],
      [{ network: { hiden: [3] } }, "network.hiden", "hidden"],
      [{ training: { learningrate: 2 } }, "training.learningrate", "learningRate"],
      [{ training: { optimizer: { kind: "adam", beta: 0.9 } } }, "training.optimizer.beta", "beta1"],
      [{ training: { optimizer: { kind: "sgd", momentum: 0.9 } } }, "training.optimizer.momentum", ""],
      [{ data: { name: "xor", nosie: 0.1 } }, "data.nosie", "noise"],
      [{ evaluation: { evry: 5 } }, "evaluation.evry", "every"],
      [{ training: { guard: { factr: 0.5 } } }, "training.guard.factr", "factor"],
    ];
    for (const [doc, field, near] of cases) {
      const error = backpropErrorOf(() => parseRunDocument(doc));
      expect(error.field).toBe(field);
      expect(error.message).toContain(`unknown key "${field.split(".").pop()}"`);
      if (near) expect(error.message).toContain(`did you mean "${near}"?`);
      else expect(error.message).not.toContain("did you mean");
    }
    // a misspelt name of a choice gets a suggestion too
    expect(backpropErrorOf(() => parseRunDocument({ network: { activation: "tahn" } })).message).toContain('did you mean "tanh"?');
  });

  it("a misspelt key does not compile for a typed caller", () => {
    // @ts-expect-error: "sed" is not a key of a run document
    const misspelt: RunDocumentInput = { sed: 1 };
    // @ts-expect-error: "hiden" is not a key of network
    const nested: RunDocumentInput = { network: { hiden: [3] } };
    expect(() => parseRunDocument(misspelt)).toThrow(/seed/);
    expect(() => parseRunDocument(nested)).toThrow(/hidden/);
  });

  it("relations between fields are checked", () => {
    expect(backpropErrorOf(() => normalizeRunDocument({ data: { name: "xor", testRatio: 0.2, trainRows: 5 } })).field).toBe("data.trainRows");
    expect(backpropErrorOf(() => normalizeRunDocument({ data: { name: "xor", n: 10, trainRows: 11 } })).field).toBe("data.trainRows");
    expect(backpropErrorOf(() => normalizeRunDocument({ network: { hidden: [2, 2], activation: ["tanh"] } })).field).toBe("network.activation");
    expect(backpropErrorOf(() => normalizeRunDocument({ training: { loss: "cross-entropy" } })).field).toBe("training.loss");
    expect(backpropErrorOf(() => normalizeRunDocument({ training: { regularization: { kind: "l1", lambda: 1, gradient: "course-bug" } } })).field).toBe("training.regularization.gradient");
    expect(backpropErrorOf(() => normalizeRunDocument({ features: ["x1", "x1"] })).field).toBe("features");
  });

  it("one set of limits: the spec limits are the run limits", () => {
    expect(SPEC_LIMITS.maxWidth).toBe(RUN_LIMITS.maxWidth);
    expect(SPEC_LIMITS.maxLayers).toBe(RUN_LIMITS.maxHiddenLayers + 1);
    expect(RUN_DOCUMENT_FIELDS["data.n"].maximum).toBe(RUN_LIMITS.maxSamples);
    expect(RUN_DOCUMENT_FIELDS["network.hidden[]"].maximum).toBe(RUN_LIMITS.maxWidth);
  });

  it("edit distance is Levenshtein's with transpositions, ignoring case", () => {
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("nosie", "noise")).toBe(1);
    expect(editDistance("learningrate", "learningRate")).toBe(0);
    expect(editDistance("", "abc")).toBe(3);
  });
});

/** Any valid document input, built from the field table's ranges. */
const docInput: fc.Arbitrary<RunDocumentInput> = fc.record(
  {
    seed: fc.integer({ min: 0, max: 0xffffffff }),
    data: fc.record(
      { name: fc.constantFrom(...DATASET_NAMES.filter((n) => n !== "spiral3")), n: fc.integer({ min: 1, max: 400 }), noise: fc.double({ min: 0, max: 0.5, noNaN: true }), testRatio: fc.double({ min: 0, max: 0.9, noNaN: true }), seed: fc.nat() },
      { requiredKeys: ["name"] },
    ),
    features: fc.uniqueArray(fc.constantFrom(...FEATURE_NAMES), { minLength: 1, maxLength: 7 }),
    network: fc.record({ hidden: fc.array(fc.integer({ min: 1, max: 9 }), { maxLength: 3 }), activation: fc.constantFrom(...HIDDEN_ACTIVATIONS), bias: fc.boolean() }, { requiredKeys: [] }),
    training: fc.record(
      {
        learningRate: fc.double({ min: 1e-6, max: 10, noNaN: true }),
        optimizer: fc.oneof(
          fc.constant({ kind: "sgd" as const }),
          fc.record({ kind: fc.constant("momentum" as const), momentum: fc.double({ min: 0, max: 0.99, noNaN: true }), nesterov: fc.boolean() }),
          fc.record({ kind: fc.constant("adam" as const), beta1: fc.double({ min: 0, max: 0.99, noNaN: true }), epsilon: fc.double({ min: 1e-12, max: 1, noNaN: true }) }),
        ),
        schedule: fc.oneof(fc.constant("constant" as const), fc.record({ kind: fc.constant("step" as const), every: fc.integer({ min: 1, max: 100 }), factor: fc.double({ min: 0.01, max: 1, noNaN: true }) })),
        regularization: fc.record({ kind: fc.constantFrom("none" as const, "l1" as const, "l2" as const), lambda: fc.double({ min: 0, max: 1, noNaN: true }) }),
        batchSize: fc.oneof(fc.constant("full" as const), fc.integer({ min: 1, max: 64 })),
        clipping: fc.oneof(fc.constant(null), fc.record({ maxNorm: fc.double({ min: 0.01, max: 10, noNaN: true }) })),
        guard: fc.oneof(fc.constant(null), fc.record({ factor: fc.double({ min: 0.1, max: 0.9, noNaN: true }), gradJump: fc.oneof(fc.constant(null), fc.double({ min: 2, max: 1000, noNaN: true })) }, { requiredKeys: [] })),
      },
      { requiredKeys: [] },
    ),
    evaluation: fc.record({ every: fc.integer({ min: 1, max: 1000 }) }),
  },
  { requiredKeys: [] },
);

describe("run document round trip", () => {
  it("document → JSON → document is the identity, and normalizing twice changes nothing", () => {
    fc.assert(
      fc.property(docInput, (input) => {
        const doc = normalizeRunDocument(input);
        const again = parseRunDocument(JSON.parse(JSON.stringify(doc)));
        expect(again).toEqual(doc);
        expect(JSON.stringify(again)).toBe(JSON.stringify(doc));
      }),
      { numRuns: 300, seed: 12 },
    );
  });
});
