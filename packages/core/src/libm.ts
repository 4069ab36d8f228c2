import { fastExpInPlace } from "./fast-math.js";

/**
 * log, log1p, softplus, sin, cos and powers, written with IEEE-754 double
 * operations only (+ − × ÷, sqrt, bit access through a Float64Array, and
 * BigInt integer arithmetic for the reduction of huge sine/cosine
 * arguments). Math.log, Math.sin, Math.cos and Math.pow are not required to
 * be correctly rounded and differ between JavaScript engines in the last
 * bits; these give the same bits in every engine, so a seeded run (its data,
 * initial weights, training and predictions) is the same in V8, JavaScriptCore
 * and QuickJS. exp, tanh and the sigmoid are in fast-math.ts.
 *
 * The error bounds below are measured against exact integer references on
 * more than 10^6 points each in test/libm-accuracy.test.ts (see the README).
 * log and the sine/cosine kernels follow the method and the minimax
 * coefficients of fdlibm (Sun Microsystems, 1993), as in musl.
 */

const F = new Float64Array(1);
const U = new Uint32Array(F.buffer);
/** Index of the high (sign, exponent) word of F in U: 1 on little-endian machines. */
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const LO = 1 - HI;
/** Scratch cells for the scalar wrappers of the in-place forms. */
const S = new Float64Array(1);
const T = new Float64Array(1);
const W = new Float64Array(1);

/** 2^k for −1074 ≤ k ≤ 1023, built from its bits (exact). */
export function pow2(k: number): number {
  if (k >= -1022) {
    U[HI] = (k + 1023) << 20;
    U[LO] = 0;
    return F[0]!;
  }
  const b = 52 - (-1022 - k); // the one set bit of the subnormal's 52-bit field, 0..51
  U[HI] = b >= 32 ? 1 << (b - 32) : 0;
  U[LO] = b >= 32 ? 0 : (1 << b) >>> 0;
  return F[0]!;
}

/**
 * Natural logarithm. Max error 0.81 ulp (0.80 measured on 10^6 points; fdlibm's bound is < 1 ulp).
 * log(±0) = −∞, log(x < 0) = NaN, log(+∞) = +∞, log(NaN) = NaN, log(1) = +0.
 * Method: x = 2^k·(1 + f) with 1 + f in [√2/2, √2), s = f/(2 + f),
 * log(1 + f) = f − f²/2 + s·(f²/2 + R(s²)) with R fdlibm's degree-14 minimax
 * polynomial, and k·ln2 added in two parts.
 */
export function log(x: number): number {
  S[0] = x;
  logAt(S, 0);
  return S[0]!;
}

/** buf[i] = log(buf[i]), the same bits as `log`: no double crosses a call, so a loop calling it allocates nothing. */
export function logAt(buf: Float64Array, i: number): void {
  const x = buf[i]!;
  F[0] = x;
  let hx = U[HI]!;
  let k = 0;
  if (hx < 0x00100000 || hx >>> 31 !== 0) {
    if (x === 0) {
      buf[i] = -Infinity;
      return;
    }
    if (x !== x || x < 0) {
      buf[i] = NaN;
      return;
    }
    k = -54; // subnormal: scale by 2^54
    F[0] = x * 18014398509481984;
    hx = U[HI]!;
  } else if (hx >= 0x7ff00000) {
    return; // +∞ and NaN stay
  } else if (hx === 0x3ff00000 && U[LO] === 0) {
    buf[i] = 0;
    return;
  }
  // move the mantissa into [√2/2, √2): 0x3fe6a09e is the high word of √2/2
  hx += 0x3ff00000 - 0x3fe6a09e;
  k += (hx >>> 20) - 0x3ff;
  U[HI] = (hx & 0x000fffff) + 0x3fe6a09e;
  const f = F[0]! - 1;
  const hfsq = 0.5 * f * f;
  const s = f / (2 + f);
  const z = s * s;
  const w = z * z;
  const t1 = w * (3.999999999940941908e-1 + w * (2.222219843214978396e-1 + w * 1.531383769920937332e-1));
  const t2 = z * (6.666666666666735130e-1 + w * (2.857142874366239149e-1 + w * (1.818357216161805012e-1 + w * 1.479819860511658591e-1)));
  const R = t2 + t1;
  // ln2 = 6.93147180369123816490e-01 (32 bits, so k times it is exact) + 1.90821492927058770002e-10
  buf[i] = s * (hfsq + R) + k * 1.90821492927058770002e-10 - hfsq + f + k * 6.93147180369123816490e-1;
}

