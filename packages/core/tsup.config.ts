import { libraryBuild } from "@backprop-lab/tsconfig/tsup-library.mjs";
import { defineConfig } from "tsup";

// one copy of shared modules (BackpropError, the kernels) behind both entries, in CJS too
export default defineConfig(libraryBuild({ entry: ["src/index.ts", "src/internal.ts"], splitting: true }));
