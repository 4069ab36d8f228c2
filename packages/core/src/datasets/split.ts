import { selectRows, type Dataset } from "../data.js";
import { assertFinite, BackpropError } from "../errors.js";
import { createRng, shuffleInPlace } from "../rng.js";

export interface SplitOptions {
  /** Fraction of rows held out for testing, in [0, 0.9]; 0 leaves test empty. */
  testRatio: number;
  /** Seed of the shuffle; the same seed gives the same split. */
  seed?: number;
}

export interface SplitDataset {
  train: Dataset;
  test: Dataset;
}

/**
 * Shuffles the rows with a seeded Fisher–Yates and cuts them in two:
 * round(n·testRatio) test rows, the rest for training (at least one, when
 * n >= 1). Every row lands in exactly one part, rows are copied.
 *
 * @example splitDataset(makeDataset("xor"), { testRatio: 0.5, seed: 1 }) // 250 train, 250 test
 */
export function splitDataset(data: Dataset, options: SplitOptions): SplitDataset {
  const { testRatio, seed = 0 } = options;
  assertFinite(testRatio, "testRatio");
  if (testRatio < 0 || testRatio > 0.9) {
    throw new BackpropError("invalid-argument", `testRatio must be in [0, 0.9], got ${testRatio}`, { field: "testRatio" });
  }
  const n = data.n;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  shuffleInPlace(order, createRng(seed));
  const nTest = Math.min(Math.round(n * testRatio), Math.max(n - 1, 0));
  const nTrain = n - nTest;
  return {
    train: selectRows(data, order.subarray(0, nTrain)),
    test: selectRows(data, order.subarray(nTrain)),
  };
}