/**
 * log(1 + x), accurate near 0 (Kahan's method: u = 1 + x rounded, then
 * log(u)·x/(u − 1), which cancels the rounding of u). Max error 2.2 ulp (2.10 measured).
 * log1p(−1) = −∞, x < −1 gives NaN, ±0 stays ±0, +∞ → +∞, NaN → NaN.
 */
export function log1p(x: number): number {
  S[0] = x;
  log1pAt(S, 0);
  return S[0]!;
}

/** buf[i] = log1p(buf[i]), the same bits as `log1p`, in place. */
export function log1pAt(buf: Float64Array, i: number): void {
  const x = buf[i]!;
  const u = 1 + x;
  if (u === 1 || x === Infinity) return; // |x| < 2^−53: log1p(x) = x to the last bit (keeps ±0); +∞ stays
  T[0] = u;
  logAt(T, 0);
  buf[i] = T[0]! * (x / (u - 1));
}

/**
 * softplus(z) = log(1 + e^z) without overflow: z + log1p(e^−z) for z > 0,
 * log1p(e^z) otherwise. Max error 2.7 ulp (2.67 measured). Used by the binary
 * cross-entropy loss.
 */
export function softplus(z: number): number {
  S[0] = z;
  softplusAt(S, 0);
  return S[0]!;
}

/** buf[i] = softplus(buf[i]), the same bits as `softplus`, in place. */
export function softplusAt(buf: Float64Array, i: number): void {
  const z = buf[i]!;
  W[0] = z > 0 ? -z : z;
  fastExpInPlace(W, 0, 1);
  log1pAt(W, 0);
  buf[i] = z > 0 ? z + W[0]! : W[0]!;
}

/* ---- sine and cosine ---- */

/** The remainder of the last remPio2, as a pair hi + lo. */
const REM = new Float64Array(2);

/**
 * floor(2/π · 2^1280): 2/π to 1280 bits (Machin's formula in BigInt; the
 * test checks it against decimal.js), for the reduction of huge arguments.
 */
export const TWO_OVER_PI = BigInt(
  "0xa2f9836e4e441529fc2757d1f534ddc0db6295993c439041fe5163abdebbc561b7246e3a424dd2e006492eea09d1921cfe1deb1cb129a73ee88235f52ebb4484e99c7026b45f7e413991d639835339f49c845f8bbdf9283b1ff897ffde05980fef2f118b5a0a6d1f6d367ecf27cb09b74f463f669e5fea2d7527bac7ebe5f17b3d0739f78a5292ea6bfb5fb11f8d5d0856033046fc7b6babf0cfbc209af4361d",
);
/** floor(π/2 · 2^128). */
export const PIO2_FIX = BigInt("0x1921fb54442d18469898cc51701b839a2");
const MASK194 = (1n << 194n) - 1n;
const MASK192 = (1n << 192n) - 1n;
const HALF192 = 1n << 191n;

/**
 * n and r with x = n·π/2 + r, |r| ≤ π/4 (a little more for the medium path),
 * r = REM[0] + REM[1]; returns n (use n & 3). x finite and |x| > π/4.
 * Up to 2^20·π/2: Cody–Waite with π/2 in 33-bit pieces (fdlibm's medium
 * case, up to three rounds when the leading bits cancel). Beyond: Payne–Hanek
 * with BigInt: x·(2/π) modulo 4 from 1280 bits of 2/π, 192 fraction bits kept.
 */
