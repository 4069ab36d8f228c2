import { BackpropError, createMlp, mlpFromParams, predict, type FeatureName, type Mlp } from "@backprop-lab/core";
import { createWorkspace, featurizeInto, forwardFast } from "@backprop-lab/core/internal";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { expectClose, youngBytesPerCall } from "../test/helpers.js";
import { referenceFeatures, referenceForward, referenceGrid } from "../test/reference.js";
import { PLAYGROUND_DOMAIN, type Domain } from "./domain.js";
import { createGridSampler, sampleGrid } from "./grid.js";

/** z = w1·x1 + w2·x2 + b with a linear output: a plane we can write in closed form. */
function plane(w1: number, w2: number, b: number): Mlp {
  return mlpFromParams({ sizes: [2, 1], hidden: "linear", output: "linear", bias: true }, Float64Array.of(w1, w2, b));
}

const arbDomain = fc
  .record({
    xMin: fc.double({ min: -50, max: 50, noNaN: true }),
    w: fc.double({ min: 0.5, max: 40, noNaN: true }),
    yMin: fc.double({ min: -50, max: 50, noNaN: true }),
    h: fc.double({ min: 0.5, max: 40, noNaN: true }),
  })
  .map(({ xMin, w, yMin, h }): Domain => ({ xMin, xMax: xMin + w, yMin, yMax: yMin + h }));

