/**
 * Exact references for the accuracy tests of core's own transcendental
 * functions: integer (BigInt) fixed-point arithmetic written here, with π and
 * ln 2 taken from decimal.js (an independent multiple-precision library) to
 * 1,500 bits. Nothing here calls Math.exp/log/sin/cos/pow or core.
 *
 * A reference value is a ratio num/den · 2^exp2 (num ≥ 0, den > 0), good to
 * at least 2^−110 relative; `ulpError` measures a double against it exactly.
 */
import Decimal from "decimal.js";

const D = Decimal.clone({ precision: 480, rounding: Decimal.ROUND_DOWN });
/** Bits of the fixed-point arithmetic (values are integers scaled by 2^W). */
export const W = 128;
const ONE = 1n << BigInt(W);
const BIG_BITS = 1500;

function decimalToFixed(d: Decimal, bits: number): bigint {
  return BigInt(d.times(new D(2).pow(bits)).floor().toFixed(0));
}
/** π/2 · 2^1500 and ln 2 · 2^W, from decimal.js. */
export const PIO2_BIG = decimalToFixed(D.acos(-1).div(2), BIG_BITS);
const LN2 = decimalToFixed(D.ln(2), W);

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** A finite double as ±m·2^k with m a non-negative integer (exact). */
export function decompose(x: number): { neg: boolean; m: bigint; k: number } {
  f64[0] = x;
  const hi = u32[1]!;
  const lo = u32[0]!;
  const biased = (hi >>> 20) & 0x7ff;
  const frac = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  const neg = hi >>> 31 === 1;
  if (biased === 0) return { neg, m: frac, k: -1074 };
  return { neg, m: frac | (1n << 52n), k: biased - 1075 };
}

const LEAD = [0, 1, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4];
export function bitLength(n: bigint): number {
  if (n === 0n) return 0;
  const a = n < 0n ? -n : n;
  const d = Number(a);
  if (d < 1e300) {
    // Number(a) rounds to nearest, so its exponent is floor(log2 a) or one more: settle it exactly
    const e = decompose(d).k + 52;
    return a >= 1n << BigInt(e) ? e + 1 : e;
  }
  const h = (n < 0n ? -n : n).toString(16);
  return 4 * (h.length - 1) + LEAD[parseInt(h[0]!, 16)]!;
}

const shift = (n: bigint, s: number): bigint => (s >= 0 ? n << BigInt(s) : n >> BigInt(-s));

/** |x|·2^W, truncated (exact when x has no bits below 2^−W). */
export function toFixed(x: number): bigint {
  const { m, k } = decompose(x);
  return shift(m, k + W);
}

export interface Ref {
  neg: boolean;
  num: bigint;
  den: bigint;
  exp2: number;
}

/**
 * e^(a / 2^W) for a fixed-point a (any sign) as E·2^(K − W) with E in about
 * [0.7, 1.4]·2^W: a = K·ln2 + r, e^r by Taylor on r/2^8, squared 8 times.
 */
export function expFixed(a: bigint): { E: bigint; K: number } {
  // K = round(a / ln2)
  let K = a / LN2;
  let r = a - K * LN2;
  if (r > LN2 / 2n) {
    K += 1n;
    r -= LN2;
  } else if (r < -LN2 / 2n) {
    K -= 1n;
    r += LN2;
  }
  const G = 24n; // guard bits
  const one = 1n << (BigInt(W) + G);
  const rs = (r << G) >> 8n;
  let sum = one;
  let term = one;
  for (let n = 1n; n < 40n; n++) {
    term = (term * rs) >> (BigInt(W) + G);
    term /= n;
    if (term === 0n) break;
    sum += term;
  }
  for (let i = 0; i < 8; i++) sum = (sum * sum) >> (BigInt(W) + G);
  return { E: sum >> G, K: Number(K) };
}

/** log(N·2^k) · 2^W for a positive integer N: N = M·2^e with M in [0.75, 1.5), log M = 2·atanh((M − 1)/(M + 1)). */
export function logFixed(N: bigint, k: number): bigint {
  const G = 40;
  const WG = BigInt(W + G);
  const bl = bitLength(N);
  let e = k + bl - 1;
  let M = shift(N, W + G - (bl - 1)); // in [1, 2)·2^(W+G)
  if (M > (3n << WG) / 2n) {
    M >>= 1n;
    e += 1;
  }
  const oneG = 1n << WG;
  const t = ((M - oneG) << WG) / (M + oneG);
  const t2 = (t * t) >> WG;
  let sum = 0n;
  let pow = t;
  for (let n = 1n; n < 200n; n += 2n) {
    const term = pow / n;
    if (term === 0n) break;
    sum += term;
    pow = (pow * t2) >> WG;
  }
  return ((2n * sum) >> BigInt(G)) + BigInt(e) * LN2;
}

/** A signed fixed-point value v·2^−W as a Ref. */
export function fixedRef(v: bigint): Ref {
  return { neg: v < 0n, num: v < 0n ? -v : v, den: 1n, exp2: -W };
}

