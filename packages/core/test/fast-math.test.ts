import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EXPM1_TABLE } from "../src/fast-math.js";
import { activate, createMlp, type Activation } from "../src/index.js";
import { activateFast, createWorkspace, fastExp, fastSigmoid, fastSigmoidInto, fastTanh, fastTanhInto, forward, forwardFast } from "../src/internal.js";

// The bounds the README states, in ulp against Math.exp, Math.tanh and 1 / (1 + Math.exp(−z)).
const EXP_ULP = 1;
const TANH_ULP = 4;
const SIGMOID_ULP = 4;

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** Integer distance between two doubles of the same sign along the double line (exact up to 2^53). */
function ulpDistance(a: number, b: number): number {
  if (Object.is(a, b)) return 0;
  if (Number.isNaN(a) || Number.isNaN(b)) return Infinity;
  if (a === b) return 0; // +0 and −0
  if (a < 0 !== b < 0 && a !== 0 && b !== 0) return ulpDistance(Math.abs(a), 0) + ulpDistance(Math.abs(b), 0);
  f64[0] = Math.abs(a);
  const ah = u32[1]!;
  const al = u32[0]!;
  f64[0] = Math.abs(b);
  return Math.abs((ah - u32[1]!) * 4294967296 + (al - u32[0]!));
}

interface Sweep {
  worst: number;
  at: number;
  count: number;
}

function sweep(f: (x: number) => number, g: (x: number) => number, xs: Iterable<number>, into: Sweep = { worst: 0, at: NaN, count: 0 }): Sweep {
  for (const x of xs) {
    const d = ulpDistance(f(x), g(x));
    into.count++;
    if (d > into.worst) {
      into.worst = d;
      into.at = x;
    }
  }
  return into;
}

function* grid(from: number, to: number, n: number): Generator<number> {
  for (let i = 0; i <= n; i++) yield from + ((to - from) * i) / n;
}

/** Doubles spread over every binade between 2^lo and 2^hi, both signs. */
function* binades(lo: number, hi: number, perBinade: number): Generator<number> {
  for (let e = lo; e < hi; e++) {
    const base = 2 ** e;
    for (let i = 0; i < perBinade; i++) {
      const x = base * (1 + (i + 0.5) / perBinade);
      yield x;
      yield -x;
    }
  }
}

/** The doubles next to x, k steps either way. */
function* around(x: number, k: number): Generator<number> {
  f64[0] = x;
  const h = u32[1]!;
  const l = u32[0]!;
  for (let d = -k; d <= k; d++) {
    const lo = l + d;
    u32[1] = h + Math.floor(lo / 4294967296);
    u32[0] = lo >>> 0;
    yield f64[0];
  }
}

// below −708, σ(z) = e^z to the last bit; 1 / (1 + Math.exp(−z)) would give 0 once e^(−z) overflows (z < −709.78)
const mathSigmoid = (z: number) => (z < -708 ? Math.exp(z) : 1 / (1 + Math.exp(-z)));

/** x as an exact fraction num / 2^shift. */
function exactFraction(x: number): { num: bigint; shift: bigint } {
  f64[0] = x;
  const hi = u32[1]!;
  const biased = (hi >>> 20) & 0x7ff;
  const mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(u32[0]!);
  const sign = hi >>> 31 ? -1n : 1n;
  return { num: sign * (mant | (1n << 52n)), shift: BigInt(1075 - biased) };
}

