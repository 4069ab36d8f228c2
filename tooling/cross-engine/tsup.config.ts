import { defineConfig } from "tsup";

// One self-contained script (core and pure-rand inlined) that every engine evaluates as it is:
// it defines globalThis.crossEngineRun, and prints the result where the engine has a console.
export default defineConfig({
  entry: { runner: "src/runner.ts" },
  format: ["iife"],
  platform: "neutral",
  target: "es2020",
  noExternal: [/.*/],
  clean: true,
  minify: false,
});
