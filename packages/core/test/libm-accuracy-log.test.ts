import { describe, expect, it } from "vitest";
import { log, log1p, powInt, powPositive, softplus } from "../src/internal.js";
import { track, ulpError, type Ref, type Worst } from "./exact-reference.js";
import { log1pRef, logRef, powIntRef, powRef, softplusRef } from "./libm-reference-refs.js";
import { around, binades, uniform } from "./libm-points.js";
import { seeded } from "./exact-reference.js";

// The bounds stated in libm.ts and the README, proved on more than 10^6 seeded points each
// against exact BigInt references (exact-reference.ts).
const LOG_ULP = 0.81;
const LOG1P_ULP = 2.2;
const SOFTPLUS_ULP = 2.7;
const POWINT_ULP = 0.5001;
const POWINT_SUBNORMAL_ULP = 1;
const POW_ULP = 2.5;

function sweep(f: (x: number) => number, ref: (x: number) => Ref, xs: readonly number[], w: Worst): void {
  for (const x of xs) track(w, ulpError(f(x), ref(x)), x);
}

const fresh = (): Worst => ({ worst: 0, at: NaN, count: 0 });

describe("log against an exact reference", () => {
  it(`is within ${LOG_ULP} ulp on 10^6 points: every binade, subnormals, and next to 1`, () => {
    const w = fresh();
    sweep(log, logRef, binades(31, -1075, 1024, 500_000, false), w);
    sweep(log, logRef, uniform(32, 0.5, 2, 300_000), w);
    sweep(log, logRef, uniform(33, 0.999, 1.001, 150_000), w);
    const hard: number[] = [];
    for (const x of [1, Math.SQRT2, Math.SQRT1_2, 2, 0.5, 2.2250738585072014e-308, 1.7976931348623157e308]) hard.push(...around(x, 5000));
    sweep(log, logRef, hard.filter((x) => x > 0 && x !== 1 && Number.isFinite(x)), w);
    expect(w.count).toBeGreaterThanOrEqual(1_000_000);
    expect(w.worst, `worst ${w.worst} ulp at ${w.at}`).toBeLessThanOrEqual(LOG_ULP);
  });

  it("gives −∞ at ±0, NaN below 0, +∞ at +∞, exactly 0 at 1, and finite values at the subnormals", () => {
    expect(log(0)).toBe(-Infinity);
    expect(log(-0)).toBe(-Infinity);
    expect(log(-1)).toBeNaN();
    expect(log(-Infinity)).toBeNaN();
    expect(log(NaN)).toBeNaN();
    expect(log(Infinity)).toBe(Infinity);
    expect(Object.is(log(1), 0)).toBe(true);
    expect(ulpError(log(5e-324), logRef(5e-324))).toBeLessThanOrEqual(LOG_ULP);
  });
});

describe("log1p and softplus against exact references", () => {
  it(`log1p is within ${LOG1P_ULP} ulp on 10^6 points from −1 to the largest double`, () => {
    const w = fresh();
    sweep(log1p, log1pRef, uniform(41, -1, 1, 300_000).filter((x) => x > -1), w);
    sweep(log1p, log1pRef, binades(42, -1075, 1024, 400_000, false), w);
    sweep(log1p, log1pRef, binades(43, -1075, 0, 300_000, true), w);
    sweep(log1p, log1pRef, [...around(-0.5, 2000), ...around(2 ** -53, 2000), ...around(-(2 ** -54), 2000), ...around(1, 2000)], w);
    expect(w.count).toBeGreaterThanOrEqual(1_000_000);
    expect(w.worst, `worst ${w.worst} ulp at ${w.at}`).toBeLessThanOrEqual(LOG1P_ULP);
    expect(log1p(-1)).toBe(-Infinity);
    expect(log1p(-1.5)).toBeNaN();
    expect(log1p(Infinity)).toBe(Infinity);
    expect(Object.is(log1p(-0), -0)).toBe(true);
    expect(log1p(5e-324)).toBe(5e-324);
    expect(log1p(NaN)).toBeNaN();
  });

  it(`softplus is within ${SOFTPLUS_ULP} ulp on 10^6 points, subnormal results included`, () => {
    const w = fresh();
    sweep(softplus, softplusRef, uniform(51, -40, 40, 400_000), w);
    sweep(softplus, softplusRef, uniform(52, -745, 745, 300_000), w);
    sweep(softplus, softplusRef, binades(53, -1075, 9, 300_000, true), w);
    sweep(softplus, softplusRef, [...around(0, 2000), ...around(36.7, 2000), ...around(-36.7, 2000)], w);
    expect(w.count).toBeGreaterThanOrEqual(1_000_000);
    expect(w.worst, `worst ${w.worst} ulp at ${w.at}`).toBeLessThanOrEqual(SOFTPLUS_ULP);
    expect(softplus(1e300)).toBe(1e300);
    expect(softplus(Infinity)).toBe(Infinity);
    expect(softplus(-1e300)).toBe(0);
    expect(softplus(-Infinity)).toBe(0);
    expect(softplus(NaN)).toBeNaN();
  });
});