describe("grid shape and orientation", () => {
  test("a net whose output is x2 has its largest values in row 0 (the top); column 0 is xMin", () => {
    const s = sampleGrid(plane(0, 1, 0), { resolution: { width: 4, height: 3 }, domain: PLAYGROUND_DOMAIN });
    expect([s.width, s.height, s.value.length, s.classIndex.length, s.outputs.length]).toEqual([4, 3, 12, 12, 12]);
    // cell centres: x1 = −6 + (c + ½)·3, x2 = 6 − (r + ½)·4
    expect(Array.from(s.value)).toEqual([4, 4, 4, 4, 0, 0, 0, 0, -4, -4, -4, -4]);
    const byX = sampleGrid(plane(1, 0, 0), { resolution: { width: 4, height: 3 }, domain: PLAYGROUND_DOMAIN });
    expect(Array.from(byX.value.subarray(0, 4))).toEqual([-4.5, -1.5, 1.5, 4.5]);
  });

  test("property: every cell holds the plane at its centre; the top row wins when the plane rises with x2", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -3, max: 3, noNaN: true }),
        fc.double({ min: 0.01, max: 3, noNaN: true }),
        fc.double({ min: -3, max: 3, noNaN: true }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 2, max: 12 }),
        arbDomain,
        (w1, w2, b, width, height, domain) => {
          const s = sampleGrid(plane(w1, w2, b), { resolution: { width, height }, domain });
          expect(s.value.length).toBe(width * height);
          const scale = 1e-12 * (1 + Math.abs(w1) * 100 + Math.abs(w2) * 100 + Math.abs(b));
          for (let r = 0; r < height; r++) {
            for (let c = 0; c < width; c++) {
              const x1 = domain.xMin + ((c + 0.5) / width) * (domain.xMax - domain.xMin);
              const x2 = domain.yMax - ((r + 0.5) / height) * (domain.yMax - domain.yMin);
              expectClose(s.value[r * width + c], w1 * x1 + w2 * x2 + b, scale, `cell (${r}, ${c})`);
            }
          }
          // w2 > 0: each column decreases downward, so row 0 holds each column's maximum
          for (let c = 0; c < width; c++) expect(s.value[c]!).toBeGreaterThan(s.value[(height - 1) * width + c]!);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe("grid values equal the network on the same points", () => {
  const cases: { name: string; sizes: number[]; hidden: "tanh" | "relu" | "sigmoid"; output: "sigmoid" | "tanh" | "softmax" | "linear"; features: FeatureName[] }[] = [
    { name: "2-8-8-1 tanh (Playground)", sizes: [2, 8, 8, 1], hidden: "tanh", output: "tanh", features: ["x1", "x2"] },
    { name: "2-3-2 sigmoid (course)", sizes: [2, 3, 2], hidden: "sigmoid", output: "sigmoid", features: ["x1", "x2"] },
    { name: "4 features, relu, softmax 3", sizes: [4, 6, 3], hidden: "relu", output: "softmax", features: ["x1sq", "x2sq", "x1x2", "sinx1"] },
    { name: "7 features, linear output", sizes: [7, 5, 1], hidden: "tanh", output: "linear", features: ["x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1", "sinx2"] },
  ];
  for (const { name, sizes, hidden, output, features } of cases) {
    test(`${name}: an independent forward pass, core forwardFast and predict agree with every cell`, () => {
      const net = createMlp({ sizes, hidden, output, bias: true }, { seed: 11, init: "playground" });
      const width = 23;
      const height = 17;
      const domain = { xMin: -5, xMax: 7, yMin: -4, yMax: 2 };
      const s = sampleGrid(net, { resolution: { width, height }, domain, features, chunk: 100 });
      const nOut = sizes.at(-1)!;
      const X = new Float64Array(width * height * features.length);
      for (let r = 0; r < height; r++) {
        for (let c = 0; c < width; c++) {
          const x1 = domain.xMin + ((c + 0.5) * 12) / width;
          const x2 = domain.yMax - ((r + 0.5) * 6) / height;
          const f = referenceFeatures(x1, x2, features);
          X.set(f, (r * width + c) * features.length);
          expectClose(Array.from(s.outputs.subarray((r * width + c) * nOut, (r * width + c + 1) * nOut)), referenceForward(net, f), 1e-12, `cell (${r}, ${c})`);
        }
      }
      // the sampler runs core's forwardFast: its very bits on the same rows, whatever the chunking, and the very
      // bits of predict (and so of evaluate, which runs predict's forward): one numerics (issue #12)
      const all = forwardFast(createWorkspace(net, width * height), net, X, width * height).slice(0, width * height * nOut);
      expectClose(s.outputs, all, 0, "outputs vs forwardFast");
      expectClose(s.outputs, predict(net, X, width * height), 0, "outputs vs predict");
    });
  }
});

describe("value and class per cell", () => {
  test("one sigmoid output: value is the output, class is output > 0.5", () => {
    const net = mlpFromParams({ sizes: [2, 1], hidden: "linear", output: "sigmoid", bias: true }, Float64Array.of(1, 0, 0));
    const s = sampleGrid(net, { resolution: { width: 4, height: 1 }, domain: { xMin: -2, xMax: 2, yMin: 0, yMax: 1 } });
    expectClose(s.value, [-1.5, -0.5, 0.5, 1.5].map((z) => 1 / (1 + Math.exp(-z))), 1e-15);
    expect(Array.from(s.classIndex)).toEqual([0, 0, 1, 1]);
    expect(s.threshold).toBe(0.5);
  });

  test("one tanh or linear output: class is output > 0; encoding and threshold override", () => {
    const net = mlpFromParams({ sizes: [2, 1], hidden: "linear", output: "tanh", bias: true }, Float64Array.of(1, 0, 0.2));
    const opts = { resolution: { width: 4, height: 1 }, domain: { xMin: -2, xMax: 2, yMin: 0, yMax: 1 } };
    // z = x1 + 0.2 at x1 = −1.5, −0.5, 0.5, 1.5
    expect(Array.from(sampleGrid(net, opts).classIndex)).toEqual([0, 0, 1, 1]);
    expect(sampleGrid(net, { ...opts, encoding: "binary" }).threshold).toBe(0.5);
    expect(Array.from(sampleGrid(net, { ...opts, encoding: "binary" }).classIndex)).toEqual([0, 0, 1, 1]); // tanh(0.7) = 0.60 > 0.5
    expect(Array.from(sampleGrid(net, { ...opts, threshold: 0.9 }).classIndex)).toEqual([0, 0, 0, 1]); // tanh(1.7) = 0.94
  });

  test("several outputs: class is the argmax; value is class 1's score for two, the winning score for more", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 5 }), fc.integer({ min: 0, max: 1000 }), fc.constantFrom("softmax", "sigmoid", "tanh") as fc.Arbitrary<"softmax" | "sigmoid" | "tanh">, (nOut, seed, output) => {
        const net = createMlp({ sizes: [2, 4, nOut], hidden: "tanh", output, bias: true }, { seed, init: "he" });
        const s = sampleGrid(net, { resolution: 9, domain: PLAYGROUND_DOMAIN });
        for (let p = 0; p < 81; p++) {
          const o = Array.from(s.outputs.subarray(p * nOut, (p + 1) * nOut));
          const best = o.indexOf(Math.max(...o));
          expect(s.classIndex[p]).toBe(best);
          expect(s.value[p]).toBe(nOut === 2 ? o[1] : o[best]);
        }
      }),
      { numRuns: 40 },
    );
  });

  test("a network that outputs NaN gives NaN values and class 0, without throwing", () => {
    const net = plane(Number.NaN, 0, 0);
    const s = sampleGrid(net, { resolution: 3, domain: PLAYGROUND_DOMAIN });
    expect(Array.from(s.value).every(Number.isNaN)).toBe(true);
    expect(Array.from(s.classIndex)).toEqual(new Array(9).fill(0));
  });
});

