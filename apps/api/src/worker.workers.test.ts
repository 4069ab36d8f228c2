// Runs only inside workerd: the Worker entry with its bindings from wrangler.jsonc.
import { exports } from "cloudflare:workers";
import { createMlp, predict, wasmKernelsAvailable } from "@backprop-lab/core";
import { cellCenterX, cellCenterY, PLAYGROUND_DOMAIN, sampleGrid } from "@backprop-lab/viz";
import { describe, expect, it } from "vitest";
import { createApp } from "./app.js";
import { expectProblem } from "./test/helpers.js";

const fetchWorker = (path: string, init?: RequestInit) => exports.default.fetch(new Request(`http://api.test${path}`, init));

describe("the Worker entry", () => {
  it("runs in workerd and answers like the app", async () => {
    expect((globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent).toBe("Cloudflare-Workers");
    const res = await fetchWorker("/v1/explain", { method: "POST", headers: { "cf-connecting-ip": "10.0.0.1" } });
    expect(res.status).toBe(200);
    const direct = await createApp().request("/v1/explain", { method: "POST" });
    expect(await res.text()).toBe(await direct.text());
  });

  it("samples grids with core's JavaScript kernels: workerd does not compile WebAssembly from bytes", () => {
    expect(wasmKernelsAvailable()).toBe(false);
    // the fallback is the sampler's own: each cell holds predict's output at the cell's centre
    const net = createMlp({ sizes: [2, 8, 8, 1], hidden: "tanh", output: "tanh", bias: true }, { seed: 4 });
    const grid = sampleGrid(net, { resolution: 16, domain: PLAYGROUND_DOMAIN });
    const centres = new Float64Array(2 * 256);
    for (let i = 0; i < 256; i++) {
      centres[2 * i] = cellCenterX(PLAYGROUND_DOMAIN, 16, i % 16);
      centres[2 * i + 1] = cellCenterY(PLAYGROUND_DOMAIN, 16, Math.floor(i / 16));
    }
    expect(Array.from(grid.value)).toEqual(Array.from(predict(net, centres, 256)));
  });

  it("rate-limits through the Rate Limiting binding, simulated by Miniflare", async () => {
    // vitest.workers.config.ts sets the binding to 5 requests a minute
    const get = () => fetchWorker("/v1/limits", { headers: { "cf-connecting-ip": "10.0.0.2" } });
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await get()).status);
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    const res = await get();
    const p = await expectProblem(res, 429);
    expect(p.type).toBe("urn:backprop-lab:problem:rate-limited");
    expect(res.headers.get("retry-after")).toBe("60");
    expect((await fetchWorker("/v1/limits", { headers: { "cf-connecting-ip": "10.0.0.3" } })).status).toBe(200);
  });
});
