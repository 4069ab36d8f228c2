#!/usr/bin/env node
import { parseArgs } from "node:util";
import { jsonLinesSink } from "../ops/log.js";
import { parseTrustProxy, type TrustedProxies } from "../ops/proxy.js";
import { DEFAULT_HOST, DEFAULT_PORT, startServer } from "./server.js";

const HELP = `backprop-lab API server

  --host HOST         address to listen on (env HOST, default ${DEFAULT_HOST})
  --port PORT         port (env PORT, default ${DEFAULT_PORT}; 0 picks a free one)
  --workers N         training worker threads (env TRAIN_WORKERS, default min(2, cores))
  --timeout MS        wall-clock limit of one training run (env TRAIN_TIMEOUT_MS, default 10000)
  --cors ORIGINS      comma-separated allowed origins, or * (env CORS_ORIGINS, default *)
  --rate-limit N      requests per minute per client, 0 for none (env RATE_LIMIT, default 600)
  --work-budget N     steps × samples × parameters allowed per request (env WORK_BUDGET, default 100000000)
  --max-steps N       steps allowed per training request (env MAX_STEPS, default 100000)
  --trust-proxy T     believe X-Forwarded-For / Forwarded from the T nearest proxies, or from
                      proxies at these comma-separated addresses / IPv4 CIDR ranges
                      (env TRUST_PROXY, default none: the socket's address)
  --log FORMAT        request log on stdout: json (one JSON line per request) or off (env LOG, default json)
  -h, --help`;

function int(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === "") return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`${name} must be a whole number ≥ 0, got ${value}`);
    process.exit(2);
  }
  return n;
}

// `pnpm start -- --port 9000` passes the "--" along
const argv = process.argv.slice(2);
const { values } = parseArgs({
  args: argv[0] === "--" ? argv.slice(1) : argv,
  options: {
    host: { type: "string" },
    port: { type: "string" },
    workers: { type: "string" },
    timeout: { type: "string" },
    cors: { type: "string" },
    "rate-limit": { type: "string" },
    "work-budget": { type: "string" },
    "max-steps": { type: "string" },
    "trust-proxy": { type: "string" },
    log: { type: "string" },
    help: { type: "boolean", short: "h" },
  },
});
if (values.help) {
  console.log(HELP);
  process.exit(0);
}

const env = process.env;
const cors = values.cors ?? env.CORS_ORIGINS;
const perMinute = int(values["rate-limit"] ?? env.RATE_LIMIT, "rate-limit");
const workers = int(values.workers ?? env.TRAIN_WORKERS, "workers");
const timeout = int(values.timeout ?? env.TRAIN_TIMEOUT_MS, "timeout");
const workBudget = int(values["work-budget"] ?? env.WORK_BUDGET, "work-budget");
const maxSteps = int(values["max-steps"] ?? env.MAX_STEPS, "max-steps");
let trustProxy: TrustedProxies = null;
try {
  trustProxy = parseTrustProxy(values["trust-proxy"] ?? env.TRUST_PROXY);
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
const logFormat = values.log ?? env.LOG ?? "json";
if (logFormat !== "json" && logFormat !== "off") {
  console.error(`log must be json or off, got ${logFormat} / log debe ser json u off, se recibió ${logFormat}`);
  process.exit(2);
}
// Started with --expose-gc (the fuzz suite does), SIGUSR2 runs a full collection: memory is then measured
// as what is still reachable, not as what V8 has not yet collected.
const gc = (globalThis as { gc?: () => void }).gc;
if (typeof gc === "function") process.on("SIGUSR2", () => gc());

const server = await startServer({
  trustProxy,
  ...(logFormat === "json" ? { log: jsonLinesSink((line) => process.stdout.write(line)) } : {}),
  host: values.host ?? env.HOST ?? DEFAULT_HOST,
  port: int(values.port ?? env.PORT, "port") ?? DEFAULT_PORT,
  ...(workers ? { pool: { size: workers } } : {}),
  ...(timeout ? { trainTimeoutMs: timeout } : {}),
  limits: { ...(workBudget ? { workBudget } : {}), ...(maxSteps ? { maxSteps } : {}) },
  ...(cors ? { corsOrigins: cors === "*" ? "*" : cors.split(",").map((o) => o.trim()) } : {}),
  ...(perMinute === undefined ? {} : { rateLimit: perMinute === 0 ? null : { limit: perMinute, periodSeconds: 60 } }),
});
console.log(`backprop-lab API listening on ${server.url} (OpenAPI: ${server.url}/openapi.json)`);

const stop = () => {
  void server.close().then(() => process.exit(0));
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
