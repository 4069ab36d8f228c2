import { datasetInfo } from "@backprop-lab/core";

/**
 * Cell centres of a side × side grid over the XOR data's domain ([-6, 6]²),
 * x1 varying fastest, rounded to float32: (side², 2) row-major.
 */
export function gridPoints(side: number): Float64Array {
  const { x1, x2 } = datasetInfo("xor").domain;
  const out = new Float64Array(side * side * 2);
  for (let r = 0; r < side; r++) {
    const v = x2[1] - ((r + 0.5) * (x2[1] - x2[0])) / side;
    for (let c = 0; c < side; c++) {
      const u = x1[0] + ((c + 0.5) * (x1[1] - x1[0])) / side;
      const k = 2 * (r * side + c);
      out[k] = Math.fround(u);
      out[k + 1] = Math.fround(v);
    }
  }
  return out;
}
