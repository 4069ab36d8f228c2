import { describe, expect, it } from "vitest";
import { createMlp, explainStep, mlpFromJSON, type Explanation } from "../src/index.js";
import { expectClose, readReference } from "./helpers.js";

const ref = readReference("seed-worked-example.json");
const TOL = ref.tolerance.expected_abs as number;
const PRINTED_TOL = ref.tolerance.article_printed_abs as number;

function courseNet() {
  return mlpFromJSON({
    format: "backprop-lab/mlp",
    version: 1,
    spec: { sizes: [2, 3, 2], hidden: "sigmoid", output: "sigmoid", bias: false },
    weights: [ref.inputs.W1, ref.inputs.W2],
    biases: null,
  });
}

/** The worked example's names for the engine's per-layer intermediates. */
function asCourse(e: Explanation): Record<string, unknown> {
  const [l1, l2] = e.layers;
  return {
    z1: l1!.z,
    h1: l1!.a,
    z2: l2!.z,
    h2: l2!.a,
    loss: e.dataLoss,
    dL_dh2: l2!.dL_da,
    dh2_dz2: l2!.da_dz,
    dL_dz2: l2!.dL_dz,
    dL_dW2: l2!.dL_dW,
    dL_dh1: l2!.dL_dinput,
    dh1_dz1: l1!.da_dz,
    dL_dz1: l1!.dL_dz,
    dL_dW1: l1!.dL_dW,
    W1_next: l1!.W_next,
    W2_next: l2!.W_next,
    loss_after_update: e.lossAfterUpdate,
  };
}

describe("the course's worked example", () => {
  it("seed 2017 with the course's init gives its W1 and W2 bit for bit", () => {
    const net = createMlp({ sizes: [2, 3, 2], hidden: "sigmoid", output: "sigmoid", bias: false }, { seed: 2017, init: "course" });
    expect(Array.from(net.layers[0]!.W)).toEqual(ref.inputs.W1.flat());
    expect(Array.from(net.layers[1]!.W)).toEqual(ref.inputs.W2.flat());
  });

  const e = explainStep(courseNet(), ref.inputs.X, ref.inputs.y, { learningRate: ref.inputs.learning_rate, loss: "mse" });
  const got = asCourse(e);

  for (const key of Object.keys(ref.expected)) {
    it(`reproduces ${key} within ${TOL}`, () => {
      expect(got[key], `explainStep has no ${key}`).toBeDefined();
      expectClose(got[key], ref.expected[key], TOL, key);
    });
  }

  it("matches every value the article printed within 1e-8", () => {
    for (const [key, printed] of Object.entries(ref.article_printed)) {
      const value = key === "X" ? e.x : key === "W1" ? e.layers[0]!.W : key === "W2" ? e.layers[1]!.W : got[key];
      expectClose(value, printed, PRINTED_TOL, key);
    }
  });

  it("documents the article's two misprints: the values it printed are wrong, ours are the correct ones", () => {
    for (const erratum of ref.article_errata) {
      const value = got[erratum.key];
      expectClose(value, erratum.correct, PRINTED_TOL, erratum.key);
      expect(() => expectClose(value, erratum.printed, PRINTED_TOL, erratum.key)).toThrow();
    }
    // dh2/dz2 = h2(1 − h2) is positive for any sigmoid output; the article printed −0.23353037
    expect((got.dh2_dz2 as number[][])[0]![0]).toBeGreaterThan(0);
  });
});
