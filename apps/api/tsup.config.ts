import { defineConfig } from "tsup";

// No code splitting: the Node pool finds its worker script beside the entry
// that bundles it (dist/node/), which a shared chunk at dist/ would break.
export default defineConfig({
  entry: {
    index: "src/index.ts",
    worker: "src/worker.ts",
    "node/index": "src/node/index.ts",
    "node/main": "src/node/main.ts",
    "node/train-worker": "src/node/train-worker.ts",
  },
  format: ["esm"],
  dts: { entry: { index: "src/index.ts", "node/index": "src/node/index.ts" } },
  splitting: false,
  sourcemap: true,
  clean: true,
  target: "es2022",
  platform: "node",
});
