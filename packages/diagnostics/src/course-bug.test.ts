import { createTrainingRun, gradientCheck, type Batch } from "@backprop-lab/core";
import { describe, expect, it } from "vitest";
import { attachDiagnostics } from "./attach.js";
import { applyFix } from "./fixes.js";
import { FAILURE_LABS } from "./labs.js";
import { readReference } from "../test/helpers.js";

const ref = readReference("scratch-mlp-xor-run.json");
const recorded = ref.runs.find((r: any) => r.id === "h50_lr0.003_reg1e-4_origbug");
const recordedFixed = ref.runs.find((r: any) => r.id === "h50_lr0.003_reg1e-4_fixed");
const spike = recorded.spike;
const lab = FAILURE_LABS.find((l) => l.id === "course-l2-bug")!;

/** The loss a step reports was measured before its update: step k reports the loss after k − 1 updates. */
const after = (step: number) => step - 1;

describe("the course's L2 bug, as recorded in tooling/reference", () => {
  // two runs of 102,700 updates of a 2-50-2 net on 50 rows: about 40 s of one core, much longer on a busy machine
  it("reproduces the minimum, the 10 % climb and the overflow, flags them before the NaN, and the fix clears them", { timeout: 900_000 }, () => {
    expect(lab.steps).toBeGreaterThan(spike.first_nonfinite_loss_after_updates);
    const run = createTrainingRun(lab.config);
    const diagnostics = attachDiagnostics(run);
    let spikeWeights: Float64Array | null = null;
    let spikeBatch: Batch | null = null;
    run.trainer.addHook((ctx) => {
      if (spikeWeights === null && diagnostics.gradientChecks().length > 0) {
        spikeWeights = ctx.net.params.slice();
        spikeBatch = { x: ctx.batch.x.slice(), y: ctx.batch.y.slice(), n: ctx.batch.n };
      }
    });
    let min = Infinity;
    let minStep = 0;
    let climbStep = -1;
    let firstNonFiniteLoss = -1;
    for (let i = 0; i < lab.steps; i++) {
      const { loss, step } = run.step();
      if (!Number.isFinite(loss)) {
        if (firstNonFiniteLoss < 0) firstNonFiniteLoss = step;
        continue;
      }
      if (loss < min) {
        min = loss;
        minStep = step;
      }
      if (climbStep < 0 && loss > 1.1 * min) climbStep = step;
    }
    expect(after(minStep)).toBe(spike.min_loss_after_updates); // 91,431
    expect(Math.abs(min - spike.min_loss) / spike.min_loss).toBeLessThanOrEqual(ref.tolerance.loss_rel);
    expect(after(climbStep)).toBe(spike.first_loss_10pct_above_running_min_after_updates); // 98,644
    expect(after(firstNonFiniteLoss)).toBe(spike.first_nonfinite_loss_after_updates); // 102,695

    const byCode = new Map(diagnostics.findings().map((f) => [f.code, f]));
    for (const code of lab.expected) expect(byCode.has(code), code).toBe(true);
    const lossSpike = byCode.get("loss-spike")!;
    expect(lossSpike.firstStep).toBe(climbStep);
    expect(lossSpike.numbers.bestStep).toBe(minStep);
    expect(lossSpike.numbers.bestLoss).toBe(min);
    const exploding = byCode.get("exploding-gradients")!;
    const nonFinite = byCode.get("non-finite")!;
    expect(exploding.firstStep).toBeGreaterThan(minStep);
    expect(exploding.firstStep).toBeLessThan(nonFinite.firstStep);
    // the gradient norm overflows one step before the loss does
    expect(nonFinite.firstStep).toBeLessThanOrEqual(firstNonFiniteLoss);

    // the check run at the climb fails on the bogus L2 term and passes with the correct one
    const failed = byCode.get("gradient-check-failed")!;
    expect(failed.firstStep).toBe(climbStep);
    expect(failed.fix!.id).toBe("correct-l2-gradient");
    expect(diagnostics.gradientChecks()[0]).toMatchObject({ step: climbStep, ok: false });
    const atSpike = createTrainingRun(lab.config).net;
    atSpike.params.set(spikeWeights!);
    const correct = gradientCheck(atSpike, spikeBatch!, { regularization: { kind: "l2", lambda: 1e-4 }, tolerance: 1e-4 });
    const buggy = gradientCheck(atSpike, spikeBatch!, { regularization: { kind: "l2", lambda: 1e-4, gradient: "course-bug" }, tolerance: 1e-4 });
    expect(correct.ok).toBe(true);
    expect(buggy.ok).toBe(false);
    expect(buggy.maxRelativeError).toBeGreaterThan(0.1);

    // with the correct gradient the same 102,700 updates raise none of these, and match the reference's fixed run
    const fixedRun = createTrainingRun(applyFix(lab.config, lab.fix));
    const fixedDiagnostics = attachDiagnostics(fixedRun);
    for (let i = 0; i < lab.steps; i++) {
      const report = fixedRun.step();
      if (report.step === 100_001) {
        const expected = recordedFixed.loss_after_updates["100000"];
        expect(Math.abs(report.loss - expected) / expected).toBeLessThanOrEqual(ref.tolerance.loss_rel);
      }
    }
    const fixedCodes = fixedDiagnostics.findings().map((f) => f.code);
    for (const code of lab.expected) expect(fixedCodes).not.toContain(code);
  });
});