function remPio2(buf: Float64Array, i: number): number {
  const x = buf[i]!;
  F[0] = x;
  const ix = U[HI]! & 0x7fffffff;
  if (ix < 0x413921fb) {
    const fn = x * 6.36619772367581382433e-1 + 6755399441055744 - 6755399441055744;
    const n = fn | 0;
    let r = x - fn * 1.57079632673412561417;
    let w = fn * 6.07710050650619224932e-11;
    let y0 = r - w;
    F[0] = y0;
    const ex = ix >>> 20;
    if (ex - ((U[HI]! >>> 20) & 0x7ff) > 16) {
      let t = r;
      w = fn * 6.0771005063039659766e-11;
      r = t - w;
      w = fn * 2.02226624879595063154e-21 - (t - r - w);
      y0 = r - w;
      F[0] = y0;
      if (ex - ((U[HI]! >>> 20) & 0x7ff) > 49) {
        t = r;
        w = fn * 2.0222662487111664558e-21;
        r = t - w;
        w = fn * 8.47842766036889956997e-32 - (t - r - w);
        y0 = r - w;
      }
    }
    REM[0] = y0;
    REM[1] = r - y0 - w;
    return n;
  }
  const hi = U[HI]!;
  const e = ((hi >>> 20) & 0x7ff) - 1075; // |x| = M·2^e, e ≥ −32 here
  const M = (BigInt((hi & 0xfffff) | 0x100000) << 32n) | BigInt(U[LO]!);
  const v = ((M * TWO_OVER_PI) >> BigInt(1280 - e - 192)) & MASK194; // (|x|·2/π mod 4)·2^192
  let n = Number(v >> 192n);
  let f = v & MASK192;
  if (f >= HALF192) {
    f -= 1n << 192n;
    n += 1;
  }
  const R = f * PIO2_FIX; // r·2^320
  const h = Number(R); // rounded to nearest
  const l = Number(R - BigInt(h));
  const scale = pow2(-320);
  if (x < 0) {
    REM[0] = -h * scale;
    REM[1] = -l * scale;
    return -n;
  }
  REM[0] = h * scale;
  REM[1] = l * scale;
  return n;
}

/** sin(x). Max error 0.9 ulp (proved on 10^6 points, huge arguments included) for every finite x; sin(±0) = ±0, sin(±∞) = sin(NaN) = NaN. */
export function sin(x: number): number {
  S[0] = x;
  sinAt(S, 0);
  return S[0]!;
}

/** buf[i] = sin(buf[i]), the same bits as `sin`, in place (the features' loops use it: nothing boxed). */
export function sinAt(buf: Float64Array, i: number): void {
  trigAt(buf, i, 0);
}

/** cos(x). Max error 0.9 ulp (proved on 10^6 points, huge arguments included) for every finite x; cos(±∞) = cos(NaN) = NaN. */
export function cos(x: number): number {
  S[0] = x;
  cosAt(S, 0);
  return S[0]!;
}

/** buf[i] = cos(buf[i]), the same bits as `cos`, in place. */
export function cosAt(buf: Float64Array, i: number): void {
  trigAt(buf, i, 1);
}

/**
 * sin (c = 0) or cos (c = 1) of buf[i], in place; cos x = sin(x + π/2), so
 * cos takes the next quadrant. The kernels are written out here rather than
 * called: a double returned from a call that is not inlined would be boxed.
 */
