import type { AddressInfo } from "node:net";
import { serve, type ServerType } from "@hono/node-server";
import { getConnInfo } from "@hono/node-server/conninfo";
import { createApp, type AppOptions } from "../app.js";
import { clientAddress, type TrustedProxies } from "../ops/proxy.js";
import { memoryRateLimiter } from "../rate-limit.js";
import { nodeDocsAssets } from "./docs-assets.js";
import { createWorkerPool, type WorkerPool, type WorkerPoolOptions } from "./pool.js";

export interface ServerOptions extends Omit<AppOptions, "executor" | "rateLimiter" | "clientKey"> {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  pool?: WorkerPoolOptions;
  /**
   * Proxies whose X-Forwarded-For / Forwarded are believed for the client's
   * address (its rate-limit key): a hop count or their addresses. Default
   * null: the socket's peer address, those headers ignored.
   */
  trustProxy?: TrustedProxies;
}

export interface RunningServer {
  url: string;
  host: string;
  port: number;
  server: ServerType;
  /** The training workers (e.g. `pool.pending()`). */
  pool: WorkerPool;
  close(): Promise<void>;
}

export const DEFAULT_HOST = "127.0.0.1";
export const DEFAULT_PORT = 8787;
export const DEFAULT_RATE_LIMIT = { limit: 600, periodSeconds: 60 };

/**
 * The API on Node: training in a worker-thread pool with a wall-clock
 * limit, an in-memory rate limiter keyed by the client's address.
 */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const host = options.host ?? DEFAULT_HOST;
  const timeoutMs = options.trainTimeoutMs ?? options.pool?.timeoutMs ?? 10_000;
  const pool = createWorkerPool({ ...options.pool, timeoutMs });
  const trustProxy = options.trustProxy ?? null;
  const rateLimit = options.rateLimit === undefined ? DEFAULT_RATE_LIMIT : options.rateLimit;
  const app = createApp({
    ...options,
    trainTimeoutMs: timeoutMs,
    executor: pool,
    rateLimit,
    rateLimiter: rateLimit ? memoryRateLimiter({ limit: rateLimit.limit, periodMs: rateLimit.periodSeconds * 1000 }) : null,
    clientKey: (c) => clientAddress(getConnInfo(c).remote.address ?? "unknown", c.req.raw.headers, trustProxy),
    docsAssets: options.docsAssets ?? nodeDocsAssets,
    healthExtra: () => {
      const m = process.memoryUsage();
      return { memory: { rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external }, pending: pool.pending() };
    },
  });
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: host, port: options.port ?? DEFAULT_PORT }, () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}`,
    host,
    port,
    server,
    pool,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ("closeAllConnections" in server) server.closeAllConnections();
      });
      await pool.close();
    },
  };
}
