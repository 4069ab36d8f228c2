// The proof of issue #15: 10,000 generated requests (valid and invalid
// bodies, every method, content types, odd headers, oversized bodies) over a
// real socket, against
//   - the Node server in a child process (worker pool, request log on), and
//   - the Worker bundle `wrangler deploy --dry-run` builds, in a real workerd
//     process (Miniflare) listening on loopback:
// no 5xx, every error application/problem+json, no crash, and (Node) the
// server's heap after a full collection back within 10 % of where it stood
// after a warm-up; workerd's memory is printed.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startChildServer, type ChildServer } from "./test/child-server.js";
import { startWorkerd, type WorkerdServer } from "./test/workerd.js";
import { checkResponse, fuzzRequest, sendOnce, type FuzzRequest } from "./test/fuzz-requests.js";

const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
// the warm-up brings the server to its working size (JIT code, heap growth, worker threads) before the baseline
const WARMUP = Number(process.env.FUZZ_WARMUP ?? 3_000);
const CONCURRENCY = 8;
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_205);

interface Tally {
  statuses: Map<number, number>;
  failures: string[];
}

/** Sends every request, CONCURRENCY at a time, and checks each answer. */
async function send(base: string, requests: FuzzRequest[], tally: Tally): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < requests.length) {
      const req = requests[next++]!;
      try {
        const res = await sendOnce(base, req);
        tally.statuses.set(res.status, (tally.statuses.get(res.status) ?? 0) + 1);
        const failure = await checkResponse(req, res);
        if (failure) tally.failures.push(failure);
      } catch (error) {
        tally.failures.push(`${req.method} ${req.path.slice(0, 60)}: ${(error as Error).message} ${String((error as { cause?: unknown }).cause ?? "")}`);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
}

const newTally = (): Tally => ({ statuses: new Map(), failures: [] });
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

function report(name: string, tally: Tally, memory: Record<string, number>): void {
  const mb = (b: number) => `${(b / 1048576).toFixed(1)} MB`;
  console.log(
    `${name}: ${RUNS} requests; statuses ${JSON.stringify(Object.fromEntries([...tally.statuses].sort((a, b) => a[0] - b[0])))}; ` +
      Object.entries(memory).map(([k, v]) => `${k} ${mb(v)}`).join(", "),
  );
}

function expectHealthy(tally: Tally): void {
  expect(tally.failures.slice(0, 10)).toEqual([]);
  expect([...tally.statuses.keys()].filter((s) => s >= 500)).toEqual([]);
  // the bodies reach past validation: successes and each kind of problem
  // (oversized bodies are rare: a short run may have none)
  for (const status of RUNS >= 10_000 ? [200, 400, 404, 405, 413, 415, 422] : [200, 400, 404, 405, 415, 422]) expect(tally.statuses.get(status) ?? 0, `status ${status}`).toBeGreaterThan(0);
  expect(tally.statuses.get(200)!).toBeGreaterThan(RUNS / 10);
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
    await send(server.url, sample(WARMUP, SEED + 1), newTally());
    await collect();
    const rssBefore = await settled(() => server.rss()!);
    const heapBefore = await settled(heap);

    const tally = newTally();
    await send(server.url, sample(RUNS, SEED), tally);

    await collect();
    const rssAfter = await settled(() => server.rss()!);
    const heapAfter = await settled(heap);
    report("node", tally, { "rss before": rssBefore, "rss after": rssAfter, "heap before": heapBefore, "heap after": heapAfter });
    expectHealthy(tally);
    expect(server.child.exitCode).toBeNull();
    expect(server.stderr()).toBe("");
    Object.assign(memory, { heapBefore, heapAfter });
    // one log line for every request: the warm-up, the run and the health readings
    const logged = server.lines.filter((l) => l.startsWith("{")).length;
    expect(logged).toBe(WARMUP + RUNS + 12);
  }, 900_000);

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
  // memory: see the note in the test; every other property is asserted
  let workerd: WorkerdServer;
  let url: string;
  let workerdPid: number;

  beforeAll(async () => {
    workerd = await startWorkerd();
    url = workerd.url;
    workerdPid = workerd.pid;
  }, 240_000);
  afterAll(async () => {
    await workerd?.stop();
  });

  const rss = () => workerd.rss();

  it(`answers ${RUNS} generated requests: no 5xx, problems as problem+json, no crash (memory reported)`, async () => {
    expect(workerdPid).toBeGreaterThan(0);
    const health = (await (await fetch(`${url}/health`)).json()) as { runtime: string };
    expect(health.runtime).toBe("workerd");
    await send(url, sample(WARMUP, SEED + 1), newTally());
    const rssBefore = await settled(rss);
    const tally = newTally();
    await send(url, sample(RUNS, SEED), tally);
    const rssAfter = await settled(rss);
    report("workerd", tally, { "rss before": rssBefore, "rss after": rssAfter });
    expectHealthy(tally);
    expect((await fetch(`${url}/health`)).status).toBe(200);
    // Not asserted yet (issue #15, open): workerd under Miniflare keeps growing, about 10-15 KB a request
    // over 36,000 requests (mostly /v1/train and /v1/train/stream); the figures are printed above.
  }, 900_000);
});
