import { createMlp, mlpFromParams } from "@backprop-lab/core";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { youngBytesPerCall } from "../test/helpers.js";
import { CLASS_COLORS, CLASS_RAMPS, createRamp, parseColor, PLAYGROUND_RAMP, PROBABILITY_RAMP, rampColor, rampIndex } from "./color.js";
import { PLAYGROUND_DOMAIN } from "./domain.js";
import { sampleGrid } from "./grid.js";
import { toRGBA } from "./rgba.js";
import { rgbTo256, xterm256ToRgb } from "./xterm.js";

describe("ramps", () => {
  test("the Playground ramp: −1, 0, +1 are exactly #f59322, #e8eaeb, #0877bd; 31 shades", () => {
    expect(PLAYGROUND_RAMP.shades).toBe(31);
    expect(rampColor(PLAYGROUND_RAMP, -1)).toEqual([0xf5, 0x93, 0x22]);
    expect(rampColor(PLAYGROUND_RAMP, 0)).toEqual([0xe8, 0xea, 0xeb]);
    expect(rampColor(PLAYGROUND_RAMP, 1)).toEqual([0x08, 0x77, 0xbd]);
    expect(rampColor(PLAYGROUND_RAMP, -7)).toEqual([0xf5, 0x93, 0x22]); // clamps
    expect(rampColor(PLAYGROUND_RAMP, Number.NaN)).toBeNull();
  });

  test("shade 1 is the stops blended 1/15 of the way, by hand: round(245 − 13/15, 147 + 87/15, 34 + 201/15)", () => {
    expect(rampColor(PLAYGROUND_RAMP, -1 + 2 / 31 + 1e-9)).toEqual([244, 153, 47]);
  });

  test("quantized like d3's scaleQuantize: bin ⌊31·(v + 1)/2⌋", () => {
    fc.assert(
      fc.property(fc.double({ min: -1, max: 1, noNaN: true }), (v) => {
        expect(rampIndex(PLAYGROUND_RAMP, v)).toBe(Math.min(30, Math.floor((31 * (v + 1)) / 2)));
      }),
    );
  });

  test("the probability ramp has the same colours over [0, 1]", () => {
    expect([0, 0.5, 1].map((p) => rampColor(PROBABILITY_RAMP, p))).toEqual([
      [0xf5, 0x93, 0x22],
      [0xe8, 0xea, 0xeb],
      [0x08, 0x77, 0xbd],
    ]);
  });

  test("class ramps run from the neutral grey to each class colour; classes 0 and 1 match the two-class view", () => {
    expect(CLASS_COLORS.slice(0, 2)).toEqual(["#f59322", "#0877bd"]);
    CLASS_RAMPS.forEach((ramp, k) => {
      expect(rampColor(ramp, 0)).toEqual([0xe8, 0xea, 0xeb]);
      expect(rampColor(ramp, 1)).toEqual(parseColor(CLASS_COLORS[k]!));
    });
    expect(new Set(CLASS_COLORS).size).toBe(CLASS_COLORS.length);
  });

  test("createRamp interpolates CSS colours; bad input throws naming the field", () => {
    expect(Array.from(createRamp(["black", "white"], { shades: 3 }).table)).toEqual([0, 0, 0, 128, 128, 128, 255, 255, 255]);
    expect(() => createRamp(["#000", "not-a-colour"])).toThrow(/stops\[1\]/);
    expect(() => createRamp(["#000"], { min: 1, max: 1 })).toThrow(/max/);
  });
});

describe("xterm 256 colours", () => {
  test("pure colours map to their cube corners, greys to the grey ramp", () => {
    expect(rgbTo256(0, 0, 0)).toBe(16);
    expect(rgbTo256(255, 0, 0)).toBe(196);
    expect(rgbTo256(0, 255, 0)).toBe(46);
    expect(rgbTo256(0, 0, 255)).toBe(21);
    expect(rgbTo256(255, 255, 0)).toBe(226);
    expect(rgbTo256(0, 255, 255)).toBe(51);
    expect(rgbTo256(255, 0, 255)).toBe(201);
    expect(rgbTo256(255, 255, 255)).toBe(231);
    expect(rgbTo256(128, 128, 128)).toBe(244); // grey 8 + 10·12
    expect(rgbTo256(0x08, 0x08, 0x08)).toBe(232);
  });

  test("property: the chosen index is a nearest of the 240 non-system colours", () => {
    // the xterm palette written out from its definition, independently of xterm256ToRgb
    const levels = [0, 95, 135, 175, 215, 255];
    const palette: [number, number, number, number][] = [];
    for (let r = 0; r < 6; r++) for (let g = 0; g < 6; g++) for (let b = 0; b < 6; b++) palette.push([16 + 36 * r + 6 * g + b, levels[r]!, levels[g]!, levels[b]!]);
    for (let i = 0; i < 24; i++) palette.push([232 + i, 8 + 10 * i, 8 + 10 * i, 8 + 10 * i]);
    const d2 = (r: number, g: number, b: number, [, pr, pg, pb]: number[]) => (r - pr!) ** 2 + (g - pg!) ** 2 + (b - pb!) ** 2;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), (r, g, b) => {
        const index = rgbTo256(r, g, b);
        const best = Math.min(...palette.map((p) => d2(r, g, b, p)));
        expect(d2(r, g, b, palette.find((p) => p[0] === index)!)).toBe(best);
      }),
      { numRuns: 500 },
    );
  });

  test("xterm256ToRgb inverts rgbTo256 on every palette colour from 16 up", () => {
    for (let i = 16; i < 256; i++) {
      const [r, g, b] = xterm256ToRgb(i);
      // two entries share an RGB value only if they are the same colour; the cube wins ties
      expect(xterm256ToRgb(rgbTo256(r, g, b))).toEqual([r, g, b]);
    }
  });
});

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
