import { createRoute, z } from "@hono/zod-openapi";

/** What `GET /health` answers: cheap, no compute, never rate-limited. */
export interface Health {
  status: "ok";
  version: string;
  /** Seconds since this app (this isolate, in workerd) was created. */
  uptimeSeconds: number;
  startedAt: string;
  /** The runtime ("node v22…" or "workerd"). */
  runtime: string;
  /** Node only: this process's memory, in bytes. */
  memory?: { rss: number; heapUsed: number; heapTotal: number; external: number };
  /** Node only: jobs training, computing or waiting in the worker pool. */
  pending?: number;
}

export const HealthSchema = z
  .object({
    status: z.literal("ok"),
    version: z.string(),
    uptimeSeconds: z.number(),
    startedAt: z.string(),
    runtime: z.string(),
    memory: z.object({ rss: z.number(), heapUsed: z.number(), heapTotal: z.number(), external: z.number() }).optional(),
    pending: z.int().optional(),
  })
  .openapi("Health", { description: "Liveness: the server answers, its version and uptime. On Node also its memory and the worker pool's queue." });

export const healthRoute = createRoute({
  method: "get",
  path: "/health",
  summary: "Liveness probe",
  description: "Cheap (no computing, no rate limit): status, version and uptime. / Prueba de vida: estado, versión y tiempo en marcha.",
  responses: { 200: { description: "The server is up.", content: { "application/json": { schema: HealthSchema } } } },
});

function runtimeName(): string {
  const ua = (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent;
  if (ua === "Cloudflare-Workers") return "workerd";
  const versions = (globalThis as { process?: { versions?: { node?: string } } }).process?.versions;
  return versions?.node ? `node v${versions.node}` : "unknown";
}

/** A health reporter for an app created now; `extra` adds what only the host knows (Node: memory, pool). */
export function createHealth(version: string, extra?: () => Partial<Health>): () => Health {
  const started = Date.now();
  const startedAt = new Date(started).toISOString();
  const runtime = runtimeName();
  return () => ({
    status: "ok",
    version,
    uptimeSeconds: Math.max(0, (Date.now() - started) / 1000),
    startedAt,
    runtime,
    ...extra?.(),
  });
}
