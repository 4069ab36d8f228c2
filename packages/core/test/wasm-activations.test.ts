import { describe, expect, it } from "vitest";
import { EXPM1_TABLE, fastSigmoid, fastTanh, POW2 } from "../src/fast-math.js";
import { seeded } from "./exact-reference.js";
import { createMlp, createTrainer } from "../src/index.js";
import { countOutside } from "../src/internal.js";
import { instantiate, wasmModuleLoader } from "../src/wasm-module.js";
import { TRAIN_EXPM1_AT, TRAIN_FREE_AT, TRAIN_POW2_AT, TRAIN_WASM } from "../src/wasm-train-kernels.generated.js";

// The training module's vector sigmoid and tanh kernels (two groups of four and one of two interleaved f64x2 chains, their exp built in
// integer lanes, the power of two from its bits) against fast-math.ts's scalar functions, value by value, on a
// million inputs each: the bulk of the range, the fast path's edges, saturation, subnormals, ±0, NaN and ±Infinity,
// mixed so that every group the kernels take together (sixteen values a step for sigmoid, in two groups of eight, four for tanh) meets every kind of
// neighbour.

interface Kernels {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  sigmoid(out: number, z: number, len: number): void;
  tanh(out: number, z: number, len: number): void;
}

function kernels(len: number): { k: Kernels; heap: Float64Array; zAt: number; outAt: number } {
  const k = instantiate<Kernels>(wasmModuleLoader(TRAIN_WASM)()!)!;
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
    it(`${name}: fast-math.ts's bits on 10^6 inputs, edges included, at every offset of the kernel's groups of values`, () => {
      const { k, heap, zAt, outAt } = kernels(N + 15);
      const z = inputs(N + 15, name === "sigmoid" ? 11 : 12);
      heap.set(z, zAt / 8);
      // the whole array, then shifted by 1 … 15 values (other groupings, and tails of every length)
      for (let shift = 0; shift < 16; shift++) {
        const len = N - shift;
        k[name](outAt + shift * 8, zAt + shift * 8, len);
        const got = heap.slice(outAt / 8 + shift, outAt / 8 + shift + len);
        expect(firstDifference(got, z.subarray(shift, shift + len), f)).toBeNull();
      }
    });
  }
});

describe("countOutside", () => {
  /** The count as a plain loop, written here. */
  const direct = (a: ArrayLike<number>, len: number, c: number, e: number) => {
    let n = 0;
    for (let i = 0; i < len; i++) if (Math.abs(a[i]! - c) > e) n++;
    return n;
  };

  it("counts in place in a WebAssembly trainer's workspace, and in JavaScript elsewhere, as a direct loop does", () => {
    const u = seeded(21);
    for (const [hidden, c, e] of [
      ["sigmoid", 0.5, 0.49],
      ["tanh", 0, 0.98],
    ] as const) {
      const net = createMlp({ sizes: [2, 7, 3, 1], hidden, output: "sigmoid", bias: true }, { seed: 4 });
      for (let i = 0; i < net.params.length; i++) net.params[i] = net.params[i]! * 9; // saturate some units
      const trainer = createTrainer(net, { learningRate: 0.1, kernel: "wasm" });
      const n = 13;
      const x = Float64Array.from({ length: 2 * n }, () => (u() - 0.5) * 8);
      const y = Float64Array.from({ length: n }, () => (u() < 0.5 ? 0 : 1));
      const band = Float64Array.of(c, e);
      const seen: { inWasm: number; inJs: number; want: number }[] = [];
      trainer.addHook(({ workspace }) => {
        for (const l of [0, 1]) {
          const a = workspace.a[l]!;
          // every length, so the pair loop's tail and the odd last value both come up
          for (let len = 0; len <= n * (l === 0 ? 7 : 3); len++) {
            seen.push({ inWasm: countOutside(a, len, band), inJs: countOutside(a.slice(), len, band), want: direct(a, len, c, e) });
          }
        }
      });
      trainer.step({ x, y, n });
      expect(seen.length).toBe(n * 7 + 1 + n * 3 + 1);
      expect(seen.filter((s) => s.inWasm !== s.want || s.inJs !== s.want)).toEqual([]);
      // a real mix: some but not all of the first layer's activations are out at the rails
      const full = seen[n * 7]!.want;
      expect(full).toBeGreaterThan(0);
      expect(full).toBeLessThan(n * 7);
    }
    expect(countOutside(Float64Array.of(NaN, 1, 0.5), 3, Float64Array.of(0.5, 0.4))).toBe(1);
    expect(() => countOutside(new Float64Array(2), 3, Float64Array.of(0, 1))).toThrow(/len must be an integer from 0 to 2, got 3/);
  });
});
