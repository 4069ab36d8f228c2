import type { ColorMode } from "@backprop-lab/viz";
import type { ColorChoice } from "../flags.js";

/**
 * The colour mode to draw with. An explicit --color wins; otherwise NO_COLOR
 * (any non-empty value) turns colour off, and the terminal's colour depth as
 * Node reads it (COLORTERM, TERM, FORCE_COLOR) picks 24-bit or 256 colours.
 */
export function resolveColorMode(
  choice: ColorChoice,
  env: Record<string, string | undefined>,
  stream: { isTTY?: boolean; getColorDepth?: (env?: Record<string, string | undefined>) => number },
): ColorMode {
  if (choice !== "auto") return choice;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return "none";
  if (!stream.isTTY || !stream.getColorDepth) return "none";
  const depth = stream.getColorDepth(env);
  if (depth >= 24) return "truecolor";
  return depth >= 4 ? "256" : "none";
}
