import { startServer, type RunningServer } from "@backprop-lab/api/node";
import { createTrainingRun, makeDataset, mlpToJSON, predict } from "@backprop-lab/core";
import autocannon from "autocannon";
import { maxRelativeError } from "../agreement.js";
import type { Agreement, Subject, Workload } from "../types.js";

/** Requests per timed run; a run is bounded by this count and by API_LOAD_MAX_SECONDS. */
export const API_LOAD_REQUESTS = 1_000;
export const API_LOAD_CONNECTIONS = 8;
export const API_LOAD_MAX_SECONDS = 60;
const PREDICT_ROWS = 100;
const TRAIN_STEPS = 20;

const model = mlpToJSON(createTrainingRun({ seed: 1, network: { hidden: [4] } }).net);
const points = makeDataset("xor", { n: PREDICT_ROWS, seed: 7 });
const rows = Array.from({ length: PREDICT_ROWS }, (_, i) => [points.x[2 * i]!, points.x[2 * i + 1]!]);
const predictBody = JSON.stringify({ model, x: rows });
const trainBody = JSON.stringify({
  config: { seed: 1, data: { source: "generated", name: "xor", n: 100 }, network: { hidden: [4] } },
  steps: TRAIN_STEPS,
  diagnostics: { gradientCheck: false },
});
const headers = { "content-type": "application/json" };

interface LoadStats {
  p50: number;
  p99: number;
  requestsPerSecond: number;
}

/**
 * One bounded autocannon run against 127.0.0.1 only: every connection cycles
 * through three predicts and one small training run. Throws unless every
 * request got a 2xx, so a reported figure always means zero errors.
 */
function loadRun(url: string): Promise<LoadStats> {
  return new Promise((resolve, reject) => {
    if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(url)) return reject(new Error(`the load test only targets loopback, not ${url}`));
    const instance = autocannon(
      {
        url,
        connections: API_LOAD_CONNECTIONS,
        amount: API_LOAD_REQUESTS,
        timeout: 30,
        requests: [
          { method: "POST", path: "/v1/predict", headers, body: predictBody },
          { method: "POST", path: "/v1/predict", headers, body: predictBody },
          { method: "POST", path: "/v1/predict", headers, body: predictBody },
          { method: "POST", path: "/v1/train", headers, body: trainBody },
        ],
      },
      (error, result) => {
        clearTimeout(guard);
        if (error) return reject(error);
        const failed = result.errors + result.timeouts + result.non2xx;
        if (failed > 0 || result["2xx"] !== API_LOAD_REQUESTS) {
          return reject(new Error(`${failed} failed requests (${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx) of ${API_LOAD_REQUESTS}`));
        }
        resolve({ p50: result.latency.p50, p99: result.latency.p99, requestsPerSecond: result.requests.average });
      },
    );
    const guard = setTimeout(() => instance.stop(), API_LOAD_MAX_SECONDS * 1000);
  });
}

export const workloadApiLoad: Workload = {
  id: "E",
  title: "HTTP API on Node under load (loopback)",
  description:
    `${API_LOAD_REQUESTS.toLocaleString("en-US")} requests per run from autocannon 9.0.0 over ${API_LOAD_CONNECTIONS} keep-alive connections ` +
    `to a real \`@backprop-lab/api\` Node server on 127.0.0.1 (training in its 2 worker threads, rate limit off): each connection cycles ` +
    `through three \`POST /v1/predict\` of ${PREDICT_ROWS} rows on a 2-4-2 net and one \`POST /v1/train\` of a 2-4-2 net on 100 XOR points ` +
    `for ${TRAIN_STEPS} steps. A run with any error, timeout or non-2xx answer fails; latency percentiles of the last run are in the table.`,
  metric: { kind: "rate", perRun: API_LOAD_REQUESTS, unit: "requests/s" },
  async setup() {
    const server: RunningServer = await startServer({ host: "127.0.0.1", port: 0, rateLimit: null, pool: { size: 2 } });
    let last: LoadStats | null = null;
    const subject: Subject = {
      name: "backprop-lab API",
      library: "@backprop-lab/api (Hono 4 on @hono/node-server)",
      get note() {
        return last ? `${API_LOAD_REQUESTS} requests, 0 errors; last run p50 ${last.p50} ms, p99 ${last.p99} ms` : `${API_LOAD_REQUESTS} requests`;
      },
      reset() {},
      async run() {
        last = await loadRun(server.url);
      },
    };
    return {
      subjects: [subject],
      // the server computes what core computes: its predict outputs against core's, bit for bit
      async check(): Promise<Agreement[]> {
        const res = await fetch(`${server.url}/v1/predict`, { method: "POST", headers, body: predictBody });
        const served = ((await res.json()) as { outputs: number[][] }).outputs.flat();
        const net = createTrainingRun({ seed: 1, network: { hidden: [4] } }).net;
        const local = Array.from(predict(net, Float64Array.from(rows.flat()), PREDICT_ROWS));
        return [{ subject: "backprop-lab API", quantity: `POST /v1/predict outputs (${PREDICT_ROWS} rows) vs in-process predict`, precision: "float64", relativeError: maxRelativeError(local, served), tolerance: 0 }];
      },
      dispose() {
        void server.close();
      },
    };
  },
};
