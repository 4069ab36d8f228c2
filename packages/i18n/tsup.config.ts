import { libraryBuild } from "@backprop-lab/tsconfig/tsup-library.mjs";
import { defineConfig } from "tsup";

export default defineConfig(libraryBuild());
