/**
 * Independent random streams from one user seed.
 *
 * A run draws its data, its train/test split, its initial weights and its
 * epoch shuffles from separate streams, so changing one (more points, more
 * noise) leaves the others exactly as they were. Each stream's seed is a
 * hash of (run seed, stream name), in 32-bit integer arithmetic only
 * (Math.imul, xor, shifts), so it is the same on every JavaScript engine:
 *
 *   streamSeed(seed, name) = fmix32(fmix32(seed ⊕ 0x9e3779b9) ⊕ fnv1a32(name))
 *
 * where fnv1a32 is the 32-bit FNV-1a hash of the name's UTF-16 code units and
 * fmix32 is MurmurHash3's finalizer (an invertible mix: distinct inputs give
 * distinct outputs). The streams a run uses are "data", "split", "init" and
 * "shuffle"; `runStreamSeeds` lists them.
 */
import { assertInt } from "./errors.js";

/** The named streams of a run. */
export const SEED_STREAMS = ["data", "split", "init", "shuffle"] as const;
export type SeedStream = (typeof SEED_STREAMS)[number];

/** MurmurHash3's 32-bit finalizer: every input bit affects every output bit. */
export function fmix32(h: number): number {
  return fmix32Int(h) >>> 0;
}

/** fmix32's bits as an int32: a uint32 above 2^31 returned from a call that is not inlined would be a heap number. */
function fmix32Int(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

/** 32-bit FNV-1a over the UTF-16 code units of `text`. */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The seed (an integer in [0, 2^32)) of stream `name` of a run seeded with `seed`. */
export function streamSeed(seed: number, name: string): number {
  assertInt(seed, "seed", 0, 0xffffffff);
  return fmix32(fmix32((seed ^ 0x9e3779b9) >>> 0) ^ fnv1a32(name));
}

/** Every stream seed of a run seed, e.g. for display. */
export function runStreamSeeds(seed: number): Record<SeedStream, number> {
  return { data: streamSeed(seed, "data"), split: streamSeed(seed, "split"), init: streamSeed(seed, "init"), shuffle: streamSeed(seed, "shuffle") };
}

const TWO_POW_26 = 67108864;
const TWO_POW_53 = 9007199254740992;

/**
 * The key of epoch `epoch`'s shuffle in the stream `shuffleSeed`:
 * fmix32(shuffleSeed ⊕ fmix32(epoch + 1)), as an int32 (the same 32 bits;
 * fillUniforms reads its key as one), so a new epoch boxes no number. Each
 * epoch's order is then a function of (shuffle seed, epoch) alone, so a run
 * can go back to any step.
 */
export function epochKey(shuffleSeed: number, epoch: number): number {
  return fmix32Int(shuffleSeed ^ fmix32Int(epoch + 1));
}

/**
 * n uniforms in [0, 1) with 53 random bits each, from the splitmix32
 * sequence started at `key` (state += 0x9e3779b9, output fmix32(state)); two
 * outputs per value, (a >>> 5)·2^26 + (b >>> 6) over 2^53. Writes out[0..n),
 * returns out; allocates nothing.
 */
export function fillUniforms(out: Float64Array, n: number, key: number): Float64Array {
  // fmix32 written out and kept in int32 (`| 0`): a uint32 above 2^31 returned from a call would be a heap number
  let s = key | 0;
  for (let k = 0; k < n; k++) {
    s = (s + 0x9e3779b9) | 0;
    let h = s;
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    const a = h >>> 5;
    s = (s + 0x9e3779b9) | 0;
    h = s;
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    const b = h >>> 6;
    out[k] = (a * TWO_POW_26 + b) / TWO_POW_53;
  }
  return out;
}
