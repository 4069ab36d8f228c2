import type { ColorMode } from "@backprop-lab/viz";
import * as asciichart from "asciichart";

/** Colours of the dashboard's text and curves; empty in "none" mode so NO_COLOR prints no colour at all. */
export interface Theme {
  accent: string | undefined;
  muted: string | undefined;
  train: string | undefined;
  test: string | undefined;
  data: string | undefined;
  penalty: string | undefined;
  info: string | undefined;
  warning: string | undefined;
  error: string | undefined;
  /** The same four curves as asciichart escapes. */
  chart: { train: asciichart.Color; test: asciichart.Color; data: asciichart.Color; penalty: asciichart.Color };
}

export function themeFor(mode: ColorMode): Theme {
  if (mode === "none") {
    return {
      accent: undefined,
      muted: undefined,
      train: undefined,
      test: undefined,
      data: undefined,
      penalty: undefined,
      info: undefined,
      warning: undefined,
      error: undefined,
      chart: { train: undefined, test: undefined, data: undefined, penalty: undefined },
    };
  }
  return {
    accent: "cyan",
    muted: "gray",
    train: "cyan",
    test: "magenta",
    data: "yellow",
    penalty: "red",
    info: "blue",
    warning: "yellow",
    error: "red",
    chart: { train: asciichart.cyan, test: asciichart.magenta, data: asciichart.yellow, penalty: asciichart.red },
  };
}
