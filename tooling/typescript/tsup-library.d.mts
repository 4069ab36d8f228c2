import type { Options } from "tsup";
/** The tsup options every published package shares, with the package's own on top. */
export function libraryBuild(own?: Options): Options;
