import { createTrainingRun, presetDocument } from "@backprop-lab/core";
import { l2Norm } from "@backprop-lab/core/internal";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CLIP_NORM_EPSILON, clipByNorm, clipByNormHook, clipByValue, clipByValueHook } from "./clip.js";
import { expectClose } from "../test/helpers.js";

const gradient = fc.float64Array({ minLength: 1, maxLength: 40, min: -1e6, max: 1e6, noDefaultInfinity: true, noNaN: true });
const positive = fc.double({ min: 1e-6, max: 1e6, noNaN: true });

describe("clipByNorm (PyTorch clip_grad_norm_)", () => {
  it("scales by maxNorm / (‖g‖ + 1e-6) and returns the norm before", () => {
    const g = new Float64Array([3, 4]);
    expect(clipByNorm(g, 1)).toBe(5);
    const coef = 1 / (5 + CLIP_NORM_EPSILON);
    expect(Array.from(g)).toEqual([3 * coef, 4 * coef]);
    const small = new Float64Array([0.3, 0.4]);
    expect(clipByNorm(small, 1)).toBeCloseTo(0.5, 15);
    expect(Array.from(small)).toEqual([0.3, 0.4]);
  });

  it("never raises the norm, keeps the direction, and ends at or below maxNorm", () => {
    fc.assert(
      fc.property(gradient, positive, (values, maxNorm) => {
        const g = Float64Array.from(values);
        const before = clipByNorm(g, maxNorm);
        expectClose(before, l2Norm(Float64Array.from(values)), 1e-9 * before);
        const after = l2Norm(g);
        expect(after).toBeLessThanOrEqual(before);
        expect(after).toBeLessThanOrEqual(maxNorm * (1 + 1e-12));
        // one common factor c ∈ [0, 1] maps the old gradient onto the new one
        const c = before === 0 ? 1 : after / before;
        values.forEach((v, i) => {
          expect(Math.sign(g[i]!) === Math.sign(v) || g[i] === 0).toBe(true);
          expectClose(g[i]!, v * c, 1e-12 * Math.abs(v) + 1e-300);
        });
        if (before + CLIP_NORM_EPSILON <= maxNorm) expect(Array.from(g)).toEqual(Array.from(values));
      }),
      { seed: 20260401, numRuns: 300 },
    );
  });

  it("leaves a non-finite gradient untouched", () => {
    const g = new Float64Array([1, Number.NaN, 2]);
    expect(clipByNorm(g, 1)).toBeNaN();
    expect(Array.from(g)).toEqual([1, Number.NaN, 2]);
  });
});

describe("clipByValue", () => {
  it("clamps each entry to [−limit, limit], keeps signs and never raises the norm", () => {
    fc.assert(
      fc.property(gradient, positive, (values, limit) => {
        const g = Float64Array.from(values);
        const changed = clipByValue(g, limit);
        expect(changed).toBe(values.filter((v) => Math.abs(v) > limit).length);
        values.forEach((v, i) => {
          expect(Math.abs(g[i]!)).toBeLessThanOrEqual(Math.min(limit, Math.abs(v)));
          expect(g[i]).toBe(Math.abs(v) > limit ? Math.sign(v) * limit : v);
        });
        expect(l2Norm(g)).toBeLessThanOrEqual(l2Norm(Float64Array.from(values)));
      }),
      { seed: 20260402, numRuns: 300 },
    );
  });
});

describe("clipping hooks on a real run", () => {
  it("clip by norm: the update uses the clipped gradient, the report keeps both norms, the counters count", () => {
    const run = createTrainingRun(presetDocument("course-2-50-2"));
    const hook = clipByNormHook(0.05);
    run.trainer.addHook(hook);
    let applied = new Float64Array(0);
    run.trainer.addHook((ctx) => {
      applied = ctx.grads.data.slice();
    });
    const lr = run.trainer.settings().learningRate;
    for (let i = 0; i < 20; i++) {
      const before = run.net.params.slice();
      const report = run.step();
      const raw = report.gradNorm;
      expect(report.clipped).toBe(raw > 0.05);
      expectClose(report.clippedNorm, raw > 0.05 ? (raw * 0.05) / (raw + CLIP_NORM_EPSILON) : raw, 1e-15);
      expectClose(l2Norm(applied), report.clippedNorm, 1e-15);
      // plain SGD: θ ← θ − η·g with the clipped g
      expectClose(Array.from(run.net.params), Array.from(before, (p, k) => p - lr * applied[k]!), 1e-15);
    }
    // the course network's first gradients are 0.097 and then fall below 0.05 (its preset rate is gentle)
    expect(hook.stats.steps).toBe(20);
    expect(hook.stats.clipped).toBeGreaterThan(0);
    expect(hook.stats.clipped).toBeLessThan(20);
  });

  it("clip by value: no applied entry exceeds the limit", () => {
    const run = createTrainingRun(presetDocument("playground-spiral"));
    const hook = clipByValueHook(0.01);
    run.trainer.addHook(hook);
    let worst = 0;
    run.trainer.addHook((ctx) => {
      for (const v of ctx.grads.data) worst = Math.max(worst, Math.abs(v));
    });
    let clipped = 0;
    for (let i = 0; i < 50; i++) if (run.step().clipped) clipped++;
    expect(worst).toBeLessThanOrEqual(0.01);
    expect(hook.stats).toEqual({ steps: 50, clipped });
    expect(clipped).toBeGreaterThan(0);
  });

  it("rejects a limit that is not a positive finite number", () => {
    expect(() => clipByNormHook(0)).toThrow(/maxNorm/);
    expect(() => clipByValueHook(Number.NaN)).toThrow(/limit/);
  });
});
