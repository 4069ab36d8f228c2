import ansiEscapes from "ansi-escapes";
import { describe, expect, it } from "vitest";
import { createPainter, fitLine, type PaintTarget } from "./painter.js";

const at = (left: number, top: number, parentNode?: PaintTarget, height = 10): PaintTarget => ({
  parentNode,
  yogaNode: { getComputedLeft: () => left, getComputedTop: () => top, getComputedHeight: () => height },
});

describe("painter", () => {
  it("fits a line with colour escapes to its box", () => {
    const red = "\u001B[31mab\u001B[39m";
    expect(fitLine(red, 4)).toBe(`${red}  `);
    expect(fitLine(red, 2)).toBe(red);
    expect(fitLine(red, 1)).toBe("a");
  });

  it("writes each region's lines at the position Yoga computed, the cursor saved around them", () => {
    const out: string[] = [];
    const painter = createPainter({ write: (s: string) => out.push(s) });
    const panel = at(10, 2, at(0, 1));
    painter.set("r", { target: at(1, 1, panel), width: 3, height: 2, lines: () => ["abc", "d"] });
    painter.paint();
    expect(out).toEqual([
      "\u001B[?2026h" +
        ansiEscapes.cursorSavePosition +
        `${ansiEscapes.cursorTo(11, 4)}abc\u001B[0m${ansiEscapes.cursorTo(11, 5)}d  \u001B[0m` +
        ansiEscapes.cursorRestorePosition +
        "\u001B[?2026l",
    ]);
  });

  it("follows a frame taller than the terminal as it scrolls up", () => {
    const out: string[] = [];
    const painter = createPainter({ write: (s: string) => out.push(s), rows: 24 });
    // a 30-line frame on 24 rows: everything moves up 6 lines, and a line scrolled off is not drawn
    painter.set("r", { target: at(2, 5, at(0, 0, undefined, 30)), width: 1, height: 2, lines: () => ["a", "b"] });
    painter.paint();
    expect(out[0]).not.toContain(ansiEscapes.cursorTo(2, -1));
    expect(out[0]).toContain(`${ansiEscapes.cursorTo(2, 0)}b`);
  });

  it("draws its regions inside Ink's synchronized update, before it ends", () => {
    const written: string[] = [];
    const stdout = { write: (s: string) => (written.push(s), true), columns: 80 } as unknown as NodeJS.WriteStream;
    const painter = createPainter(stdout);
    painter.set("r", { target: at(0, 0), width: 1, height: 1, lines: () => ["x"] });
    painter.paint();
    written.length = 0;
    const ink = painter.wrap(stdout);
    expect(ink.columns).toBe(80);
    ink.write("\u001B[?2026h");
    ink.write("frame");
    ink.write("\u001B[?2026l");
    expect(written).toEqual(["\u001B[?2026h", "frame", `${ansiEscapes.cursorSavePosition}${ansiEscapes.cursorTo(0, 0)}x\u001B[0m${ansiEscapes.cursorRestorePosition}`, "\u001B[?2026l"]);
  });
});
