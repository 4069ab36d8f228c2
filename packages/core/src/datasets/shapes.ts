import { cos, sin } from "../libm.js";
import type { Rng } from "../rng.js";

// Point generators: each fills caller-allocated x (n, 2) and labels (n) or
// targets (n), drawing every random number from `rng` in a fixed order.
// Playground sets follow tensorflow/playground's dataset.ts: its label +1 is
// class 1 here, -1 is class 0, and noise is its fraction in [0, 0.5].

/** Writes (n, 2) inputs and class labels. */
export type ClassShape = (x: Float64Array, labels: Int32Array, n: number, noise: number, rng: Rng) => void;

/** Writes (n, 2) inputs and one regression target per row. */
export type TargetShape = (x: Float64Array, y: Float64Array, n: number, noise: number, rng: Rng) => void;

/** Playground xor: x1, x2 ~ U(-5, 5) pushed 0.3 off the axes; class 1 when (x1 + e1)(x2 + e2) >= 0, e ~ U(-5, 5)·noise. */
export function xorPoints(x: Float64Array, labels: Int32Array, n: number, noise: number, rng: Rng): void {
  const pad = (v: number): number => (v > 0 ? v + 0.3 : v - 0.3);
  for (let i = 0; i < n; i++) {
    const x1 = pad(rng.uniform(-5, 5));
    const x2 = pad(rng.uniform(-5, 5));
    const e1 = rng.uniform(-5, 5) * noise;
    const e2 = rng.uniform(-5, 5) * noise;
    x[2 * i] = x1;
    x[2 * i + 1] = x2;
    labels[i] = (x1 + e1) * (x2 + e2) >= 0 ? 1 : 0;
  }
}

/**
 * Playground circle: the first ⌈n/2⌉ points at radius U(0, 2.5), the rest at
 * U(3.5, 5), angle U(0, 2π); class 1 when |x + e| < 2.5, e ~ U(-5, 5)·noise, so
 * noise flips labels near the rim without moving the points.
 */
export function circlePoints(x: Float64Array, labels: Int32Array, n: number, noise: number, rng: Rng): void {
  const inner = Math.ceil(n / 2);
  for (let i = 0; i < n; i++) {
    const r = i < inner ? rng.uniform(0, 2.5) : rng.uniform(3.5, 5);
    const angle = rng.uniform(0, 2 * Math.PI);
    const x1 = r * sin(angle);
    const x2 = r * cos(angle);
    const e1 = rng.uniform(-5, 5) * noise;
    const e2 = rng.uniform(-5, 5) * noise;
    x[2 * i] = x1;
    x[2 * i + 1] = x2;
    labels[i] = Math.sqrt((x1 + e1) * (x1 + e1) + (x2 + e2) * (x2 + e2)) < 2.5 ? 1 : 0;
  }
}

/** Playground gauss: ⌈n/2⌉ points of class 1 around (2, 2), the rest of class 0 around (-2, -2); variance 0.5 + 7·noise (0.5 → 4). */
export function gaussPoints(x: Float64Array, labels: Int32Array, n: number, noise: number, rng: Rng): void {
  const sd = Math.sqrt(0.5 + 7 * noise);
  const first = Math.ceil(n / 2);
  for (let i = 0; i < n; i++) {
    const c = i < first ? 2 : -2;
    x[2 * i] = c + sd * rng.normal();
    x[2 * i + 1] = c + sd * rng.normal();
    labels[i] = i < first ? 1 : 0;
  }
}

/**
 * Spiral arms, Playground style: with m = n/arms, point i of arm k sits at
 * r = 5i/m, t = 1.75·2π·i/m + 2πk/arms, (r sin t, r cos t) + U(-1, 1)·noise.
 * Arms get ⌊n/arms⌋ points, the first n mod arms one more; arm k has class classOf(k).
 */
function spiralArms(x: Float64Array, labels: Int32Array, n: number, noise: number, rng: Rng, arms: number, classOf: (k: number) => number): void {
  const m = n / arms;
  let row = 0;
  for (let k = 0; k < arms; k++) {
    const count = Math.floor(n / arms) + (k < n % arms ? 1 : 0);
    const offset = (2 * Math.PI * k) / arms;
    for (let i = 0; i < count; i++, row++) {
      const r = (i / m) * 5;
      const t = ((1.75 * i) / m) * 2 * Math.PI + offset;
      x[2 * row] = r * sin(t) + rng.uniform(-1, 1) * noise;
      x[2 * row + 1] = r * cos(t) + rng.uniform(-1, 1) * noise;
      labels[row] = classOf(k);
    }
  }
}

