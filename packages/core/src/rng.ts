import { mersenne } from "pure-rand/generator/mersenne";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import type { RandomGenerator } from "pure-rand/types/RandomGenerator";
import { assertInt } from "./errors.js";
import { cos, log, sin } from "./libm.js";

/**
 * A seeded source of uniform floats in [0, 1). Every random choice in
 * backprop-lab (initial weights, data, shuffles) draws from one of these; the
 * same seed gives the same numbers on every runtime.
 */
export interface Rng {
  /** Uniform in [0, 1), 53 random bits. */
  next(): number;
  /** Standard normal. */
  normal(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number;
  /**
   * The next `n` values of `next()`, in order, written into out[0..n).
   * Returns out. A double returned from a call V8 does not inline is boxed
   * on the heap; written into a Float64Array it is not, so the batcher's
   * per-epoch shuffle allocates nothing whatever the JIT decides.
   */
  fill(out: Float64Array, n: number): Float64Array;
}

const TWO_POW_26 = 67108864;
const TWO_POW_53 = 9007199254740992;

/**
 * numpy's legacy `RandomState(seed)`: MT19937 seeded with init_genrand,
 * `random_sample` as (a >> 5, b >> 6) → 53 bits, and `randn` by the polar
 * method with its cached second value. Seed 2017 gives the course's weights
 * bit for bit, seed 0 the course's data.
 */
export function createNumpyRng(seed: number): Rng {
  assertInt(seed, "seed", 0, 0xffffffff);
  const g: RandomGenerator = mersenne(seed);
  let cached = 0;
  let hasCached = false;
  const next = (): number => {
    const a = (g.next() >>> 0) >>> 5;
    const b = (g.next() >>> 0) >>> 6;
    return (a * TWO_POW_26 + b) / TWO_POW_53;
  };
  const fill = fillFrom(g);
  return withHelpers(next, fill, () => {
    if (hasCached) {
      hasCached = false;
      return cached;
    }
    let x1: number, x2: number, r2: number;
    do {
      x1 = 2 * next() - 1;
      x2 = 2 * next() - 1;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1 || r2 === 0);
    const f = Math.sqrt((-2 * log(r2)) / r2);
    cached = f * x1;
    hasCached = true;
    return f * x2;
  });
}

/** The default generator: pure-rand's xoroshiro128+, normals by Box–Muller. */
export function createRng(seed: number): Rng {
  assertInt(seed, "seed", 0, 0xffffffff);
  // xoroshiro128plus takes a 32-bit seed; `| 0` keeps seeds above 2^31 distinct.
  const g: RandomGenerator = xoroshiro128plus(seed | 0);
  const next = (): number => {
    const a = (g.next() >>> 0) >>> 5;
    const b = (g.next() >>> 0) >>> 6;
    return (a * TWO_POW_26 + b) / TWO_POW_53;
  };
  const fill = fillFrom(g);
  let cached = 0;
  let hasCached = false;
  return withHelpers(next, fill, () => {
    if (hasCached) {
      hasCached = false;
      return cached;
    }
    let u = next();
    while (u === 0) u = next();
    const v = next();
    const r = Math.sqrt(-2 * log(u));
    cached = r * sin(2 * Math.PI * v);
    hasCached = true;
    return r * cos(2 * Math.PI * v);
  });
}

/** Rng.fill over generator `g`: next()'s arithmetic repeated inline, so no double crosses a call. */
function fillFrom(g: RandomGenerator): Rng["fill"] {
  return (out, n) => {
    for (let k = 0; k < n; k++) {
      const a = (g.next() >>> 0) >>> 5;
      const b = (g.next() >>> 0) >>> 6;
      out[k] = (a * TWO_POW_26 + b) / TWO_POW_53;
    }
    return out;
  };
}

function withHelpers(next: () => number, fill: Rng["fill"], normal: () => number): Rng {
  return {
    next,
    normal,
    fill,
    int: (n: number) => Math.floor(next() * n),
    uniform: (lo: number, hi: number) => lo + (hi - lo) * next(),
  };
}

/**
 * Fisher–Yates shuffle of `out` in place, drawing from `rng`; returns `out`.
 * The out.length − 1 uniforms are drawn first with `rng.fill` into `scratch`
 * (allocated when missing or short), the same values in the same order as
 * one `rng.next()` per swap.
 */
export function shuffleInPlace(out: Uint32Array, rng: Rng, scratch?: Float64Array): Uint32Array {
  const draws = out.length - 1;
  if (draws <= 0) return out;
  const u = scratch !== undefined && scratch.length >= draws ? scratch : new Float64Array(draws);
  rng.fill(u, draws);
  for (let i = draws, k = 0; i > 0; i--, k++) {
    const j = Math.floor(u[k]! * (i + 1));
    const t = out[i]!;
    out[i] = out[j]!;
    out[j] = t;
  }
  return out;
}

/** A fresh seed drawn from a seeded generator (for "new seed" buttons that stay reproducible). */
export function deriveSeed(rng: Rng): number {
  return Math.floor(rng.next() * 0x100000000) >>> 0;
}