describe("sampler contract", () => {
  test("sample() returns the same object and arrays every call, refilled from the current weights", () => {
    const net = plane(1, 2, 0);
    const sampler = createGridSampler(net, { resolution: 5, domain: PLAYGROUND_DOMAIN });
    const first = sampler.sample();
    const { value, classIndex, outputs } = first;
    const before = Array.from(value);
    net.params[2] = 10; // b = 10
    const second = sampler.sample();
    expect(second).toBe(first);
    expect(second.value).toBe(value);
    expect(second.classIndex).toBe(classIndex);
    expect(second.outputs).toBe(outputs);
    expectClose(second.value, before.map((v) => v + 10), 1e-12);
  });

  test("sample(other) evaluates another network of the same sizes; other sizes are refused", () => {
    const sampler = createGridSampler(plane(1, 0, 0), { resolution: 4, domain: PLAYGROUND_DOMAIN });
    expectClose(sampler.sample(plane(0, 0, 3)).value, new Array(16).fill(3), 0);
    const wide = createMlp({ sizes: [2, 3, 1], hidden: "tanh", output: "tanh", bias: true }, { seed: 1 });
    expect(() => sampler.sample(wide)).toThrow(BackpropError);
  });

  test("property: the chunk size does not change a single bit", () => {
    const net = createMlp({ sizes: [3, 5, 2], hidden: "tanh", output: "softmax", bias: true }, { seed: 5 });
    const features: FeatureName[] = ["x1", "x2", "x1x2"];
    const whole = sampleGrid(net, { resolution: 13, domain: PLAYGROUND_DOMAIN, features, chunk: 169 });
    // the unchunked grid is right (an independent forward pass), so every chunking is right too
    expectClose(whole.outputs, referenceGrid(net, 13, 13, PLAYGROUND_DOMAIN, features), 1e-12, "whole grid vs reference");
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), (chunk) => {
        const s = sampleGrid(net, { resolution: 13, domain: PLAYGROUND_DOMAIN, features, chunk });
        expect(Array.from(s.outputs)).toEqual(Array.from(whole.outputs));
        expect(Array.from(s.classIndex)).toEqual(Array.from(whole.classIndex));
      }),
      { numRuns: 30 },
    );
  });

  test("no allocation per call after warm-up (young generation)", () => {
    const baseline = youngBytesPerCall(() => {}, 40);
    const tanh = createMlp({ sizes: [2, 8, 8, 1], hidden: "tanh", output: "tanh", bias: true }, { seed: 1 });
    const sampler = createGridSampler(tanh, { resolution: 64, domain: PLAYGROUND_DOMAIN, chunk: 256 });
    // 4096 points per call: allocating even one 16-byte number per point would add 65,536 bytes
    expect(youngBytesPerCall(() => sampler.sample(), 40) - baseline).toBeLessThan(256);
  });

  test("property: cached inputs and inputs recomputed on every sample give the same bits", () => {
    const features: FeatureName[] = ["x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1", "sinx2"];
    const net = createMlp({ sizes: [7, 8, 8, 1], hidden: "tanh", output: "tanh", bias: true }, { seed: 9, init: "playground" });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 300 }), (width, height, chunk) => {
        const options = { resolution: { width, height }, domain: PLAYGROUND_DOMAIN, features, chunk };
        const cached = createGridSampler(net, { ...options, cacheInputs: true });
        const streamed = createGridSampler(net, { ...options, cacheInputs: false });
        for (let round = 0; round < 2; round++) {
          const outputs = Array.from(cached.sample().outputs);
          expect(outputs).toEqual(Array.from(streamed.sample().outputs));
          expectClose(outputs, referenceGrid(net, width, height, PLAYGROUND_DOMAIN, features), 1e-12, "cached grid vs reference");
          net.params[round] = net.params[round]! + 0.25; // new weights, the same cells
        }
      }),
      { numRuns: 25 },
    );
  });

  test("with features and cached inputs, a sample allocates nothing", () => {
    const baseline = youngBytesPerCall(() => {}, 40);
    const features: FeatureName[] = ["x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1", "sinx2"];
    const net = createMlp({ sizes: [7, 8, 8, 1], hidden: "tanh", output: "tanh", bias: true }, { seed: 2 });
    const sampler = createGridSampler(net, { resolution: 64, domain: PLAYGROUND_DOMAIN, features });
    expect(youngBytesPerCall(() => sampler.sample(), 40) - baseline).toBeLessThan(256);
  });

  test("with features, the streaming sampler allocates nothing beyond core's featurizeInto on the same points", () => {
    const features: FeatureName[] = ["x1", "x2", "x1sq", "sinx2"];
    const net = createMlp({ sizes: [4, 6, 3], hidden: "relu", output: "softmax", bias: true }, { seed: 2 });
    const sampler = createGridSampler(net, { resolution: 64, domain: PLAYGROUND_DOMAIN, features, chunk: 1024, cacheInputs: false });
    // the same cell centres, in the sampler's 4 chunks of 1024 points
    const chunks = [0, 1, 2, 3].map((c) => {
      const points = new Float64Array(2048);
      for (let k = 0; k < 1024; k++) {
        const p = c * 1024 + k;
        points[2 * k] = -6 + (((p % 64) + 0.5) * 12) / 64;
        points[2 * k + 1] = 6 - ((Math.floor(p / 64) + 0.5) * 12) / 64;
      }
      return points;
    });
    const out = new Float64Array(4096);
    const featurize = youngBytesPerCall(() => {
      for (let c = 0; c < 4; c++) featurizeInto(out, chunks[c]!, 1024, features);
    }, 40);
    // a long warm-up: the relu and softmax layers run core's JavaScript activations, which V8 may still be
    // re-optimizing after the earlier tests (its unoptimized code boxes numbers)
    expect(youngBytesPerCall(() => sampler.sample(), 40, 300) - featurize).toBeLessThan(256);
  });
});

