import { createTrainingRun, presetDocument } from "@backprop-lab/core";
import { describe, expect, it } from "vitest";
import { findNonFinite, type NonFinite } from "./non-finite.js";
import { createDivergingRun } from "../test/helpers.js";

/** A real run after one step, with the trainer's gradients and workspace captured by a hook. */
function steppedRun() {
  const run = createTrainingRun(presetDocument("playground-xor"));
  let captured: Parameters<Parameters<typeof run.trainer.addHook>[0]>[0] | null = null;
  run.trainer.addHook((ctx) => {
    captured = ctx;
  });
  run.step();
  return { run, ctx: captured! };
}

describe("findNonFinite", () => {
  it("returns null when every tensor of a real step is finite", () => {
    const { run, ctx } = steppedRun();
    expect(findNonFinite({ net: run.net, grads: ctx.grads, workspace: ctx.workspace, n: ctx.batch.n, loss: ctx.report.loss })).toBeNull();
  });

  it("names the tensor, layer, flat index and value of a planted NaN or Infinity", () => {
    const cases: [NonFinite["tensor"], number, number, number][] = [
      ["W", 1, 5, Number.NaN],
      ["b", 2, 0, Infinity],
      ["z", 0, 17, -Infinity],
      ["a", 1, 3, Number.NaN],
      ["dW", 0, 7, Infinity],
      ["db", 1, 1, Number.NaN],
    ];
    for (const [tensor, layer, index, value] of cases) {
      const { run, ctx } = steppedRun();
      const target =
        tensor === "W" ? run.net.layers[layer]!.W
        : tensor === "b" ? run.net.layers[layer]!.b!
        : tensor === "z" ? ctx.workspace.z[layer]!
        : tensor === "a" ? ctx.workspace.a[layer]!
        : tensor === "dW" ? ctx.grads.layers[layer]!.dW
        : ctx.grads.layers[layer]!.db!;
      target[index] = value;
      const found = findNonFinite({ net: run.net, grads: ctx.grads, workspace: ctx.workspace, n: ctx.batch.n, loss: ctx.report.loss });
      expect(found, tensor).not.toBeNull();
      expect(found!.tensor).toBe(tensor);
      expect(found!.layer).toBe(layer);
      expect(found!.index).toBe(index);
      expect(Object.is(found!.value, value)).toBe(true);
    }
  });

  it("reports the loss with layer −1 when only the loss is non-finite", () => {
    const { run, ctx } = steppedRun();
    expect(findNonFinite({ net: run.net, grads: ctx.grads, workspace: ctx.workspace, loss: Number.NaN })).toEqual({
      tensor: "loss",
      layer: -1,
      index: 0,
      value: Number.NaN,
    });
  });

  it("searches in causal order: a bad weight comes before the gradient it poisons", () => {
    const { run, ctx } = steppedRun();
    ctx.grads.layers[0]!.dW[0] = Number.NaN;
    run.net.layers[2]!.W[1] = Number.NaN;
    expect(findNonFinite({ net: run.net, grads: ctx.grads })!.tensor).toBe("W");
  });

  it("scans only the first n rows of the workspace", () => {
    const { run, ctx } = steppedRun();
    const nOut = run.net.layers[0]!.nOut;
    ctx.workspace.z[0]![3 * nOut] = Number.NaN; // row 3
    expect(findNonFinite({ net: run.net, workspace: ctx.workspace, n: 3 })).toBeNull();
    expect(findNonFinite({ net: run.net, workspace: ctx.workspace, n: 4 })).toMatchObject({ tensor: "z", layer: 0, index: 3 * nOut });
  });

  it("on a real diverging run, points at a value that is really non-finite, after only finite ones", () => {
    const run = createDivergingRun();
    let hit: NonFinite | null = null;
    let paramsFinite = false;
    run.trainer.addHook((ctx) => {
      if (hit === null && !ctx.report.finite) {
        hit = findNonFinite({ net: ctx.net, grads: ctx.grads, workspace: ctx.workspace, n: ctx.batch.n, loss: ctx.report.loss });
        paramsFinite = Array.from(ctx.net.params).every(Number.isFinite);
      }
    });
    for (let steps = 0; hit === null && steps < 50; steps++) run.step();
    expect(hit).not.toBeNull();
    expect(Number.isFinite(hit!.value)).toBe(false);
    // the search starts at the parameters: a hit further down means they were all finite
    if (hit!.tensor !== "W" && hit!.tensor !== "b") expect(paramsFinite).toBe(true);
  });
});
