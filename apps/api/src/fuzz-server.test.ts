// The proof of issue #15: 10,000 generated requests (valid and invalid
// bodies, every method, content types, odd headers, oversized bodies, uploaded
// models: well-formed, broken, past the limits, mismatched) over a real
// socket, against
//   - the Node server in a child process (worker pool, request log on), and
//   - the Worker bundle `wrangler deploy --dry-run` builds, in a real workerd
//     process (Miniflare) listening on loopback:
// no 5xx, every error application/problem+json, no crash, and the server's
// heap after a full collection back within 10 % of where it stood after a
// warm-up (Node: its heap, collected on SIGUSR2; workerd: the Worker
// isolate's heap, collected through workerd's inspector). Every request has a
// deadline that names it when it passes, and a run that cannot finish in its
// time stops and says how far it got, instead of a silent test timeout.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startChildServer, type ChildServer } from "./test/child-server.js";
import { startWorkerd, type WorkerdServer } from "./test/workerd.js";
import { checkResponse, describeRequest, fuzzRequest, sendOnce, type FuzzRequest } from "./test/fuzz-requests.js";

const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
// the warm-up brings the server to its working size (JIT code, heap growth, worker threads) before the baseline
const WARMUP = Number(process.env.FUZZ_WARMUP ?? 3_000);
const CONCURRENCY = 8;
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_205);
/** One request's wall-clock limit: far above any request's cost (the heaviest allowed takes seconds). */
const REQUEST_TIMEOUT_MS = 60_000;
/** A test's time; its requests stop being sent a minute before, and the test says how far it got. */
const TEST_TIMEOUT_MS = 900_000;
const SEND_BUDGET_MS = TEST_TIMEOUT_MS - 120_000;

interface Tally {
  statuses: Map<number, number>;
  failures: string[];
  /** Statuses of the requests that upload a model, by route. */
  models: Map<string, Map<number, number>>;
  /** Requests answered (or failed) so far. */
  done: number;
  /** Requests left unsent when the run's time ran out. */
  unsent: number;
}

const uploadsModel = (req: FuzzRequest) => typeof req.body === "string" && req.body.includes('"format":"backprop-lab/mlp"');
const count = <K>(map: Map<K, number>, key: K) => map.set(key, (map.get(key) ?? 0) + 1);

/**
 * Sends every request, CONCURRENCY at a time, and checks each answer. Stops
 * sending once `deadline` (a Date.now() time) has passed; each request that
 * gets no answer in REQUEST_TIMEOUT_MS is a failure naming it.
 */
