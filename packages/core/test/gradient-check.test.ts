import { describe, expect, it } from "vitest";
import {
  createMlp,
  createRng,
  gradientCheck,
  HIDDEN_ACTIVATIONS,
  type Batch,
  type HiddenActivation,
  type LossName,
  type OutputActivation,
  type Regularization,
} from "../src/index.js";

/** A small random batch whose targets fit the output (one-hot, 0/1 or any real). */
function batchFor(output: OutputActivation, loss: LossName, n: number, nIn: number, nOut: number, seed: number): Batch {
  const rng = createRng(seed);
  const x = new Float64Array(n * nIn).map(() => rng.uniform(-2, 2));
  const y = new Float64Array(n * nOut);
  for (let r = 0; r < n; r++) {
    if (output === "softmax" || loss === "cross-entropy") y[r * nOut + rng.int(nOut)] = 1;
    else for (let j = 0; j < nOut; j++) y[r * nOut + j] = output === "linear" ? rng.uniform(-2, 2) : output === "tanh" ? rng.uniform(-0.9, 0.9) : rng.int(2);
  }
  return { x, y, n };
}

const combos: [OutputActivation, LossName][] = [
  ["sigmoid", "mse"],
  ["tanh", "mse"],
  ["linear", "mse"],
  ["softmax", "mse"],
  ["softmax", "cross-entropy"],
  ["sigmoid", "binary-cross-entropy"],
];
// L1's kink at 0 is never hit: random weights are almost surely nonzero
const regs: Regularization[] = [
  { kind: "none", lambda: 0 },
  { kind: "l1", lambda: 0.03 },
  { kind: "l2", lambda: 0.05 },
];

describe("central-difference gradient check, every parameter", () => {
  for (const hidden of HIDDEN_ACTIVATIONS as readonly HiddenActivation[])
    for (const [output, loss] of combos)
      for (const regularization of regs)
        for (const bias of [true, false]) {
          it(`${hidden} → ${output}, ${loss}, ${regularization.kind}, bias ${bias}`, () => {
            const net = createMlp({ sizes: [3, 4, 3, 3], hidden, output, bias }, { seed: 7, init: "xavier" });
            // keep ReLU kinks away from the difference step: shift z off 0 by nonzero biases
            if (bias) for (const layer of net.layers) layer.b!.fill(0.1);
            const result = gradientCheck(net, batchFor(output, loss, 5, 3, 3, 11), { loss, regularization, epsilon: 1e-5, tolerance: 1e-6 });
            expect(result.parameters.length).toBe(net.params.length);
            expect(result.maxRelativeError, JSON.stringify(result.worst)).toBeLessThanOrEqual(1e-6);
            expect(result.ok).toBe(true);
          });
        }

  it("catches a wrong backward pass: the course's L2 gradient bug", () => {
    const net = createMlp({ sizes: [2, 3, 2], hidden: "sigmoid", output: "sigmoid", bias: false }, { seed: 2017, init: "course" });
    const data = batchFor("sigmoid", "mse", 6, 2, 2, 3);
    const good = gradientCheck(net, data, { regularization: { kind: "l2", lambda: 0.01 } });
    const bad = gradientCheck(net, data, { regularization: { kind: "l2", lambda: 0.01, gradient: "course-bug" } });
    expect(good.ok).toBe(true);
    expect(bad.ok).toBe(false);
    expect(bad.maxRelativeError).toBeGreaterThan(1e-3);
  });

  it("leaves the network's parameters exactly as they were", () => {
    const net = createMlp({ sizes: [2, 5, 1], hidden: "tanh", output: "linear", bias: true }, { seed: 3 });
    const before = net.params.slice();
    gradientCheck(net, batchFor("linear", "mse", 4, 2, 1, 5));
    expect(Array.from(net.params)).toEqual(Array.from(before));
  });
});
