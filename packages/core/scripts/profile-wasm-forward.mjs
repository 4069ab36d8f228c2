// Times each kernel call of one WebAssembly forward pass of a chunk of grid rows on workload D's shape (2-50-2
// sigmoid, N = 256 rows a chunk, as predict streams a grid through a workspace of 256 rows), in the order
// src/wasm-train.ts's forwardParams makes them, from a module freshly built from scripts/gen-wasm-train.mjs (so a
// change to the generator is measured before it is written); the sum times the chunks of a 200×200 grid. Not a
// test: figures only.
//   node scripts/profile-wasm-forward.mjs [reps=2000] [rows=256] [generator=./gen-wasm-train.mjs]
import { loadKernels, timeCalls, uniform } from "./kernel-profile.mjs";

const reps = Number(process.argv[2] ?? 2000);
const N = Number(process.argv[3] ?? 256);
const { k, gen, heapUpTo } = await loadKernels(process.argv[4]);

let top = gen.FREE_AT;
const take = (d) => { const at = top; top = (top + d * 8 + 15) & ~15; return at; };
const P = 2 * 50 + 50 + 50 * 2 + 2;
const xAt = take(N * 2);
const pAt = take(P);
const layers = [
  { nIn: 2, nOut: 50, w: pAt, b: pAt + 100 * 8 },
  { nIn: 50, nOut: 2, w: pAt + 150 * 8, b: pAt + 250 * 8 },
].map((l) => ({ ...l, z: take(N * l.nOut), a: take(N * l.nOut) }));
const heap = heapUpTo(top);
const rnd = uniform();
for (let i = 0; i < N * 2; i++) heap[xAt / 8 + i] = rnd() * 12 - 6;
for (let i = 0; i < P; i++) heap[pAt / 8 + i] = rnd() * 2 - 1;
const [l1, l2] = layers;

// [name, call, in the pass?]: the calls forwardParams makes for D's chunk, in its order, then other forms
const calls = [
  ["dense_small z1 = x·W1 + b1", () => k.dense_small(l1.z, xAt, l1.w, l1.b, N, 2, 50, 16, -1, -1), true],
  [`sigmoid a1 (${N * 50})`, () => k.sigmoid(l1.a, l1.z, N * 50), true],
  ["dense z2 = a1·W2 + b2", () => k.dense(l2.z, l1.a, l2.w, l2.b, N, 50, 2, 400, 8), true],
  [`sigmoid a2 (${N * 2})`, () => k.sigmoid(l2.a, l2.z, N * 2), true],
  ...(gen.EXTRA_FORWARD_CALLS ? gen.EXTRA_FORWARD_CALLS(k, { l1, l2, xAt, N }) : []),
];
const total = timeCalls(calls, reps, "other forms (not in the pass):");
const chunks = Math.ceil(40000 / N);
console.log(`${"the pass's calls, summed".padEnd(30)} ${total.toFixed(2).padStart(8)} us; x ${chunks} chunks = ${((total * chunks) / 1000).toFixed(2)} ms a grid`);
