/**
 * Dense layer kernels over row-major matrices. Outputs first, then inputs,
 * then sizes; nothing allocates.
 */

/** z = x·W + b. x (n, nIn), W (nIn, nOut), b (nOut) or null; returns z (n, nOut). */
export function denseForward(
  z: Float64Array,
  x: Float64Array,
  W: Float64Array,
  b: Float64Array | null,
  n: number,
  nIn: number,
  nOut: number,
): Float64Array {
  for (let r = 0; r < n; r++) {
    const zo = r * nOut;
    const xo = r * nIn;
    if (b) for (let j = 0; j < nOut; j++) z[zo + j] = b[j]!;
    else for (let j = 0; j < nOut; j++) z[zo + j] = 0;
    for (let i = 0; i < nIn; i++) {
      const xi = x[xo + i]!;
      const wo = i * nOut;
      for (let j = 0; j < nOut; j++) z[zo + j] = z[zo + j]! + xi * W[wo + j]!;
    }
  }
  return z;
}

/**
 * forward was z = x·W + b, so:  dW += xᵀ·dz,  db += Σ_rows dz,  dx = dz·Wᵀ.
 * dz (n, nOut), x (n, nIn), W (nIn, nOut); dx (n, nIn) is skipped when null
 * (the first layer needs no gradient for its input).
 */
export function denseBackward(
  dx: Float64Array | null,
  dW: Float64Array,
  db: Float64Array | null,
  dz: Float64Array,
  x: Float64Array,
  W: Float64Array,
  n: number,
  nIn: number,
  nOut: number,
): void {
  for (let r = 0; r < n; r++) {
    const zo = r * nOut;
    const xo = r * nIn;
    for (let i = 0; i < nIn; i++) {
      const xi = x[xo + i]!;
      const wo = i * nOut;
      let acc = 0;
      for (let j = 0; j < nOut; j++) {
        const g = dz[zo + j]!;
        dW[wo + j] = dW[wo + j]! + xi * g;
        acc += g * W[wo + j]!;
      }
      if (dx) dx[xo + i] = acc;
    }
    if (db) for (let j = 0; j < nOut; j++) db[j] = db[j]! + dz[zo + j]!;
  }
}
