/**
 * exp, tanh and the logistic sigmoid in plain double arithmetic, for
 * training and inference alike: 1.5 to 3 times as fast as Math.exp
 * and Math.tanh in V8, which calls into C for every value, and the same bits
 * in every JavaScript engine (Math.* may differ between engines in the last
 * bits). Measured against Math.exp / Math.tanh / 1 / (1 + Math.exp(−z)) in
 * test/fast-math.test.ts over the whole double range: exp within 1 ulp, tanh
 * and σ within 4 ulp; against exact references in test/libm-accuracy-*.test.ts
 * (see the README for the figures). log, sin, cos and powers are in libm.ts.
 *
 * Method (the classic table-driven one): write x = k·ln2/64 + r with
 * k = round(64·x/ln2) and |r| ≤ ln2/128 ≈ 0.0054, taking k·ln2/64 in two
 * parts (the high part has 21 trailing zero bits, so k times it is exact for
 * every k used here). With k = 64q + j, j in −32..31:
 *
 *   e^x − 1 = 2^q·(1 + T_j)·(1 + p) − 1,  T_j = 2^(j/64) − 1,  p = e^r − 1,
 *
 * where T_j comes from a table of correctly rounded values and p from the
 * Taylor polynomial r + r²/2 + … + r⁶/720 (truncation below 6·10⁻¹⁸ relative).
 * Keeping e^x − 1 rather than e^x makes tanh accurate near 0:
 * tanh(x) = t / (t + 2) with t = e^(2x) − 1.
 */

/** 2^(j/64) − 1 for j = −32..31 (index j + 32), each correctly rounded (80-digit arithmetic; the tests prove every entry exactly). */
export const EXPM1_TABLE = new Float64Array([
  -0.2928932188134525, -0.285193330804015, -0.2774095965114767, -0.26954110290967653,
  -0.2615869270302503, -0.2535461358543676, -0.24541778620328863, -0.23720092462773085,
  -0.2288945872960296, -0.2204977998810815, -0.21200957744605675, -0.20342892432886656,
  -0.19475483402537286, -0.1859862890713261, -0.17712226092301758, -0.16816170983663178,
  -0.15910358474628547, -0.14994682314073826, -0.14069035093876103, -0.13133308236314686,
  -0.12187391981335026, -0.11231175373673938, -0.1026454624984464, -0.09287391224980063,
  -0.08299595679532877, -0.07301043745830721, -0.06291618294485005, -0.05271200920651718,
  -0.042396719301426355, -0.03196910325385278, -0.021427937912299865, -0.010771986806024515,
  0.0, 0.01088928605170046, 0.02189714865411668, 0.03302487902122842,
  0.04427378242741384, 0.05564517836055716, 0.06714040067682361, 0.07876079775711979,
  0.09050773266525766, 0.10238258330784095, 0.11438674259589254, 0.1265216186082419,
  0.13878863475669165, 0.1511892299529827, 0.1637248587775775, 0.17639699165028128,
  0.18920711500272105, 0.20215673145270313, 0.21524735998046887, 0.22848053610687,
  0.24185781207348406, 0.2553807570246911, 0.2690509571917332, 0.28287001607877826,
  0.29683955465100964, 0.31096121152476436, 0.32523664315974127, 0.339667524053303,
  0.3542555469368927, 0.3690024229745906, 0.38390988196383197, 0.3989796725383111,
]);

/** 2^q for q = −1022..1023 (index q + 1023), built by exact doubling and halving (exported for the WebAssembly kernels, not from the package). */
export const POW2 = new Float64Array(2046);
{
  let p = 1;
  for (let q = 0; q <= 1023; q++, p *= 2) POW2[q + 1023] = p;
  p = 0.5;
  for (let q = -1; q >= -1022; q--, p /= 2) POW2[q + 1023] = p;
}

/*
 * The hot paths below write their constants as literals: bundlers turn
 * module-level `const`s into `var`s, which V8 reloads from the module context
 * on every use. The literals are:
 *   92.33248261689366        64/ln2 (64 × fdlibm's invln2, exact)
 *   6755399441055744         1.5·2^52: adding then subtracting it rounds to the nearest integer
 *   0.01083042469326756      ln2/64, high part (fdlibm's ln2_hi / 64: 21 trailing zero bits,
 *                            so k times it is exact for every |k| < 2^21)
 *   2.9815858269852933e-12   ln2/64, low part (fdlibm's ln2_lo / 64)
 *   0.5, 0.16666666666666666, 0.041666666666666664, 0.008333333333333333, 0.001388888888888889
 *                            1/2!, 1/3!, 1/4!, 1/5!, 1/6! (Taylor coefficients of e^r − 1)
 */

