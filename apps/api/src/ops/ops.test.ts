// GET /health, the request log (from a real server in a child process) and
// the trusted-proxy option (on a real server on loopback, both ways).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_VERSION, createApp } from "../app.js";
import { startServer, type RunningServer } from "../node/server.js";
import { startChildServer, type ChildServer } from "../test/child-server.js";
import { clientAddress, normalizeAddress, parseForwarded, parseTrustProxy, type TrustedProxies } from "./proxy.js";
import type { RequestLogLine } from "./log.js";

const headers = (h: Record<string, string>) => new Headers(h);

describe("GET /health", () => {
  it("answers status, version and uptime without computing or rate-limiting", async () => {
    // a limiter that refuses everything: /health is outside /v1 and never asks it
    const app = createApp({ rateLimiter: { limit: () => ({ success: false }) } });
    const res = await app.request("/health");
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = (await res.json()) as Record<string, unknown>;
    expect(body.status).toBe("ok");
    expect(body.version).toBe(API_VERSION);
    expect(typeof body.uptimeSeconds).toBe("number");
    expect(body.uptimeSeconds as number).toBeGreaterThanOrEqual(0);
    expect(new Date(body.startedAt as string).toISOString()).toBe(body.startedAt);
    expect(body.runtime).toBe(`node ${process.version}`);
    expect((await app.request("/v1/limits")).status).toBe(429);
    const doc = (await (await app.request("/openapi.json")).json()) as { paths: Record<string, unknown> };
    expect(doc.paths).toHaveProperty("/health");
  });

  it("takes only GET (405 with Allow otherwise)", async () => {
    const res = await createApp().request("/health", { method: "POST" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toContain("GET");
  });
});

describe("trusted proxies", () => {
  it("parses the option", () => {
    expect(parseTrustProxy(undefined)).toBeNull();
    expect(parseTrustProxy("")).toBeNull();
    expect(parseTrustProxy("0")).toBeNull();
    expect(parseTrustProxy("2")).toEqual({ hops: 2 });
    expect(parseTrustProxy("10.0.0.0/8, 127.0.0.1,::1")).toEqual({ addresses: ["10.0.0.0/8", "127.0.0.1", "::1"] });
    expect(() => parseTrustProxy("proxy.example")).toThrow(/not an IP address.*no es una dirección IP/);
    expect(() => parseTrustProxy("10.0.0.0/33")).toThrow(/10\.0\.0\.0\/33/);
  });

  it("reads addresses as proxies write them", () => {
    expect(normalizeAddress("::ffff:127.0.0.1")).toBe("127.0.0.1");
    expect(normalizeAddress("[2001:DB8::1]:4711")).toBe("2001:db8::1");
    expect(normalizeAddress("192.0.2.60:8080")).toBe("192.0.2.60");
    expect(parseForwarded('for=192.0.2.60;proto=http;by=203.0.113.43, For="[2001:db8:cafe::17]:4711"')).toEqual(["192.0.2.60", "2001:db8:cafe::17"]);
  });

  it("believes forwarded headers only as far as the trust goes", () => {
    const xff = headers({ "x-forwarded-for": "6.6.6.6, 198.51.100.7, 10.0.0.2" });
    // no trust: the peer, whatever the headers say
    expect(clientAddress("10.0.0.1", xff, null)).toBe("10.0.0.1");
    // one hop (the peer is the load balancer): the address it saw, the last entry
    expect(clientAddress("10.0.0.1", xff, { hops: 1 })).toBe("10.0.0.2");
    expect(clientAddress("10.0.0.1", xff, { hops: 2 })).toBe("198.51.100.7");
    // more hops than entries: the leftmost, never undefined
    expect(clientAddress("10.0.0.1", xff, { hops: 9 })).toBe("6.6.6.6");
    // by address: skip every trusted proxy from the right, stop at the first stranger (a spoofed entry left of it is ignored)
    expect(clientAddress("10.0.0.1", xff, { addresses: ["10.0.0.0/8"] })).toBe("198.51.100.7");
    expect(clientAddress("10.0.0.1", xff, { addresses: ["10.0.0.1"] })).toBe("10.0.0.2");
    // a peer that is not a trusted proxy is the client, even with headers
    expect(clientAddress("203.0.113.9", xff, { addresses: ["10.0.0.0/8"] })).toBe("203.0.113.9");
    // Forwarded wins over X-Forwarded-For
    const both = headers({ forwarded: "for=192.0.2.60", "x-forwarded-for": "6.6.6.6" });
    expect(clientAddress("::ffff:10.0.0.1", both, { hops: 1 })).toBe("192.0.2.60");
    expect(clientAddress("::ffff:10.0.0.1", headers({}), { hops: 1 })).toBe("10.0.0.1");
  });

  describe("on a real server, rate-limited by client address", () => {
    const servers: RunningServer[] = [];
    afterAll(async () => {
      await Promise.all(servers.map((s) => s.close()));
    });
    const start = async (trustProxy: TrustedProxies) => {
      const s = await startServer({ port: 0, pool: { size: 1 }, rateLimit: { limit: 2, periodSeconds: 60 }, trustProxy });
      servers.push(s);
      return s;
    };
    const statuses = async (url: string, xffs: string[]) => {
      const out: number[] = [];
      for (const xff of xffs) out.push((await fetch(`${url}/v1/limits`, { headers: { "x-forwarded-for": xff } })).status);
      return out;
    };

    it("without the option, X-Forwarded-For is ignored: every request counts against the socket's address", async () => {
      const s = await start(null);
      expect(await statuses(s.url, ["1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4"])).toEqual([200, 200, 429, 429]);
    });

    it("with one trusted hop, each forwarded client has its own limit", async () => {
      const s = await start({ hops: 1 });
      expect(await statuses(s.url, ["1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4"])).toEqual([200, 200, 200, 200]);
      // the same client behind the proxy is limited, and a spoofed left entry does not help it
      expect(await statuses(s.url, ["5.5.5.5", "9.9.9.9, 5.5.5.5", "8.8.8.8, 5.5.5.5"])).toEqual([200, 200, 429]);
    });

    it("with the loopback proxy's address trusted, likewise; another trusted list ignores the header", async () => {
      const s = await start({ addresses: ["127.0.0.0/8", "::1"] });
      expect(await statuses(s.url, ["1.1.1.1", "2.2.2.2", "3.3.3.3"])).toEqual([200, 200, 200]);
      const other = await start({ addresses: ["10.0.0.0/8"] });
      expect(await statuses(other.url, ["1.1.1.1", "2.2.2.2", "3.3.3.3"])).toEqual([200, 200, 429]);
    });
  });
});

describe("the request log of a real server (child process)", () => {
  let server: ChildServer;
  beforeAll(async () => {
    server = await startChildServer(["--workers", "1", "--rate-limit", "0"]);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("writes one JSON line per request with its id, route, method, status and duration", async () => {
    const sent = [
      { path: "/health", method: "GET", id: "probe-1", status: 200, route: "/health" },
      { path: "/v1/explain", method: "POST", id: "explain-1", status: 200, route: "/v1/explain" },
      { path: "/v1/train", method: "POST", id: "bad-1", status: 422, route: "/v1/train", body: '{"steps":-1}' },
      { path: "/v1/nowhere", method: "GET", id: "lost-1", status: 404, route: null },
      { path: "/v1/limits", method: "DELETE", id: "wrong-1", status: 405, route: null },
    ];
    for (const r of sent) {
      const res = await fetch(`${server.url}${r.path}`, {
        method: r.method,
        headers: { "x-request-id": r.id, ...(r.body ? { "content-type": "application/json" } : {}) },
        ...(r.body ? { body: r.body } : {}),
      });
      expect(res.status).toBe(r.status);
      expect(res.headers.get("x-request-id")).toBe(r.id);
      await res.arrayBuffer();
    }
    // an id the server will not echo (a space in it) is replaced by one of its own, logged the same
    const res = await fetch(`${server.url}/health`, { headers: { "x-request-id": "two words" } });
    const given = res.headers.get("x-request-id")!;
    expect(given).toMatch(/^[0-9a-f-]{36}$/);
    await res.arrayBuffer();

    const deadline = Date.now() + 10_000;
    const logged = () => server.lines.filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as RequestLogLine);
    while (logged().length < sent.length + 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const lines = logged();
    expect(lines).toHaveLength(sent.length + 1);
    sent.forEach((r, i) => {
      const line = lines[i]!;
      expect(line).toMatchObject({ requestId: r.id, method: r.method, route: r.route, path: r.path, status: r.status });
      expect(new Date(line.time).toISOString()).toBe(line.time);
      expect(line.durationMs).toBeGreaterThanOrEqual(0);
      expect(line.level).toBe(r.status >= 400 ? "warn" : "info");
      expect(Object.keys(line).sort()).toEqual(["durationMs", "level", "method", "path", "requestId", "route", "status", "time"]);
    });
    expect(lines.at(-1)!.requestId).toBe(given);
    // nothing else on stdout but the listening line
    expect(server.lines.filter((l) => !l.startsWith("{"))).toHaveLength(1);
  });

  it("reports its memory and pool on /health", async () => {
    const h = (await (await fetch(`${server.url}/health`)).json()) as { memory: { rss: number }; pending: number };
    expect(h.pending).toBe(0);
    // the same process: /proc's figure and the server's own agree within a few MB
    expect(Math.abs(h.memory.rss - server.rss()!)).toBeLessThan(16 * 1024 * 1024);
  });
});
