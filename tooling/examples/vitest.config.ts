import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // trains 5,000 steps twice; a loaded CI machine needs room
    testTimeout: 300_000,
  },
});
