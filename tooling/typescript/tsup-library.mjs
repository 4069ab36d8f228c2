// The tsup build every published package shares: ESM and CommonJS with declarations for each, source maps,
// ES2022 for any runtime (Node, browsers, Web Workers, Cloudflare Workers). A package passes its entries and
// anything of its own (core: splitting, so its two entries share one copy of its modules).
/** @param {{ entry?: string[] } & Record<string, unknown>} [own] */
export function libraryBuild(own = {}) {
  return {
    entry: ["src/index.ts"],
    format: ["esm", "cjs"],
    dts: true,
    sourcemap: true,
    clean: true,
    target: "es2022",
    platform: "neutral",
    ...own,
  };
}
