import { describe, expect, it } from "vitest";
import { EXPM1_TABLE, fastSigmoid, fastTanh, POW2 } from "../src/fast-math.js";
import { seeded } from "./exact-reference.js";
import { TRAIN_EXPM1_AT, TRAIN_FREE_AT, TRAIN_POW2_AT, TRAIN_WASM } from "../src/wasm-train-kernels.generated.js";

// The training module's vector sigmoid and tanh kernels (two interleaved f64x2 chains, their exp built in integer
// lanes, the power of two from its bits) against fast-math.ts's scalar functions, value by value, on a million
// inputs each: the bulk of the range, the fast path's edges, saturation, subnormals, ±0, NaN and ±Infinity, mixed
// so that every group of four the kernels take together meets every kind of neighbour.

interface Kernels {
  memory: WebAssembly.Memory;
  sigmoid(out: number, z: number, len: number): void;
  tanh(out: number, z: number, len: number): void;
}

function kernels(len: number): { k: Kernels; heap: Float64Array; zAt: number; outAt: number } {
  const bytes = Uint8Array.from(atob(TRAIN_WASM), (c) => c.charCodeAt(0));
  const k = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports as unknown as Kernels;
  const zAt = TRAIN_FREE_AT;
  const outAt = zAt + len * 8;
  const need = outAt + len * 8 - k.memory.buffer.byteLength;
  if (need > 0) k.memory.grow(Math.ceil(need / 65536));
  const heap = new Float64Array(k.memory.buffer);
  heap.set(EXPM1_TABLE, TRAIN_EXPM1_AT / 8);
  heap.set(POW2, TRAIN_POW2_AT / 8);
  return { k, heap, zAt, outAt };
}

const EDGES = [
  0, -0, 708, -708, 707.9999999999999, -707.9999999999999, 708.0000000000001, -708.0000000000001, 709.782712893384, -745.1332191019412,
  746, -746, 22, -22, 21.999999999999996, -21.999999999999996, 22.000000000000004, 5e-324, -5e-324, 2.2250738585072014e-308,
  1e-300, -1e-300, 1e-17, -1e-17, Number.MAX_VALUE, -Number.MAX_VALUE, Infinity, -Infinity, NaN,
];

function inputs(n: number, seed: number): Float64Array {
  const u = seeded(seed);
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const kind = u();
    if (kind < 0.6) z[i] = (u() - 0.5) * 80; // where networks live
    else if (kind < 0.9) z[i] = (u() < 0.5 ? -1 : 1) * Math.pow(2, u() * 20 - 10) * (1 + u()); // magnitudes 2^-10 … 2^11
    else if (kind < 0.97) z[i] = (u() - 0.5) * 1600; // past the fast range both ways
    else z[i] = EDGES[Math.floor(u() * EDGES.length)]!;
  }
  return z;
}

function firstDifference(got: Float64Array, z: Float64Array, f: (v: number) => number): string | null {
  for (let i = 0; i < z.length; i++) {
    const want = f(z[i]!);
    if (!(Object.is(got[i], want) || (Number.isNaN(got[i]) && Number.isNaN(want)))) return `z = ${z[i]} (index ${i}): kernel ${got[i]}, fast-math ${want}`;
  }
  return null;
}

describe("the training module's sigmoid and tanh kernels", () => {
  const N = 1_000_000;
  for (const [name, f] of [
    ["sigmoid", fastSigmoid],
    ["tanh", fastTanh],
  ] as const) {
    it(`${name}: fast-math.ts's bits on 10^6 inputs, edges included, at every offset of the four-value groups`, () => {
      const { k, heap, zAt, outAt } = kernels(N + 3);
      const z = inputs(N + 3, name === "sigmoid" ? 11 : 12);
      heap.set(z, zAt / 8);
      // the whole array, then shifted by 1, 2, 3 values (other groupings, and tails of every length)
      for (const shift of [0, 1, 2, 3]) {
        const len = N - shift;
        k[name](outAt + shift * 8, zAt + shift * 8, len);
        const got = heap.slice(outAt / 8 + shift, outAt / 8 + shift + len);
        expect(firstDifference(got, z.subarray(shift, shift + len), f)).toBeNull();
      }
    });
  }
});
