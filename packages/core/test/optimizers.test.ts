import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createTrainingRun, normalizeOptimizer } from "../src/index.js";
import { createOptimizerState, optimizerStep } from "../src/internal.js";

describe("optimizers, against closed forms", () => {
  it("Adam's bias correction divides: its first step moves every parameter by lr·sign(g)", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }).filter((g) => Math.abs(g) > 1e-3), { minLength: 1, maxLength: 20 }), (g) => {
        // ε = 1e-300 is below every |g| here, so sqrt(v̂) + ε = |g| exactly (ε = 0 is rejected)
        const state = createOptimizerState(normalizeOptimizer({ kind: "adam", epsilon: 1e-300 }), g.length);
        const params = new Float64Array(g.length);
        optimizerStep(state, params, Float64Array.from(g), 0.01);
        g.forEach((gi, i) => expect(params[i]).toBeCloseTo(-0.01 * Math.sign(gi), 14));
      }),
    );
  });

  it("Adam under a constant gradient keeps stepping by lr·sign(g) (m̂ = g, v̂ = g² at every t)", () => {
    const state = createOptimizerState(normalizeOptimizer({ kind: "adam", epsilon: 1e-300 }), 1);
    const params = new Float64Array(1);
    for (let t = 1; t <= 50; t++) {
      optimizerStep(state, params, Float64Array.of(3), 0.1);
      expect(params[0]).toBeCloseTo(-0.1 * t, 10);
    }
  });

  it("momentum under a constant gradient: v_t = g(1 − μ^t)/(1 − μ), and Nesterov looks one step ahead", () => {
    for (const nesterov of [false, true]) {
      const mu = 0.9;
      const state = createOptimizerState(normalizeOptimizer({ kind: "momentum", momentum: mu, nesterov }), 1);
      const params = new Float64Array(1);
      let expected = 0;
      for (let t = 1; t <= 30; t++) {
        optimizerStep(state, params, Float64Array.of(2), 0.5);
        const v = (2 * (1 - mu ** t)) / (1 - mu);
        expected -= 0.5 * (nesterov ? 2 + mu * v : v);
        expect(params[0]).toBeCloseTo(expected, 9);
      }
    }
  });

  it("resetOptimizer clears Adam's moments: the next step is again lr·sign(g)", () => {
    const run = createTrainingRun({ seed: 2, data: { name: "circle", n: 60 }, training: { optimizer: { kind: "adam", epsilon: 1e-300 }, learningRate: 0.01, batchSize: "full" } });
    for (let i = 0; i < 20; i++) run.step();
    run.trainer.resetOptimizer();
    const before = run.net.params.slice();
    run.step();
    const g = run.trainer.grads.data;
    for (let k = 0; k < before.length; k++) {
      if (g[k] !== 0) expect(run.net.params[k]! - before[k]!).toBeCloseTo(-0.01 * Math.sign(g[k]!), 12);
    }
  });

  it("changing settings mid-run keeps the network; changing the optimizer resets its moments", () => {
    const run = createTrainingRun({ seed: 2, data: { name: "circle", n: 60 }, training: { optimizer: { kind: "adam" }, learningRate: 0.01, batchSize: "full" } });
    for (let i = 0; i < 5; i++) run.step();
    const params = run.net.params.slice();
    run.trainer.configure({ learningRate: 0.001 });
    expect(Array.from(run.net.params)).toEqual(Array.from(params));
    expect(run.step().learningRate).toBe(0.001);
    run.trainer.configure({ optimizer: { kind: "sgd" } });
    const before = run.net.params.slice();
    const report = { ...run.step() };
    // plain SGD: p ← p − lr·g exactly
    const g = run.trainer.grads.data;
    for (let k = 0; k < before.length; k++) expect(run.net.params[k]).toBe(before[k]! - 0.001 * g[k]!);
    expect(report.step).toBe(7);
  });
});
