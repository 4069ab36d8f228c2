import { describe, expect, it } from "vitest";
import { forwardFlops, peakKernel, trainingStepFlops } from "./peak.js";

describe("the SIMD peak kernel", () => {
  it.each([4, 8, 12])("with %i accumulators computes a ← a·m + c per lane, as a plain loop does", async (chains) => {
    const peak = await peakKernel(chains);
    const iterations = 1000;
    // the oracle: the same recurrence in doubles (WebAssembly has no fused multiply-add, so the bits match)
    const m = 0.9999999;
    const c = 1e-7;
    const acc = Array.from({ length: chains }, (_, k) => 1 + k / 64);
    for (let i = 0; i < iterations; i++) for (let k = 0; k < chains; k++) acc[k] = acc[k]! * m + c;
    let sum = acc[0]!;
    for (let k = 1; k < chains; k++) sum += acc[k]!;
    expect(peak(iterations)).toBe(sum + acc[0]!);
    expect(peak(0)).toBe(acc.reduce((s, _, k) => (k === 0 ? s : s + (1 + k / 64)), 1) + 1);
  });
});

describe("flop counts (matrix products only)", () => {
  it("count forward, weight gradients and back-propagated deltas of a training step", () => {
    // 2-3-2 on 400 rows: layer 1 400·2·3 multiply-adds twice (x·W, aᵀ·δ), layer 2 400·3·2 three times
    expect(trainingStepFlops([2, 3, 2], 400)).toBe(2 * 2400 * 2 + 2 * 2400 * 3);
    expect(trainingStepFlops([2, 50, 2], 400)).toBe(2 * 40000 * 2 + 2 * 40000 * 3);
    expect(forwardFlops([2, 50, 2], 40000)).toBe(2 * 40000 * (100 + 100));
  });
});
