import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 120_000,
    // the allocation contract tests call gc() to start from an empty young generation
    execArgv: ["--expose-gc"],
  },
});
