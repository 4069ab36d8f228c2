import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";

// The packages as a library user meets them: `pnpm pack` each one, install the tarballs into a default npm project
// (`npm init -y`, CommonJS), then require, import, `tsc --strict` and the README examples run from the tarball.
const repo = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const PACKAGES = ["core", "viz", "diagnostics"] as const;
/** What a user reaches for first in each package: each must be a function (or object) under require and import alike. */
const FIRST_CALLS: Record<(typeof PACKAGES)[number], string[]> = {
  core: ["createTrainingRun", "presetDocument", "evaluate", "predict", "mlpToJSON", "mlpFromJSON"],
  viz: ["createGridSampler", "decisionBoundary", "toRGBA", "toTerminalCells", "createMetricSeries"],
  diagnostics: ["attachDiagnostics", "applyFix", "FAILURE_LABS", "DEFAULT_THRESHOLDS"],
};
const TYPESCRIPT = "5.9.3";

const dir = mkdtempSync(join(tmpdir(), "bp-pack-"));
const project = join(dir, "project");
const run = (cmd: string, args: string[], cwd: string) => execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
const readme = (pkg: string) => readFileSync(join(repo, "packages", pkg, "README.md"), "utf8");
/** The first code block of a language after the README's "## Example" heading. */
function exampleBlock(pkg: string, lang: "ts" | "text"): string {
  const text = readme(pkg);
  const from = text.indexOf("## Example");
  expect(from, `${pkg} README has an Example section`).toBeGreaterThanOrEqual(0);
  const m = new RegExp("```" + lang + "\\n([\\s\\S]*?)```").exec(text.slice(from));
  expect(m, `${pkg} README's example has a ${lang} block`).not.toBeNull();
  return m![1]!;
}

beforeAll(() => {
  const tarballs = join(dir, "tarballs");
  mkdirSync(tarballs);
  for (const pkg of PACKAGES) run("pnpm", ["pack", "--pack-destination", tarballs], join(repo, "packages", pkg));
  mkdirSync(project);
  run("npm", ["init", "-y"], project);
  const files = readdirSync(tarballs).map((f) => join(tarballs, f));
  expect(files).toHaveLength(3);
  run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", ...files, `typescript@${TYPESCRIPT}`], project);
});

describe("the packed packages in a default npm project", () => {
  it("is a CommonJS project, and each tarball holds dist (ESM, CJS, types for both), LICENSE, README and the example, nothing else", () => {
    expect(JSON.parse(readFileSync(join(project, "package.json"), "utf8")).type ?? "commonjs").toBe("commonjs");
    for (const pkg of PACKAGES) {
      const root = join(project, "node_modules", "@backprop-lab", pkg);
      const json = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
      expect(JSON.stringify(json), `${pkg}: no workspace: ranges left`).not.toContain("workspace:");
      expect(readdirSync(root).sort()).toEqual(["LICENSE", "README.md", "dist", "examples", "package.json"]);
      // core has a second, unstable entry (`@backprop-lab/core/internal`); its two entries share chunks
      const entries = readdirSync(join(root, "dist")).filter((f) => !f.endsWith(".map") && /^(index|internal)\./.test(f));
      const expected = pkg === "core" ? ["index", "internal"] : ["index"];
      expect(entries.sort()).toEqual(expected.flatMap((e) => [`${e}.cjs`, `${e}.d.cts`, `${e}.d.ts`, `${e}.js`]).sort());
      expect(readdirSync(join(root, "examples"))).toEqual(["readme.ts"]);
      expect(readFileSync(join(root, "LICENSE"), "utf8")).toMatch(/^MIT License/);
      expect(json.license).toBe("MIT");
    }
  });

  it("require() and import give the same functions", () => {
    const names = JSON.stringify(FIRST_CALLS);
    writeFileSync(join(project, "check.cjs"), `const names = ${names};\nfor (const [pkg, list] of Object.entries(names)) { const m = require("@backprop-lab/" + pkg); console.log(pkg, list.map((n) => typeof m[n]).join(",")); }\n`);
    writeFileSync(join(project, "check.mjs"), `const names = ${names};\nfor (const [pkg, list] of Object.entries(names)) { const m = await import("@backprop-lab/" + pkg); console.log(pkg, list.map((n) => typeof m[n]).join(",")); }\n`);
    const cjs = run(process.execPath, ["check.cjs"], project);
    const esm = run(process.execPath, ["check.mjs"], project);
    expect(cjs).toBe(esm);
    for (const line of cjs.trimEnd().split("\n")) expect(line).not.toContain("undefined");
    // a CommonJS program really gets the CommonJS build, an ES module the ESM one
    const which = (ext: string, code: string) => {
      writeFileSync(join(project, `which.${ext}`), code);
      return run(process.execPath, [`which.${ext}`], project).trim();
    };
    expect(which("cjs", `console.log(require.resolve("@backprop-lab/core"))`)).toMatch(/dist[\\/]index\.cjs$/);
    expect(which("mjs", `console.log(import.meta.resolve("@backprop-lab/core"))`)).toMatch(/dist\/index\.js$/);
    // the internal entry resolves too, and shares core's modules: its errors are the public BackpropError
    const shared = `const core = require("@backprop-lab/core"); const internal = require("@backprop-lab/core/internal");
try { internal.createWorkspace(core.createMlp({ sizes: [2, 2] }), 0); } catch (e) { console.log(e instanceof core.BackpropError); }`;
    expect(which("cjs", shared)).toBe("true");
  });

  it("each README example is the shipped program; it passes tsc --strict as CommonJS and as ESM and prints what the README says", () => {
    const src = join(project, "src");
    mkdirSync(src, { recursive: true });
    for (const pkg of PACKAGES) {
      const shipped = join(project, "node_modules", "@backprop-lab", pkg, "examples", "readme.ts");
      expect(readFileSync(shipped, "utf8"), `${pkg}: README example = examples/readme.ts`).toBe(exampleBlock(pkg, "ts"));
      copyFileSync(shipped, join(src, `${pkg}.cts`)); // resolved through "require" and its .d.cts
      copyFileSync(shipped, join(src, `${pkg}.mts`)); // resolved through "import" and its .d.ts
    }
    const tsc = join(project, "node_modules", "typescript", "bin", "tsc");
    const args = ["--strict", "--module", "nodenext", "--moduleResolution", "nodenext", "--target", "es2022", "--skipLibCheck", "false", "--outDir", "out", "--rootDir", "src"];
    try {
      run(process.execPath, [tsc, ...args, ...PACKAGES.flatMap((p) => [`src/${p}.cts`, `src/${p}.mts`])], project);
    } catch (error) {
      throw new Error(`tsc --strict failed:\n${(error as { stdout?: string }).stdout ?? String(error)}`);
    }
    for (const pkg of PACKAGES) {
      const printed = exampleBlock(pkg, "text");
      expect(run(process.execPath, [`out/${pkg}.cjs`], project), `${pkg} as CommonJS`).toBe(printed);
      expect(run(process.execPath, [`out/${pkg}.mjs`], project), `${pkg} as ESM`).toBe(printed);
    }
  });
});
