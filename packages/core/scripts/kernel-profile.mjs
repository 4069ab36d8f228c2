// Shared by profile-wasm-train.mjs and profile-wasm-forward.mjs: the kernels built fresh from a generator, their
// memory with fast-math.ts's tables in place, a seeded uniform generator, and the timing of the calls.
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import wabtInit from "wabt";

/**
 * The module scripts/gen-wasm-train.mjs (or the copy at `generatorPath`, to compare) builds, instantiated:
 * its exports `k`, the generator `gen`, and `heapUpTo(top)`, which grows the memory to `top` bytes, writes
 * the exp tables (values only for timing) and returns a Float64Array over it.
 */
export async function loadKernels(generatorPath) {
  const gen = await import(generatorPath ? pathToFileURL(resolve(generatorPath)).href : "./gen-wasm-train.mjs");
  const wabt = await wabtInit();
  const mod = wabt.parseWat("train.wat", gen.wat(), { simd: true });
  mod.validate();
  const k = new WebAssembly.Instance(new WebAssembly.Module(mod.toBinary({}).buffer), {}).exports;
  const heapUpTo = (top) => {
    if (top > k.memory.buffer.byteLength) k.memory.grow(Math.ceil((top - k.memory.buffer.byteLength) / 65536));
    const heap = new Float64Array(k.memory.buffer);
    for (let j = -32; j < 32; j++) heap[gen.EXPM1_AT / 8 + j + 32] = Math.pow(2, j / 64) - 1;
    for (let q = -1022; q <= 1023; q++) heap[gen.POW2_AT / 8 + q + 1023] = Math.pow(2, q);
    return heap;
  };
  return { k, gen, heapUpTo };
}

/** A seeded uniform generator on [0, 1) (an LCG: for timing inputs only). */
export function uniform(seed = 1) {
  return () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
}

/**
 * Times each kernel call (warmed up 200 times, then `reps` repetitions, best of 5 rounds), prints one line a
 * call, and returns the sum over the calls marked as part of the step (or pass); calls not marked are printed
 * after a heading, as other forms.
 */
export function timeCalls(calls, reps, otherForms) {
  for (const [, f] of calls) for (let r = 0; r < 200; r++) f();
  const best = calls.map(() => Infinity);
  for (let round = 0; round < 5; round++) {
    calls.forEach(([, f], i) => {
      const t0 = performance.now();
      for (let r = 0; r < reps; r++) f();
      best[i] = Math.min(best[i], ((performance.now() - t0) * 1000) / reps);
    });
  }
  let total = 0;
  calls.forEach(([name, , counted], i) => {
    if (counted) total += best[i];
    else if (calls[i - 1][2]) console.log(otherForms);
    console.log(`${name.padEnd(30)} ${best[i].toFixed(2).padStart(8)} us`);
  });
  return total;
}