describe("the table of 2^(j/64) − 1", () => {
  it("holds every entry correctly rounded (proved with exact integer arithmetic)", () => {
    expect(EXPM1_TABLE.length).toBe(64);
    expect(Object.is(EXPM1_TABLE[32], 0)).toBe(true);
    for (let j = -32; j < 32; j++) {
      if (j === 0) continue;
      const v = EXPM1_TABLE[j + 32]!;
      // v = num / 2^s, ulp(v) = 2^−(s) → with one more bit, v ± ulp/2 = (2·num ± 1) / 2^(s+1)
      const { num, shift } = exactFraction(v);
      const s = shift + 1n;
      const den = 1n << s;
      const lower = den + 2n * num - 1n; // (1 + v − ulp/2)·2^(s+1)
      const upper = den + 2n * num + 1n; // (1 + v + ulp/2)·2^(s+1)
      // 2^(j/64) lies in [lower, upper] / 2^(s+1)  ⇔  lower^64 ≤ 2^j·2^(64(s+1)) ≤ upper^64
      const target = j >= 0 ? 1n << (BigInt(j) + 64n * s) : 1n << (64n * s);
      const scaleLower = j >= 0 ? lower ** 64n : lower ** 64n << BigInt(-j);
      const scaleUpper = j >= 0 ? upper ** 64n : upper ** 64n << BigInt(-j);
      expect(scaleLower <= target && target <= scaleUpper, `entry ${j}`).toBe(true);
    }
  });
});

describe("fastExp", () => {
  it(`is within ${EXP_ULP} ulp of Math.exp over the whole range`, () => {
    const s = sweep(fastExp, Math.exp, grid(-746, 710, 1_500_000));
    sweep(fastExp, Math.exp, grid(-1, 1, 500_000), s);
    sweep(fastExp, Math.exp, binades(-1074, 10, 64), s);
    sweep(fastExp, Math.exp, grid(-745.2, -707, 200_000), s); // subnormal results and the edge of the fast path
    for (const x of [709.782712893384, -745.1332191019412, 708, -708, 0.5 * Math.LN2]) sweep(fastExp, Math.exp, around(x, 2000), s);
    expect(s.worst, `worst at ${s.at}`).toBeLessThanOrEqual(EXP_ULP);
  });

  it("handles NaN, ±Infinity, overflow and underflow as Math.exp", () => {
    for (const x of [NaN, Infinity, -Infinity, 0, -0, 710, 1e308, -746, -1e308, 5e-324, -5e-324]) {
      expect(Object.is(fastExp(x), Math.exp(x)), `exp(${x})`).toBe(true);
    }
  });

  it("agrees with Math.exp on arbitrary doubles (property)", () => {
    fc.assert(fc.property(fc.double(), (x) => ulpDistance(fastExp(x), Math.exp(x)) <= EXP_ULP), { numRuns: 20_000 });
  });
});

describe("fastTanh", () => {
  it(`is within ${TANH_ULP} ulp of Math.tanh over the whole range`, () => {
    const s = sweep(fastTanh, Math.tanh, grid(-25, 25, 1_500_000));
    sweep(fastTanh, Math.tanh, grid(-1, 1, 500_000), s);
    sweep(fastTanh, Math.tanh, binades(-1074, 10, 64), s);
    for (const x of [22, -22, 19.06, -19.06]) sweep(fastTanh, Math.tanh, around(x, 2000), s);
    expect(s.worst, `worst at ${s.at}`).toBeLessThanOrEqual(TANH_ULP);
  });

  it("keeps ±0, NaN and ±Infinity as Math.tanh, and saturates to exactly ±1", () => {
    for (const x of [NaN, Infinity, -Infinity, 0, -0, 5e-324, -5e-324, 22, -22, 1e300, -1e300, 19.1, -19.1]) {
      expect(Object.is(fastTanh(x), Math.tanh(x)), `tanh(${x})`).toBe(true);
    }
  });

  it("agrees with Math.tanh on arbitrary doubles, stays in [−1, 1] and keeps the sign (property)", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true }), (x) => {
        const t = fastTanh(x);
        return ulpDistance(t, Math.tanh(x)) <= TANH_ULP && Math.abs(t) <= 1 && (x === 0 || Math.sign(t) === Math.sign(x));
      }),
      { numRuns: 20_000 },
    );
  });
});