describe("kernels", () => {
  test("core's WebAssembly kernels (the default here) and forwardFast give the same grid, bit for bit", () => {
    const cases: [FeatureName[], Parameters<typeof createMlp>[0]][] = [
      [["x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1", "sinx2"], { sizes: [7, 8, 8, 8, 8, 8, 8, 1], hidden: "tanh", output: "tanh", bias: true }],
      [["x1", "x2"], { sizes: [2, 5, 3, 2], hidden: "relu", output: "softmax", bias: true }],
      [["x1", "x2", "sinx1"], { sizes: [3, 4, 1], hidden: "sigmoid", output: "sigmoid", bias: false }],
      [["x1", "x2"], { sizes: [2, 7, 1], hidden: "leaky-relu", output: "linear", bias: true }],
    ];
    for (const [features, spec] of cases) {
      const net = createMlp(spec, { seed: 3 });
      for (let i = 0; i < net.params.length; i++) net.params[i] = net.params[i]! * 4; // saturating units too
      const options = { resolution: { width: 37, height: 23 }, domain: PLAYGROUND_DOMAIN, features, chunk: 64 };
      const wasm = createGridSampler(net, options).sample();
      const js = createGridSampler(net, { ...options, kernels: "js" }).sample();
      expect(wasm.outputs.some((v, i) => !Object.is(v, js.outputs[i]))).toBe(false);
      expect(Array.from(wasm.classIndex)).toEqual(Array.from(js.classIndex));
      expect(wasm.value.some((v, i) => !Object.is(v, js.value[i]))).toBe(false);
      // and both are right: an independent forward pass (Math.exp, Math.tanh) within a few ulp per activation;
      // the leaky-relu net's output is linear and reaches about 100, hence the relative bound
      const reference = referenceGrid(net, 37, 23, PLAYGROUND_DOMAIN, features);
      const scale = Math.max(1, ...reference.map(Math.abs));
      expectClose(wasm.outputs, reference, 1e-12 * scale, `${spec.sizes.join("-")} ${spec.hidden} vs reference`);
    }
  });

  test("an unknown kernels choice is named", () => {
    expect(() => createGridSampler(plane(1, 1, 0), { resolution: 4, domain: PLAYGROUND_DOMAIN, kernels: "gpu" as "js" })).toThrow(/kernels must be "auto" or "js", got "gpu"/);
  });
});

