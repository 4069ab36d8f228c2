import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { getQuickJS } from "quickjs-emscripten";
import { describe, expect, it } from "vitest";

// The oracle for "same bits" is agreement across independent engines: V8 (Node), JavaScriptCore (Bun,
// the binary shipped in @oven/bun-linux-x64) and QuickJS (no WebAssembly: the JavaScript path).
// Before core computed its own exp/log/sin/cos/pow, these runs ended with different bits per engine,
// since Math.* is not correctly rounded and each engine rounds differently; a single differing bit in
// any parameter fails this test.
const here = dirname(fileURLToPath(import.meta.url));
const bundle = join(here, "../dist/runner.global.js");
const require = createRequire(import.meta.url);
const bun = join(dirname(require.resolve("@oven/bun-linux-x64/package.json")), "bin/bun");

type Result = Record<string, { params: string[]; loss: string }>;

const inNode = (): Result => JSON.parse(execFileSync(process.execPath, [bundle], { encoding: "utf8" }));

describe("the same seeded trainings in three engines", () => {
  const node = inNode();

  it("cover the four runs, with finite losses", () => {
    expect(Object.keys(node).sort()).toEqual(["course-2-3-2", "relu-softmax-momentum", "sigmoid-sgd", "tanh-softmax-adam"]);
    for (const r of Object.values(node)) expect(r.params.length).toBeGreaterThan(8);
  });

  it("Bun (JavaScriptCore) ends with the same bits as Node (V8)", () => {
    const out: Result = JSON.parse(execFileSync(bun, [bundle], { encoding: "utf8" }));
    expect(out).toEqual(node);
  });

  it("QuickJS ends with the same bits as Node (V8)", async () => {
    const QuickJS = await getQuickJS();
    const vm = QuickJS.newContext();
    try {
      const src = `globalThis.CROSS_ENGINE_PRINT = false;\n${readFileSync(bundle, "utf8")}\ncrossEngineRun();`;
      const r = vm.evalCode(src);
      const handle = vm.unwrapResult(r);
      const out: Result = JSON.parse(vm.getString(handle));
      handle.dispose();
      expect(out).toEqual(node);
    } finally {
      vm.dispose();
    }
  });
});
