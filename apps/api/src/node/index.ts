export { createWorkerPool, type WorkerPool, type WorkerPoolOptions } from "./pool.js";
export { DEFAULT_HOST, DEFAULT_PORT, DEFAULT_RATE_LIMIT, startServer, type RunningServer, type ServerOptions } from "./server.js";
