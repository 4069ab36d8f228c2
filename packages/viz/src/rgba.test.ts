import { createMlp, mlpFromParams } from "@backprop-lab/core";
import { describe, expect, test } from "vitest";
import { youngBytesPerCall } from "../test/helpers.js";
import { CLASS_RAMPS, PLAYGROUND_RAMP, rampColor } from "./color.js";
import { PLAYGROUND_DOMAIN } from "./domain.js";
import { sampleGrid } from "./grid.js";
import { toRGBA } from "./rgba.js";

describe("toRGBA", () => {
  test("fills the caller's buffer, returns it, row 0 first; NaN is transparent", () => {
    const out = new Uint8ClampedArray(16);
    expect(toRGBA(out, [-1, 0, 1, Number.NaN])).toBe(out);
    expect(Array.from(out)).toEqual([0xf5, 0x93, 0x22, 255, 0xe8, 0xea, 0xeb, 255, 0x08, 0x77, 0xbd, 255, 0, 0, 0, 0]);
    toRGBA(out, [0, 5, 10, 10], { range: [0, 10], alpha: 128 });
    expect(Array.from(out.subarray(0, 4))).toEqual([0xf5, 0x93, 0x22, 128]);
    expect(Array.from(out.subarray(8, 12))).toEqual([0x08, 0x77, 0xbd, 128]);
    expect(() => toRGBA(new Uint8ClampedArray(15), [1, 2, 3, 4])).toThrow(/out/);
  });

  test("a sample of a net rising with x2 is blue on top and orange at the bottom; sigmoid uses the probability ramp", () => {
    const net = mlpFromParams({ sizes: [2, 1], hidden: "linear", output: "sigmoid", bias: true }, Float64Array.of(0, 3, 0));
    const s = sampleGrid(net, { resolution: 4, domain: PLAYGROUND_DOMAIN });
    const out = toRGBA(new Uint8ClampedArray(64), s);
    expect(Array.from(out.subarray(0, 4))).toEqual([0x08, 0x77, 0xbd, 255]); // σ(13.5) ≈ 1
    expect(Array.from(out.subarray(60, 64))).toEqual([0xf5, 0x93, 0x22, 255]); // σ(−13.5) ≈ 0
  });

  test("discretize paints class colours only; two outputs colour o1 − o0", () => {
    const net = createMlp({ sizes: [2, 5, 2], hidden: "tanh", output: "softmax", bias: true }, { seed: 4, init: "he" });
    const s = sampleGrid(net, { resolution: 8, domain: PLAYGROUND_DOMAIN });
    const out = toRGBA(new Uint8ClampedArray(256), s, { discretize: true });
    for (let p = 0; p < 64; p++) expect(Array.from(out.subarray(4 * p, 4 * p + 3))).toEqual(s.classIndex[p] ? [0x08, 0x77, 0xbd] : [0xf5, 0x93, 0x22]);
    const smooth = toRGBA(new Uint8ClampedArray(256), s);
    for (let p = 0; p < 64; p++) {
      expect(Array.from(smooth.subarray(4 * p, 4 * p + 3))).toEqual(rampColor(PLAYGROUND_RAMP, s.outputs[2 * p + 1]! - s.outputs[2 * p]!));
    }
  });

  test("more than two classes: each cell takes its class colour, faded by the margin over the runner-up", () => {
    const net = createMlp({ sizes: [2, 6, 4], hidden: "tanh", output: "softmax", bias: true }, { seed: 8, init: "he" });
    const s = sampleGrid(net, { resolution: 10, domain: PLAYGROUND_DOMAIN });
    const out = toRGBA(new Uint8ClampedArray(400), s);
    for (let p = 0; p < 100; p++) {
      const o = Array.from(s.outputs.subarray(4 * p, 4 * p + 4)).sort((a, b) => b - a);
      expect(Array.from(out.subarray(4 * p, 4 * p + 3))).toEqual(rampColor(CLASS_RAMPS[s.classIndex[p]!]!, o[0]! - o[1]!));
    }
  });

  test("allocates nothing per pixel (4096 pixels; a number per pixel would be 65,536 bytes)", () => {
    const net = createMlp({ sizes: [2, 4, 1], hidden: "tanh", output: "tanh", bias: true }, { seed: 1 });
    const s = sampleGrid(net, { resolution: 64, domain: PLAYGROUND_DOMAIN });
    const out = new Uint8ClampedArray(64 * 64 * 4);
    const baseline = youngBytesPerCall(() => {}, 40);
    expect(youngBytesPerCall(() => toRGBA(out, s), 40) - baseline).toBeLessThan(256);
    const options = { range: [-2, 2] as const };
    expect(youngBytesPerCall(() => toRGBA(out, s.value, options), 40) - baseline).toBeLessThan(1024);
  });
});
