import { describe, expect, it } from "vitest";
import { resolveColorMode } from "./color-mode.js";

const tty = (depth: number) => ({ isTTY: true, getColorDepth: () => depth });

describe("colour mode", () => {
  it("follows the terminal: 24-bit, else 256 colours", () => {
    expect(resolveColorMode("auto", {}, tty(24))).toBe("truecolor");
    expect(resolveColorMode("auto", {}, tty(8))).toBe("256");
    expect(resolveColorMode("auto", {}, tty(4))).toBe("256");
    expect(resolveColorMode("auto", {}, tty(1))).toBe("none");
    expect(resolveColorMode("auto", {}, { isTTY: false })).toBe("none");
  });

  it("honours NO_COLOR, and an explicit --color over everything", () => {
    expect(resolveColorMode("auto", { NO_COLOR: "1" }, tty(24))).toBe("none");
    expect(resolveColorMode("auto", { NO_COLOR: "" }, tty(24))).toBe("truecolor");
    expect(resolveColorMode("256", { NO_COLOR: "1" }, tty(24))).toBe("256");
  });

  it("reads the depth with the environment it is given (Node's getColorDepth takes COLORTERM and TERM from it)", () => {
    let seen: Record<string, string | undefined> | undefined;
    resolveColorMode("auto", { COLORTERM: "truecolor" }, { isTTY: true, getColorDepth: (env) => ((seen = env), 24) });
    expect(seen).toEqual({ COLORTERM: "truecolor" });
  });
});