/** Beyond ±22 (the literal in the fast paths) tanh is ±1 to the last bit (1 − tanh(22) ≈ 1.6·10⁻¹⁹). */
const TANH_ONE = 22;
/* Past ±708 (the literal in the fast paths), e^x leaves the normal range those handle. */
/** e^x overflows above this (fdlibm's o_threshold) and is 0 below the next one. */
const EXP_OVERFLOW = 709.782712893384;
const EXP_UNDERFLOW = -745.1332191019412;

/** e^x. Max error < 1 ulp (0.9988 measured against an exact reference on 10^6 points); NaN, ±Infinity, overflow and underflow as IEEE exp. */
export function fastExp(x: number): number {
  if (!(x > -708 && x < 708)) return expEdge(x);
  const kd = x * 92.33248261689366 + 6755399441055744 - 6755399441055744;
  const r = x - kd * 0.01083042469326756 - kd * 2.9815858269852933e-12;
  const r2 = r * r;
  const p = r + r2 * (0.5 + r * 0.16666666666666666 + r2 * (0.041666666666666664 + r * 0.008333333333333333 + r2 * 0.001388888888888889));
  const kj = (kd | 0) + 32;
  const tm = EXPM1_TABLE[kj & 63]!;
  const s = POW2[(kj >> 6) + 1023]!;
  return s + s * (tm + (p + tm * p));
}

/**
 * buf[i] = fastExp(buf[i]) for start ≤ i < start + count, the same bits, in
 * place: no double crosses a call (a double passed to or returned from a call
 * that is not inlined is boxed on the heap), so softmax and the losses
 * allocate nothing per value.
 */
export function fastExpInPlace(buf: Float64Array, start: number, count: number): Float64Array {
  const end = start + count;
  for (let i = start; i < end; i++) {
    const x = buf[i]!;
    if (!(x > -708 && x < 708)) {
      buf[i] = expEdge(x);
      continue;
    }
    const kd = x * 92.33248261689366 + 6755399441055744 - 6755399441055744;
    const r = x - kd * 0.01083042469326756 - kd * 2.9815858269852933e-12;
    const r2 = r * r;
    const p = r + r2 * (0.5 + r * 0.16666666666666666 + r2 * (0.041666666666666664 + r * 0.008333333333333333 + r2 * 0.001388888888888889));
    const kj = (kd | 0) + 32;
    const tm = EXPM1_TABLE[kj & 63]!;
    const s = POW2[(kj >> 6) + 1023]!;
    buf[i] = s + s * (tm + (p + tm * p));
  }
  return buf;
}

/** e^x for NaN, overflow, underflow and the subnormal range: the scale 2^q is applied in two steps. */
function expEdge(x: number): number {
  if (x !== x) return x;
  if (x > EXP_OVERFLOW) return Infinity;
  if (x < EXP_UNDERFLOW) return 0;
  const kd = x * 92.33248261689366 + 6755399441055744 - 6755399441055744;
  const r = x - kd * 0.01083042469326756 - kd * 2.9815858269852933e-12;
  const r2 = r * r;
  const p = r + r2 * (0.5 + r * 0.16666666666666666 + r2 * (0.041666666666666664 + r * 0.008333333333333333 + r2 * 0.001388888888888889));
  const kj = (kd | 0) + 32;
  const tm = EXPM1_TABLE[kj & 63]!;
  const q = kj >> 6; // −1075..1024
  const h = q >> 1;
  return (POW2[h + 1023]! * (1 + (tm + (p + tm * p)))) * POW2[q - h + 1023]!;
}

/** tanh(x). Max error 2.6 ulp (2.57 measured against an exact reference on 10^6 points); ±0, NaN and ±Infinity as IEEE tanh. */
export function fastTanh(x: number): number {
  if (!(x > -22 && x < 22) || x === 0) return tanhEdge(x);
  const y = x + x;
  const kd = y * 92.33248261689366 + 6755399441055744 - 6755399441055744;
  const r = y - kd * 0.01083042469326756 - kd * 2.9815858269852933e-12;
  const r2 = r * r;
  const p = r + r2 * (0.5 + r * 0.16666666666666666 + r2 * (0.041666666666666664 + r * 0.008333333333333333 + r2 * 0.001388888888888889));
  const kj = (kd | 0) + 32;
  const tm = EXPM1_TABLE[kj & 63]!;
  const s = POW2[(kj >> 6) + 1023]!;
  const t = s * (tm + (p + tm * p)) + (s - 1); // e^(2x) − 1
  return t / (t + 2);
}

function tanhEdge(x: number): number {
  if (x >= TANH_ONE) return 1;
  if (x <= -TANH_ONE) return -1;
  return x; // NaN, +0, −0
}

