import type { Batch, Dataset } from "./data.js";
import { BackpropError, assertInt } from "./errors.js";
import { createRng, shuffleInPlace } from "./rng.js";

/**
 * Hands out the batches of an epoch: full batch, or mini-batches of
 * `batchSize` rows in an order reshuffled every epoch from `seed`. A last
 * partial batch is a step of its own; it never borrows rows from the next
 * epoch. Batches are views of buffers allocated once.
 */
export interface Batcher {
  next(): Batch;
  readonly epoch: number;
  readonly batchSize: number;
  readonly batchesPerEpoch: number;
}

export interface BatcherOptions {
  batchSize?: number | "full";
  shuffle?: boolean;
  seed?: number;
}

export function createBatcher(data: Dataset, options: BatcherOptions = {}): Batcher {
  if (data.n < 1) throw new BackpropError("invalid-data", "the training set is empty", { field: "data" });
  const size = options.batchSize === undefined || options.batchSize === "full" ? data.n : options.batchSize;
  assertInt(size, "batchSize", 1);
  const batchSize = Math.min(size, data.n);
  const shuffle = options.shuffle ?? batchSize < data.n;
  const full = batchSize === data.n && !shuffle;
  const rng = createRng(options.seed ?? 0);
  const order = new Uint32Array(data.n);
  for (let i = 0; i < data.n; i++) order[i] = i;
  // the shuffle's uniforms: drawn into a buffer, so an epoch's reshuffle allocates nothing
  const draws = new Float64Array(Math.max(0, data.n - 1));
  const { nIn, nOut } = data;
  const batch: Batch = full ? { x: data.x, y: data.y, n: data.n } : { x: new Float64Array(batchSize * nIn), y: new Float64Array(batchSize * nOut), n: 0 };
  const batchesPerEpoch = Math.ceil(data.n / batchSize);
  let epoch = 0;
  let cursor = 0;

  return {
    next(): Batch {
      if (full) {
        epoch++;
        return batch;
      }
      if (cursor === 0) {
        if (shuffle) shuffleInPlace(order, rng, draws);
        epoch++;
      }
      const end = Math.min(cursor + batchSize, data.n);
      const m = end - cursor;
      for (let k = 0; k < m; k++) {
        const i = order[cursor + k]!;
        for (let j = 0; j < nIn; j++) batch.x[k * nIn + j] = data.x[i * nIn + j]!;
        for (let j = 0; j < nOut; j++) batch.y[k * nOut + j] = data.y[i * nOut + j]!;
      }
      batch.n = m;
      cursor = end === data.n ? 0 : end;
      return batch;
    },
    get epoch() {
      return epoch;
    },
    batchSize,
    batchesPerEpoch,
  };
}
