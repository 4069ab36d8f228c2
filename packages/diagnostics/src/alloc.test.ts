import { getHeapSpaceStatistics } from "node:v8";
import { createTrainingRun, presetDocument, type GradientHook, type TrainingRun } from "@backprop-lab/core";
import { describe, expect, it } from "vitest";
import { attachDiagnostics } from "./attach.js";

const newSpaceUsed = () => getHeapSpaceStatistics().find((s) => s.space_name === "new_space")!.space_used_size;

/** Rounds without a scavenge that stayed under 4 bytes per step (a single boxed double costs 16). */
const QUIET_BYTES = 4096;
const STEPS_PER_ROUND = 1000;

/**
 * Bytes the young generation grew by over rounds of 1,000 steps, until three
 * rounds were quiet or 40 rounds passed. Until V8 has optimized the step,
 * interpreted code boxes every double it touches, and under load that can
 * take many rounds; a round in which a scavenge ran shows a drop and says
 * nothing. A quiet round still holds the ~2 KB that reading the heap
 * statistics costs. A hook that allocates per step never has a quiet round.
 */
function growthPerRound(run: TrainingRun): number[] {
  for (let i = 0; i < 5000; i++) run.step();
  const out: number[] = [];
  while (out.length < 40 && quietRounds(out) < 3) {
    const before = newSpaceUsed();
    for (let i = 0; i < STEPS_PER_ROUND; i++) run.step();
    out.push(newSpaceUsed() - before);
  }
  return out;
}

function quietRounds(growth: number[]): number {
  return growth.filter((g) => g >= 0 && g <= QUIET_BYTES).length;
}

describe("no allocation per step", () => {
  it("the monitor, detectors, guard and clipping allocate nothing on a healthy step", () => {
    for (const id of ["playground-xor", "course-2-3-2"]) {
      // no evaluation at a cadence: an evaluation's results are new objects, and this measures the step
      const run = createTrainingRun({ ...presetDocument(id), evaluation: { every: 1_000_000 } });
      attachDiagnostics(run, { clip: { kind: "norm", maxNorm: 0.05 }, guard: true });
      const growth = growthPerRound(run);
      expect(quietRounds(growth), `${id}: ${growth.join(" ")}`).toBeGreaterThanOrEqual(3);
    }
  });

  it("the measurement does catch a hook that allocates", () => {
    const run = createTrainingRun(presetDocument("playground-xor"));
    const kept: number[][] = [];
    const leaky: GradientHook = (ctx) => {
      kept[ctx.report.step % 4] = [ctx.report.loss, ctx.report.gradNorm];
    };
    run.trainer.addHook(leaky);
    const growth = growthPerRound(run);
    expect(quietRounds(growth), growth.join(" ")).toBe(0);
  });
});
