import { defineConfig } from "vitest/config";

// the browser suite: builds the app if needed, serves dist/, drives Debian's Chromium
export default defineConfig({
  test: {
    include: ["e2e/**/*.e2e.ts"],
    environment: "node",
    globalSetup: ["e2e/global-setup.ts"],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    fileParallelism: false,
  },
});