async function send(base: string, requests: FuzzRequest[], tally: Tally, deadline = Date.now() + SEND_BUDGET_MS, label = ""): Promise<void> {
  let next = 0;
  const started = Date.now();
  const lane = async () => {
    while (next < requests.length) {
      if (Date.now() > deadline) {
        tally.unsent = requests.length - next;
        next = requests.length;
        return;
      }
      const i = next++;
      const req = requests[i]!;
      try {
        const res = await sendOnce(base, req, REQUEST_TIMEOUT_MS);
        count(tally.statuses, res.status);
        if (uploadsModel(req)) count(tally.models.get(req.path) ?? tally.models.set(req.path, new Map()).get(req.path)!, res.status);
        const failure = await checkResponse(req, res);
        if (failure) tally.failures.push(failure);
      } catch (error) {
        tally.failures.push(`request #${i}: ${(error as Error).message} ${String((error as { cause?: unknown }).cause ?? "")}`);
      }
      if (++tally.done % 2_000 === 0 && label) console.log(`${label}: ${tally.done} of ${requests.length} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
}

const newTally = (): Tally => ({ statuses: new Map(), failures: [], models: new Map(), done: 0, unsent: 0 });
const sample = (n: number, seed: number) => fc.sample(fuzzRequest, { numRuns: n, seed });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The smallest of a few readings a short while apart (memory settles after a burst). */
async function settled(read: () => Promise<number> | number, times = 6, gapMs = 250): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < times; i++) {
    await sleep(gapMs);
    best = Math.min(best, await read());
  }
  return best;
}

const sorted = (m: Map<number, number>) => JSON.stringify(Object.fromEntries([...m].sort((a, b) => a[0] - b[0])));

function report(name: string, tally: Tally, memory: Record<string, number>): void {
  const mb = (b: number) => `${(b / 1048576).toFixed(1)} MB`;
  console.log(
    `${name}: ${RUNS} requests; statuses ${sorted(tally.statuses)}; ` +
      Object.entries(memory).map(([k, v]) => `${k} ${mb(v)}`).join(", ") +
      `; uploading a model: ${[...tally.models].map(([path, m]) => `${path} ${sorted(m)}`).join(", ")}`,
  );
}

function expectHealthy(tally: Tally): void {
  // a stalled machine or server: say how far the run got rather than time out silently
  expect(tally.unsent, `the run's time ran out: ${tally.done} of ${RUNS} requests answered, ${tally.unsent} not sent`).toBe(0);
  expect(tally.failures.slice(0, 10)).toEqual([]);
  expect([...tally.statuses.keys()].filter((s) => s >= 500)).toEqual([]);
  // the bodies reach past validation: successes and each kind of problem
  // (oversized bodies are rare: a short run may have none)
  for (const status of RUNS >= 10_000 ? [200, 400, 404, 405, 413, 415, 422] : [200, 400, 404, 405, 415, 422]) expect(tally.statuses.get(status) ?? 0, `status ${status}`).toBeGreaterThan(0);
  expect(tally.statuses.get(200)!).toBeGreaterThan(RUNS / 10);
  // uploaded models reach every route that takes one, and both sides of its checks
  for (const path of ["/v1/train", "/v1/train/stream", "/v1/predict", "/v1/boundary", "/v1/gradient-check", "/v1/explain", "/v1/evaluate"]) {
    const m = tally.models.get(path);
    expect(m?.get(200) ?? 0, `${path} with a model: 200`).toBeGreaterThan(0);
    expect(m?.get(422) ?? 0, `${path} with a model: 422`).toBeGreaterThan(0);
  }
}

describe("fuzz over a socket: the Node server (child process)", () => {
  let server: ChildServer;
  beforeAll(async () => {
    server = await startChildServer(["--workers", "2", "--rate-limit", "0", "--log", "json"], {}, ["--expose-gc"]);
  });
  afterAll(async () => {
    await server?.stop();
  });

  const memory = { heapBefore: 0, heapAfter: 0 };

  it(`answers ${RUNS} generated requests: no 5xx, problems as problem+json, no crash`, async () => {
    const heap = async () => ((await (await fetch(`${server.url}/health`)).json()) as { memory: { heapUsed: number } }).memory.heapUsed;
    // each reading follows a full collection in the server (SIGUSR2 under --expose-gc, main.ts)
    // after the keep-alive timeout (Node's 5 s), so that closed requests' sockets, contexts and bodies are gone
    const collect = async () => {
      await sleep(6_000);
      process.kill(server.pid, "SIGUSR2");
    };
    // a heap reading right after a full collection of its own: the smallest of several is what the server holds
    // (one collection and later readings left up to 2 MB of a 20 MB heap in the figure, run to run)
    const collectedHeap = async () => {
      process.kill(server.pid, "SIGUSR2");
      await sleep(300);
      return heap();
    };
    const deadline = Date.now() + SEND_BUDGET_MS;
    await send(server.url, sample(WARMUP, SEED + 1), newTally(), deadline);
    await collect();
    const rssBefore = await settled(() => server.rss()!);
    const heapBefore = await settled(collectedHeap);

    const tally = newTally();
    await send(server.url, sample(RUNS, SEED), tally, deadline, "node");

    await collect();
    const rssAfter = await settled(() => server.rss()!);
    const heapAfter = await settled(collectedHeap);
    report("node", tally, { "rss before": rssBefore, "rss after": rssAfter, "heap before": heapBefore, "heap after": heapAfter });
    expectHealthy(tally);
    expect(server.child.exitCode).toBeNull();
    expect(server.stderr()).toBe("");
    Object.assign(memory, { heapBefore, heapAfter });
    // one log line for every request: the warm-up, the run and the health readings
    const logged = server.lines.filter((l) => l.startsWith("{")).length;
    expect(logged).toBe(WARMUP + RUNS + 12);
  }, TEST_TIMEOUT_MS);

  // what the server still holds after a full collection is back within 10 % of where it stood. This caught a
  // leak: a listener left on the request's signal (which outlives the request in @hono/node-server) kept every
  // finished /v1/train/stream run reachable, ~43 KB a stream (heap 26.8 -> 44.6 MB over this run); removed
  // when the stream ends (app.ts), and the pool's while-queued listener when a job starts (pool.ts)
  it("the server's heap after a full collection is back within 10 % of where it stood", () => {
    expect(memory.heapBefore).toBeGreaterThan(0);
    expect(memory.heapAfter).toBeLessThanOrEqual(memory.heapBefore * 1.1);
  });
});

describe("fuzz over a socket: the deployed Worker bundle in workerd", () => {
  let workerd: WorkerdServer;
  let url: string;
  let workerdPid: number;

  beforeAll(async () => {
    workerd = await startWorkerd({ inspector: true });
    url = workerd.url;
    workerdPid = workerd.pid;
  }, 240_000);
  afterAll(async () => {
    await workerd?.stop();
  });

  const rss = () => workerd.rss();
  const memory = { heapBefore: 0, heapAfter: 0 };

  it(`answers ${RUNS} generated requests: no 5xx, problems as problem+json, no crash`, async () => {
    expect(workerdPid).toBeGreaterThan(0);
    const health = (await (await fetch(`${url}/health`)).json()) as { runtime: string };
    expect(health.runtime).toBe("workerd");
    const deadline = Date.now() + SEND_BUDGET_MS;
    await send(url, sample(WARMUP, SEED + 1), newTally(), deadline);
    const rssBefore = await settled(rss);
    const heapBefore = await settled(() => workerd.heapAfterGc(), 3, 0);
    const tally = newTally();
    await send(url, sample(RUNS, SEED), tally, deadline, "workerd");
    const rssAfter = await settled(rss);
    const heapAfter = await settled(() => workerd.heapAfterGc(), 3, 0);
    report("workerd", tally, { "rss before": rssBefore, "rss after": rssAfter, "isolate heap before": heapBefore, "isolate heap after": heapAfter });
    expectHealthy(tally);
    expect((await fetch(`${url}/health`)).status).toBe(200);
    Object.assign(memory, { heapBefore, heapAfter });
  }, TEST_TIMEOUT_MS);

  // The Worker's heap (what its isolate still holds after a full collection, as the Node test measures) is
  // asserted. workerd's resident memory is printed, not asserted: it also counts what workerd itself keeps
  // (its allocator's free pages, V8's committed but empty heap pages), which no collection returns.
  it("the Worker isolate's heap after a full collection is back within 10 % of where it stood", () => {
    expect(memory.heapBefore).toBeGreaterThan(0);
    expect(memory.heapAfter).toBeLessThanOrEqual(memory.heapBefore * 1.1);
  });
});