describe("fastSigmoid", () => {
  it(`is within ${SIGMOID_ULP} ulp of 1 / (1 + Math.exp(−z)) over the whole range`, () => {
    const s = sweep(fastSigmoid, mathSigmoid, grid(-750, 750, 1_000_000));
    sweep(fastSigmoid, mathSigmoid, grid(-40, 40, 1_000_000), s);
    sweep(fastSigmoid, mathSigmoid, binades(-1074, 10, 64), s);
    for (const x of [708, -708, -709.782712893384, -745.1332191019412]) sweep(fastSigmoid, mathSigmoid, around(x, 2000), s);
    expect(s.worst, `worst at ${s.at}`).toBeLessThanOrEqual(SIGMOID_ULP);
  });

  it("handles NaN and ±Infinity as the Math form", () => {
    for (const x of [NaN, Infinity, -Infinity, 0, -0, 800, -800, 1e308, -1e308]) {
      expect(Object.is(fastSigmoid(x), mathSigmoid(x)), `sigmoid(${x})`).toBe(true);
    }
  });
});

describe("the array forms", () => {
  it("give the same bits as the scalar functions (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.double(), fc.double({ min: -30, max: 30 })), { maxLength: 64 }), (xs) => {
        const z = Float64Array.from(xs);
        const t = fastTanhInto(new Float64Array(z.length), z, z.length);
        const s = fastSigmoidInto(new Float64Array(z.length), z, z.length);
        for (let i = 0; i < z.length; i++) {
          expect(Object.is(t[i], fastTanh(z[i]!)), `tanh(${z[i]})`).toBe(true);
          expect(Object.is(s[i], fastSigmoid(z[i]!)), `sigmoid(${z[i]})`).toBe(true);
        }
      }),
      { numRuns: 2_000 },
    );
    // saturated values are clamped inside a group of four (not sent to the scalar path): each group mixes them
    const edges = [22, -22, 21.999999999999996, -21.999999999999996, 22.000000000000004, 1e300, -Infinity, Infinity, Number.NaN, -0, 0, 5e-324, -5e-324, 23, -23, 0.5];
    for (let shift = 0; shift < 4; shift++) {
      const z = Float64Array.from([...edges.slice(shift), ...edges.slice(0, shift)]);
      const t = fastTanhInto(new Float64Array(z.length), z, z.length);
      for (let i = 0; i < z.length; i++) expect(Object.is(t[i], fastTanh(z[i]!)), `tanh(${z[i]})`).toBe(true);
    }
  });

  it("activateFast is activate within the bounds above, and the same bits where no exp or tanh is involved", () => {
    const z = Float64Array.from({ length: 600 }, (_, i) => Math.sin(i * 0.7) * (i % 7) * 5);
    const bound: Record<Activation, number> = { sigmoid: SIGMOID_ULP, tanh: TANH_ULP, softmax: 8, relu: 0, "leaky-relu": 0, linear: 0 };
    for (const f of Object.keys(bound) as Activation[]) {
      const a = activate(new Float64Array(600), z, 600, 6, f);
      const b = activateFast(new Float64Array(600), z, 600, 6, f);
      for (let i = 0; i < 600; i++) expect(ulpDistance(b[i]!, a[i]!), `${f} at ${i}`).toBeLessThanOrEqual(bound[f]);
    }
  });
});

describe("forwardFast", () => {
  it("agrees with forward to 1e-13 relative on random networks (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.constantFrom("sigmoid", "tanh", "relu") as fc.Arbitrary<"sigmoid" | "tanh" | "relu">,
        fc.constantFrom("sigmoid", "tanh", "softmax", "linear") as fc.Arbitrary<"sigmoid" | "tanh" | "softmax" | "linear">,
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 4 }),
        (seed, hidden, output, widths) => {
          const nOut = output === "softmax" ? 3 : 2;
          const net = createMlp({ sizes: [2, ...widths, nOut], hidden, output, bias: true }, { seed, init: "xavier" });
          const n = 37;
          const x = Float64Array.from({ length: n * 2 }, (_, i) => Math.sin(i * 1.3 + seed) * 6);
          const slow = forward(createWorkspace(net, n), net, x, n).slice(0, n * nOut);
          const fast = forwardFast(createWorkspace(net, n), net, x, n).slice(0, n * nOut);
          for (let i = 0; i < n * nOut; i++) {
            expect(Math.abs(fast[i]! - slow[i]!), `output ${i}`).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.abs(slow[i]!)));
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
