import type { LossName } from "@backprop-lab/core";

/**
 * The loss of the best constant prediction (the targets' mean for every row):
 * what a network that learned nothing but the base rates scores. mse (core's
 * Σ(y − a)² / 2n): half the sum of the targets' variances; cross-entropy: the
 * entropy of the class frequencies; binary cross-entropy: the sum of each
 * output's entropy. `sumY` and `sumY2` hold per output the sums of y and y²
 * over `rows` rows.
 */
export function constantLoss(loss: LossName, sumY: Float64Array, sumY2: Float64Array, rows: number): number {
  if (rows === 0) return Number.NaN;
  let out = 0;
  for (let o = 0; o < sumY.length; o++) {
    const p = sumY[o]! / rows;
    if (loss === "mse") out += (sumY2[o]! / rows - p * p) / 2;
    else if (loss === "cross-entropy") out -= p > 0 ? p * Math.log(p) : 0;
    else out -= (p > 0 ? p * Math.log(p) : 0) + (p < 1 ? (1 - p) * Math.log(1 - p) : 0);
  }
  return out;
}
