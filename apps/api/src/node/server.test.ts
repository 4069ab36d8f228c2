// A real Node server on loopback (a free port): training in worker threads,
// Server-Sent Events over a socket, and a client that hangs up.
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createApp } from "../app.js";
import { createClient } from "../client.js";
import { parseSSE } from "../test/helpers.js";
import { startServer, type RunningServer } from "./server.js";

let server: RunningServer;
const json = (body: unknown): RequestInit => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
// far more work than the default budget allows: this server lifts it so a run lasts until stopped
const endless = { preset: "course-2-50-2", steps: 50_000_000, reportEvery: 10 };

beforeAll(async () => {
  server = await startServer({ port: 0, pool: { size: 2 }, limits: { workBudget: Number.MAX_SAFE_INTEGER, maxSteps: 100_000_000, maxMemoryBytes: Infinity, maxResponseBytes: Infinity } });
});
afterAll(() => server.close());

/** Reads an event stream until `stop` says so, then hangs up. */
async function readEvents(res: Response, stop: (events: ReturnType<typeof parseSSE>) => boolean, abort: AbortController) {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
    const complete = text.slice(0, text.lastIndexOf("\n\n") + 2);
    if (stop(parseSSE(complete))) {
      abort.abort();
      break;
    }
  }
  return parseSSE(text.slice(0, text.lastIndexOf("\n\n") + 2));
}

