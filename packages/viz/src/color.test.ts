import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { CLASS_COLORS, CLASS_RAMPS, createRamp, parseColor, PLAYGROUND_RAMP, PROBABILITY_RAMP, rampColor, rampIndex } from "./color.js";

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
