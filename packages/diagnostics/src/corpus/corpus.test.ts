import { describe, expect, it } from "vitest";
import { constantLoss } from "../baseline.js";
import { evaluateEntry, summarize } from "./evaluate.js";
import { labelRun, type Trajectory } from "./label.js";
import { generateCorpus } from "./spec.js";

/** A trajectory from checkpoint losses alone (gradients equal across layers, no relu). */
function trajectory(checkpointLoss: number[], extra: Partial<Trajectory> = {}): Trajectory {
  const steps = (checkpointLoss.length - 1) * 10;
  const loss = new Float64Array(steps);
  for (let k = 0; k < steps; k++) loss[k] = checkpointLoss[Math.floor(k / 10)]!;
  return {
    steps,
    loss,
    firstNonFinite: -1,
    gradFirst: new Float64Array(steps).fill(1),
    gradLast: new Float64Array(steps).fill(1),
    checkpointSteps: checkpointLoss.map((_, i) => i * 10),
    checkpointLoss,
    checkpointDead: checkpointLoss.map(() => 0),
    baseline: 0.25,
    ...extra,
  };
}
const plain = { training: { regularization: { kind: "none" as const, lambda: 0 } } };
const bug = { training: { regularization: { kind: "l2" as const, lambda: 0.01, gradient: "course-bug" as const } } };

describe("the corpus labels (rules written in label.ts)", () => {
  it("labels hand-made trajectories by the written rules", () => {
    expect(labelRun(trajectory([0.3, 0.2, 0.1, 0.05, 0.04]), plain).label).toBe("healthy");
    // one bump above the running minimum is not a sustained rise; two in a row are
    expect(labelRun(trajectory([0.3, 0.2, 0.1, 0.15, 0.08, 0.05]), plain).label).toBe("healthy");
    expect(labelRun(trajectory([0.3, 0.2, 0.1, 0.15, 0.15, 0.12]), plain)).toEqual({ label: "unstable", onset: 30 });
    // a converged loss bumping 1e-4 → 1.5e-4 is under the floor (1 % of the start)
    expect(labelRun(trajectory([0.3, 0.1, 1e-4, 1.5e-4, 1.5e-4, 1e-4]), plain).label).toBe("healthy");
    expect(labelRun(trajectory([0.3, 3, 40, 40]), plain)).toEqual({ label: "exploding", onset: 11 });
    expect(labelRun(trajectory([0.3, 0.2, 0.2], { firstNonFinite: 7 }), plain)).toEqual({ label: "exploding", onset: 7 });
    // stuck at the base rates' loss (0.25), or barely below the start
    expect(labelRun(trajectory([0.3, 0.26, 0.25, 0.25]), plain).label).toBe("plateau");
    expect(labelRun(trajectory([0.2, 0.199, 0.195, 0.19]), plain).label).toBe("plateau");
    expect(labelRun(trajectory([0.3, 0.26, 0.25, 0.25], { gradFirst: new Float64Array(30).fill(1e-4) }), plain).label).toBe("vanishing");
    expect(labelRun(trajectory([0.3, 0.2, 0.1, 0.05, 0.04], { checkpointDead: [0, 0.5, 0.5, 0.5, 0.75] }), plain)).toEqual({ label: "dead-units", onset: 10 });
    // the course's L2 gradient: the loss turns back up; without that the bug has not shown in the loss yet, and the run is still not healthy
    expect(labelRun(trajectory([0.3, 0.2, 0.1, 0.15, 0.15, 0.2]), bug)).toEqual({ label: "l2-bug", onset: 30 });
    expect(labelRun(trajectory([0.3, 0.2, 0.1, 0.05, 0.04]), bug)).toEqual({ label: "l2-bug-latent", onset: 1 });
    expect(labelRun(trajectory([0.3, 0.26, 0.25, 0.25]), bug).label).toBe("l2-bug-latent");
    // resumed mid-run (after a fix), ending lower than where it resumed is enough
    expect(labelRun(trajectory([0.1, 0.097, 0.095]), plain, { resumed: true }).label).toBe("healthy");
    expect(labelRun(trajectory([0.1, 0.097, 0.095]), plain).label).toBe("plateau");
  });

  it("the loss of the best constant prediction matches the formulas", () => {
    // balanced one-hot XOR: mse Σ(y − ½)²/2n over 2 outputs = 0.25; cross-entropy ln 2; BCE per output ln 2
    const sumY = new Float64Array([50, 50]);
    const sumY2 = new Float64Array([50, 50]);
    expect(constantLoss("mse", sumY, sumY2, 100)).toBeCloseTo(0.25, 15);
    expect(constantLoss("cross-entropy", sumY, sumY2, 100)).toBeCloseTo(Math.LN2, 15);
    expect(constantLoss("binary-cross-entropy", new Float64Array([25]), new Float64Array([25]), 100)).toBeCloseTo(-(0.25 * Math.log(0.25) + 0.75 * Math.log(0.75)), 15);
    // ±1 targets, mean 0: variance 1 per output, halved
    expect(constantLoss("mse", new Float64Array([0]), new Float64Array([100]), 100)).toBeCloseTo(0.5, 15);
  });
});

describe("the detectors on a corpus subset (pnpm evaluate runs all 240 runs and the fixes)", () => {
  // 3 runs of each of the 8 families; the counts are facts of this code and this seed
  const results = generateCorpus(undefined, 3).map((entry) => evaluateEntry(entry));
  const summary = summarize(results);

  it("labels the subset's runs, HEALTHY_IN_SUBSET of them healthy", () => {
    expect(summary.runs).toBe(24);
    expect(summary.healthy.runs).toBe(HEALTHY_IN_SUBSET);
  });

  it("raises no error-level finding on a healthy run, and catches every non-finite run at its step", () => {
    expect(summary.healthy.withError).toBe(0);
    expect(summary.nonFinite.runs).toBeGreaterThan(0);
    expect(summary.nonFinite.caughtAtStep).toBe(summary.nonFinite.runs);
  });
});

// labelled by the rules above from the runs' own trajectories (it moves only when core's arithmetic or seeding does:
// 7 under the older createRun's seeds and batch order, 8 under the run document's)
const HEALTHY_IN_SUBSET = 8;
