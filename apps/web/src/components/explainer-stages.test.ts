import { describe, expect, it } from "vitest";
import { explainerStages, stageHighlight } from "./explainer.js";

describe("the stepped explainer's stops", () => {
  it("walks a 2-4-2-1 network (3 weight layers) forward layer by layer, the loss, backward, the update", () => {
    const stops = explainerStages(3).map((s) => ("layer" in s ? `${s.kind}${s.layer}` : s.kind));
    expect(stops).toEqual(["inputs", "forward1", "forward2", "forward3", "loss", "backward3", "backward2", "backward1", "update"]);
  });
  it("lights up the units and links each stop is about", () => {
    expect(stageHighlight({ kind: "forward", layer: 2 }, 3)).toEqual({ columns: [1, 2], linkLayers: [1], kind: "forward" });
    expect(stageHighlight({ kind: "loss" }, 3)).toEqual({ columns: [3], linkLayers: [], kind: "loss" });
    expect(stageHighlight({ kind: "backward", layer: 1 }, 3)).toEqual({ columns: [1, 0], linkLayers: [0], kind: "backward" });
    expect(stageHighlight({ kind: "update" }, 3)).toEqual({ columns: [], linkLayers: [0, 1, 2], kind: "update" });
  });
});