function trigAt(buf: Float64Array, i: number, c: number): void {
  const x = buf[i]!;
  F[0] = x;
  const ix = U[HI]! & 0x7fffffff;
  let y0: number;
  let y1: number;
  let q: number;
  let tail: boolean;
  if (ix <= 0x3fe921fb) {
    if (c === 0 && ix < 0x3e500000) return; // |x| < 2^−26: sin x = x to the last bit
    if (c === 1 && ix < 0x3e46a09e) {
      buf[i] = 1; // |x| < 2^−27·√2: cos x rounds to 1
      return;
    }
    y0 = x;
    y1 = 0;
    q = c;
    tail = false;
  } else if (ix >= 0x7ff00000) {
    buf[i] = NaN;
    return;
  } else {
    q = (remPio2(buf, i) + c) & 3;
    y0 = REM[0]!;
    y1 = REM[1]!;
    tail = true;
  }
  const z = y0 * y0;
  const w = z * z;
  let v: number;
  if ((q & 1) === 0) {
    // fdlibm's __kernel_sin
    const r = 8.33333333332248946124e-3 + z * (-1.98412698298579493134e-4 + z * 2.75573137070700676789e-6) + z * w * (-2.50507602534068634195e-8 + z * 1.58969099521155010221e-10);
    const t = z * y0;
    v = tail ? y0 - (z * (0.5 * y1 - t * r) - y1 - t * -1.66666666666666324348e-1) : y0 + t * (-1.66666666666666324348e-1 + z * r);
  } else {
    // fdlibm's __kernel_cos
    const r = z * (4.16666666666666019037e-2 + z * (-1.38888888888741095749e-3 + z * 2.48015872894767294178e-5)) + w * w * (-2.75573143513906633035e-7 + z * (2.08757232129817482790e-9 + z * -1.13596475577881948265e-11));
    const hz = 0.5 * z;
    const u = 1 - hz;
    v = u + (1 - u - hz + (z * r - y0 * y1));
  }
  buf[i] = (q & 2) === 0 ? v : -v;
}

/* ---- powers ---- */

/**
 * x^n for an integer n (|n| < 2^53), by squaring and multiplying in
 * double-double arithmetic (Dekker's product with Veltkamp's split: no fused
 * multiply-add) with the binary exponent kept apart, so nothing overflows or
 * underflows on the way: max error 0.5001 ulp for normal results (correctly
 * rounded but for values within a hair of a halfway case), 1 ulp for
 * subnormal ones (tested on 10^6 pairs, Adam's β^t for t ≤ 20,000 included). Odd powers of negative x are negative;
 * x^0 = 1 for every x (NaN too), 0^n = +0 (n > 0) or +∞ (n < 0), ±∞ and NaN
 * as IEEE pow. Adam's bias correction (β^t) and the step schedule use it.
 */
export function powInt(x: number, n: number): number {
  S[0] = x;
  powIntAt(S, 0, n);
  return S[0]!;
}

