import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { activate, createTrainingRun, learningRateAt, normalizeSchedule, type Schedule } from "../src/index.js";

describe("softmax", () => {
  it("rows are probabilities, shift-invariant, and finite for huge logits", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -800, max: 800, noNaN: true }), { minLength: 2, maxLength: 8 }),
        fc.double({ min: -500, max: 500, noNaN: true }),
        (z, shift) => {
          const n = z.length;
          const a = activate(new Float64Array(n), Float64Array.from(z), n, n, "softmax");
          const b = activate(new Float64Array(n), Float64Array.from(z, (v) => v + shift), n, n, "softmax");
          let sum = 0;
          for (let j = 0; j < n; j++) {
            expect(Number.isFinite(a[j]!)).toBe(true);
            expect(a[j]!).toBeGreaterThanOrEqual(0);
            sum += a[j]!;
            expect(Math.abs(a[j]! - b[j]!)).toBeLessThanOrEqual(1e-9);
          }
          expect(Math.abs(sum - 1)).toBeLessThanOrEqual(1e-12);
          // the largest logit gets the largest probability
          const iz = z.indexOf(Math.max(...z));
          expect(a[iz]).toBe(Math.max(...a));
        },
      ),
    );
  });
});

describe("determinism", () => {
  const configArb = fc.record({
    seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
    data: fc.record({
      source: fc.constant("generated" as const),
      name: fc.constantFrom("xor" as const, "circle" as const, "gauss" as const, "spiral" as const, "moons" as const),
      n: fc.integer({ min: 20, max: 80 }),
      noise: fc.constantFrom(0, 0.1, 0.3),
      testRatio: fc.constantFrom(0, 0.3, 0.5),
    }),
    network: fc.record({
      hidden: fc.array(fc.integer({ min: 1, max: 5 }), { maxLength: 2 }),
      activation: fc.constantFrom("tanh" as const, "relu" as const, "sigmoid" as const),
      output: fc.constantFrom("sigmoid" as const, "softmax" as const),
      bias: fc.boolean(),
    }),
    training: fc.record({
      learningRate: fc.constantFrom(0.01, 0.1, 1),
      batchSize: fc.constantFrom(1, 7, "full" as const),
      optimizer: fc.constantFrom({ kind: "sgd" as const }, { kind: "adam" as const }, { kind: "momentum" as const, nesterov: true }),
    }),
  });

  it("the same config gives bit-identical runs; the JSON of the config gives the same run", () => {
    fc.assert(
      fc.property(configArb, (config) => {
        const a = createTrainingRun(config);
        const b = createTrainingRun(JSON.parse(JSON.stringify(a.document)));
        expect(Array.from(b.net.params)).toEqual(Array.from(a.net.params));
        expect(Array.from(b.train.x)).toEqual(Array.from(a.train.x));
        for (let s = 0; s < 25; s++) {
          const ra = { ...a.step() };
          const rb = { ...b.step() };
          expect(rb).toEqual(ra);
        }
        expect(Array.from(b.net.params)).toEqual(Array.from(a.net.params));
      }),
      { numRuns: 40 },
    );
  });

  it("different seeds give different data and weights", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), (seed) => {
        const a = createTrainingRun({ seed, data: { name: "circle", n: 50 } });
        const b = createTrainingRun({ seed: seed + 1, data: { name: "circle", n: 50 } });
        expect(Array.from(a.net.params)).not.toEqual(Array.from(b.net.params));
        expect(Array.from(a.points.train.x)).not.toEqual(Array.from(b.points.train.x));
      }),
      { numRuns: 30 },
    );
  });
});

describe("learning-rate schedules", () => {
  const scheduleArb: fc.Arbitrary<Schedule> = fc.oneof(
    fc.record({ kind: fc.constant("step" as const), every: fc.integer({ min: 1, max: 500 }), factor: fc.double({ min: 0.01, max: 0.99, noNaN: true }) }),
    fc.record({ kind: fc.constant("exponential" as const), decayRate: fc.double({ min: 0.01, max: 0.99, noNaN: true }), decaySteps: fc.integer({ min: 1, max: 500 }) }),
    fc.record({ kind: fc.constant("inverse-time" as const), decayRate: fc.double({ min: 0.01, max: 1, noNaN: true }), decaySteps: fc.integer({ min: 1, max: 500 }) }),
    fc.record({ kind: fc.constant("cosine" as const), totalSteps: fc.integer({ min: 1, max: 2000 }), minLearningRate: fc.double({ min: 0, max: 1e-3, noNaN: true }) }),
    fc.record({ kind: fc.constant("linear" as const), totalSteps: fc.integer({ min: 1, max: 2000 }), endLearningRate: fc.double({ min: 1e-5, max: 1e-2, noNaN: true }) }),
  );

  it("start at the base rate, never increase, never go negative, and settle where they say", () => {
    fc.assert(
      fc.property(scheduleArb, fc.double({ min: 0.02, max: 10, noNaN: true }), (s, base) => {
        const schedule = normalizeSchedule(s);
        expect(learningRateAt(schedule, base, 0)).toBeCloseTo(base, 12);
        let prev = Infinity;
        for (let t = 0; t <= 3000; t += 37) {
          const lr = learningRateAt(schedule, base, t);
          expect(lr).toBeLessThanOrEqual(prev * (1 + 1e-12));
          expect(lr).toBeGreaterThanOrEqual(0);
          prev = lr;
        }
        if (schedule.kind === "cosine") expect(learningRateAt(schedule, base, schedule.totalSteps + 5)).toBeCloseTo(schedule.minLearningRate ?? 0, 12);
        if (schedule.kind === "linear") expect(learningRateAt(schedule, base, schedule.totalSteps)).toBeCloseTo(schedule.endLearningRate, 12);
      }),
    );
  });

  it("constant is constant; step halves exactly at its boundary", () => {
    expect(learningRateAt({ kind: "constant" }, 0.3, 12345)).toBe(0.3);
    const s: Schedule = { kind: "step", every: 100, factor: 0.5 };
    expect(learningRateAt(s, 1, 99)).toBe(1);
    expect(learningRateAt(s, 1, 100)).toBe(0.5);
    expect(learningRateAt(s, 1, 250)).toBe(0.25);
  });
});