/** Playground spiral: two arms offset by π, the first of class 1. */
export function spiralPoints(x: Float64Array, labels: Int32Array, n: number, noise: number, rng: Rng): void {
  spiralArms(x, labels, n, noise, rng, 2, (k) => 1 - k);
}

/** Three Playground-style arms offset by 2π/3, arm k of class k. */
export function spiral3Points(x: Float64Array, labels: Int32Array, n: number, noise: number, rng: Rng): void {
  spiralArms(x, labels, n, noise, rng, 3, (k) => k);
}

/**
 * scikit-learn's make_moons (unshuffled): ⌊n/2⌋ points of class 0 on
 * (cos t, sin t) and the rest of class 1 on (1 - cos t, 0.5 - sin t), t evenly
 * spaced on [0, π], plus N(0, noise²) on each coordinate; then centred at
 * (0.5, 0.25) and scaled by 3 to fill the Playground's [-6, 6] view. So noise
 * is in make_moons units: noise 0.1 is micrograd's moons, scaled.
 */
export function moonsPoints(x: Float64Array, labels: Int32Array, n: number, noise: number, rng: Rng): void {
  const outer = Math.floor(n / 2);
  for (let i = 0; i < n; i++) {
    const isOuter = i < outer;
    const count = isOuter ? outer : n - outer;
    const j = isOuter ? i : i - outer;
    const t = count > 1 ? (Math.PI * j) / (count - 1) : 0;
    let x1 = isOuter ? cos(t) : 1 - cos(t);
    let x2 = isOuter ? sin(t) : 0.5 - sin(t);
    if (noise > 0) {
      x1 += noise * rng.normal();
      x2 += noise * rng.normal();
    }
    x[2 * i] = 3 * (x1 - 0.5);
    x[2 * i + 1] = 3 * (x2 - 0.25);
    labels[i] = isOuter ? 0 : 1;
  }
}

/** Playground reg-plane: x ~ U(-6, 6)², target (x1 + e1 + x2 + e2)/10 with e ~ U(-6, 6)·noise. */
export function regPlanePoints(x: Float64Array, y: Float64Array, n: number, noise: number, rng: Rng): void {
  for (let i = 0; i < n; i++) {
    const x1 = rng.uniform(-6, 6);
    const x2 = rng.uniform(-6, 6);
    const e1 = rng.uniform(-6, 6) * noise;
    const e2 = rng.uniform(-6, 6) * noise;
    x[2 * i] = x1;
    x[2 * i + 1] = x2;
    y[i] = (x1 + e1 + x2 + e2) / 10;
  }
}

// Centres (cx, cy) and signs of the six bumps of reg-gauss.
const BUMPS = [
  [-4, 2.5, 1],
  [0, 2.5, -1],
  [4, 2.5, 1],
  [-4, -2.5, -1],
  [0, -2.5, 1],
  [4, -2.5, -1],
] as const;

/**
 * Playground reg-gauss: x ~ U(-6, 6)²; at p = x + e (e ~ U(-6, 6)·noise) each
 * bump gives sign·max(0, 1 - |p - c|/2) and the target is the one largest in
 * absolute value (the first on ties), in [-1, 1].
 */
export function regGaussPoints(x: Float64Array, y: Float64Array, n: number, noise: number, rng: Rng): void {
  for (let i = 0; i < n; i++) {
    const x1 = rng.uniform(-6, 6);
    const x2 = rng.uniform(-6, 6);
    const p1 = x1 + rng.uniform(-6, 6) * noise;
    const p2 = x2 + rng.uniform(-6, 6) * noise;
    let target = 0;
    for (const [cx, cy, sign] of BUMPS) {
      const v = sign * Math.max(0, 1 - Math.sqrt((p1 - cx) * (p1 - cx) + (p2 - cy) * (p2 - cy)) / 2);
      if (Math.abs(v) > Math.abs(target)) target = v;
    }
    x[2 * i] = x1;
    x[2 * i + 1] = x2;
    y[i] = target;
  }
}
