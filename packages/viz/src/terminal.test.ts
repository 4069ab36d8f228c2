import { mlpFromParams } from "@backprop-lab/core";
import { describe, expect, test } from "vitest";
import { PLAYGROUND_RAMP, POINT_COLORS, rampColor } from "./color.js";
import { PLAYGROUND_DOMAIN } from "./domain.js";
import { sampleGrid } from "./grid.js";
import { HALF_BLOCK, POINT_CHARS, toTerminalCells } from "./terminal.js";
import { rgbTo256 } from "./xterm.js";

// a 3-wide, 5-tall field: rows −1, −0.5, −0.2, 0.5, 1 (row 0 at the top)
const field = [-1, -1, -1, -0.5, -0.5, -0.5, -0.2, -0.2, -0.2, 0.5, 0.5, 0.5, 1, 1, Number.NaN];

describe("toTerminalCells", () => {
  test("two pixels per cell: ▀ with the upper pixel as foreground, the lower as background", () => {
    const rows = toTerminalCells(field, 3, 5, { colorMode: "truecolor" });
    expect(rows.length).toBe(3);
    expect(rows.every((r) => r.length === 3)).toBe(true);
    expect(rows[0]![0]).toEqual({ char: HALF_BLOCK, fg: rampColor(PLAYGROUND_RAMP, -1), bg: rampColor(PLAYGROUND_RAMP, -0.5) });
    expect(rows[1]![1]).toEqual({ char: HALF_BLOCK, fg: rampColor(PLAYGROUND_RAMP, -0.2), bg: rampColor(PLAYGROUND_RAMP, 0.5) });
    // an odd last pixel row has no lower pixel; a NaN pixel has no colour
    expect(rows[2]![0]).toEqual({ char: HALF_BLOCK, fg: [0x08, 0x77, 0xbd], bg: null });
    expect(rows[2]![2]).toEqual({ char: HALF_BLOCK, fg: null, bg: null });
  });

  test("256-colour mode gives xterm indices of the same colours", () => {
    const truecolor = toTerminalCells(field, 3, 5, { colorMode: "truecolor" });
    const indexed = toTerminalCells(field, 3, 5, { colorMode: "256" });
    truecolor.forEach((row, r) =>
      row.forEach((cell, c) => {
        const want = (x: typeof cell.fg) => (Array.isArray(x) ? rgbTo256(x[0], x[1], x[2]) : x);
        expect(indexed[r]![c]).toEqual({ char: cell.char, fg: want(cell.fg), bg: want(cell.bg) });
      }),
    );
    expect(indexed[0]![0]!.fg).toBe(rgbTo256(0xf5, 0x93, 0x22));
  });

  test("no colour: region characters per side, ':' where a cell's two pixels differ, '?' for NaN", () => {
    const rows = toTerminalCells(field, 3, 5, { colorMode: "none" });
    expect(rows.map((r) => r.map((c) => c.char).join(""))).toEqual(["...", ":::", "##?"]);
    expect(rows.flat().every((c) => c.fg === null && c.bg === null)).toBe(true);
  });

  test("points land in their cell; the majority class wins; darker class colour over the mean of the two pixels", () => {
    const net = mlpFromParams({ sizes: [2, 1], hidden: "linear", output: "tanh", bias: true }, Float64Array.of(0, 1, 0));
    const sample = sampleGrid(net, { resolution: { width: 6, height: 4 }, domain: PLAYGROUND_DOMAIN });
    const rows = toTerminalCells(sample, {
      colorMode: "truecolor",
      points: [
        { x: -5, y: 5, cls: 1 }, // column 0, pixel row 0 → cell (0, 0)
        { x: 5, y: -5, cls: 0 }, // column 5, pixel row 3 → cell (1, 5)
        { x: 4.5, y: -4, cls: 1 },
        { x: 5.5, y: -3.5, cls: 0 },
        { x: 7, y: 0, cls: 1 }, // outside the view
      ],
    });
    expect(rows.length).toBe(2);
    expect(rows[0]![0]!.char).toBe(POINT_CHARS[1]);
    expect(rows[0]![0]!.fg).toEqual(POINT_COLORS[1]);
    const up = rampColor(PLAYGROUND_RAMP, sample.value[0]!)!;
    const down = rampColor(PLAYGROUND_RAMP, sample.value[6]!)!;
    expect(rows[0]![0]!.bg).toEqual(up.map((v, i) => Math.round((v + down[i]!) / 2)));
    expect(rows[1]![5]!.char).toBe(POINT_CHARS[0]); // two of class 0 beat one of class 1
    expect(rows.flat().filter((c) => c.char !== HALF_BLOCK).length).toBe(2);
  });

  test("in 256-colour and no-colour modes points keep their characters", () => {
    const values = new Array(16).fill(0);
    const points = [{ x: 0.1, y: 0.1, cls: 2 }];
    const domain = { xMin: -1, xMax: 1, yMin: -1, yMax: 1 };
    const indexed = toTerminalCells(values, 4, 4, { colorMode: "256", points, domain });
    expect(indexed[0]![2]).toEqual({ char: POINT_CHARS[2], fg: rgbTo256(...POINT_COLORS[2]!), bg: rgbTo256(0xe8, 0xea, 0xeb) });
    expect(toTerminalCells(values, 4, 4, { colorMode: "none", points, domain, pointChars: ["a", "b", "c"] })[0]![2]!.char).toBe("c");
  });

  test("caller mistakes throw", () => {
    expect(() => toTerminalCells([0, 0], 2, 1, { colorMode: "truecolor", points: [{ x: 0, y: 0, cls: 0 }] })).toThrow(/domain/);
    expect(() => toTerminalCells([0, 0], 2, 1, { colorMode: "rgb" as "none" })).toThrow(/colorMode/);
    expect(() => toTerminalCells([0, 0], 2, 2, { colorMode: "none" })).toThrow(/values/);
    const domain = PLAYGROUND_DOMAIN;
    expect(() => toTerminalCells([0, 0], 2, 1, { colorMode: "none", domain, points: [{ x: 0, y: 0, cls: -1 }] })).toThrow(/cls/);
  });
});
