import { describe, expect, it } from "vitest";
import { translator } from "../i18n.js";
import { HEATMAP_SIZE, type Frame, type RunInfo } from "../worker/protocol.js";
import { heatmapSummary } from "./heatmap.js";

describe("the heatmap's text alternative", () => {
  it("names the dominant class of each region and the accuracy", () => {
    const n = HEATMAP_SIZE;
    // class 1 (blue) in the top third, class 0 (orange) elsewhere, written cell by cell
    const classIndex = new Uint8Array(n * n);
    for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) classIndex[y * n + x] = y < n / 3 ? 1 : 0;
    const frame = { classIndex, value: new Float64Array(n * n), metrics: { trainAccuracy: 0.875, testAccuracy: 0.5 } } as unknown as Frame;
    const run = { classes: 2, regression: false, test: { n: 10 } } as unknown as RunInfo;
    expect(heatmapSummary(run, frame, translator("en"), "en")).toBe(
      "Decision map: Training accuracy 87.5%, Test accuracy 50%; class by region: top left blue, top blue, top right blue, left orange, centre orange, right orange, bottom left orange, bottom orange, bottom right orange.",
    );
    const es = heatmapSummary(run, frame, translator("es"), "es");
    expect(es).toContain("87,5\u00a0%");
    expect(es).toContain("arriba a la izquierda azul");
    // no test set: no test accuracy
    expect(heatmapSummary({ ...run, test: { n: 0 } } as RunInfo, frame, translator("en"), "en")).not.toContain("Test accuracy");
  });
});
