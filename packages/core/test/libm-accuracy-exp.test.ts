import { describe, expect, it } from "vitest";
import { fastExp, fastSigmoid, fastTanh } from "../src/internal.js";
import { track, ulpError, type Worst } from "./exact-reference.js";
import { expRef, sigmoidRef, tanhRef } from "./libm-reference-refs.js";
import { around, binades, uniform } from "./libm-points.js";

// The bounds stated in fast-math.ts and the README, proved here on more than 10^6 seeded points
// each against exact BigInt references (exact-reference.ts).
const EXP_ULP = 1;
const TANH_ULP = 2.6;
const SIGMOID_ULP = 2.3;

function sweep(f: (x: number) => number, ref: (x: number) => ReturnType<typeof expRef>, xs: readonly number[], w: Worst): void {
  for (const x of xs) track(w, ulpError(f(x), ref(x)), x);
}

describe("fastExp against an exact reference", () => {
  it(`is within ${EXP_ULP} ulp on 10^6 points over the whole range, subnormal results included`, () => {
    const w: Worst = { worst: 0, at: NaN, count: 0 };
    sweep(fastExp, expRef, uniform(1, -745.13, 709.78, 500_000), w);
    sweep(fastExp, expRef, uniform(2, -1, 1, 200_000), w);
    sweep(fastExp, expRef, binades(3, -60, 9, 200_000, true), w);
    sweep(fastExp, expRef, uniform(4, -745.13, -708, 100_000), w); // subnormal results and the edge of the fast path
    // the ends of the reduction intervals k·ln2/64 ± ln2/128, and the thresholds
    const ends: number[] = [];
    for (let k = -2000; k <= 2000; k += 7) ends.push(...around((k + 0.5) * (Math.LN2 / 64), 6));
    for (const x of [709.782712893384, -745.1332191019411, 708, -708, 1e-300, -1e-300]) ends.push(...around(x, 1000));
    sweep(fastExp, expRef, ends.filter((x) => x < 709.782712893384 && x > -745.1332191019412), w);
    expect(w.count).toBeGreaterThanOrEqual(1_000_000);
    expect(w.worst, `worst ${w.worst} ulp at ${w.at}`).toBeLessThanOrEqual(EXP_ULP);
  });

  it("overflows, underflows and keeps the special values as IEEE exp", () => {
    expect(fastExp(709.782712893384)).toBe(1.7976931348622732e308);
    expect(fastExp(709.7827128933841)).toBe(Infinity);
    expect(fastExp(1e308)).toBe(Infinity);
    expect(fastExp(Infinity)).toBe(Infinity);
    expect(fastExp(-745.1332191019411)).toBe(5e-324);
    expect(fastExp(-745.1332191019412)).toBe(0);
    expect(fastExp(-1e308)).toBe(0);
    expect(fastExp(-Infinity)).toBe(0);
    expect(fastExp(0)).toBe(1);
    expect(fastExp(-0)).toBe(1);
    expect(fastExp(5e-324)).toBe(1);
    expect(fastExp(-5e-324)).toBe(1);
    expect(fastExp(NaN)).toBeNaN();
  });
});

describe("fastTanh against an exact reference", () => {
  it(`is within ${TANH_ULP} ulp on 10^6 points, both signs, near 0 and near saturation`, () => {
    const w: Worst = { worst: 0, at: NaN, count: 0 };
    const ref = (x: number) => tanhRef(x);
    sweep(fastTanh, ref, uniform(11, -22, 22, 400_000), w);
    sweep(fastTanh, ref, uniform(12, -1, 1, 300_000), w); // where e^(2x) − 1 cancels
    sweep(fastTanh, ref, binades(13, -1075, 5, 300_000, true), w); // subnormals to 32
    const hard: number[] = [];
    for (const x of [22, -22, 19.06, -19.06, 0.34657359027997264, -0.34657359027997264, 2 ** -27, -(2 ** -27)]) hard.push(...around(x, 2000));
    sweep(fastTanh, ref, hard.filter((x) => Math.abs(x) <= 40), w);
    expect(w.count).toBeGreaterThanOrEqual(1_000_000);
    expect(w.worst, `worst ${w.worst} ulp at ${w.at}`).toBeLessThanOrEqual(TANH_ULP);
  });

  it("saturates to exactly ±1, keeps ±0, NaN and ±Infinity", () => {
    for (const x of [22, 40, 1e300, Infinity]) {
      expect(fastTanh(x)).toBe(1);
      expect(fastTanh(-x)).toBe(-1);
    }
    expect(Object.is(fastTanh(0), 0)).toBe(true);
    expect(Object.is(fastTanh(-0), -0)).toBe(true);
    expect(fastTanh(5e-324)).toBe(5e-324);
    expect(fastTanh(-5e-324)).toBe(-5e-324);
    expect(fastTanh(NaN)).toBeNaN();
  });
});

describe("fastSigmoid against an exact reference", () => {
  it(`is within ${SIGMOID_ULP} ulp on 10^6 points, subnormal results included`, () => {
    const w: Worst = { worst: 0, at: NaN, count: 0 };
    sweep(fastSigmoid, sigmoidRef, uniform(21, -745, 40, 300_000), w);
    sweep(fastSigmoid, sigmoidRef, uniform(22, -40, 40, 400_000), w);
    sweep(fastSigmoid, sigmoidRef, binades(23, -1075, 9, 300_000, true), w);
    const hard: number[] = [];
    for (const x of [708, -708, -709.782712893384, -745.1332191019411, 36.7368005696771, 0]) hard.push(...around(x, 2000));
    sweep(fastSigmoid, sigmoidRef, hard, w);
    expect(w.count).toBeGreaterThanOrEqual(1_000_000);
    expect(w.worst, `worst ${w.worst} ulp at ${w.at}`).toBeLessThanOrEqual(SIGMOID_ULP);
  });

  it("gives 1 and 0 at the ends, NaN for NaN", () => {
    expect(fastSigmoid(37)).toBe(1);
    expect(fastSigmoid(Infinity)).toBe(1);
    expect(fastSigmoid(-745.2)).toBe(0);
    expect(fastSigmoid(-Infinity)).toBe(0);
    expect(fastSigmoid(-745.1)).toBe(5e-324);
    expect(fastSigmoid(0)).toBe(0.5);
    expect(fastSigmoid(NaN)).toBeNaN();
  });
});
