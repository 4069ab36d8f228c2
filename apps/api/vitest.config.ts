import { defineConfig } from "vitest/config";

// The Node suite: route tests through app.request, the fuzz and replay
// tests, the worker pool and a real server on loopback.
export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    exclude: ["src/**/*.workers.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
