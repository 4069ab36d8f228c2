import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { denseBackward, denseForward } from "../src/kernels.js";

// The textbook loops, one running sum per output in the order the kernels
// promise; the blocked kernels must give the very same bits.
function naiveForward(x: Float64Array, W: Float64Array, b: Float64Array | null, n: number, nIn: number, nOut: number): Float64Array {
  const z = new Float64Array(n * nOut);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < nOut; j++) {
      let s = b ? b[j]! : 0;
      for (let i = 0; i < nIn; i++) s += x[r * nIn + i]! * W[i * nOut + j]!;
      z[r * nOut + j] = s;
    }
  }
  return z;
}

function naiveBackward(dW: Float64Array, db: Float64Array | null, dz: Float64Array, x: Float64Array, W: Float64Array, n: number, nIn: number, nOut: number) {
  const dx = new Float64Array(n * nIn);
  for (let i = 0; i < nIn; i++) {
    for (let j = 0; j < nOut; j++) {
      let s = dW[i * nOut + j]!;
      for (let r = 0; r < n; r++) s += x[r * nIn + i]! * dz[r * nOut + j]!;
      dW[i * nOut + j] = s;
    }
  }
  if (db) {
    for (let j = 0; j < nOut; j++) {
      let s = db[j]!;
      for (let r = 0; r < n; r++) s += dz[r * nOut + j]!;
      db[j] = s;
    }
  }
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < nIn; i++) {
      let s = 0;
      for (let j = 0; j < nOut; j++) s += dz[r * nOut + j]! * W[i * nOut + j]!;
      dx[r * nIn + i] = s;
    }
  }
  return dx;
}

const shape = fc.record({ n: fc.integer({ min: 1, max: 11 }), nIn: fc.integer({ min: 1, max: 9 }), nOut: fc.integer({ min: 1, max: 9 }), bias: fc.boolean() });
const values = (len: number) => fc.float64Array({ minLength: len, maxLength: len, noNaN: true, noDefaultInfinity: true, min: -1e3, max: 1e3 });

describe("dense kernels sum in a fixed order", () => {
  it("denseForward equals the textbook loop bit for bit and returns z", () => {
    fc.assert(
      fc.property(
        shape.chain((s) => fc.tuple(fc.constant(s), values(s.n * s.nIn), values(s.nIn * s.nOut), values(s.nOut))),
        ([{ n, nIn, nOut, bias }, x, W, b]) => {
          const z = new Float64Array(n * nOut);
          expect(denseForward(z, x, W, bias ? b : null, n, nIn, nOut)).toBe(z);
          expect(Array.from(z)).toEqual(Array.from(naiveForward(x, W, bias ? b : null, n, nIn, nOut)));
        },
      ),
    );
  });

  it("denseBackward equals the textbook loops bit for bit, accumulating into dW and db", () => {
    fc.assert(
      fc.property(
        shape.chain((s) =>
          fc.tuple(fc.constant(s), values(s.n * s.nIn), values(s.nIn * s.nOut), values(s.n * s.nOut), values(s.nIn * s.nOut), values(s.nOut)),
        ),
        ([{ n, nIn, nOut, bias }, x, W, dz, dW0, db0]) => {
          const dW = dW0.slice();
          const db = bias ? db0.slice() : null;
          const dx = new Float64Array(n * nIn);
          denseBackward(dx, dW, db, dz, x, W, n, nIn, nOut);
          const dWRef = dW0.slice();
          const dbRef = bias ? db0.slice() : null;
          const dxRef = naiveBackward(dWRef, dbRef, dz, x, W, n, nIn, nOut);
          expect(Array.from(dW)).toEqual(Array.from(dWRef));
          expect(db && Array.from(db)).toEqual(dbRef && Array.from(dbRef));
          expect(Array.from(dx)).toEqual(Array.from(dxRef));
          const dW2 = dW0.slice();
          denseBackward(null, dW2, null, dz, x, W, n, nIn, nOut);
          expect(Array.from(dW2)).toEqual(Array.from(dWRef));
        },
      ),
    );
  });
});