/**
 * σ(z) = 1 / (1 + e^(−z)). Max error 2.3 ulp (2.24 measured against an exact
 * reference on 10^6 points, test/libm-accuracy-exp.test.ts); σ(NaN) = NaN, σ(+∞) = 1, σ(−∞) = 0.
 * Below −708, 1 + e^z rounds to 1 and σ(z) is e^z (down to the subnormals,
 * where 1 / (1 + e^(−z)) would give 0 once e^(−z) overflows).
 */
export function fastSigmoid(z: number): number {
  if (z < -708) return fastExp(z);
  return 1 / (1 + fastExp(-z));
}

/*
 * The array forms work on four values at a time: the four computations are
 * independent, so the CPU overlaps them, and the loop's own checks are paid
 * once per four values (about 1.5 times the speed of one at a time). Each value
 * goes through exactly the operations of the scalar function, so the bits
 * are the same; a group with a value off the fast path, and the last len % 4
 * values, use the scalar function itself. tanh clamps saturated values to
 * ±22 inside the group instead (the formula gives ±1 there, the scalar
 * edge's value): deep tanh networks saturate many units, and sending their
 * groups down the scalar path made the grid of a trained 6×8 tanh network
 * about a third slower in Node.
 */

/** out[i] = fastTanh(z[i]) for i < len, the same bits. Returns out. */
export function fastTanhInto(out: Float64Array, z: Float64Array, len: number): Float64Array {
  const table = EXPM1_TABLE;
  const pow2 = POW2;
  let i = 0;
  for (; i + 4 <= len; i += 4) {
    // past ±22 the formula's value at ±22 is ±1 exactly, as tanhEdge says, so saturated
    // units are clamped instead of leaving the fast path (deep tanh networks have many);
    // NaN passes through the clamps and the formula as NaN. Only ±0 needs tanhEdge (its sign).
    const z0 = z[i]!;
    const z1 = z[i + 1]!;
    const z2 = z[i + 2]!;
    const z3 = z[i + 3]!;
    if (z0 === 0 || z1 === 0 || z2 === 0 || z3 === 0) {
      for (let k = i; k < i + 4; k++) out[k] = fastTanh(z[k]!);
      continue;
    }
    const x0 = z0 > 22 ? 22 : z0 < -22 ? -22 : z0;
    const x1 = z1 > 22 ? 22 : z1 < -22 ? -22 : z1;
    const x2 = z2 > 22 ? 22 : z2 < -22 ? -22 : z2;
    const x3 = z3 > 22 ? 22 : z3 < -22 ? -22 : z3;
    const y0 = x0 + x0;
    const y1 = x1 + x1;
    const y2 = x2 + x2;
    const y3 = x3 + x3;
    const kd0 = y0 * 92.33248261689366 + 6755399441055744 - 6755399441055744;
    const kd1 = y1 * 92.33248261689366 + 6755399441055744 - 6755399441055744;
    const kd2 = y2 * 92.33248261689366 + 6755399441055744 - 6755399441055744;
    const kd3 = y3 * 92.33248261689366 + 6755399441055744 - 6755399441055744;
    const r0 = y0 - kd0 * 0.01083042469326756 - kd0 * 2.9815858269852933e-12;
    const r1 = y1 - kd1 * 0.01083042469326756 - kd1 * 2.9815858269852933e-12;
    const r2 = y2 - kd2 * 0.01083042469326756 - kd2 * 2.9815858269852933e-12;
    const r3 = y3 - kd3 * 0.01083042469326756 - kd3 * 2.9815858269852933e-12;
    const q0 = r0 * r0;
    const q1 = r1 * r1;
    const q2 = r2 * r2;
    const q3 = r3 * r3;
    const p0 = r0 + q0 * (0.5 + r0 * 0.16666666666666666 + q0 * (0.041666666666666664 + r0 * 0.008333333333333333 + q0 * 0.001388888888888889));
    const p1 = r1 + q1 * (0.5 + r1 * 0.16666666666666666 + q1 * (0.041666666666666664 + r1 * 0.008333333333333333 + q1 * 0.001388888888888889));
    const p2 = r2 + q2 * (0.5 + r2 * 0.16666666666666666 + q2 * (0.041666666666666664 + r2 * 0.008333333333333333 + q2 * 0.001388888888888889));
    const p3 = r3 + q3 * (0.5 + r3 * 0.16666666666666666 + q3 * (0.041666666666666664 + r3 * 0.008333333333333333 + q3 * 0.001388888888888889));
    const j0 = (kd0 | 0) + 32;
    const j1 = (kd1 | 0) + 32;
    const j2 = (kd2 | 0) + 32;
    const j3 = (kd3 | 0) + 32;
    const t0 = table[j0 & 63]!;
    const t1 = table[j1 & 63]!;
    const t2 = table[j2 & 63]!;
    const t3 = table[j3 & 63]!;
    const s0 = pow2[(j0 >> 6) + 1023]!;
    const s1 = pow2[(j1 >> 6) + 1023]!;
    const s2 = pow2[(j2 >> 6) + 1023]!;
    const s3 = pow2[(j3 >> 6) + 1023]!;
    const e0 = s0 * (t0 + (p0 + t0 * p0)) + (s0 - 1);
    const e1 = s1 * (t1 + (p1 + t1 * p1)) + (s1 - 1);
    const e2 = s2 * (t2 + (p2 + t2 * p2)) + (s2 - 1);
    const e3 = s3 * (t3 + (p3 + t3 * p3)) + (s3 - 1);
    out[i + 0] = e0 / (e0 + 2);
    out[i + 1] = e1 / (e1 + 2);
    out[i + 2] = e2 / (e2 + 2);
    out[i + 3] = e3 / (e3 + 2);
  }
  for (; i < len; i++) out[i] = fastTanh(z[i]!);
  return out;
}

