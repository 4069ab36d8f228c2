// Training that continues from an uploaded model, on Node: the app training
// inline, and the app training in the worker pool (the Node server's way),
// where the model crosses to a worker thread inside the prepared request.
import { afterAll } from "vitest";
import { createApp } from "./app.js";
import { createWorkerPool } from "./node/pool.js";
import { trainFromModelCases } from "./test/train-from-model-cases.js";

const pool = createWorkerPool({ size: 1, timeoutMs: 60_000 });
afterAll(() => pool.close());

trainFromModelCases("inline", createApp());
trainFromModelCases("worker pool", createApp({ executor: pool }));