describe("powers against exact references", () => {
  it(`powInt is within ${POWINT_ULP} ulp for normal results (${POWINT_SUBNORMAL_ULP} subnormal) on 10^6 (x, n) pairs`, () => {
    const w = fresh();
    const ws = fresh();
    const r = seeded(61);
    const xs = binades(62, -1075, 1024, 1_000_000, true);
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i]!;
      // Adam's β^t (t up to 10^6), small powers, and large powers of numbers near 1
      const pick = r();
      const n = pick < 0.3 ? Math.floor(r() * 64) - 32 : pick < 0.6 ? Math.floor(r() * 2_000_000) - 1_000_000 : Math.floor(r() * 4000) - 2000;
      const base = pick < 0.6 && pick >= 0.3 ? 1 + (xs[i]! % 1) * 1e-5 : x;
      if (n === 0 || base === 0) continue;
      const got = powInt(base, n);
      const ref = powIntRef(base, n);
      const err = ulpError(got, ref);
      const subnormal = Math.abs(got) < 2.2250738585072014e-308;
      track(subnormal ? ws : w, err, base);
    }
    for (const beta of [0.9, 0.99, 0.999, 0.9999]) {
      for (let t = 1; t <= 20_000; t += 1) {
        const got = powInt(beta, t);
        track(got < 2.2250738585072014e-308 ? ws : w, ulpError(got, powIntRef(beta, t)), beta);
      }
    }
    expect(w.count + ws.count).toBeGreaterThanOrEqual(1_000_000);
    expect(w.worst, `worst ${w.worst} ulp at ${w.at}`).toBeLessThanOrEqual(POWINT_ULP);
    expect(ws.worst, `worst subnormal ${ws.worst} ulp at ${ws.at}`).toBeLessThanOrEqual(POWINT_SUBNORMAL_ULP);
  });

  it("powInt's special values follow IEEE pow", () => {
    expect(powInt(NaN, 0)).toBe(1);
    expect(powInt(NaN, 3)).toBeNaN();
    expect(powInt(0, 3)).toBe(0);
    expect(Object.is(powInt(-0, 3), -0)).toBe(true);
    expect(powInt(0, -2)).toBe(Infinity);
    expect(powInt(-0, -3)).toBe(-Infinity);
    expect(powInt(Infinity, 2)).toBe(Infinity);
    expect(powInt(-Infinity, 3)).toBe(-Infinity);
    expect(powInt(Infinity, -1)).toBe(0);
    expect(powInt(2, 1024)).toBe(Infinity);
    expect(powInt(-2, 1025)).toBe(-Infinity);
    expect(powInt(2, -1074)).toBe(5e-324);
    expect(powInt(2, -1076)).toBe(0);
    expect(powInt(0.5, 1074)).toBe(5e-324);
    expect(powInt(-3, 3)).toBe(-27);
  });

  it(`powPositive (the exponential schedule's decay) is within ${POW_ULP} ulp on 10^6 points with x in [1/e, e]`, () => {
    const w = fresh();
    const r = seeded(71);
    for (let i = 0; i < 1_000_000; i++) {
      const x = 0.36787944117144233 + r() * (2.718281828459045 - 0.36787944117144233);
      const y = i % 2 === 0 ? r() * 200 - 100 : Math.floor(r() * 1e5) / 1000; // t / decaySteps
      track(w, ulpError(powPositive(x, y), powRef(x, y)), x);
    }
    expect(w.worst, `worst ${w.worst} ulp at ${w.at}`).toBeLessThanOrEqual(POW_ULP);
    expect(powPositive(0.96, 0)).toBe(1);
    expect(powPositive(-1, 0.5)).toBeNaN();
    expect(powPositive(0, 0.5)).toBeNaN();
    expect(powPositive(2, Infinity)).toBeNaN();
    expect(powPositive(2, 1e300)).toBe(Infinity);
    expect(powPositive(0.5, 2000.5)).toBe(0);
  });
});
