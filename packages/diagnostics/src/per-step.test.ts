import { createMlp, createTrainingRun, presetDocument, type HookContext } from "@backprop-lab/core";
import { createGradients } from "@backprop-lab/core/internal";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addTargetSums } from "./detectors.js";
import { createHealthMonitor, createMonitorWithTotals } from "./health.js";
import { labDocument } from "./labs.js";

/** Same bits, NaN and −0 included. */
function expectSameBits(actual: Float64Array, expected: Float64Array): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(Object.is(actual[i], expected[i]), `[${i}]: ${actual[i]} vs ${expected[i]}`).toBe(true);
}

const values = fc.oneof(
  { weight: 8, arbitrary: fc.double({ noNaN: true, min: -1e6, max: 1e6 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -0, 1, 0.1, 1e300, -1e300, Number.NaN, Infinity) },
);

describe("the per-step helpers give the plain loops' bits", () => {
  it("addTargetSums: the running sums of y and y² per output, against a row-major pass with k % nOut", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.array(fc.array(values, { maxLength: 40 }), { minLength: 1, maxLength: 4 }), (nOut, batches) => {
        const sumY = new Float64Array(nOut);
        const sumY2 = new Float64Array(nOut);
        const refY = new Float64Array(nOut);
        const refY2 = new Float64Array(nOut);
        for (const b of batches) {
          const rows = Math.floor(b.length / nOut);
          // a longer array than the batch: only its rows count
          const y = Float64Array.from([...b, 12345]);
          addTargetSums(y, rows, nOut, sumY, sumY2);
          for (let k = 0; k < rows * nOut; k++) {
            const o = k % nOut;
            refY[o] = refY[o]! + y[k]!;
            refY2[o] = refY2[o]! + y[k]! * y[k]!;
          }
          expectSameBits(sumY, refY);
          expectSameBits(sumY2, refY2);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("createMonitorWithTotals: Σ W² over every layer, one running sum, against a loop over the weights the step saw", () => {
    // three weight layers (playground-xor), one, a run that blows up to Infinity (the exploding lab)
    for (const doc of [presetDocument("playground-xor"), presetDocument("course-2-3-2"), labDocument("exploding-learning-rate")]) {
      const run = createTrainingRun(doc);
      const { monitor, weightSq } = createMonitorWithTotals(run.net);
      let steps = 0;
      run.trainer.addHook((ctx) => {
        monitor.hook(ctx);
        let expected = 0;
        for (const layer of ctx.net.layers) for (let k = 0; k < layer.W.length; k++) expected += layer.W[k]! * layer.W[k]!;
        expect(Object.is(weightSq[0], expected), `step ${ctx.report.step}: ${weightSq[0]} vs ${expected}`).toBe(true);
        steps++;
      });
      for (let i = 0; i < 60; i++) run.step();
      expect(steps).toBe(60);
      monitor.reset();
      expect(weightSq[0]).toBe(0);
    }
  });

  it("the monitor's gradient and weight norms and max |g| (a NaN sticks, −0 counts as 0), against direct loops", () => {
    const special = fc.constantFrom(0, -0, 1e-300, -1e300, 1e200, Number.NaN, Infinity, -Infinity);
    const entry = fc.oneof({ weight: 6, arbitrary: fc.double({ noNaN: true, min: -10, max: 10 }) }, { weight: 1, arbitrary: special });
    fc.assert(
      fc.property(fc.array(entry, { minLength: 2 * 23, maxLength: 2 * 23 }), (vals) => {
        const net = createMlp({ sizes: [3, 4, 2], hidden: "sigmoid", output: "sigmoid", bias: true });
        const grads = createGradients(net);
        // the first 23 values are the parameters, the next 23 the gradient, each laid out as net.params
        net.params.set(vals.slice(0, 23));
        grads.data.set(vals.slice(23));
        const monitor = createHealthMonitor(net);
        const ctx = {
          net,
          grads,
          report: { step: 7, learningRate: 0.5 },
          workspace: { a: [new Float64Array(0), new Float64Array(0)] },
          batch: { x: new Float64Array(0), y: new Float64Array(0), n: 0 },
        } as unknown as HookContext;
        monitor.hook(ctx);
        monitor.health().forEach((h, l) => {
          const { W, b } = net.layers[l]!;
          const { dW, db } = grads.layers[l]!;
          let gSq = 0;
          let wSq = 0;
          let gMax = 0;
          let nan = false;
          const g = [...dW, ...db!];
          const w = [...W, ...b!];
          for (let k = 0; k < g.length; k++) {
            gSq += g[k]! * g[k]!;
            wSq += w[k]! * w[k]!;
            if (Number.isNaN(g[k]!)) nan = true;
            else if (Math.abs(g[k]!) > gMax) gMax = Math.abs(g[k]!);
          }
          expect(Object.is(h.gradNorm, Math.sqrt(gSq)), `layer ${l} gradNorm`).toBe(true);
          expect(Object.is(h.weightNorm, Math.sqrt(wSq)), `layer ${l} weightNorm`).toBe(true);
          expect(Object.is(h.maxAbsGrad, nan ? Number.NaN : gMax), `layer ${l} maxAbsGrad ${h.maxAbsGrad} vs ${nan ? Number.NaN : gMax}`).toBe(true);
        });
      }),
      { numRuns: 500 },
    );
  });
});
