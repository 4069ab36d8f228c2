import { createMlp, createTrainingRun, createTrainer, presetDocument, type Batch } from "@backprop-lab/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { countSaturated, createHealthMonitor } from "./health.js";
import { labDocument } from "./labs.js";
import { expectClose } from "../test/helpers.js";
import { DEAD_PATIENCE, SATURATION_MARGIN } from "./thresholds.js";

const square: Batch = { x: new Float64Array([1, 1, -1, 1, 1, -1, -1, -1]), y: new Float64Array([1, 0, 0, 1]), n: 4 };

describe("createHealthMonitor", () => {
  it("measures each layer's gradient and weights on a real mini-batch step", () => {
    const run = createTrainingRun(presetDocument("playground-xor"));
    const monitor = createHealthMonitor(run.net);
    run.trainer.addHook(monitor.hook);
    let dW: Float64Array[] = [];
    let db: Float64Array[] = [];
    let params = new Float64Array(0);
    run.trainer.addHook((ctx) => {
      dW = ctx.grads.layers.map((g) => g.dW.slice());
      db = ctx.grads.layers.map((g) => g.db!.slice());
      params = ctx.net.params.slice();
    });
    for (let i = 0; i < 30; i++) run.step();
    const report = run.trainer.report;
    const health = monitor.health();
    expect(health).toHaveLength(3);
    let sumSq = 0;
    health.forEach((h, l) => {
      const layer = run.net.layers[l]!;
      const g = [...dW[l]!, ...db[l]!];
      const w = [...params.subarray(layer.wOffset, layer.wOffset + layer.W.length), ...params.subarray(layer.bOffset, layer.bOffset + layer.nOut)];
      const gNorm = Math.hypot(...g);
      const wNorm = Math.hypot(...w);
      expect(h.step).toBe(report.step);
      expect(h.hidden).toBe(l < 2);
      expectClose(h.gradNorm, gNorm, 1e-15);
      expectClose(h.gradRms, gNorm / Math.sqrt(g.length), 1e-15);
      expectClose(h.maxAbsGrad, Math.max(...g.map(Math.abs)), 0);
      expectClose(h.weightNorm, wNorm, 1e-14);
      expectClose(h.updateRatio, (report.learningRate * gNorm) / wNorm, 1e-15);
      sumSq += h.gradNorm ** 2;
    });
    // the layers partition the parameters, so their squared norms add up to the global one
    expectClose(Math.sqrt(sumSq), report.gradNorm, 1e-15);
  });

  it("counts sigmoid and tanh activations near the rails as saturated", () => {
    for (const hidden of ["sigmoid", "tanh"] as const) {
      const net = createMlp({ sizes: [2, 3, 1], hidden, output: "sigmoid", bias: true }, { seed: 3 });
      const trainer = createTrainer(net, { learningRate: 1e-9 });
      const monitor = createHealthMonitor(net);
      trainer.addHook(monitor.hook);
      net.layers[0]!.W.fill(0);
      trainer.step(square);
      expect(monitor.health()[0]!.saturatedFraction, `${hidden} at z = 0`).toBe(0);
      // |z| = 2·100 on every row: a = σ(±200) or tanh(±200), both at a rail
      net.layers[0]!.W.fill(100);
      net.layers[0]!.b!.fill(0);
      // rows (1,1) and (−1,−1) give z = ±200; rows (−1,1) and (1,−1) give z = 0
      trainer.step(square);
      expect(monitor.health()[0]!.saturatedFraction, hidden).toBe(0.5);
      // just inside the margin on one side of the edge and just outside on the other
      const edge = hidden === "sigmoid" ? Math.log((1 - SATURATION_MARGIN) / SATURATION_MARGIN) : Math.atanh(1 - 2 * SATURATION_MARGIN);
      net.layers[0]!.W.fill(0);
      net.layers[0]!.b!.set([edge * 0.99, edge * 1.01, -edge * 1.01]);
      trainer.step(square);
      expectClose(monitor.health()[0]!.saturatedFraction, 2 / 3, 1e-15);
    }
  });

  it("finds relus silent on the whole batch, and those silent for DEAD_PATIENCE batches", () => {
    const net = createMlp({ sizes: [2, 4, 1], hidden: "relu", output: "sigmoid", bias: true }, { seed: 5 });
    const trainer = createTrainer(net, { learningRate: 1e-12 });
    const monitor = createHealthMonitor(net);
    trainer.addHook(monitor.hook);
    net.layers[0]!.W.fill(0);
    net.layers[0]!.b!.set([-1, -1, 1, -1]); // three units output 0 on every row
    for (let i = 0; i < DEAD_PATIENCE - 1; i++) trainer.step(square);
    expect(monitor.health()[0]!.deadFraction).toBe(0.75);
    expect(monitor.health()[0]!.persistentDeadFraction).toBe(0);
    trainer.step(square);
    expect(monitor.health()[0]!.persistentDeadFraction).toBe(0.75);
    // a unit that fires on one row is alive again and its count restarts
    net.layers[0]!.W.set([3, 0, 0, 0, 0, 0, 0, 0]); // unit 0: z = 3·x1 − 1 > 0 where x1 = 1
    trainer.step(square);
    expect(monitor.health()[0]!.deadFraction).toBe(0.5);
    expect(monitor.health()[0]!.persistentDeadFraction).toBe(0.5);
    // other activations never count as dead or saturated
    expect(monitor.health()[1]!.deadFraction).toBe(0);
  });

  it("keeps a NaN gradient visible as NaN, not as a large number", () => {
    const net = createMlp({ sizes: [2, 3, 1], hidden: "tanh", output: "sigmoid", bias: true }, { seed: 1 });
    const trainer = createTrainer(net, { learningRate: 0.1 });
    const monitor = createHealthMonitor(net);
    trainer.addHook((ctx) => {
      ctx.grads.layers[0]!.dW[0] = Number.NaN;
      ctx.grads.layers[0]!.dW[1] = 5;
    });
    trainer.addHook(monitor.hook);
    trainer.step(square);
    expect(monitor.health()[0]!.maxAbsGrad).toBeNaN();
    expect(monitor.health()[0]!.gradNorm).toBeNaN();
    expect(monitor.health()[1]!.maxAbsGrad).toBe(Math.max(...Array.from(trainer.grads.layers[1]!.dW, Math.abs), Math.abs(trainer.grads.layers[1]!.db![0]!)));
  });

  it("returns the same objects every call", () => {
    const run = createTrainingRun(presetDocument("playground-xor"));
    const monitor = createHealthMonitor(run.net);
    run.trainer.addHook(monitor.hook);
    const first = monitor.health();
    run.step();
    expect(monitor.health()).toBe(first);
    expect(monitor.health()[0]).toBe(first[0]);
  });

  it("counts saturation exactly as the plain loop over the activations does, on every step of real runs", () => {
    const configs = [presetDocument("course-2-50-2"), presetDocument("playground-xor"), labDocument("vanishing-sigmoid"), labDocument("exploding-learning-rate")];
    let checked = 0;
    let partial = 0;
    for (const config of configs) {
      const run = createTrainingRun(config);
      const monitor = createHealthMonitor(run.net);
      run.trainer.addHook(monitor.hook);
      run.trainer.addHook(({ net, workspace, batch }) => {
        net.layers.forEach((layer, l) => {
          if (layer.activation !== "sigmoid" && layer.activation !== "tanh") return;
          const a = workspace.a[l]!;
          const len = batch.n * layer.nOut;
          let s = 0;
          for (let k = 0; k < len; k++) {
            // the monitor's definition, one activation at a time
            const saturated = layer.activation === "sigmoid" ? Math.abs(a[k]! - 0.5) > 0.5 - SATURATION_MARGIN : Math.abs(a[k]!) > 1 - 2 * SATURATION_MARGIN;
            if (saturated) s++;
          }
          expect(monitor.health()[l]!.saturatedFraction).toBe(s / len);
          checked++;
          if (s > 0 && s < len) partial++;
        });
      });
      for (let i = 0; i < 300; i++) run.step();
    }
    expect(checked).toBeGreaterThan(1000);
    expect(partial).toBeGreaterThan(100);
  });
});

describe("countSaturated", () => {
  it("equals the plain count for any values, NaN and infinities included, and any length", () => {
    // values anywhere, and values close to the sigmoid and tanh edges
    const value = fc.oneof(fc.double(), fc.double({ min: 0, max: 0.02 }), fc.double({ min: 0.98, max: 1 }), fc.double({ min: -1, max: -0.97 }));
    fc.assert(
      fc.property(fc.array(value, { maxLength: 45 }), fc.nat(45), fc.boolean(), (values, cut, tanh) => {
        const a = Float64Array.from(values);
        const len = Math.min(cut, a.length);
        const center = tanh ? 0 : 0.5;
        const edge = tanh ? 1 - 2 * SATURATION_MARGIN : 0.5 - SATURATION_MARGIN;
        const plain = Array.from(a.subarray(0, len)).filter((v) => Math.abs(v - center) > edge).length;
        expect(countSaturated(a, len, tanh)).toBe(plain);
      }),
    );
  });
});
