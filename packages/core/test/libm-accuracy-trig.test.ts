import Decimal from "decimal.js";
import { describe, expect, it } from "vitest";
import { cos, sin } from "../src/internal.js";
import { PIO2_FIX, TWO_OVER_PI } from "../src/libm.js";
import { PIO2_BIG, track, ulpError, type Ref, type Worst } from "./exact-reference.js";
import { cosRef, sinRef } from "./libm-reference-refs.js";
import { around, binades, uniform } from "./libm-points.js";

// The bounds stated in libm.ts and the README, proved on more than 10^6 seeded points each against
// exact BigInt references with π from decimal.js (exact-reference.ts).
const SIN_ULP = 0.9;
const COS_ULP = 0.9;

function sweep(f: (x: number) => number, ref: (x: number) => Ref, xs: readonly number[], w: Worst): void {
  for (const x of xs) track(w, ulpError(f(x), ref(x)), x);
}

/** Points for both: the data sets' angles, the features' inputs, every binade up to 2^1024, and the doubles nearest to multiples of π/2. */
function points(seed: number): number[] {
  const xs = [...uniform(seed, 0, 20, 300_000), ...uniform(seed + 1, -1e6, 1e6, 200_000), ...binades(seed + 2, -1075, 1024, 460_000, true)];
  // the doubles nearest to k·π/2 (where sin or cos cancels), from decimal.js's π, and their neighbours
  const D = Decimal.clone({ precision: 60 });
  const pio2 = D.acos(-1).div(2);
  for (let k = 1; k <= 20_000; k += 3) xs.push(...around(pio2.times(k).toNumber(), 3));
  // the double closest to a multiple of π/2 below 2^1024 (Kahan, McDonald): 6381956970095103·2^797
  xs.push(...around(6381956970095103 * 2 ** 797, 100), ...around(1e22, 100), ...around(1647099.3291652855, 100));
  return xs;
}

describe("sin and cos against exact references", () => {
  it("reduce huge arguments with 2/π and π/2 constants that agree with decimal.js to every bit", () => {
    const D = Decimal.clone({ precision: 500, rounding: Decimal.ROUND_DOWN });
    const floorBits = (d: Decimal, bits: number) => BigInt(d.times(new D(2).pow(bits)).floor().toFixed(0));
    expect(TWO_OVER_PI).toBe(floorBits(D.div(2, D.acos(-1)), 1280));
    expect(PIO2_FIX).toBe(floorBits(D.acos(-1).div(2), 128));
    expect(PIO2_BIG).toBe(floorBits(D.acos(-1).div(2), 1500));
  });

  it(`sin is within ${SIN_ULP} ulp on 10^6 points, huge arguments and the hardest reductions included`, () => {
    const w: Worst = { worst: 0, at: NaN, count: 0 };
    sweep(sin, sinRef, points(81).filter(Number.isFinite), w);
    expect(w.count).toBeGreaterThanOrEqual(1_000_000);
    expect(w.worst, `worst ${w.worst} ulp at ${w.at}`).toBeLessThanOrEqual(SIN_ULP);
  });

  it(`cos is within ${COS_ULP} ulp on 10^6 points, huge arguments and the hardest reductions included`, () => {
    const w: Worst = { worst: 0, at: NaN, count: 0 };
    sweep(cos, cosRef, points(91).filter(Number.isFinite), w);
    expect(w.count).toBeGreaterThanOrEqual(1_000_000);
    expect(w.worst, `worst ${w.worst} ulp at ${w.at}`).toBeLessThanOrEqual(COS_ULP);
  });

  it("keep ±0 and subnormals in sin, 1 in cos, and give NaN for ±Infinity and NaN", () => {
    expect(Object.is(sin(0), 0)).toBe(true);
    expect(Object.is(sin(-0), -0)).toBe(true);
    expect(sin(5e-324)).toBe(5e-324);
    expect(sin(-5e-324)).toBe(-5e-324);
    expect(cos(0)).toBe(1);
    expect(cos(-0)).toBe(1);
    expect(cos(5e-324)).toBe(1);
    for (const x of [Infinity, -Infinity, NaN]) {
      expect(sin(x)).toBeNaN();
      expect(cos(x)).toBeNaN();
    }
    expect(ulpError(sin(1.7976931348623157e308), sinRef(1.7976931348623157e308))).toBeLessThanOrEqual(SIN_ULP);
    expect(ulpError(cos(-1.7976931348623157e308), cosRef(-1.7976931348623157e308))).toBeLessThanOrEqual(COS_ULP);
  });
});
