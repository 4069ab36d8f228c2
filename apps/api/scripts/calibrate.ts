// Calibrates the cost model: runs the heaviest request each route allows
// under the default limits (found by a search over the model's own
// estimate, so no request is run until it is known to pass) and prints the
// estimate next to what Node measured: CPU time, response bytes and heap
// growth. Then the same requests in workerd (the bundle `wrangler deploy`
// builds, run by Miniflare) against the Workers limits: workerd's CPU time
// and its peak memory growth for each. Run: pnpm --filter @backprop-lab/api calibrate
import { createTrainingRun, mlpToJSON } from "@backprop-lab/core";
import { readFileSync, writeFileSync } from "node:fs";
import { createApp } from "../src/app.js";
import { startWorkerd } from "../src/test/workerd.js";
import { prepareExplainRun } from "../src/engine/model-ops.js";
import { prepareTraining } from "../src/engine/train.js";
import { DEFAULT_LIMITS, estimateBoundary, estimateExplain, estimateGradientCheck, estimatePredict, sum, UNITS_PER_SECOND, worstResource, type CostEstimate } from "../src/limits.js";

const limits = DEFAULT_LIMITS;
const app = createApp({ trainTimeoutMs: 600_000 });
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

/** The largest k in [lo, hi] for which ok(k) holds (ok monotone, ok(lo) true). */
function largest(lo: number, hi: number, ok: (k: number) => boolean): number {
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (ok(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
const fits = (e: CostEstimate) => worstResource(e, limits).ratio <= 1;

function model(sizes: number[]) {
  const hidden = sizes.slice(1, -1);
  const net = createTrainingRun({ seed: 1, data: { name: "xor", n: 10 }, network: { hidden, output: "sigmoid" } }).net;
  if (sizes.at(-1) === 2 && sizes[0] === 2) return mlpToJSON(net);
  // a model JSON of any shape: weights of 0.01 (their values do not change the work)
  const weights = sizes.slice(1).map((nOut, l) => Array.from({ length: sizes[l]! }, () => Array.from({ length: nOut }, () => 0.01)));
  const biases = sizes.slice(1).map((nOut) => Array.from({ length: nOut }, () => 0));
  return { format: "backprop-lab/mlp", version: 1, spec: { sizes, hidden: "tanh", output: "sigmoid", bias: true }, weights, biases };
}
const params = (sizes: number[]) => sizes.slice(1).reduce((a, n, l) => a + (sizes[l]! + 1) * n, 0);
const rows = (n: number, width: number) => Array.from({ length: n }, (_, i) => Array.from({ length: width }, (_, j) => Math.sin(i + j)));

interface Case {
  route: string;
  what: string;
  body: unknown;
  estimate: CostEstimate;
}

const cases: Case[] = [];

// train: the widest allowed network on the largest data set, as many steps as the budget allows
{
  const make = (steps: number) => ({ config: { seed: 1, data: { name: "spiral", n: 1000 }, network: { hidden: [64, 64] }, training: { batchSize: 32 } }, steps, grid: { resolution: 50 } });
  const ok = (k: number) => {
    try {
      prepareTraining(make(k), limits);
      return true;
    } catch {
      return false;
    }
  };
  const steps = largest(1, limits.maxSteps, ok);
  const body = make(steps);
  cases.push({ route: "/v1/train", what: `2-64-64-2, 1000 rows, batch 32, ${steps} steps, grid 50²`, body, estimate: trainEstimate(body) });
}
// train/stream: a tiny network reporting every step (events dominate)
{
  const make = (steps: number) => ({ config: { seed: 1, data: { name: "xor", n: 10 }, network: { hidden: [] } }, steps, reportEvery: 1 });
  const ok = (k: number) => {
    try {
      prepareTraining(make(k), limits);
      return true;
    } catch {
      return false;
    }
  };
  const steps = largest(1, limits.maxSteps, ok);
  const body = make(steps);
  cases.push({ route: "/v1/train/stream", what: `2-2 on 10 rows, reportEvery 1, ${steps} steps`, body, estimate: trainEstimate(body) });
}
// explain a run document's step: the widest network, batches of 64 (maxExplainRows), as many steps before it as the budget allows
{
  const config = { seed: 1, data: { name: "spiral", n: 1000 }, network: { hidden: [64, 64] }, training: { batchSize: 64 } };
  const estimate = (steps: number) => prepareExplainRun(config, steps, limits).estimate;
  const steps = largest(0, limits.maxSteps, (k) => fits(estimate(k)));
  cases.push({ route: "/v1/explain", what: `run 2-64-64-2, batch 64, after ${steps} steps`, body: { config, steps }, estimate: estimate(steps) });
}
function trainEstimate(body: unknown): CostEstimate {
  const p = prepareTraining(body as never, limits);
  return p.estimate;
}
// predict: the widest output, as many rows as fit
{
  const sizes = [2, 64, 64, 64];
  const P = params(sizes);
  const n = largest(1, limits.maxPredictRows, (k) => fits(estimatePredict(k, P, 2, 64)));
  cases.push({ route: "/v1/predict", what: `2-64-64-64, ${n} rows`, body: { model: model(sizes), x: rows(n, 2) }, estimate: estimatePredict(n, P, 2, 64) });
}
// boundary: the finest grid, the largest network it allows
{
  const w = largest(1, limits.maxWidth, (k) => fits(estimateBoundary(limits.maxGridResolution ** 2, params([2, k, k, 2]), 2)));
  const sizes = [2, w, w, 2];
  cases.push({ route: "/v1/boundary", what: `2-${w}-${w}-2, ${limits.maxGridResolution}²`, body: { model: model(sizes), resolution: limits.maxGridResolution }, estimate: estimateBoundary(limits.maxGridResolution ** 2, params(sizes), 2) });
}
// gradient-check: the most rows, the largest network they allow
{
  const n = limits.maxGradientCheckRows;
  const w = largest(1, limits.maxWidth, (k) => fits(estimateGradientCheck(n, params([2, k, k, 2]))));
  const sizes = [2, w, w, 2];
  cases.push({ route: "/v1/gradient-check", what: `2-${w}-${w}-2, ${n} rows`, body: { model: model(sizes), x: rows(n, 2), y: rows(n, 2) }, estimate: estimateGradientCheck(n, params(sizes)) });
}
// explain: the most rows through the deepest, widest network
{
  const sizes = [limits.maxInputs, ...Array.from({ length: limits.maxHiddenLayers }, () => limits.maxWidth), limits.maxWidth];
  const units = sizes.slice(1).reduce((a, nOut, l) => a + sizes[l]! + nOut, 0);
  const n = largest(1, limits.maxExplainRows, (k) => fits(estimateExplain(k, params(sizes), units)));
  const e = estimateExplain(n, params(sizes), units);
  cases.push({ route: "/v1/explain", what: `${sizes[0]}-64×8-64, ${n} rows`, body: { model: model(sizes), x: rows(n, sizes[0]!), y: rows(n, 64), learningRate: 0.1 }, estimate: e });
}

const mb = (b: number) => (b / 1048576).toFixed(1);
console.log("route               request                                     est CPU s  meas CPU s  ratio  est resp MB  meas resp MB  heap MB");
for (const c of cases) {
  gc();
  const heap0 = process.memoryUsage().heapUsed;
  const cpu0 = process.cpuUsage();
  const res = await app.request(c.route, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(c.body) });
  const text = await res.text();
  const cpu = process.cpuUsage(cpu0);
  const heap = process.memoryUsage().heapUsed - heap0;
  const measured = (cpu.user + cpu.system) / 1e6;
  const est = sum(c.estimate.cpu) / UNITS_PER_SECOND;
  const estResp = sum(c.estimate.response);
  const bytes = new TextEncoder().encode(text).length;
  if (res.status !== 200) console.log(`  ${c.route} answered ${res.status}: ${text.slice(0, 200)}`);
  console.log(
    `${c.route.padEnd(20)}${c.what.padEnd(44)}${est.toFixed(3).padStart(9)}${measured.toFixed(3).padStart(12)}${(measured / est).toFixed(2).padStart(7)}${(estResp ? mb(estResp) : "-").padStart(13)}${mb(bytes).padStart(14)}${mb(heap).padStart(9)}`,
  );
}

// The same requests in workerd. CPU: workerd's own (user + system, /proc/<pid>/stat), an upper bound of the
// isolate's. Memory: the process's peak resident memory during the request over its resident memory before
// (the peak is reset first: `5` to /proc/<pid>/clear_refs), an upper bound of what the isolate took.
const WORKERS_CPU_MS = Number(/"cpu_ms":\s*(\d+)/.exec(readFileSync(new URL("../wrangler.jsonc", import.meta.url), "utf8"))![1]);
const WORKERS_MEMORY_MB = 128;
const workerd = await startWorkerd();
try {
  const ticks = () => {
    const stat = readFileSync(`/proc/${workerd.pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(f[11]) + Number(f[12])) / 100; // utime + stime, in clock ticks of 1/100 s
  };
  const status = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${workerd.pid}/status`, "utf8"))![1]) * 1024;
  // a first request of each kind loads the Worker and its WebAssembly
  await (await fetch(`${workerd.url}/v1/explain`, { method: "POST" })).arrayBuffer();
  console.log(`\nworkerd ${workerd.pid} (Miniflare, the bundle wrangler deploy builds); the Workers limits: ${WORKERS_CPU_MS / 1000} s of CPU a request (wrangler.jsonc cpu_ms), ${WORKERS_MEMORY_MB} MB of memory an isolate`);
  console.log("route               request                                     est CPU s  workerd CPU s  wall s  peak memory growth MB  within the limits");
  for (const c of cases) {
    writeFileSync(`/proc/${workerd.pid}/clear_refs`, "5");
    const rss0 = status("VmRSS");
    const cpu0 = ticks();
    const t0 = performance.now();
    const res = await fetch(`${workerd.url}${c.route}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(c.body) });
    const text = await res.text();
    const wall = (performance.now() - t0) / 1000;
    const cpu = ticks() - cpu0;
    const growth = Math.max(0, status("VmHWM") - rss0);
    if (res.status !== 200) console.log(`  ${c.route} answered ${res.status}: ${text.slice(0, 200)}`);
    const ok = res.status === 200 && cpu * 1000 < WORKERS_CPU_MS && growth < WORKERS_MEMORY_MB * 1048576;
    console.log(
      `${c.route.padEnd(20)}${c.what.padEnd(44)}${(sum(c.estimate.cpu) / UNITS_PER_SECOND).toFixed(3).padStart(9)}${cpu.toFixed(2).padStart(15)}${wall.toFixed(2).padStart(8)}${mb(growth).padStart(23)}  ${ok ? "yes" : "NO"}`,
    );
  }
} finally {
  await workerd.stop();
}