/** buf[i] = buf[i]^n, the same bits as `powInt`, in place: nothing crosses a call as a double, so the training step allocates nothing. */
export function powIntAt(buf: Float64Array, i: number, n: number): void {
  const x = buf[i]!;
  if (n === 0) {
    buf[i] = 1;
    return;
  }
  if (x !== x) return;
  const negative = (x < 0 || (x === 0 && 1 / x < 0)) && n % 2 !== 0;
  let a = Math.abs(x);
  if (a === 0 || a === Infinity) {
    const v = n > 0 ? a : a === 0 ? Infinity : 0;
    buf[i] = negative ? -v : v;
    return;
  }
  // a = bh·2^be with bh in [1, 2)
  let be = 0;
  if (a < 2.2250738585072014e-308) {
    a *= 18014398509481984;
    be = -54;
  }
  F[0] = a;
  const k0 = ((U[HI]! >>> 20) & 0x7ff) - 1023;
  be += k0;
  U[HI] = (U[HI]! & 0x000fffff) | 0x3ff00000;
  let bh = F[0]!;
  let bl = 0;
  let rh = 1;
  let rl = 0;
  let re = 0;
  let m = n < 0 ? -n : n;
  while (true) {
    if (m % 2 === 1) {
      // (rh + rl)·(bh + bl), then renormalised to [1, 2)
      const p = rh * bh;
      let c = 134217729 * rh;
      const a1 = c - (c - rh);
      const a2 = rh - a1;
      c = 134217729 * bh;
      const b1 = c - (c - bh);
      const b2 = bh - b1;
      const e = a1 * b1 - p + a1 * b2 + a2 * b1 + a2 * b2 + (rh * bl + rl * bh);
      const h = p + e;
      const l = e - (h - p);
      const big = h >= 2;
      rh = big ? h * 0.5 : h;
      rl = big ? l * 0.5 : l;
      re += be + (big ? 1 : 0);
      m -= 1;
    }
    if (m === 0) break;
    m /= 2;
    const p = bh * bh;
    const c = 134217729 * bh;
    const b1 = c - (c - bh);
    const b2 = bh - b1;
    const e = b1 * b1 - p + b1 * b2 + b2 * b1 + b2 * b2 + (bh * bl + bl * bh);
    const h = p + e;
    const l = e - (h - p);
    const big = h >= 2;
    bh = big ? h * 0.5 : h;
    bl = big ? l * 0.5 : l;
    be = 2 * be + (big ? 1 : 0);
  }
  if (n < 0) {
    // 1/(rh + rl) as a double-double: q = 1/rh and one correction step
    const q = 1 / rh;
    const p = q * rh;
    let c = 134217729 * q;
    const a1 = c - (c - q);
    const a2 = q - a1;
    c = 134217729 * rh;
    const b1 = c - (c - rh);
    const b2 = rh - b1;
    const e = a1 * b1 - p + a1 * b2 + a2 * b1 + a2 * b2 + q * rl; // q·(rh + rl) = p + e
    const corr = q * (1 - p - e);
    const qh = q + corr;
    const ql = corr - (qh - q);
    // qh in (1/2, 1]: twice it is in (1, 2]
    rh = qh * 2;
    rl = ql * 2;
    re = -re - 1;
  }
  // (rh + rl)·2^re: one rounding (rh + rl) where the result is normal, a second (the scaling) where it is subnormal
  const v = rh + rl;
  let r: number;
  if (re > 1100) r = Infinity;
  else if (re < -1200) r = 0;
  else if (re > 1023) {
    U[HI] = 2046 << 20;
    U[LO] = 0;
    r = v * F[0]!;
    U[HI] = (re - 1023 + 1023) << 20;
    r *= F[0]!;
  } else if (re >= -1022) {
    U[HI] = (re + 1023) << 20;
    U[LO] = 0;
    r = v * F[0]!;
  } else {
    U[HI] = 23 << 20; // 2^−1000
    U[LO] = 0;
    r = v * F[0]!;
    U[HI] = (re + 1000 + 1023) << 20;
    r *= F[0]!;
  }
  buf[i] = negative ? -r : r;
}

/**
 * x^y for x > 0 and finite y: x^n·e^(f·log x) with n = round(y), f = y − n
 * (|f| ≤ 1/2). Max error 2.5 ulp for x in [1/e, e] (2.48 measured; the decay
 * factors of the learning-rate schedules); further out the rounding of f·log x
 * adds about |f·log x| ulp.
 * x ≤ 0, x = ∞, NaN or y = ±∞ give NaN; y = 0 gives 1.
 */
export function powPositive(x: number, y: number): number {
  P[0] = x;
  P[1] = y;
  powPositiveAt(P, 0);
  return P[0]!;
}

const P = new Float64Array(2);
const Q = new Float64Array(1);

/** buf[i] = buf[i]^buf[i + 1], the same bits as `powPositive`, in place. */
export function powPositiveAt(buf: Float64Array, i: number): void {
  const x = buf[i]!;
  const y = buf[i + 1]!;
  if (y === 0) {
    buf[i] = 1;
    return;
  }
  if (!(x > 0 && x < Infinity) || !(y === y && y !== Infinity && y !== -Infinity)) {
    buf[i] = NaN;
    return;
  }
  if (y >= 4503599627370496 || y <= -4503599627370496) {
    powIntAt(buf, i, y); // |y| ≥ 2^52: an integer
    return;
  }
  const n = Math.round(y);
  const f = y - n;
  powIntAt(buf, i, n);
  if (f === 0) return;
  Q[0] = x;
  logAt(Q, 0);
  Q[0] = f * Q[0]!;
  fastExpInPlace(Q, 0, 1);
  buf[i] = buf[i]! * Q[0]!;
}
