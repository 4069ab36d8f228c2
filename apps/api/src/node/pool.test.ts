import { BackpropError, createTrainingRun, mlpToJSON } from "@backprop-lab/core";
import { runCompute } from "../engine/compute.js";
import { afterAll, describe, expect, it } from "vitest";
import { createApp, toApiError } from "../app.js";
import { prepareTraining, runTraining } from "../engine/train.js";
import { DEFAULT_LIMITS } from "../limits.js";
import { ApiError } from "../problem.js";
import { parseSSE } from "../test/helpers.js";
import { createWorkerPool } from "./pool.js";

const unlimited = { ...DEFAULT_LIMITS, workBudget: Infinity, maxSteps: Infinity, maxMemoryBytes: Infinity, maxResponseBytes: Infinity };
const small = prepareTraining({ preset: "course-2-3-2", steps: 200, reportEvery: 50 }, DEFAULT_LIMITS);
// minutes of work: only ever stopped by a timeout, an abort or close()
const endless = prepareTraining({ preset: "course-2-50-2", steps: 10_000_000 }, unlimited);

describe("worker pool", () => {
  const pool = createWorkerPool({ size: 1, timeoutMs: 60_000, maxQueue: 1 });
  afterAll(() => pool.close());

  it("trains in a worker thread exactly as in this thread, streaming every event", async () => {
    const events: { type: string; json: string }[] = [];
    const result = await pool.run(small, { onEvents: (batch) => void events.push(...batch) });
    expect(JSON.stringify(result)).toBe(JSON.stringify(runTraining(small)));
    // each event arrives as its type and its JSON, serialized in the worker
    const progress = events.filter((e) => e.type === "progress");
    expect(progress).toHaveLength(4);
    expect(progress.map((e) => (JSON.parse(e.json) as { type: string; step: number }).step)).toEqual([50, 100, 150, 200]);
  });

  it("stops a run when its signal aborts, and refuses work past the queue with 503", async () => {
    const stop = new AbortController();
    const running = pool.run(endless, { signal: stop.signal });
    const waiting = pool.run(small);
    const refused = pool.run(small).catch((e: unknown) => e);
    expect(await refused).toBeInstanceOf(ApiError);
    expect(((await refused) as ApiError).status).toBe(503);
    stop.abort(new Error("client left"));
    await expect(running).rejects.toThrow("client left");
    // the queued run gets a fresh worker and completes
    expect((await waiting).steps).toBe(200);
    expect(pool.pending()).toBe(0);
  });
});

describe("errors from a worker thread", () => {
  const pool = createWorkerPool({ size: 1, timeoutMs: 60_000 });
  afterAll(() => pool.close());
  const crash = (e: unknown) => {
    throw new Error(`unexpected: ${String(e)}`);
  };

  it("keep an ApiError's kind, field and texts", async () => {
    // a prepared run core refuses when the worker builds it: the worker's ApiError must arrive whole
    const bad = { ...small, config: { ...small.config, training: { ...small.config.training, learningRate: -1 } } };
    const error = await pool.run(bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(422);
    expect((error as ApiError).errors[0]!.field).toBe("config.training.learningRate");
    expect((error as ApiError).errors[0]!.message.es).toMatch(/^valor no válido|^configuración no válida/);
  });

  it("keep a core BackpropError's code and field, and it becomes a 422, never a 500", async () => {
    // a grid over an empty domain is refused by viz/core only when the worker samples it at the end
    const bad = { ...small, grid: { resolution: 4, domain: { xMin: 1, xMax: 1, yMin: 0, yMax: 1 } } };
    const error = await pool.run(bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackpropError);
    expect((error as BackpropError).code).toBe("invalid-argument");
    const problem = toApiError(error, crash);
    expect(problem.status).toBe(422);
    expect(problem.errors[0]!.code).toBe("invalid-argument");
  });
});

describe("computing routes in a worker thread", () => {
  const model = mlpToJSON(createTrainingRun({ seed: 3, network: { hidden: [4] } }).net);

  const bytes = (body: unknown) => new TextEncoder().encode(JSON.stringify(body));

  it("answer exactly what the same function answers in this thread, from the raw body to the answer's bytes", async () => {
    const pool = createWorkerPool({ size: 1, timeoutMs: 60_000 });
    try {
      const body = { model, x: [[1, -1], [0.5, 2]] };
      const answer = await pool.compute({ route: "predict", body: bytes(body), limits: DEFAULT_LIMITS });
      expect(new TextDecoder().decode(answer)).toBe(JSON.stringify(runCompute({ route: "predict", body, limits: DEFAULT_LIMITS })));
      // a problem found in the thread arrives typed: the core's, the schema's (capped, counted) and bad JSON
      const bad = await pool.compute({ route: "predict", body: bytes({ model, x: [[1, 2, 3]] }), limits: DEFAULT_LIMITS }).catch((e: unknown) => e);
      expect((bad as ApiError).status).toBe(422);
      expect((bad as ApiError).errors[0]!.field).toBe("x[0]");
      const rows = Array.from({ length: 30 }, () => ["a", "b"]);
      const invalid = await pool.compute({ route: "predict", body: bytes({ model, x: rows }), limits: DEFAULT_LIMITS }).catch((e: unknown) => e);
      expect((invalid as ApiError).kind).toBe("validation-failed");
      expect((invalid as ApiError).errors).toHaveLength(20);
      expect((invalid as ApiError).extensions.errorCount).toBe(60);
      const json = await pool.compute({ route: "predict", body: bytes("x").subarray(0, 2), limits: DEFAULT_LIMITS }).catch((e: unknown) => e);
      expect((json as ApiError).kind).toBe("invalid-json");
      expect((json as ApiError).status).toBe(400);
    } finally {
      await pool.close();
    }
  });

  it("terminate a job past its deadline with a 504 problem", async () => {
    const pool = createWorkerPool({ size: 1, timeoutMs: 50 });
    try {
      // the heaviest gradient check the limits allow: far more than 50 ms of work
      const big = mlpToJSON(createTrainingRun({ seed: 1, network: { hidden: [30, 30] } }).net);
      const rows = Array.from({ length: 256 }, (_, i) => [Math.sin(i), Math.cos(i)]);
      const body = new TextEncoder().encode(JSON.stringify({ model: big, x: rows, y: rows.map(() => [1, 0]) }));
      const error = await pool.compute({ route: "gradient-check", body, limits: DEFAULT_LIMITS }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).kind).toBe("request-timeout");
      expect((error as ApiError).status).toBe(504);
      expect(pool.pending()).toBe(0);
    } finally {
      await pool.close();
    }
  });
});

