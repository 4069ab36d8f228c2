/** Exact references of each function (see exact-reference.ts), as Refs or exact outcomes. */
import { W, bitLength, decompose, expFixed, fixedRef, logFixed, reducePio2, sinCosFixed, toFixed, type Ref } from "./exact-reference.js";

const shift = (n: bigint, s: number): bigint => (s >= 0 ? n << BigInt(s) : n >> BigInt(-s));
const WB = BigInt(W);
const ONE = 1n << WB;

/** Signed fixed-point value of a double (truncated below 2^−W). */
function signedFixed(x: number): bigint {
  const v = toFixed(x);
  return x < 0 ? -v : v;
}

/** Σ c_i·t^i in fixed point for rational coefficients [num, den], t fixed. */
function series(t: bigint, coeffs: readonly (readonly [bigint, bigint])[]): bigint {
  let sum = 0n;
  let pow = ONE;
  for (const [a, b] of coeffs) {
    sum += (pow * a) / b;
    pow = (pow * t) >> WB;
  }
  return sum;
}

export function expRef(x: number): Ref {
  const { E, K } = expFixed(signedFixed(x));
  return { neg: false, num: E, den: 1n, exp2: K - W };
}

/** σ(z) = 1/(1 + e^(−z)). */
export function sigmoidRef(z: number): Ref {
  const { E, K } = expFixed(-signedFixed(z));
  if (K >= 0) return { neg: false, num: ONE, den: ONE + (E << BigInt(K)), exp2: 0 };
  const s = 1n << BigInt(W - K);
  return { neg: false, num: s, den: s + E, exp2: 0 };
}

const TANH_SERIES = [
  [1n, 1n],
  [-1n, 3n],
  [2n, 15n],
  [-17n, 315n],
  [62n, 2835n],
  [-1382n, 155925n],
  [21844n, 6081075n],
] as const;

/** tanh(x) for finite x with |x| ≤ 40. */
export function tanhRef(x: number): Ref {
  const { neg, m, k } = decompose(x);
  const ax = Math.abs(x);
  if (ax < 2 ** -10) {
    const x2 = shift(m * m, 2 * k + W);
    return { neg, num: m * series(x2, TANH_SERIES), den: 1n, exp2: k - W };
  }
  const { E, K } = expFixed(2n * toFixed(ax)); // e^(2|x|) = E·2^(K−W), K ≥ 0
  const e = E << BigInt(K);
  return { neg, num: e - ONE, den: e + ONE, exp2: 0 };
}

export function logRef(x: number): Ref {
  // near 1 the fixed point would lose relative precision: log x = log1p(x − 1), x − 1 exact there
  if (x > 0.999 && x < 1.001) return log1pRef(x - 1);
  const { m, k } = decompose(x);
  return fixedRef(logFixed(m, k));
}

const LOG1P_SERIES = Array.from({ length: 16 }, (_, i) => [i % 2 === 0 ? 1n : -1n, BigInt(i + 1)] as const);

/** log(1 + x) for x > −1. */
export function log1pRef(x: number): Ref {
  const { neg, m, k } = decompose(x);
  if (Math.abs(x) < 2 ** -10) {
    const t = neg ? -shift(m, k + W) : shift(m, k + W);
    return { neg, num: m * series(t, LOG1P_SERIES), den: 1n, exp2: k - W };
  }
  const N = k >= 0 ? (neg ? 1n - (m << BigInt(k)) : 1n + (m << BigInt(k))) : neg ? (1n << BigInt(-k)) - m : (1n << BigInt(-k)) + m;
  return fixedRef(logFixed(N, Math.min(k, 0)));
}

/** log(1 + u) for u = E·2^(K−W) > 0, fixed point. */
function log1pOfScaled(E: bigint, K: number): bigint {
  const u = shift(E, K);
  if (u < ONE >> 10n) return (u * series(u, LOG1P_SERIES)) >> WB;
  return logFixed((1n << BigInt(W - K)) + E, K - W);
}

/** softplus(z) = log(1 + e^z) for |z| ≤ 10^4. */
export function softplusRef(z: number): Ref {
  if (z > 0) {
    const { E, K } = expFixed(-signedFixed(z));
    return fixedRef(toFixed(z) + log1pOfScaled(E, K));
  }
  const { E, K } = expFixed(signedFixed(z));
  const u = shift(E, K);
  if (u < ONE >> 10n) {
    return { neg: false, num: E * series(u, LOG1P_SERIES), den: 1n, exp2: K - 2 * W };
  }
  return fixedRef(log1pOfScaled(E, K));
}

const SIN_SERIES = [
  [1n, 1n],
  [-1n, 6n],
  [1n, 120n],
  [-1n, 5040n],
  [1n, 362880n],
] as const;
const COS_SERIES = [
  [1n, 1n],
  [-1n, 2n],
  [1n, 24n],
  [-1n, 720n],
  [1n, 40320n],
] as const;

export function sinRef(x: number): Ref {
  return trigRef(x, 0);
}
export function cosRef(x: number): Ref {
  return trigRef(x, 1);
}

function trigRef(x: number, c: 0 | 1): Ref {
  const { neg, m, k } = decompose(x);
  if (Math.abs(x) < 2 ** -20) {
    const x2 = shift(m * m, 2 * k + W);
    if (c === 0) return { neg, num: m * series(x2, SIN_SERIES), den: 1n, exp2: k - W };
    return fixedRef(series(x2, COS_SERIES));
  }
  const { q, r, scale } = reducePio2(x);
  const { s, c: co } = sinCosFixed(r, scale);
  const quadrant = (q + c) & 3; // cos x = sin(x + π/2)
  const v = quadrant === 0 ? s : quadrant === 1 ? co : quadrant === 2 ? -s : -co;
  return { neg: v < 0n, num: v < 0n ? -v : v, den: 1n, exp2: -scale };
}

/** x^n for x ≠ 0 finite and an integer n ≠ 0: binary powering of the exact mantissa, truncated to 320 bits. */
export function powIntRef(x: number, n: number): Ref {
  const { neg, m, k } = decompose(x);
  let M = 1n;
  let E = 0;
  let bM = m;
  let bE = k;
  let a = Math.abs(n);
  const trim = (v: bigint, e: number): [bigint, number] => {
    const extra = bitLength(v) - 320;
    return extra > 0 ? [v >> BigInt(extra), e + extra] : [v, e];
  };
  while (a > 0) {
    if (a % 2 === 1) [M, E] = trim(M * bM, E + bE);
    a = Math.floor(a / 2);
    if (a > 0) [bM, bE] = trim(bM * bM, 2 * bE);
  }
  const sign = neg && Math.abs(n) % 2 === 1;
  if (n > 0) return { neg: sign, num: M, den: 1n, exp2: E };
  return { neg: sign, num: 1n, den: M, exp2: -E };
}

/** x^y = e^(y·log x) for x > 0 finite and finite y with |y·log x| < 800. */
export function powRef(x: number, y: number): Ref {
  const { m, k } = decompose(x);
  const L = logFixed(m, k);
  const yd = decompose(y);
  const a = shift(L * yd.m, yd.k);
  const { E, K } = expFixed(yd.neg ? -a : a);
  return { neg: false, num: E, den: 1n, exp2: K - W };
}
