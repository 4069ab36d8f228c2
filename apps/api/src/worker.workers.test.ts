// Runs only inside workerd: the Worker entry with its bindings from wrangler.jsonc.
import { exports } from "cloudflare:workers";
import { createMlp } from "@backprop-lab/core";
import { wasmKernelsAvailable } from "@backprop-lab/core/internal";
import { PLAYGROUND_DOMAIN, sampleGrid } from "@backprop-lab/viz";
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
    const net = createMlp({ sizes: [2, 8, 8, 1], hidden: "tanh", output: "tanh", bias: true }, { seed: 4 });
    const grid = sampleGrid(net, { resolution: 16, domain: PLAYGROUND_DOMAIN });
    // the oracle: a direct loop over the cell centres of the [-6, 6]² domain, z = x·W + b, tanh, written here
    const sizes = [2, 8, 8, 1];
    let worst = 0;
    for (let cell = 0; cell < 256; cell++) {
      let a = [-6 + ((cell % 16) + 0.5) * 0.75, 6 - (Math.floor(cell / 16) + 0.5) * 0.75];
      let offset = 0;
      for (let l = 0; l + 1 < sizes.length; l++) {
        const nIn = sizes[l]!;
        const nOut = sizes[l + 1]!;
        const W = net.params.subarray(offset, offset + nIn * nOut);
        const b = net.params.subarray(offset + nIn * nOut, offset + nIn * nOut + nOut);
        offset += nIn * nOut + nOut;
        const z = Array.from({ length: nOut }, (_, j) => a.reduce((s, x, i) => s + x * W[i * nOut + j]!, b[j]!));
        a = z.map(Math.tanh);
      }
      worst = Math.max(worst, Math.abs(grid.value[cell]! - a[0]!));
    }
    expect(worst).toBeLessThan(1e-12);
    // and it is not a constant: the net separates the plane
    expect(Math.max(...grid.value) - Math.min(...grid.value)).toBeGreaterThan(0.1);
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
