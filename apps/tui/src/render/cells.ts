import type { ColorMode, TerminalCell, TerminalColor } from "@backprop-lab/viz";
import { Chalk, type ChalkInstance } from "chalk";

const TRUECOLOR = new Chalk({ level: 3 });
const XTERM256 = new Chalk({ level: 2 });

function same(a: TerminalColor, b: TerminalColor): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a[0] === b[0] && a[1] === b[1] && a[2] === b[2];
  return false;
}

function paint(chalk: ChalkInstance, text: string, fg: TerminalColor, bg: TerminalColor): string {
  let style = chalk;
  if (Array.isArray(fg)) style = style.rgb(fg[0], fg[1], fg[2]);
  else if (typeof fg === "number") style = style.ansi256(fg);
  if (Array.isArray(bg)) style = style.bgRgb(bg[0], bg[1], bg[2]);
  else if (typeof bg === "number") style = style.bgAnsi256(bg);
  return style === chalk ? text : style(text);
}

/**
 * Terminal cells (viz's data: a character with foreground and background)
 * as one string per row with the escape codes of the colour mode. Runs of
 * cells with the same colours share one escape sequence.
 */
export function cellsToLines(rows: readonly (readonly TerminalCell[])[], mode: ColorMode): string[] {
  if (mode === "none") return rows.map((row) => row.map((c) => c.char).join(""));
  const chalk = mode === "truecolor" ? TRUECOLOR : XTERM256;
  return rows.map((row) => {
    let out = "";
    let i = 0;
    while (i < row.length) {
      const first = row[i]!;
      let text = first.char;
      let j = i + 1;
      while (j < row.length && same(row[j]!.fg, first.fg) && same(row[j]!.bg, first.bg)) text += row[j++]!.char;
      out += paint(chalk, text, first.fg, first.bg);
      i = j;
    }
    return out;
  });
}
