// The load test (not a timing test): against a real Node server in a child
// process, 10 concurrent copies of each computing route's heaviest allowed
// request (found with the cost model, as scripts/calibrate.ts does), one route
// after another, while GET /health is probed every 50 ms. Reports the probe's
// latency (p50, p99, max), the server's peak resident memory and every
// status. Run: pnpm --filter @backprop-lab/api load
import { request } from "node:http";
import { Worker } from "node:worker_threads";
import { createTrainingRun, mlpToJSON } from "@backprop-lab/core";
import { prepareTraining } from "../engine/train.js";
import { DEFAULT_LIMITS, estimateBoundary, estimateEvaluate, estimateExplain, estimateGradientCheck, estimatePredict, worstResource, type ApiLimits, type CostEstimate } from "../limits.js";
import { startChildServer } from "./child-server.js";

export interface LoadCase {
  route: string;
  what: string;
  body: unknown;
}

export interface LoadOptions {
  /** Concurrent copies of each route's request. */
  copies?: number;
  /** Milliseconds between health probes. */
  probeEveryMs?: number;
  /** "heaviest": each route's heaviest allowed request; "tiny": small requests (for a quick correctness check). */
  scale?: "heaviest" | "tiny";
  /** Extra server flags. */
  serverArgs?: string[];
  /** Flags for the server's node (e.g. `--cpu-prof`). */
  nodeArgs?: string[];
  log?: (line: string) => void;
}

export interface LoadRouteResult {
  route: string;
  what: string;
  statuses: Record<string, number>;
  wallMs: number;
  responseBytes: number;
  /** The /health probe's slowest answer while this route's copies ran. */
  probeMaxMs: number;
}

export interface LoadResult {
  routes: LoadRouteResult[];
  probe: { count: number; failed: number; statuses: Record<string, number>; p50Ms: number; p99Ms: number; maxMs: number };
  /** ceilingBytes: the stated ceiling of the peak (memoryCeiling). */
  rss: { startBytes: number; peakBytes: number; endBytes: number; ceilingBytes: number };
}

