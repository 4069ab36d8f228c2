import { defineConfig } from "vitest/config";

// Tests here start git and python3 processes; on a loaded CI machine they take longer than vitest's default 5 s.
export default defineConfig({
  test: {
    testTimeout: 120_000,
  },
});
