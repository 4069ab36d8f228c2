/** Seeded test points for the accuracy tests: uniform, every binade, and the doubles next to hard cases. */
import { fromBits, seeded } from "./exact-reference.js";

export function uniform(seed: number, lo: number, hi: number, n: number): number[] {
  const r = seeded(seed);
  return Array.from({ length: n }, () => lo + (hi - lo) * r());
}

/** n doubles with a random exponent in [eLo, eHi) (unbiased, −1075 means subnormal) and random mantissa bits; both signs when signed. */
export function binades(seed: number, eLo: number, eHi: number, n: number, signed: boolean): number[] {
  const r = seeded(seed);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const e = eLo + Math.floor(r() * (eHi - eLo));
    const biased = Math.max(0, e + 1023);
    const hi = (biased << 20) | Math.floor(r() * 0x100000);
    const lo = Math.floor(r() * 4294967296);
    const x = fromBits(hi, lo);
    out.push(signed && r() < 0.5 ? -x : x);
  }
  return out;
}

/** The 2k + 1 doubles around x. */
export function around(x: number, k: number): number[] {
  if (x === 0) return Array.from({ length: 2 * k + 1 }, (_, i) => (i - k) * 5e-324);
  const f = new Float64Array([x]);
  const b = new BigInt64Array(f.buffer);
  const base = b[0]!;
  const out: number[] = [];
  for (let d = -k; d <= k; d++) {
    b[0] = base + BigInt(x < 0 ? -d : d);
    out.push(f[0]!);
  }
  return out;
}
