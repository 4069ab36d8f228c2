// Workload B (XOR N = 400, 2-50-2 sigmoid, full batch, mse, SGD lr 1, 1000 steps) for ours and numpy only,
// interleaved as the bench does (each round runs both, the order alternating), medians of the runs. A quick
// check while working on core's kernels; `pnpm bench` remains the record. Needs core and the bench built.
//   node --expose-gc scripts/quick-b.mjs [runs=7] [warmup=2] [sizes=2,50,2 (2,3,2 is workload A)]
import { createTrainer, mlpFromParams } from "@backprop-lab/core";
import { NumpyPeer, xorProblem } from "../dist/index.js";
import { interleave, median } from "./interleave.mjs";

const runs = Number(process.argv[2] ?? 7);
const warmup = Number(process.argv[3] ?? 2);
const STEPS = 1000;
const sizes = (process.argv[4] ?? "2,50,2").split(",").map(Number);
const problem = xorProblem({ n: 400, sizes, seed: 1, init: "course" });
const { x, y, n } = problem.data;

const net = mlpFromParams(problem.spec, problem.initial.slice());
const trainer = createTrainer(net, { learningRate: 1, loss: "mse", optimizer: "sgd", capacity: n });
const batch = { x, y, n };
const ours = {
  name: "ours",
  reset: async () => net.params.set(problem.initial),
  run: async () => {
    for (let s = 0; s < STEPS; s++) trainer.step(batch);
  },
};

const started = await NumpyPeer.start();
if (!("peer" in started)) throw new Error(started.skipped);
const peer = started.peer;
const layers = mlpFromParams(problem.spec, problem.initial.slice()).layers;
await peer.request({
  cmd: "setup", sizes: problem.spec.sizes, n, x: Array.from(x), y: Array.from(y), lr: 1,
  W: layers.map((l) => Array.from(l.W)), b: layers.map((l) => Array.from(l.b ?? [])),
});
const numpy = {
  name: "numpy",
  reset: async () => peer.request({ cmd: "reset" }),
  run: async () => peer.request({ cmd: "run", steps: STEPS }),
};

const subjects = [ours, numpy];
const times = await interleave(subjects, runs, warmup);
peer.close();
const mo = median(times.ours);
const mn = median(times.numpy);
const fmt = (v) => v.map((t) => t.toFixed(1)).join(" ");
console.log(`ours  ${(STEPS * 1000 / mo).toFixed(0)} steps/s (median ${mo.toFixed(1)} ms; ${fmt(times.ours)})`);
console.log(`numpy ${(STEPS * 1000 / mn).toFixed(0)} steps/s (median ${mn.toFixed(1)} ms; ${fmt(times.numpy)})`);
// the parameters after 1000 steps (every run ends there): a hash of their bits, to see a change kept them
let h = 0x811c9dc5;
for (const byte of new Uint8Array(net.params.buffer, net.params.byteOffset, net.params.byteLength)) h = Math.imul(h ^ byte, 16777619) >>> 0;
console.log(`ratio ${(mn / mo).toFixed(3)}x   parameters' bits after ${STEPS} steps: fnv1a ${h.toString(16)}`);
