// Times each kernel call of one WebAssembly training step on workload B's shape (2-50-2 sigmoid, N = 400, mse,
// SGD), in the order src/wasm-train.ts makes them, from a module freshly built from scripts/gen-wasm-train.mjs (so
// a change to the generator is measured before it is written). Not a test: figures only.
//   node scripts/profile-wasm-train.mjs [reps=2000] [generator=./gen-wasm-train.mjs (another copy, to compare)]
import { loadKernels, timeCalls, uniform } from "./kernel-profile.mjs";

const reps = Number(process.argv[2] ?? 2000);
const { k, gen, heapUpTo } = await loadKernels(process.argv[3]);

const N = 400;
const sizes = [2, 50, 2];
let top = gen.FREE_AT;
const take = (d) => { const at = top; top = (top + d * 8 + 15) & ~15; return at; };
const P = 2 * 50 + 50 + 50 * 2 + 2;
const args = take(16);
const xAt = take(N * 2);
const yAt = take(N * 2);
const pAt = take(P);
const gAt = take(P);
const wtAt = take(100);
const layers = [
  { nIn: 2, nOut: 50, w: pAt, b: pAt + 100 * 8, dw: gAt, db: gAt + 100 * 8 },
  { nIn: 50, nOut: 2, w: pAt + 150 * 8, b: pAt + 250 * 8, dw: gAt + 150 * 8, db: gAt + 250 * 8 },
].map((l) => ({ ...l, z: take(N * l.nOut), a: take(N * l.nOut), da: take(N * l.nOut), dz: take(N * l.nOut) }));
const heap = heapUpTo(top);
const rnd = uniform();
for (let i = 0; i < N * 2; i++) heap[xAt / 8 + i] = rnd() * 12 - 6;
for (let i = 0; i < N * 2; i++) heap[yAt / 8 + i] = rnd() < 0.5 ? 0 : 1;
for (let i = 0; i < P; i++) heap[pAt / 8 + i] = rnd() * 2 - 1;
heap[args / 8] = N;
const [l1, l2] = layers;

// [name, call, in the step?]: the calls src/wasm-train.ts makes for B, in its order, then the other forms of some
// of them (the general kernels those replace), timed but not summed
const calls = [
  ["dense_small z1 = x·W1 + b1", () => k.dense_small(l1.z, xAt, l1.w, l1.b, N, 2, 50, 16, -1, -1), true],
  ["sigmoid a1 (20000)", () => k.sigmoid(l1.a, l1.z, N * 50), true],
  ["dense z2 = a1·W2 + b2", () => k.dense(l2.z, l1.a, l2.w, l2.b, N, 50, 2, 400, 8), true],
  ["sigmoid a2 (800)", () => k.sigmoid(l2.a, l2.z, N * 2), true],
  ["sum_sq_diff (loss)", () => k.sum_sq_diff(args + 8, yAt, l2.a, N * 2), true],
  ["mse_grad", () => k.mse_grad(l2.da, l2.a, yAt, N * 2, args), true],
  ["sigmoid_back dz2", () => k.sigmoid_back(l2.dz, l2.da, l2.a, N * 2, args), true],
  ["dense dW2 = a1ᵀ·dz2", () => k.dense(l2.dw, l1.a, l2.dz, -1, 50, N, 2, 8, 400), true],
  ["col_sum db2", () => k.col_sum(l2.db, l2.dz, N, 2), true],
  ["transpose W2", () => k.transpose(wtAt, l2.w, 50, 2), true],
  ["dense_small_db da1, dz1, db1", () => k.dense_small_db(l1.da, l2.dz, wtAt, N, 2, 50, 16, l1.a, l1.dz, l1.db), true],
  ["dense dW1 = xᵀ·dz1", () => k.dense(l1.dw, xAt, l1.dz, -1, 2, N, 50, 8, 16), true],
  ["sum_sq (grad norm)", () => k.sum_sq(args + 8, gAt, P), true],
  ["sgd", () => k.sgd(pAt, gAt, P, args + 16), true],
  ["dense z1 (general)", () => k.dense(l1.z, xAt, l1.w, l1.b, N, 2, 50, 16, 8), false],
  ["dense da1 (general)", () => k.dense(l1.da, l2.dz, wtAt, -1, N, 2, 50, 16, 8), false],
  ["dense_small da1", () => k.dense_small(l1.da, l2.dz, wtAt, -1, N, 2, 50, 16, -1, -1), false],
  ["dense_small da1 + dz1", () => k.dense_small(l1.da, l2.dz, wtAt, -1, N, 2, 50, 16, l1.a, l1.dz), false],
  ["sigmoid_back dz1", () => k.sigmoid_back(l1.dz, l1.da, l1.a, N * 50, args), false],
  ["col_sum db1", () => k.col_sum(l1.db, l1.dz, N, 50), false],
];
const total = timeCalls(calls, reps, "other forms (not in the step):");
console.log(`${"the step's calls, summed".padEnd(30)} ${total.toFixed(2).padStart(8)} us`);
