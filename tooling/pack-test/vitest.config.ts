import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // packs three packages, installs them with npm, compiles and runs programs in both module systems
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});
