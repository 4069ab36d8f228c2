// Workload F of `pnpm bench` in brief: workload B (XOR N = 400, 2-50-2 sigmoid, full batch, mse, SGD lr 1,
// 1000 steps) bare and with createDetectors(trainer) as a hook (what attachDiagnostics(run) installs by default),
// interleaved (each round runs both, the order alternating), medians; then the hook's parts timed one by one on
// the last step's context. A quick check while working on the diagnostics; `pnpm bench` remains the record.
// Needs core, the diagnostics and the bench built.
//   node --expose-gc scripts/quick-f.mjs [runs=9] [warmup=3] [parts=1 (0: the F figures only)]
import { createTrainer, mlpFromParams } from "@backprop-lab/core";
import { countOutside } from "@backprop-lab/core/internal";
// DIAGNOSTICS=<dir> times another build of this package (e.g. one of an earlier commit), default ../dist
const { createDetectors, createHealthMonitor } = await import(new URL(`${process.env.DIAGNOSTICS ?? "../dist"}/index.js`, import.meta.url).href);
import { xorProblem } from "../../../tooling/bench/dist/index.js";

const runs = Number(process.argv[2] ?? 9);
const warmup = Number(process.argv[3] ?? 3);
const STEPS = 1000;
const problem = xorProblem({ n: 400, sizes: [2, 50, 2], seed: 1, init: "course" });
const { x, y, n } = problem.data;
const batch = { x, y, n };
const make = () => {
  const net = mlpFromParams(problem.spec, problem.initial.slice());
  return { net, trainer: createTrainer(net, { learningRate: 1, loss: "mse", optimizer: "sgd", capacity: n }) };
};

const bare = make();
const diag = make();
const detectors = createDetectors(diag.trainer, { stepsPerEpoch: 1 });
let lastCtx = null;
diag.trainer.addHook((ctx) => {
  detectors.hook(ctx);
  lastCtx = ctx;
});
const subjects = [
  { name: "bare", reset: () => bare.net.params.set(problem.initial), run: () => { for (let s = 0; s < STEPS; s++) bare.trainer.step(batch); } },
  {
    name: "diag",
    reset: () => { detectors.reset(); diag.net.params.set(problem.initial); },
    run: () => { for (let s = 0; s < STEPS; s++) diag.trainer.step(batch); },
  },
];
const times = { bare: [], diag: [] };
const ratios = [];
for (let round = -warmup; round < runs; round++) {
  const order = round % 2 === 0 ? subjects : [...subjects].reverse();
  const t = {};
  for (const s of order) {
    s.reset();
    globalThis.gc?.();
    const t0 = performance.now();
    s.run();
    t[s.name] = performance.now() - t0;
  }
  if (round >= 0) {
    times.bare.push(t.bare);
    times.diag.push(t.diag);
    ratios.push(t.diag / t.bare);
  }
}
const median = (v) => { const s = [...v].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const mb = median(times.bare);
const md = median(times.diag);
const fmt = (v) => v.map((t) => t.toFixed(1)).join(" ");
console.log(`bare ${(STEPS * 1000 / mb).toFixed(0)} steps/s (median ${mb.toFixed(1)} ms; ${fmt(times.bare)})`);
console.log(`diag ${(STEPS * 1000 / md).toFixed(0)} steps/s (median ${md.toFixed(1)} ms; ${fmt(times.diag)})`);
console.log(`ratio ${median(ratios).toFixed(3)}x (median of rounds' ratios; ${ratios.map((r) => r.toFixed(3)).join(" ")}); diagnostics ${((md - mb)).toFixed(2)} us a step`);
// the findings and health after the last run: a fingerprint to see a change kept them
const h = detectors.monitor.health().map((l) => [l.gradNorm, l.maxAbsGrad, l.weightNorm, l.updateRatio, l.saturatedFraction].join(",")).join(";");
console.log(`health ${h}`);
console.log(`findings ${detectors.findings().map((f) => `${f.code}@${f.firstStep}-${f.step}`).join(" ") || "none"}`);

if (process.argv[4] === "0") process.exit(0);
// the parts, each repeated on the last step's context (best of 8 blocks) (the state moves on, the arithmetic is that of a step)
const REPS = 20000;
const ctx = lastCtx;
const time = (name, fn) => {
  for (let i = 0; i < 2000; i++) fn();
  // the best of 8 blocks: on a shared machine the least disturbed block is the cost
  let best = Infinity;
  for (let b = 0; b < 8; b++) {
    const t0 = performance.now();
    for (let i = 0; i < REPS / 8; i++) fn();
    best = Math.min(best, ((performance.now() - t0) * 1000) / (REPS / 8));
  }
  console.log(`  ${name.padEnd(44)} ${best.toFixed(2)} us`);
};
const monitor = createHealthMonitor(diag.net);
const ext = createDetectors(diag.trainer, { stepsPerEpoch: 1, monitor });
const band = Float64Array.of(0.5, 0.5 - 0.01);
const a1 = ctx.workspace.a[0];
const a2 = ctx.workspace.a[1];
console.log("parts:");
time("detectors.hook (monitor + detectors)", () => detectors.hook(ctx));
time("monitor.hook", () => monitor.hook(ctx));
time("detectors.hook with an outside monitor", () => ext.hook(ctx));
time("countOutside 400x50 hidden", () => countOutside(a1, n * 50, band));
time("countOutside 400x2 output", () => countOutside(a2, n * 2, band));
let sink = 0;
time("norm pass 252 params + grads (JS)", () => {
  let gSq = 0, gMax = 0, wSq = 0;
  for (let l = 0; l < 2; l++) {
    const L = ctx.net.layers[l]; const g = ctx.grads.layers[l];
    for (let k = 0; k < g.dW.length; k++) { const v = g.dW[k]; gSq += v * v; const a = Math.abs(v); if (a > gMax) gMax = a; wSq += L.W[k] * L.W[k]; }
    for (let k = 0; k < g.db.length; k++) { const v = g.db[k]; gSq += v * v; const a = Math.abs(v); if (a > gMax) gMax = a; wSq += L.b[k] * L.b[k]; }
  }
  sink += gSq + gMax + wSq;
});
const sumY = new Float64Array(2), sumY2 = new Float64Array(2);
time("target sums, k % nOut (800)", () => {
  for (let k = 0; k < 800; k++) { const v = y[k]; const o = k % 2; sumY[o] += v; sumY2[o] += v * v; }
});
time("target sums by column (800)", () => {
  for (let o = 0; o < 2; o++) { let s = sumY[o], s2 = sumY2[o]; for (let k = o; k < 800; k += 2) { const v = y[k]; s += v; s2 += v * v; } sumY[o] = s; sumY2[o] = s2; }
});
time("weights' sum of squares (200)", () => {
  let wSq = 0;
  for (const layer of ctx.net.layers) { const W = layer.W; for (let k = 0; k < W.length; k++) wSq += W[k] * W[k]; }
  sink += wSq;
});
time("trainer.settings() x3", () => { sink += diag.trainer.settings().learningRate + diag.trainer.settings().learningRate + diag.trainer.settings().learningRate; });
if (sink === 42) console.log(sink);
