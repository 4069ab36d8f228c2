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

  it("the control: the same kind of training written with Math.exp/sin/tanh ends with different bits in the three engines", async () => {
    // a deliberate change (Math.* instead of core's functions) in a logistic-regression loop; if the engines
    // agreed on Math.*, the bit comparisons above could not tell our numerics from theirs
    const src = `(function(){let w=0.1,b=-0.2;for(let s=0;s<3000;s++){let gw=0,gb=0;for(let i=0;i<50;i++){const x=Math.sin(i*0.37)*3;const y=i%2;const p=1/(1+Math.exp(-(w*x+b)));gw+=(p-y)*x;gb+=p-y;}w-=0.1*gw/50;b-=0.1*gb/50;}return String(w)+","+String(b)+","+Math.tanh(0.3);})()`;
    const inV8 = execFileSync(process.execPath, ["-e", `console.log(${src})`], { encoding: "utf8" }).trim();
    const inJsc = execFileSync(bun, ["-e", `console.log(${src})`], { encoding: "utf8" }).trim();
    const vm = (await getQuickJS()).newContext();
    const handle = vm.unwrapResult(vm.evalCode(src));
    const inQuickJs = vm.getString(handle);
    handle.dispose();
    vm.dispose();
    expect(new Set([inV8, inJsc, inQuickJs]).size, `${inV8} | ${inJsc} | ${inQuickJs}`).toBeGreaterThan(1);
  });
});
