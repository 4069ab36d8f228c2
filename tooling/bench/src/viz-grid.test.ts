import { createMlp, type MlpSpec } from "@backprop-lab/core";
import { createGridSampler, PLAYGROUND_DOMAIN } from "@backprop-lab/viz";
import { describe, expect, it } from "vitest";
import { toFloat32Exact } from "./agreement.js";
import { tfjsTensorCount } from "./peers/tfjs.js";
import { checkWorkload } from "./runner.js";
import { VIZ, vizGridPoints, vizGridWorkload } from "./viz-grid.js";

const spec: MlpSpec = { sizes: [2, 3, 3, 1], hidden: "tanh", output: "tanh", bias: true };
const small = vizGridWorkload({
  id: "small",
  title: "2-3-3-1 on 7×7",
  netDescription: "a 2-3-3-1 tanh net",
  side: 7,
  gridsPerRun: 3,
  net: () => ({ spec, params: toFloat32Exact(createMlp(spec, { seed: 3, init: "xavier" }).params) }),
});

describe("the grid workloads", () => {
  it("give the peers the sampler's cell centres in its order: row 0 at the top, x1 fastest", () => {
    const side = 4;
    const points = vizGridPoints(PLAYGROUND_DOMAIN, side);
    // cells are 3 wide on [-6, 6]: centres at -4.5, -1.5, 1.5, 4.5
    expect(Array.from(points.subarray(0, 4))).toEqual([-4.5, 4.5, -1.5, 4.5]);
    expect(Array.from(points.subarray(2 * (side * side - 1)))).toEqual([4.5, -4.5]);
    // the sampler's outputs are the network at exactly these points
    const net = createMlp(spec, { seed: 3, init: "xavier" });
    const grid = createGridSampler(net, { resolution: side, domain: PLAYGROUND_DOMAIN }).sample();
    const one = createGridSampler(net, { resolution: 1, domain: { xMin: -3, xMax: 0, yMin: 3, yMax: 6 } }).sample();
    expect(grid.outputs[1]).toBe(one.outputs[0]); // row 0, column 1: (-1.5, 4.5)
  });

  it("has every peer agree with the sampler, and runs every subject in full without leaking tfjs tensors", async () => {
    const agreements = await checkWorkload(small);
    expect(agreements.map((a) => a.subject)).toEqual(["tfjs-cpu", "brain.js"]);
    for (const a of agreements) expect(a.relativeError, a.subject).toBeLessThanOrEqual(a.tolerance);
    const prepared = await small.setup();
    try {
      expect(prepared.subjects.map((s) => s.name)).toEqual([VIZ, "tfjs-cpu", "brain.js"]);
      for (const s of prepared.subjects) {
        await s.run();
        const tensors = tfjsTensorCount();
        await s.run();
        expect(tfjsTensorCount(), s.name).toBe(tensors);
      }
    } finally {
      prepared.dispose?.();
    }
  });
});
