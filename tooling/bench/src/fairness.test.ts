import { beforeAll, describe, expect, it } from "vitest";
import { maxRelativeError, normwiseRelativeError } from "./agreement.js";
import { brainOnlineEpoch } from "./peers/brain.js";
import { oursFullBatchTrace, oursOnlineEpoch } from "./peers/ours.js";
import { setPython } from "./peers/numpy.js";
import { tfjsFullBatchTrace, tfjsTensorCount } from "./peers/tfjs.js";
import { checkWorkload } from "./runner.js";
import { CHECK_STEPS, FLOAT32_LOSS_TOLERANCE, FLOAT32_WEIGHT_TOLERANCE, float32SummedLossTolerance, trainingProblem, trainingWorkload } from "./training.js";
import { configA } from "./workloads/a-xor-2-3-2.js";
import { WORKLOADS } from "./workloads/index.js";

// Tests never depend on Python: the numpy peer is off here (numpy.test.ts covers it, and runs it where numpy is installed).
beforeAll(() => setPython("none"));

// The contract that makes the timings comparable: from the same float32 start,
// every peer computes what ours computes, up to float32 rounding.
describe.each(WORKLOADS.map((w) => [w.id, w] as const))("workload %s: the peers compute what ours computes", (_id, workload) => {
  it("agrees within float32 rounding on every compared quantity", async () => {
    const agreements = await checkWorkload(workload);
    expect(agreements.length).toBeGreaterThanOrEqual(2);
    // A-D (the workloads) have the tfjs-wasm and numpy peers too; G and H the two they always had
    if (["A", "B", "C", "D"].includes(workload.id)) {
      expect(new Set(agreements.map((a) => a.subject))).toEqual(new Set(["tfjs-wasm", "tfjs-cpu", "brain.js"]));
      expect(agreements.skipped).toEqual(["numpy peer skipped: turned off (--python none)"]);
    } else {
      expect(new Set(agreements.map((a) => a.subject))).toEqual(new Set(["tfjs-cpu", "brain.js"]));
    }
    for (const a of agreements) {
      expect(Number.isFinite(a.relativeError), `${a.subject}: ${a.quantity}`).toBe(true);
      expect(a.relativeError, `${a.subject}: ${a.quantity}`).toBeLessThanOrEqual(a.tolerance);
    }
  });
});

describe("the fairness check can fail", () => {
  const problem = trainingProblem(configA);

  it("tells a tfjs-cpu run with a 1 % different learning rate from ours", async () => {
    const ours = oursFullBatchTrace(problem, configA.learningRate, CHECK_STEPS);
    const same = await tfjsFullBatchTrace(problem, configA.learningRate, CHECK_STEPS, "cpu");
    const off = await tfjsFullBatchTrace(problem, configA.learningRate * 1.01, CHECK_STEPS, "cpu");
    expect(maxRelativeError(ours.losses, same.losses)).toBeLessThanOrEqual(FLOAT32_LOSS_TOLERANCE);
    expect(maxRelativeError(ours.losses, off.losses)).toBeGreaterThan(10 * FLOAT32_LOSS_TOLERANCE);
    expect(normwiseRelativeError(ours.params, off.params)).toBeGreaterThan(10 * FLOAT32_WEIGHT_TOLERANCE);
  });

  it("tells a tfjs-wasm run with a 1 % different learning rate from ours, under its wider loss bound", async () => {
    const bound = float32SummedLossTolerance(problem.data.n * problem.data.nOut);
    // 2·√800·2^-24 for A's 400 rows and 2 outputs
    expect(bound).toBeCloseTo(3.37e-6, 8);
    const ours = oursFullBatchTrace(problem, configA.learningRate, CHECK_STEPS);
    const same = await tfjsFullBatchTrace(problem, configA.learningRate, CHECK_STEPS, "wasm");
    const off = await tfjsFullBatchTrace(problem, configA.learningRate * 1.01, CHECK_STEPS, "wasm");
    expect(maxRelativeError(ours.losses, same.losses)).toBeLessThanOrEqual(bound);
    expect(normwiseRelativeError(ours.params, same.params)).toBeLessThanOrEqual(FLOAT32_WEIGHT_TOLERANCE);
    expect(maxRelativeError(ours.losses, off.losses)).toBeGreaterThan(10 * bound);
    expect(normwiseRelativeError(ours.params, off.params)).toBeGreaterThan(10 * FLOAT32_WEIGHT_TOLERANCE);
  });

  it("never lets the tfjs-wasm loss bound fall below the float32 one", () => {
    expect(float32SummedLossTolerance(1)).toBe(FLOAT32_LOSS_TOLERANCE);
    expect(float32SummedLossTolerance(2000)).toBeCloseTo(2 * Math.sqrt(2000) * 2 ** -24, 15);
  });

  it("tells a brain.js epoch at another learning rate from ours", () => {
    const ours = oursOnlineEpoch(problem, configA.onlineLearningRate);
    const same = brainOnlineEpoch(problem, configA.onlineLearningRate);
    const off = brainOnlineEpoch(problem, configA.onlineLearningRate * 1.01);
    expect(normwiseRelativeError(ours.params, same.params)).toBeLessThanOrEqual(FLOAT32_WEIGHT_TOLERANCE);
    expect(normwiseRelativeError(ours.params, off.params)).toBeGreaterThan(10 * FLOAT32_WEIGHT_TOLERANCE);
  });
});

describe("the timed runs", () => {
  it("run every subject in full, and tfjs leaks no tensor from one run to the next", async () => {
    const workload = trainingWorkload({ ...configA, id: "tiny", steps: 3 });
    const prepared = await workload.setup();
    try {
      expect(prepared.subjects.map((s) => s.name)).toEqual(["backprop-lab", "tfjs-wasm", "tfjs-cpu", "brain.js"]);
      for (const s of prepared.subjects) {
        await s.reset();
        await s.run();
        const tensors = tfjsTensorCount();
        await s.reset();
        await s.run();
        expect(tfjsTensorCount(), s.name).toBe(tensors);
      }
    } finally {
      prepared.dispose?.();
    }
  });
});
