import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createMlp, mlpFromJSON, mlpToJSON, HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS } from "../src/index.js";
import { backpropErrorOf as errorOf } from "./helpers.js";

const specArb = fc.record({
  sizes: fc.array(fc.integer({ min: 2, max: 6 }), { minLength: 2, maxLength: 5 }),
  hidden: fc.constantFrom(...HIDDEN_ACTIVATIONS),
  output: fc.constantFrom(...OUTPUT_ACTIVATIONS),
  bias: fc.boolean(),
});

describe("model JSON", () => {
  it("round-trips every parameter bit for bit, through a JSON string too", () => {
    fc.assert(
      fc.property(specArb, fc.integer({ min: 0, max: 2 ** 32 - 1 }), // JSON has no −0, so a zero scale (which makes −0 weights) is left out
      fc.double({ min: -1e6, max: 1e6, noNaN: true }).filter((v) => Math.abs(v) >= 1e-3), (spec, seed, scale) => {
        const net = createMlp(spec, { seed, init: "he" });
        for (let k = 0; k < net.params.length; k++) net.params[k] = net.params[k]! * scale;
        const back = mlpFromJSON(JSON.stringify(mlpToJSON(net)));
        expect(back.spec).toEqual(net.spec);
        // JSON has no −0: v + 0 turns −0 into +0 and leaves every other value as it is
        expect(Array.from(back.params)).toEqual(Array.from(net.params, (v) => v + 0));
        expect(mlpToJSON(back)).toEqual(JSON.parse(JSON.stringify(mlpToJSON(net))));
      }),
      { numRuns: 200 },
    );
  });

  it("writes DESIGN.md's layout: weights[l] is (nIn, nOut), biases null without bias", () => {
    const json = mlpToJSON(createMlp({ sizes: [2, 3, 2], hidden: "sigmoid", output: "sigmoid", bias: false }, { seed: 2017, init: "course" }));
    expect(json.format).toBe("backprop-lab/mlp");
    expect(json.version).toBe(1);
    expect(json.weights[0]).toEqual([
      [-0.6774645461468192, 0.3776942489991902, -0.0736525254530944],
      [-0.5366351936209017, 0.6092049638728333, 0.21149621870609955],
    ]);
    expect(json.weights[1]!.length).toBe(3);
    expect(json.biases).toBeNull();
  });

  const good = () => mlpToJSON(createMlp({ sizes: [2, 3, 1], hidden: "tanh", output: "linear", bias: true }, { seed: 1 })) as any;
  const cases: [string, (m: any) => unknown, string][] = [
    ["wrong format", (m) => ({ ...m, format: "keras" }), "format"],
    ["wrong version", (m) => ({ ...m, version: 2 }), "version"],
    ["unknown activation", (m) => ({ ...m, spec: { ...m.spec, hidden: "swish" } }), "spec.hidden"],
    ["missing layer", (m) => ({ ...m, weights: m.weights.slice(0, 1) }), "weights"],
    ["short row", (m) => ((m.weights[0][1] = [1, 2]), m), "weights[0][1]"],
    ["too many rows", (m) => (m.weights[1].push([0]), m), "weights[1]"],
    ["NaN weight", (m) => ((m.weights[1][2][0] = Number.NaN), m), "weights[1][2][0]"],
    ["string weight", (m) => ((m.weights[0][0][2] = "0.5"), m), "weights[0][0][2]"],
    ["null biases with bias true", (m) => ({ ...m, biases: null }), "biases"],
    ["bias of wrong length", (m) => ((m.biases[0] = [0, 0]), m), "biases[0]"],
    ["infinite bias", (m) => ((m.biases[1][0] = Infinity), m), "biases[1][0]"],
  ];
  for (const [name, mutate, field] of cases) {
    it(`rejects a ${name}, naming ${field}`, () => {
      const e = errorOf(() => mlpFromJSON(mutate(good())));
      expect(e.code).toBe("invalid-model");
      expect(e.field).toBe(field);
      expect(e.message).toContain(field);
    });
  }

  it("rejects non-JSON text and non-objects", () => {
    expect(errorOf(() => mlpFromJSON("{nope")).field).toBe("$");
    expect(errorOf(() => mlpFromJSON(42)).field).toBe("$");
    // a literal Infinity cannot come through JSON, but 1e999 parses to it
    const text = JSON.stringify(good()).replace(/"biases":\[\[[^\]]*\]/, '"biases":[[1e999,0,0]');
    expect(errorOf(() => mlpFromJSON(text)).field).toBe("biases[0][0]");
  });
});