describe("caller mistakes throw BackpropError naming the field", () => {
  const net = plane(1, 1, 0);
  const cases: [string, () => unknown, string][] = [
    ["features that do not match the inputs", () => createGridSampler(net, { resolution: 4, domain: PLAYGROUND_DOMAIN, features: ["x1"] }), "features"],
    ["an unknown feature", () => createGridSampler(net, { resolution: 4, domain: PLAYGROUND_DOMAIN, features: ["x1", "x3" as FeatureName] }), "features[1]"],
    ["a repeated feature", () => createGridSampler(net, { resolution: 4, domain: PLAYGROUND_DOMAIN, features: ["x1", "x1"] }), "features[1]"],
    ["resolution 0", () => createGridSampler(net, { resolution: 0, domain: PLAYGROUND_DOMAIN }), "resolution"],
    ["a fractional height", () => createGridSampler(net, { resolution: { width: 3, height: 2.5 }, domain: PLAYGROUND_DOMAIN }), "resolution.height"],
    ["an empty domain", () => createGridSampler(net, { resolution: 4, domain: { xMin: 1, xMax: 1, yMin: 0, yMax: 1 } }), "domain.xMax"],
    ["a NaN bound", () => createGridSampler(net, { resolution: 4, domain: { xMin: 0, xMax: 1, yMin: Number.NaN, yMax: 1 } }), "domain.yMin"],
    ["a NaN threshold", () => createGridSampler(net, { resolution: 4, domain: PLAYGROUND_DOMAIN, threshold: Number.NaN }), "threshold"],
  ];
  for (const [name, run, field] of cases) {
    test(name, () => {
      let error: unknown;
      try {
        run();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(BackpropError);
      expect((error as BackpropError).field).toBe(field);
    });
  }
});
