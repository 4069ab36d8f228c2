import { BackpropError, createMlp, type FeatureName } from "@backprop-lab/core";
import { describe, expect, test } from "vitest";
import { expectClose } from "../test/helpers.js";
import { referenceFeatures, referenceLayers } from "../test/reference.js";
import { PLAYGROUND_DOMAIN } from "./domain.js";
import { createNeuronMapSampler, sampleNeuronMaps } from "./neuron-maps.js";

describe("neuron maps", () => {
  test("one map per feature, hidden unit and output, in spec order, each equal to an independent forward pass", () => {
    const features: FeatureName[] = ["x1", "x2", "x1x2"];
    const net = createMlp({ sizes: [3, 4, 2, 1], hidden: "tanh", output: "sigmoid", bias: true }, { seed: 3, init: "playground" });
    const maps = sampleNeuronMaps(net, { features, resolution: 6, domain: PLAYGROUND_DOMAIN });
    expect(maps.map((m) => `${m.layer}.${m.unit}:${m.kind}`)).toEqual([
      "0.0:input", "0.1:input", "0.2:input",
      "1.0:hidden", "1.1:hidden", "1.2:hidden", "1.3:hidden",
      "2.0:hidden", "2.1:hidden",
      "3.0:output",
    ]);
    expect(maps.slice(0, 3).map((m) => m.feature)).toEqual(features);
    for (let r = 0; r < 6; r++) {
      for (let c = 0; c < 6; c++) {
        const layers = referenceLayers(net, referenceFeatures(-6 + (c + 0.5) * 2, 6 - (r + 0.5) * 2, features));
        for (const m of maps) expectClose(m.values[r * 6 + c], layers[m.layer]![m.unit], 1e-12, `map ${m.layer}.${m.unit} at (${r}, ${c})`);
      }
    }
    for (const m of maps) {
      expect(m.values.length).toBe(36);
      expect(m.min).toBe(Math.min(...m.values));
      expect(m.max).toBe(Math.max(...m.values));
    }
  });

  test("defaults: 10×10 over [-6, 6]², the Playground's thumbnails; x1's map runs −5.4 … 5.4 left to right", () => {
    const net = createMlp({ sizes: [2, 3, 1], hidden: "relu", output: "tanh", bias: true }, { seed: 1 });
    const [x1, x2] = sampleNeuronMaps(net);
    expectClose(x1!.values.subarray(0, 10), [-5.4, -4.2, -3, -1.8, -0.6, 0.6, 1.8, 3, 4.2, 5.4], 1e-12);
    expectClose([x2!.values[0], x2!.values[90]], [5.4, -5.4], 1e-12);
    expect(sampleNeuronMaps(net, { includeOutput: false }).map((m) => m.kind)).toEqual(["input", "input", "hidden", "hidden", "hidden"]);
  });

  test("a sampler refills the same maps in place, chunk by chunk on a large grid", () => {
    const net = createMlp({ sizes: [2, 2, 1], hidden: "tanh", output: "linear", bias: true }, { seed: 4 });
    const sampler = createNeuronMapSampler(net, { resolution: 40 }); // 1600 points: two chunks
    const maps = sampler.sample();
    const values = maps[2]!.values;
    const before = Array.from(values);
    net.layers[0]!.b![0] = 100; // saturates hidden unit 0 at tanh(…) ≈ 1
    expect(sampler.sample()).toBe(maps);
    expect(maps[2]!.values).toBe(values);
    expect(Array.from(values)).not.toEqual(before);
    expectClose(maps[2]!.min, 1, 1e-12);
  });

  test("min and max skip non-finite values; all NaN gives NaN", () => {
    const net = createMlp({ sizes: [2, 1, 1], hidden: "linear", output: "linear", bias: true }, { seed: 1 });
    net.layers[0]!.W[0] = Number.NaN;
    const hidden = sampleNeuronMaps(net, { resolution: 3 })[2]!;
    expect(Number.isNaN(hidden.min) && Number.isNaN(hidden.max)).toBe(true);
  });

  test("a resolution that is not a positive integer throws", () => {
    const net = createMlp({ sizes: [2, 1], hidden: "linear", output: "linear", bias: true }, { seed: 1 });
    expect(() => sampleNeuronMaps(net, { resolution: 0 })).toThrow(BackpropError);
  });
});
