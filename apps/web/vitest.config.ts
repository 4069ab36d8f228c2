import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test-support/**/*.test.ts"],
    environment: "node",
    // the worker handler trains and samples grids; a loaded CI machine needs room
    testTimeout: 60_000,
  },
});
