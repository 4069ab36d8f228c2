import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { rgbTo256, xterm256ToRgb } from "./xterm.js";

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