/** out[i] = fastSigmoid(z[i]) for i < len, the same bits. Returns out. */
export function fastSigmoidInto(out: Float64Array, z: Float64Array, len: number): Float64Array {
  const table = EXPM1_TABLE;
  const pow2 = POW2;
  let i = 0;
  for (; i + 4 <= len; i += 4) {
    const x0 = -z[i]!;
    const x1 = -z[i + 1]!;
    const x2 = -z[i + 2]!;
    const x3 = -z[i + 3]!;
    if (!(x0 > -708 && x0 < 708 && x1 > -708 && x1 < 708 && x2 > -708 && x2 < 708 && x3 > -708 && x3 < 708)) {
      for (let k = i; k < i + 4; k++) out[k] = fastSigmoid(z[k]!);
      continue;
    }
    const kd0 = x0 * 92.33248261689366 + 6755399441055744 - 6755399441055744;
    const kd1 = x1 * 92.33248261689366 + 6755399441055744 - 6755399441055744;
    const kd2 = x2 * 92.33248261689366 + 6755399441055744 - 6755399441055744;
    const kd3 = x3 * 92.33248261689366 + 6755399441055744 - 6755399441055744;
    const r0 = x0 - kd0 * 0.01083042469326756 - kd0 * 2.9815858269852933e-12;
    const r1 = x1 - kd1 * 0.01083042469326756 - kd1 * 2.9815858269852933e-12;
    const r2 = x2 - kd2 * 0.01083042469326756 - kd2 * 2.9815858269852933e-12;
    const r3 = x3 - kd3 * 0.01083042469326756 - kd3 * 2.9815858269852933e-12;
    const q0 = r0 * r0;
    const q1 = r1 * r1;
    const q2 = r2 * r2;
    const q3 = r3 * r3;
    const p0 = r0 + q0 * (0.5 + r0 * 0.16666666666666666 + q0 * (0.041666666666666664 + r0 * 0.008333333333333333 + q0 * 0.001388888888888889));
    const p1 = r1 + q1 * (0.5 + r1 * 0.16666666666666666 + q1 * (0.041666666666666664 + r1 * 0.008333333333333333 + q1 * 0.001388888888888889));
    const p2 = r2 + q2 * (0.5 + r2 * 0.16666666666666666 + q2 * (0.041666666666666664 + r2 * 0.008333333333333333 + q2 * 0.001388888888888889));
    const p3 = r3 + q3 * (0.5 + r3 * 0.16666666666666666 + q3 * (0.041666666666666664 + r3 * 0.008333333333333333 + q3 * 0.001388888888888889));
    const j0 = (kd0 | 0) + 32;
    const j1 = (kd1 | 0) + 32;
    const j2 = (kd2 | 0) + 32;
    const j3 = (kd3 | 0) + 32;
    const t0 = table[j0 & 63]!;
    const t1 = table[j1 & 63]!;
    const t2 = table[j2 & 63]!;
    const t3 = table[j3 & 63]!;
    const s0 = pow2[(j0 >> 6) + 1023]!;
    const s1 = pow2[(j1 >> 6) + 1023]!;
    const s2 = pow2[(j2 >> 6) + 1023]!;
    const s3 = pow2[(j3 >> 6) + 1023]!;
    out[i + 0] = 1 / (1 + (s0 + s0 * (t0 + (p0 + t0 * p0))));
    out[i + 1] = 1 / (1 + (s1 + s1 * (t1 + (p1 + t1 * p1))));
    out[i + 2] = 1 / (1 + (s2 + s2 * (t2 + (p2 + t2 * p2))));
    out[i + 3] = 1 / (1 + (s3 + s3 * (t3 + (p3 + t3 * p3))));
  }
  for (; i < len; i++) out[i] = fastSigmoid(z[i]!);
  return out;
}
