import { getHeapSpaceStatistics } from "node:v8";

export { expectClose, typedArraysMade } from "@backprop-lab/test-utils";

function youngUsed(): number {
  const space = getHeapSpaceStatistics().find((s) => s.space_name === "new_space");
  if (!space) throw new Error("no new_space in this V8");
  return space.space_used_size;
}

/**
 * Bytes the young generation grows by per call of `body`, after a warm-up
 * (so the optimizing compiler has run: unoptimized code boxes doubles) and a
 * full GC (vitest runs with --expose-gc). A scavenge during the loop would
 * hide allocation, so runs that saw the young generation shrink are
 * discarded; the smallest of the remaining runs counts, and one run
 * without a GC is required.
 */
export function youngBytesPerCall(body: () => void, calls: number, warmup = 30): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("run vitest with --expose-gc (see vitest.config.ts)");
  for (let i = 0; i < warmup; i++) body();
  let best = Infinity;
  for (let attempt = 0; attempt < 5; attempt++) {
    gc();
    const before = youngUsed();
    for (let i = 0; i < calls; i++) body();
    const after = youngUsed();
    if (after >= before) best = Math.min(best, (after - before) / calls);
  }
  if (best === Infinity) throw new Error("the young generation was collected during every attempt: the body allocates heavily");
  return best;
}
