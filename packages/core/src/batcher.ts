import type { Batch, Dataset } from "./data.js";
import { BackpropError, assertInt } from "./errors.js";
import { createRng, shuffleInPlace } from "./rng.js";
import { epochKey, fillUniforms } from "./seeds.js";

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

/**
 * A batcher whose position is a function of the step count alone, so a run
 * can go back to any step (a rollback, a reset) and see the same batches
 * again. Epoch e (0-based) uses the order of Fisher–Yates over 0..n−1 with
 * the uniforms `fillUniforms(·, n − 1, epochKey(seed, e))`; step s takes
 * slot s mod B of epoch ⌊s/B⌋, B = batches per epoch.
 */
export interface SeekableBatcher extends Batcher {
  /** Batches handed out so far (the next one is batch `step`). */
  readonly step: number;
  /** Moves to step s: the next `next()` returns batch s. */
  seek(step: number): void;
  /** The batch the next `next()` returns, without moving. The same buffers as `next()`'s. */
  peek(): Batch;
}

export function createSeekableBatcher(data: Dataset, options: BatcherOptions = {}): SeekableBatcher {
  if (data.n < 1) throw new BackpropError("invalid-data", "the training set is empty", { field: "data" });
  const size = options.batchSize === undefined || options.batchSize === "full" ? data.n : options.batchSize;
  assertInt(size, "batchSize", 1);
  const batchSize = Math.min(size, data.n);
  const shuffle = options.shuffle ?? batchSize < data.n;
  const full = batchSize === data.n && !shuffle;
  const seed = options.seed ?? 0;
  assertInt(seed, "seed", 0, 0xffffffff);
  const order = new Uint32Array(data.n);
  const draws = new Float64Array(Math.max(0, data.n - 1));
  const { nIn, nOut } = data;
  const batch: Batch = full ? { x: data.x, y: data.y, n: data.n } : { x: new Float64Array(batchSize * nIn), y: new Float64Array(batchSize * nOut), n: 0 };
  const batchesPerEpoch = Math.ceil(data.n / batchSize);
  let orderEpoch = -1;
  let step = 0;

  function fill(s: number): Batch {
    if (full) return batch;
    const e = Math.floor(s / batchesPerEpoch);
    if (e !== orderEpoch) {
      for (let i = 0; i < data.n; i++) order[i] = i;
      if (shuffle && data.n > 1) {
        fillUniforms(draws, data.n - 1, epochKey(seed, e % 0x100000000));
        for (let i = data.n - 1, k = 0; i > 0; i--, k++) {
          const j = Math.floor(draws[k]! * (i + 1));
          const t = order[i]!;
          order[i] = order[j]!;
          order[j] = t;
        }
      }
      orderEpoch = e;
    }
    const start = (s - e * batchesPerEpoch) * batchSize;
    const m = Math.min(batchSize, data.n - start);
    for (let k = 0; k < m; k++) {
      const i = order[start + k]!;
      for (let j = 0; j < nIn; j++) batch.x[k * nIn + j] = data.x[i * nIn + j]!;
      for (let j = 0; j < nOut; j++) batch.y[k * nOut + j] = data.y[i * nOut + j]!;
    }
    batch.n = m;
    return batch;
  }

  return {
    next(): Batch {
      return fill(step++);
    },
    peek: () => fill(step),
    seek(to: number) {
      assertInt(to, "step", 0);
      step = to;
    },
    get step() {
      return step;
    },
    /** Epochs begun: ⌈step / B⌉. */
    get epoch() {
      return Math.ceil(step / batchesPerEpoch);
    },
    batchSize,
    batchesPerEpoch,
  };
}