describe("wall-clock limit", () => {
  it("terminates a run past its limit with a 504 and keeps serving", async () => {
    // generous for a loaded machine: the endless run needs minutes, the small one milliseconds
    const pool = createWorkerPool({ size: 1, timeoutMs: 3000 });
    try {
      const error = await pool.run(endless).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).kind).toBe("training-timeout");
      expect((error as ApiError).status).toBe(504);
      expect((await pool.run(small)).steps).toBe(200);
    } finally {
      await pool.close();
    }
  });
});

describe("training bodies in a worker thread", () => {
  const bytes = (body: unknown) => new TextEncoder().encode(JSON.stringify(body));
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  const post = (body: unknown): RequestInit => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

  it("answer /v1/train's bytes and /v1/train/stream's events exactly as the in-process app does, after accepting the body", async () => {
    const pool = createWorkerPool({ size: 1, timeoutMs: 60_000 });
    try {
      const body = { preset: "course-2-3-2", steps: 120, reportEvery: 7, grid: { resolution: 6 } };
      const order: string[] = [];
      const answer = await pool.trainBody({ body: bytes(body), limits: DEFAULT_LIMITS, stream: false }, { onAccepted: () => order.push("accepted") });
      order.push("answer");
      expect(order).toEqual(["accepted", "answer"]);
      expect(text(answer)).toBe(await (await createApp().request("/v1/train", post(body))).text());

      // a stream: the framed events (numbered from 0, handed over in batches) and then the framed result
      const chunks: string[] = [];
      let counted = 0;
      const last = await pool.trainBody(
        { body: bytes(body), limits: DEFAULT_LIMITS, stream: true },
        {
          onFrames: (b, count) => {
            chunks.push(text(b));
            counted += count;
          },
        },
      );
      const streamed = chunks.join("") + text(last);
      expect(streamed).toBe(await (await createApp().request("/v1/train/stream", post(body))).text());
      const events = parseSSE(streamed);
      expect(counted).toBe(events.length - 1);
      expect(events.at(-1)!.event).toBe("result");
    } finally {
      await pool.close();
    }
  });

  it("refuse a body before the run starts, with the route's typed problems (never accepted)", async () => {
    const pool = createWorkerPool({ size: 1, timeoutMs: 60_000 });
    try {
      const refuse = async (body: Uint8Array) => {
        let accepted = false;
        const error = await pool.trainBody({ body, limits: DEFAULT_LIMITS, stream: true }, { onAccepted: () => (accepted = true) }).catch((e: unknown) => e);
        expect(accepted).toBe(false);
        expect(error).toBeInstanceOf(ApiError);
        return error as ApiError;
      };
      const tooLong = await refuse(bytes({ preset: "course-2-3-2", steps: DEFAULT_LIMITS.maxSteps + 1 }));
      expect([tooLong.status, tooLong.errors[0]!.field]).toEqual([422, "steps"]);
      const invalid = await refuse(bytes({ preset: "course-2-3-2", steps: "many" }));
      expect([invalid.kind, invalid.errors[0]!.field]).toEqual(["validation-failed", "steps"]);
      const json = await refuse(bytes({ preset: "x" }).subarray(0, 5));
      expect([json.kind, json.status]).toEqual(["invalid-json", 400]);
      // and the pool is free again
      expect(pool.pending()).toBe(0);
    } finally {
      await pool.close();
    }
  });
});