/**
 * sin and cos of a fixed-point r·2^−scale (|r| ≤ π/4 + a little), both
 * ·2^scale, by Taylor with guard bits.
 */
export function sinCosFixed(r: bigint, scale: number = W): { s: bigint; c: bigint } {
  const G = 40n;
  const WG = BigInt(scale) + G;
  const x = r << G;
  const x2 = (x * x) >> WG;
  let s = x;
  let c = 1n << WG;
  let ts = x;
  let tc = 1n << WG;
  for (let n = 1n; n < 60n; n++) {
    ts = -((ts * x2) >> WG) / ((2n * n) * (2n * n + 1n));
    tc = -((tc * x2) >> WG) / ((2n * n - 1n) * (2n * n));
    if (ts === 0n && tc === 0n) break;
    s += ts;
    c += tc;
  }
  return { s: s >> G, c: c >> G };
}

/**
 * x reduced modulo π/2 exactly enough: x = q·π/2 + r, returns q mod 4 and r
 * as a fixed-point value ·2^(W + 64) (64 extra bits: r can be as small as 2^−61).
 */
export function reducePio2(x: number): { q: number; r: bigint; scale: number } {
  const { neg, m, k } = decompose(x);
  const L = Math.max(k + 53, 0) + W + 128; // fraction bits of the reduction
  const P = PIO2_BIG >> BigInt(BIG_BITS - L);
  const X = shift(m, k + L);
  let q = X / P;
  let r = X - q * P;
  if (2n * r > P) {
    q += 1n;
    r -= P;
  }
  const scale = W + 64;
  let rr = shift(r, scale - L);
  let qq = Number(q % 4n);
  if (neg) {
    rr = -rr;
    qq = (4 - qq) % 4;
  }
  return { q: qq, r: rr, scale };
}

/**
 * The error of the double f against the reference, in units in the last
 * place of the reference (the spacing of doubles in its binade; 2^−1074 in
 * the subnormal range). Infinity when f is NaN or infinite and the
 * reference is not, or the signs differ (away from zero).
 */
export function ulpError(f: number, ref: Ref): number {
  if (ref.num === 0n) return f === 0 ? 0 : Infinity;
  const e = refExponent(ref);
  if (!Number.isFinite(f)) {
    // an overflow is right when the exact value is at least 2^1024 − 2^970 (it rounds to ±∞)
    if (f === (ref.neg ? -Infinity : Infinity) && e >= 1024) return 0;
    if (f === (ref.neg ? -Infinity : Infinity) && e === 1023) return ulpError(ref.neg ? -Number.MAX_VALUE : Number.MAX_VALUE, ref) >= 0.5 ? 0 : Infinity;
    return Infinity;
  }
  if (e >= 1024) return Infinity;
  if (e < -1080) return f === 0 ? 0 : Infinity; // the exact value is below 2^−1080: only 0 is within 2^−6 ulp
  const fd = decompose(f);
  const ulpExp = Math.max(e - 52, -1074);
  // |f − ref| / 2^ulpExp = |m·den·2^(k − ulpExp) − num·2^(exp2 − ulpExp)| / den, over a common power of two
  const c = -Math.min(fd.k - ulpExp, ref.exp2 - ulpExp, 0);
  const sf = (fd.neg ? -1n : 1n) * shift(fd.m * ref.den, fd.k - ulpExp + c);
  const sr = (ref.neg ? -1n : 1n) * shift(ref.num, ref.exp2 - ulpExp + c);
  let diff = sf - sr;
  if (diff < 0n) diff = -diff;
  const den = shift(ref.den, c);
  // diff/den as a double, to 2^−30 ulp
  const q = (diff << 30n) / den;
  return Number(q) / 1073741824;
}

/** floor(log2 |ref|). */
export function refExponent(ref: Ref): number {
  // den·2^e ≤ num < den·2^(e+1), compared exactly (shifting num, never truncating den)
  const atMost = (e: number): boolean => (e >= 0 ? ref.den << BigInt(e) <= ref.num : ref.den <= ref.num << BigInt(-e));
  let e = bitLength(ref.num) - bitLength(ref.den);
  if (!atMost(e)) e -= 1;
  else if (atMost(e + 1)) e += 1;
  return e + ref.exp2;
}

/** A small seeded generator (mulberry32) for the test points, independent of core's. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const hi = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    a = (a + 0x6d2b79f5) >>> 0;
    t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return hi + (((t ^ (t >>> 14)) >>> 0) >>> 11) / 9007199254740992;
  };
}

/** A double from its 64 bits given as two 32-bit halves. */
export function fromBits(hi: number, lo: number): number {
  u32[1] = hi >>> 0;
  u32[0] = lo >>> 0;
  return f64[0]!;
}

export interface Worst {
  worst: number;
  at: number;
  count: number;
}

export function track(into: Worst, err: number, x: number): void {
  into.count++;
  if (err > into.worst || Number.isNaN(err)) {
    into.worst = Number.isNaN(err) ? Infinity : err;
    into.at = x;
  }
}