describe("Node server on loopback", () => {
  it("listens on 127.0.0.1 and answers with a request id", async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${server.url}/v1/limits`);
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toBeTruthy();
  });

  it("trains in a worker thread byte-identically to the in-process app", async () => {
    const body = { preset: "course-2-3-2", steps: 300, grid: { resolution: 10 } };
    const overHttp = await (await fetch(`${server.url}/v1/train`, json(body))).text();
    const inline = await (await createApp().request("/v1/train", json(body))).text();
    expect(overHttp).toBe(inline);
  });

  it("refuses a stream's body before streaming: a plain problem response, not an event stream", async () => {
    const res = await fetch(`${server.url}/v1/train/stream`, json({ preset: "course-2-3-2", steps: 100_000_001 }));
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect((await res.json()) as { errors: { field: string }[] }).toMatchObject({ errors: [{ field: "steps" }] });
    const bad = await fetch(`${server.url}/v1/train/stream`, { ...json(null), body: "{" });
    expect([bad.status, bad.headers.get("content-type")]).toEqual([400, "application/problem+json"]);
    await vi.waitFor(() => expect(server.pool.pending()).toBe(0), { timeout: 10_000, interval: 20 });
  });

  it("sends a worker's answer with its length and the CORS, Vary and security headers", async () => {
    // every middleware's header goes on the finished answer (CORS's after the handler: see app.ts)
    const body = JSON.stringify({ preset: "course-2-3-2", steps: 50 });
    const { headers, length } = await new Promise<{ headers: Record<string, string | string[] | undefined>; length: number }>((resolve, reject) => {
      const req = request(`${server.url}/v1/train`, { method: "POST", headers: { "content-type": "application/json", origin: "https://example.org" } }, (res) => {
        let length = 0;
        res.on("data", (chunk: Buffer) => (length += chunk.length));
        res.on("end", () => resolve({ headers: res.headers, length }));
      });
      req.on("error", reject);
      req.end(body);
    });
    expect(headers["transfer-encoding"]).toBeUndefined();
    expect(Number(headers["content-length"])).toBe(length);
    expect(headers["access-control-allow-origin"]).toBe("*");
    expect(headers["access-control-expose-headers"]).toContain("X-Request-Id");
    expect(headers["vary"]).toContain("Accept-Language");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["x-request-id"]).toBeTruthy();
  });

  it("sends a request without a body to the worker threads too, answering as the in-process app does", async () => {
    for (const route of ["/v1/train", "/v1/explain", "/v1/gradient-check"]) {
      const overHttp = await (await fetch(`${server.url}${route}`, { method: "POST" })).text();
      const inline = await (await createApp().request(route, { method: "POST" })).text();
      expect(overHttp, route).toBe(inline);
    }
    // proof of where it ran: with the one worker busy and no queue, it is refused as busy (inline it would be a 200)
    const busy = await startServer({ port: 0, pool: { size: 1, maxQueue: 0 }, limits: { workBudget: Number.MAX_SAFE_INTEGER, maxSteps: 100_000_000, maxMemoryBytes: Infinity, maxResponseBytes: Infinity } });
    const abort = new AbortController();
    try {
      const heavy = fetch(`${busy.url}/v1/train`, { ...json(endless), signal: abort.signal }).catch((e: unknown) => e);
      await vi.waitFor(() => expect(busy.pool.pending()).toBe(1), { timeout: 10_000, interval: 10 });
      for (const route of ["/v1/train", "/v1/train/stream", "/v1/explain"]) expect((await fetch(`${busy.url}${route}`, { method: "POST" })).status, route).toBe(503);
      abort.abort();
      await heavy;
    } finally {
      await busy.close();
    }
  });

  it("streams a run as Server-Sent Events to the end", async () => {
    const res = await fetch(`${server.url}/v1/train/stream`, json({ preset: "course-2-3-2", steps: 200, reportEvery: 50 }));
    const events = parseSSE(await res.text());
    const steps = events.filter((e) => e.event === "progress").map((e) => (JSON.parse(e.data) as { step: number }).step);
    expect(steps).toEqual([50, 100, 150, 200]);
    for (const e of events.filter((x) => x.event === "finding")) expect(JSON.parse(e.data)).toHaveProperty("finding.code");
    expect(events.at(-1)!.event).toBe("result");
    expect((JSON.parse(events.at(-1)!.data) as { steps: number }).steps).toBe(200);
  });

  it("streams an event every step (handed over in batches) as the in-process app streams it, one by one", async () => {
    const body = { preset: "course-2-3-2", steps: 400, reportEvery: 1 };
    const overHttp = await (await fetch(`${server.url}/v1/train/stream`, json(body))).text();
    const inline = await (await createApp().request("/v1/train/stream", json(body))).text();
    expect(overHttp).toBe(inline);
    const events = parseSSE(overHttp);
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => String(i)));
    const steps = events.filter((e) => e.event === "progress").map((e) => (JSON.parse(e.data) as { step: number }).step);
    expect(steps).toEqual(Array.from({ length: 400 }, (_, i) => i + 1));
    expect(events.at(-1)!.event).toBe("result");
  });

  it("stops training when the client of a stream disconnects", async () => {
    const abort = new AbortController();
    const res = await fetch(`${server.url}/v1/train/stream`, { ...json(endless), signal: abort.signal });
    const events = await readEvents(res, (e) => e.some((x) => x.event === "progress"), abort);
    expect(events[0]!.event).toBe("progress");
    await vi.waitFor(() => expect(server.pool.pending()).toBe(0), { timeout: 10_000, interval: 20 });
  });

  it("pauses a stream whose client does not read, and drops it after the stall time", async () => {
    const stalling = await startServer({ port: 0, pool: { size: 1 }, streamStallMs: 500, trainTimeoutMs: 120_000, limits: { workBudget: Number.MAX_SAFE_INTEGER, maxSteps: 100_000_000, maxMemoryBytes: Infinity, maxResponseBytes: Infinity } });
    try {
      const body = JSON.stringify({ ...endless, reportEvery: 1 });
      const req = request(`${stalling.url}/v1/train/stream`, { method: "POST", headers: { "content-type": "application/json" } });
      let received = 0;
      req.on("response", (res) => {
        res.once("data", (chunk: Buffer) => {
          received += chunk.length;
          res.pause(); // never reads again
        });
      });
      req.on("error", () => {});
      req.end(body);
      await vi.waitFor(() => expect(stalling.pool.pending()).toBe(1), { timeout: 10_000, interval: 10 });
      // the run pauses once the socket's buffers are full, then the stalled client is dropped and its run stopped
      // (filling loopback buffers takes seconds on a loaded machine: the bound is generous, liveness not speed)
      await vi.waitFor(() => expect(stalling.pool.pending()).toBe(0), { timeout: 120_000, interval: 50 });
      expect(received).toBeGreaterThan(0);
      req.destroy();
    } finally {
      await stalling.close();
    }
  }, 180_000);

  it("keeps answering while a heavy run trains, and stops that run when its client leaves", async () => {
    const abort = new AbortController();
    const heavy = fetch(`${server.url}/v1/train`, { ...json(endless), signal: abort.signal }).catch((e: unknown) => e);
    await vi.waitFor(() => expect(server.pool.pending()).toBe(1), { timeout: 10_000, interval: 10 });
    const api = createClient(server.url);
    const res = await api.v1.explain.$post({ json: {} });
    expect(res.status).toBe(200);
    expect(server.pool.pending()).toBe(1);
    abort.abort();
    expect(await heavy).toBeInstanceOf(Error);
    await vi.waitFor(() => expect(server.pool.pending()).toBe(0), { timeout: 10_000, interval: 20 });
  });
});
