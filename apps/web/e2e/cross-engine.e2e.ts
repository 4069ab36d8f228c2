import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { APP_DIR, launch } from "./harness.js";

// Issue #13, part 3, the browser leg: tooling/cross-engine's seeded trainings (sigmoid + SGD, tanh + softmax + Adam,
// relu + softmax + momentum, the course's 2-3-2 preset), bundled into one script that defines
// globalThis.crossEngineRun(), run inside a Web Worker in Chromium (V8 with WebAssembly SIMD: core's WebAssembly
// kernels) and in Node; every parameter's bits must agree. The oracle is the other engine run: tooling/cross-engine's
// own test shows the same bits in Bun (JavaScriptCore) and QuickJS (no WebAssembly: the JavaScript path), and its
// negative control shows that Math.exp-based training differs between engines, so agreement is not a given.

const CROSS_ENGINE = resolve(APP_DIR, "../../tooling/cross-engine");
const BUNDLE = join(CROSS_ENGINE, "dist/runner.global.js");
const CORE_DIST = resolve(APP_DIR, "../../packages/core/dist");

type Result = Record<string, { params: string[]; loss: string }>;

function newest(dir: string): number {
  if (!existsSync(dir)) return 0;
  if (!statSync(dir).isDirectory()) return statSync(dir).mtimeMs;
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) t = Math.max(t, newest(join(dir, e.name)));
  return t;
}

/** The runner bundle, rebuilt (tsup in tooling/cross-engine) when missing or older than its source or core's build. */
function bundle(): string {
  const stale = !existsSync(BUNDLE) || Math.max(newest(join(CROSS_ENGINE, "src")), newest(CORE_DIST)) > statSync(BUNDLE).mtimeMs;
  if (stale) execFileSync("pnpm", ["exec", "tsup"], { cwd: CROSS_ENGINE, stdio: "pipe" });
  return readFileSync(BUNDLE, "utf8");
}

/** The smallest module with a 128-bit SIMD instruction (v128.const): whether the worker's engine has SIMD. */
const SIMD_PROBE = [0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 22, 1, 20, 0, 253, 12, ...new Array(16).fill(0), 11];

const WORKER = `
self.CROSS_ENGINE_PRINT = false;
importScripts("/runner.global.js");
const simd = typeof WebAssembly === "object" && WebAssembly.validate(new Uint8Array(${JSON.stringify(SIMD_PROBE)}));
postMessage({ out: self.crossEngineRun(), simd, worker: typeof WorkerGlobalScope === "function" && self instanceof WorkerGlobalScope });
`;

let server: Server;
let url: string;
let browser: Awaited<ReturnType<typeof launch>>;
let source: string;

beforeAll(async () => {
  source = bundle();
  server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const body = path === "/runner.global.js" ? source : path === "/worker.js" ? WORKER : path === "/" ? "<!doctype html><title>cross-engine</title>" : null;
    if (body === null) {
      res.writeHead(404).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": path === "/" ? "text/html; charset=utf-8" : "text/javascript; charset=utf-8", "cache-control": "no-store" });
    res.end(body);
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  url = `http://127.0.0.1:${address.port}/`;
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((ok) => (server ? server.close(() => ok()) : ok()));
});

describe("the same seeded trainings in Chromium's Web Worker and in Node", () => {
  it("end with the same parameter bits and losses", async () => {
    const inNode: Result = JSON.parse(execFileSync(process.execPath, [BUNDLE], { encoding: "utf8" }));
    expect(Object.keys(inNode).sort()).toEqual(["course-2-3-2", "relu-softmax-momentum", "sigmoid-sgd", "tanh-softmax-adam"]);

    const page = await browser.context.newPage();
    try {
      await page.goto(url);
      const got = await page.evaluate(
        () =>
          new Promise<{ out: string; simd: boolean; worker: boolean }>((ok, fail) => {
            const w = new Worker("/worker.js");
            w.onmessage = (e) => ok(e.data as { out: string; simd: boolean; worker: boolean });
            w.onerror = (e) => fail(new Error(`worker: ${e.message}`));
          }),
      );
      // the worker ran it, with WebAssembly SIMD: the kernels, not the JavaScript path
      expect(got.worker).toBe(true);
      expect(got.simd).toBe(true);
      const inChromium: Result = JSON.parse(got.out);
      for (const name of Object.keys(inNode)) {
        expect(inChromium[name]!.params.length, name).toBe(inNode[name]!.params.length);
        expect(inChromium[name], name).toEqual(inNode[name]);
      }
    } finally {
      await page.close();
    }
  });
});