function largest(lo: number, hi: number, ok: (k: number) => boolean): number {
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (ok(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

const params = (sizes: number[]) => sizes.slice(1).reduce((a, n, l) => a + (sizes[l]! + 1) * n, 0);
const rows = (n: number, width: number) => Array.from({ length: n }, (_, i) => Array.from({ length: width }, (_, j) => Math.sin(i + j)));

function model(sizes: number[]) {
  const weights = sizes.slice(1).map((nOut, l) => Array.from({ length: sizes[l]! }, (_, i) => Array.from({ length: nOut }, (_, j) => 0.05 * Math.sin(1 + i * 7 + j))));
  const biases = sizes.slice(1).map((nOut) => Array.from({ length: nOut }, () => 0));
  return { format: "backprop-lab/mlp", version: 1, spec: { sizes, hidden: "tanh", output: "sigmoid", bias: true }, weights, biases };
}

function trainFits(body: unknown, limits: ApiLimits): boolean {
  try {
    prepareTraining(body as never, limits);
    return true;
  } catch {
    return false;
  }
}

/** Each computing route's heaviest request the limits allow (or a small one). */
export function loadCases(scale: "heaviest" | "tiny", limits: ApiLimits = DEFAULT_LIMITS): LoadCase[] {
  const fits = (e: CostEstimate) => worstResource(e, limits).ratio <= 1;
  if (scale === "tiny") {
    const m = mlpToJSON(createTrainingRun({ seed: 1, network: { hidden: [4] } }).net);
    return [
      { route: "/v1/train", what: "course 2-3-2, 50 steps", body: { preset: "course-2-3-2", steps: 50 } },
      { route: "/v1/train/stream", what: "course 2-3-2, 50 steps, reportEvery 10", body: { preset: "course-2-3-2", steps: 50, reportEvery: 10 } },
      { route: "/v1/predict", what: "2-4-2, 20 rows", body: { model: m, x: rows(20, 2) } },
      { route: "/v1/boundary", what: "2-4-2, 20²", body: { model: m, resolution: 20 } },
      { route: "/v1/gradient-check", what: "2-4-2, 8 rows", body: { model: m, x: rows(8, 2), y: rows(8, 2) } },
      { route: "/v1/explain", what: "the course's example", body: {} },
      { route: "/v1/evaluate", what: "2-4-2 on 100 xor rows", body: { model: m, data: { name: "xor", n: 100 } } },
    ];
  }
  const cases: LoadCase[] = [];
  {
    const make = (steps: number) => ({ config: { seed: 1, data: { name: "spiral", n: 1000 }, network: { hidden: [64, 64] }, training: { batchSize: 32 } }, steps, grid: { resolution: 50 } });
    const steps = largest(1, limits.maxSteps, (k) => trainFits(make(k), limits));
    cases.push({ route: "/v1/train", what: `2-64-64-2, 1000 rows, batch 32, ${steps} steps, grid 50²`, body: make(steps) });
  }
  {
    const make = (steps: number) => ({ config: { seed: 1, data: { name: "xor", n: 10 }, network: { hidden: [] } }, steps, reportEvery: 1 });
    const steps = largest(1, limits.maxSteps, (k) => trainFits(make(k), limits));
    cases.push({ route: "/v1/train/stream", what: `2-2 on 10 rows, reportEvery 1, ${steps} steps`, body: make(steps) });
  }
  {
    const sizes = [2, 64, 64, 64];
    const n = largest(1, limits.maxPredictRows, (k) => fits(estimatePredict(k, params(sizes), 2, 64)));
    cases.push({ route: "/v1/predict", what: `2-64-64-64, ${n} rows`, body: { model: model(sizes), x: rows(n, 2) } });
  }
  {
    const r = limits.maxGridResolution;
    const w = largest(1, limits.maxWidth, (k) => fits(estimateBoundary(r * r, params([2, k, k, 2]), 2)));
    cases.push({ route: "/v1/boundary", what: `2-${w}-${w}-2, ${r}²`, body: { model: model([2, w, w, 2]), resolution: r } });
  }
  {
    const n = limits.maxGradientCheckRows;
    const w = largest(1, limits.maxWidth, (k) => fits(estimateGradientCheck(n, params([2, k, k, 2]))));
    cases.push({ route: "/v1/gradient-check", what: `2-${w}-${w}-2, ${n} rows`, body: { model: model([2, w, w, 2]), x: rows(n, 2), y: rows(n, 2) } });
  }
  {
    // the most rows through the deepest, widest network
    const sizes = [limits.maxInputs, ...Array.from({ length: limits.maxHiddenLayers }, () => limits.maxWidth), limits.maxWidth];
    const units = sizes.slice(1).reduce((a, nOut, l) => a + sizes[l]! + nOut, 0);
    const n = largest(1, limits.maxExplainRows, (k) => fits(estimateExplain(k, params(sizes), units)));
    cases.push({ route: "/v1/explain", what: `${sizes[0]}-64×8-64, ${n} rows`, body: { model: model(sizes), x: rows(n, sizes[0]!), y: rows(n, sizes.at(-1)!), learningRate: 0.1 } });
  }
  {
    const n = limits.maxSamples;
    const w = largest(1, limits.maxWidth, (k) => fits(estimateEvaluate(n, params([2, k, k, k, 2]), 2, 2, 2)));
    cases.push({ route: "/v1/evaluate", what: `2-${w}-${w}-${w}-2 on ${n} spiral rows`, body: { model: { ...model([2, w, w, w, 2]) }, data: { name: "spiral", n } } });
  }
  return cases;
}

/** The server's worker threads in the load test (the default: min(2, cores); this machine has 2). */
const LOAD_WORKERS = 2;

/**
 * The stated ceiling of the server's peak resident memory under the load
 * test: its memory at the start, plus twice (room for garbage not yet
 * collected) everything the requests in flight may hold by the limits: each
 * worker's computation (maxMemoryBytes) and each copy's body and answer
 * (maxBodyBytes + maxResponseBytes).
 */
export function memoryCeiling(startBytes: number, copies: number, limits: ApiLimits = DEFAULT_LIMITS, workers = LOAD_WORKERS): number {
  return startBytes + 2 * (workers * limits.maxMemoryBytes + copies * (limits.maxBodyBytes + limits.maxResponseBytes));
}

/**
 * The health probe's loop, run in a worker thread: GET the URL every `every`
 * ms on a new connection, post each answer's latency, and on "stop" post all
 * of them.
 */
const PROBE_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const http = require("node:http");
const { url, every } = workerData;
const latencies = [];
const statuses = {};
let failed = 0;
let stopping = false;
parentPort.on("message", () => { stopping = true; });
const once = () => new Promise((resolve) => {
  const t0 = performance.now();
  const req = http.get(url, { agent: false, timeout: 10000 }, (res) => {
    res.resume();
    res.on("end", () => {
      const ms = performance.now() - t0;
      latencies.push(ms);
      statuses[res.statusCode] = (statuses[res.statusCode] || 0) + 1;
      parentPort.postMessage({ kind: "answer", ms });
      resolve(t0);
    });
    res.on("error", () => { failed++; resolve(t0); });
  });
  req.on("timeout", () => req.destroy(new Error("timeout")));
  req.on("error", () => { failed++; resolve(t0); });
});
(async () => {
  while (!stopping) {
    const t0 = await once();
    const wait = every - (performance.now() - t0);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  parentPort.postMessage({ kind: "done", latencies, statuses, failed });
})();
`;

/** POSTs a JSON body; counts the answer's bytes as they arrive (without keeping them) and resolves with the status. */
function post(url: string, body: string, onBytes: (n: number) => void): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) }, signal: AbortSignal.timeout(120_000) }, (res) => {
      res.on("data", (chunk: Buffer) => onBytes(chunk.length));
      res.on("end", () => resolve(res.statusCode!));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

const quantile = (sorted: number[], q: number) => (sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!);

export async function runLoad(options: LoadOptions = {}): Promise<LoadResult> {
  const copies = options.copies ?? 10;
  const every = options.probeEveryMs ?? 50;
  const log = options.log ?? (() => {});
  const cases = loadCases(options.scale ?? "heaviest");
  const server = await startChildServer(["--log", "off", "--workers", String(LOAD_WORKERS), ...(options.serverArgs ?? [])], {}, options.nodeArgs ?? []);
  try {
    // a first request of each kind starts the worker threads, so the start figure is a running server's
    for (const c of loadCases("tiny")) await (await fetch(`${server.url}${c.route}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(c.body) })).arrayBuffer();
    const startBytes = server.rss() ?? 0;
    let peakBytes = startBytes;
    // The probe runs on its own event loop (a worker thread, plain node:http,
    // a new connection each time, as a load balancer's health check does), so
    // its latency is the server's and not the time this process's own event
    // loop spends receiving the load's answers.
    // the slowest probe answer while the current route runs
    let phaseMax = 0;
    const prober = new Worker(PROBE_SOURCE, { eval: true, workerData: { url: `${server.url}/health`, every } });
    const probed = new Promise<{ latencies: number[]; statuses: Record<string, number>; failed: number }>((resolve, reject) => {
      prober.on("message", (m: { kind: string; ms?: number; latencies?: number[]; statuses?: Record<string, number>; failed?: number }) => {
        if (m.kind === "answer") phaseMax = Math.max(phaseMax, m.ms!);
        else if (m.kind === "done") resolve({ latencies: m.latencies!, statuses: m.statuses!, failed: m.failed! });
      });
      prober.once("error", reject);
    });
    const sampler = setInterval(() => {
      peakBytes = Math.max(peakBytes, server.rss() ?? 0);
    }, every);

    const routes: LoadRouteResult[] = [];
    for (const c of cases) {
      const body = JSON.stringify(c.body);
      const statuses: Record<string, number> = {};
      let bytes = 0;
      phaseMax = 0;
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: copies }, async () => {
          try {
            const status = await post(`${server.url}${c.route}`, body, (n) => {
              bytes += n;
            });
            statuses[status] = (statuses[status] ?? 0) + 1;
          } catch (error) {
            statuses[`error: ${(error as Error).message}`] = (statuses[`error: ${(error as Error).message}`] ?? 0) + 1;
          }
        }),
      );
      const r = { route: c.route, what: c.what, statuses, wallMs: performance.now() - t0, responseBytes: bytes, probeMaxMs: phaseMax };
      routes.push(r);
      log(`${c.route.padEnd(20)} ${c.what.padEnd(52)} ${JSON.stringify(statuses).padEnd(24)} ${(r.wallMs / 1000).toFixed(1).padStart(6)} s ${(bytes / 1048576).toFixed(1).padStart(7)} MB ${r.probeMaxMs.toFixed(0).padStart(7)} ms`);
    }
    clearInterval(sampler);
    prober.postMessage("stop");
    const { latencies, statuses: probeStatuses, failed } = await probed;
    await prober.terminate();
    const sorted = [...latencies].sort((a, b) => a - b);
    return {
      routes,
      probe: { count: latencies.length, failed, statuses: probeStatuses, p50Ms: quantile(sorted, 0.5), p99Ms: quantile(sorted, 0.99), maxMs: sorted.at(-1) ?? Number.NaN },
      rss: { startBytes, peakBytes, endBytes: server.rss() ?? 0, ceilingBytes: memoryCeiling(startBytes, copies) },
    };
  } finally {
    await server.stop();
  }
}
