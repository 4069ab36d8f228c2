import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { DocsAssetLoader } from "../docs.js";

/** swagger-ui-dist's files from the installed package (a dependency of the API, so found from source and from dist). */
export const nodeDocsAssets: DocsAssetLoader = async (file) => {
  const dir = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
  return new Uint8Array(await readFile(join(dir, file)));
};
