import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createBatcher, createRng, makeDataset, type Rng } from "../src/index.js";
import { createNumpyRng, shuffleInPlace } from "../src/internal.js";

/** Fisher–Yates as written before draws were batched: one next() per swap. */
function shuffleOneByOne(out: Uint32Array, rng: Rng): Uint32Array {
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    const t = out[i]!;
    out[i] = out[j]!;
    out[j] = t;
  }
  return out;
}

describe("seeded generators", () => {
  it("fill writes the values next() gives in turn, and leaves the generator where next() would (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 300 }), fc.boolean(), (seed, n, numpy) => {
        const make = numpy ? createNumpyRng : createRng;
        const a = make(seed);
        const b = make(seed);
        const filled = a.fill(new Float64Array(n + 2), n);
        for (let k = 0; k < n; k++) expect(filled[k]).toBe(b.next());
        expect(filled[n]).toBe(0);
        expect(a.next()).toBe(b.next());
      }),
      { numRuns: 300 },
    );
  });

  it("shuffleInPlace gives the one-draw-per-swap permutation, with or without a scratch buffer (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 500 }), (seed, n) => {
        const expected = shuffleOneByOne(Uint32Array.from({ length: n }, (_, i) => i), createRng(seed));
        expect(Array.from(shuffleInPlace(Uint32Array.from({ length: n }, (_, i) => i), createRng(seed)))).toEqual(Array.from(expected));
        const scratch = new Float64Array(n + 5);
        expect(Array.from(shuffleInPlace(Uint32Array.from({ length: n }, (_, i) => i), createRng(seed), scratch))).toEqual(Array.from(expected));
        // a short scratch is not overrun: a buffer of its own is used
        const short = new Float64Array(1);
        expect(Array.from(shuffleInPlace(Uint32Array.from({ length: n }, (_, i) => i), createRng(seed), short))).toEqual(Array.from(expected));
        if (n > 2) expect(short[0]).toBe(0);
      }),
      { numRuns: 200 },
    );
  });

  it("the batcher's epochs are the one-draw-per-swap permutations of its seed", () => {
    const data = makeDataset("spiral", { n: 37, seed: 4 });
    const batcher = createBatcher(data, { batchSize: 5, seed: 11 });
    const rng = createRng(11);
    const order = Uint32Array.from({ length: 37 }, (_, i) => i);
    for (let epoch = 0; epoch < 3; epoch++) {
      shuffleOneByOne(order, rng);
      for (let start = 0; start < 37; start += 5) {
        const batch = batcher.next();
        for (let k = 0; k < batch.n; k++) {
          const row = order[start + k]!;
          expect([batch.x[2 * k], batch.x[2 * k + 1]]).toEqual([data.x[2 * row], data.x[2 * row + 1]]);
        }
      }
    }
  });
});
