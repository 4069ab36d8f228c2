import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { BodyJob, TrainBodyJob } from "../engine/compute.js";
import type { PreparedTraining, TrainResult } from "../engine/train.js";
import { computeTimeoutProblem, timeoutProblem, type SerializedTrainEvent, type TrainBodyOptions, type TrainExecutor, type TrainRunOptions } from "../executor.js";
import { TEXT } from "../messages.js";
import { ApiError, fromWireError } from "../problem.js";
import type { JobMessage, WorkerReply } from "./train-worker.js";

export interface WorkerPoolOptions {
  /** Worker threads; default min(2, cores). */
  size?: number;
  /** Wall-clock limit of one run, from the moment its worker starts it (a new thread's start-up is not counted); the worker is then terminated (504). */
  timeoutMs?: number;
  /** Runs allowed to wait for a worker; one more is refused with 503. */
  maxQueue?: number;
}

export interface WorkerPool extends TrainExecutor {
  compute(job: BodyJob, options?: { signal?: AbortSignal }): Promise<Uint8Array>;
  trainBody(job: TrainBodyJob, options?: TrainBodyOptions): Promise<Uint8Array>;
  readonly size: number;
  /** Runs training or waiting right now. */
  pending(): number;
  close(): Promise<void>;
}

interface Job {
  work: { prepared: PreparedTraining } | { body: BodyJob } | { train: TrainBodyJob };
  options: TrainRunOptions & TrainBodyOptions;
  resolve: (result: never) => void;
  reject: (error: unknown) => void;
  /** Removes the job's while-queued abort listener. */
  leaveQueue?: () => void;
}

interface Slot {
  worker: Worker | null;
  busy: boolean;
}

// Built, the worker is plain JS beside this file. From source (tests, `pnpm dev`) it is TypeScript:
// a one-line bootstrap registers tsx's loader in the thread and then imports it (Node 20 does not
// apply --import hooks to a worker's entry module).
const fromSource = import.meta.url.endsWith(".ts");

function spawn(): Worker {
  if (!fromSource) return new Worker(new URL("./train-worker.js", import.meta.url));
  const tsxDir = dirname(createRequire(import.meta.url).resolve("tsx/package.json"));
  const api = pathToFileURL(join(tsxDir, "dist/esm/api/index.mjs")).href;
  const entry = new URL("./train-worker.ts", import.meta.url).href;
  return new Worker(`import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`, { eval: true });
}

const busyProblem = () => new ApiError("server-busy", TEXT.busy, { headers: { "Retry-After": "1" } });
const crashProblem = () => new ApiError("internal-error", TEXT.internal);

/**
 * Training off the event loop: a fixed set of worker threads, each running
 * one job at a time, a bounded queue, and a wall-clock limit that terminates
 * a worker mid-run (a fresh one is started for the next job).
 */
export function createWorkerPool(options: WorkerPoolOptions = {}): WorkerPool {
  const size = options.size ?? Math.max(1, Math.min(2, availableParallelism()));
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxQueue = options.maxQueue ?? 32;
  const slots: Slot[] = Array.from({ length: size }, () => ({ worker: null, busy: false }));
  const queue: Job[] = [];
  let nextId = 0;
  let closed = false;

  function kill(slot: Slot): void {
    const w = slot.worker;
    slot.worker = null;
    if (w) void w.terminate();
  }

  function start(slot: Slot, job: Job): void {
    slot.busy = true;
    const worker = (slot.worker ??= spawn());
    const id = ++nextId;
    const { signal, onEvents, onAccepted, onFrames } = job.options;
    // events (or a stream's framed events) arrived and not yet handed over; the consumer's pending call, if any
    let arrived: SerializedTrainEvent[] = [];
    let frames: Uint8Array[] = [];
    let framed = 0;
    let consuming: Promise<void> | null = null;
    let done = false;
    // how many events the consumer has handled; the worker waits on it (see EVENT_WINDOW)
    const acks = new Int32Array(new SharedArrayBuffer(4));
    const timeout = () => ("body" in job.work ? computeTimeoutProblem(timeoutMs) : timeoutProblem(timeoutMs));

    const finish = (settle: () => void): void => {
      if (done) return;
      done = true;
      if (timer) clearTimeout(timer);
      worker.off("message", onMessage);
      worker.off("error", onCrash);
      worker.off("exit", onCrash);
      signal?.removeEventListener("abort", onAbort);
      slot.busy = false;
      settle();
      pump();
    };
    const onMessage = (reply: WorkerReply): void => {
      if (reply.id !== id) return;
      if (reply.kind === "started") {
        timer = setTimeout(() => {
          kill(slot);
          finish(() => job.reject(timeout()));
        }, timeoutMs);
      } else if (reply.kind === "accepted") {
        onAccepted?.();
      } else if (reply.kind === "events") {
        arrived.push(...reply.events);
        consuming ??= consume();
      } else if (reply.kind === "frames") {
        frames.push(reply.bytes);
        framed += reply.count;
        consuming ??= consume();
      } else if (reply.kind === "result") {
        void drained().then(() => finish(() => job.resolve(reply.result as never)));
      } else {
        // typed errors keep their kind, code and field across the thread boundary
        finish(() => job.reject(fromWireError(reply.error)));
      }
    };
    // hands over every event that arrived while the consumer was busy in one call (a stream writes them in
    // one chunk), then acknowledges them to the worker
    const consume = async (): Promise<void> => {
      try {
        while ((arrived.length > 0 || frames.length > 0) && !done) {
          let count: number;
          if (frames.length > 0) {
            const chunks = frames;
            count = framed;
            frames = [];
            framed = 0;
            await onFrames?.(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks), count);
          } else {
            const batch = arrived;
            count = batch.length;
            arrived = [];
            await onEvents?.(batch);
          }
          Atomics.add(acks, 0, count);
          Atomics.notify(acks, 0);
        }
      } catch {
        kill(slot);
        finish(() => job.reject(signal?.reason ?? new Error("event consumer failed")));
      } finally {
        consuming = null;
      }
    };
    const drained = async (): Promise<void> => {
      while (consuming) await consuming;
    };
    const onCrash = (): void => {
      slot.worker = null;
      finish(() => job.reject(crashProblem()));
    };
    const onAbort = (): void => {
      kill(slot);
      finish(() => job.reject(signal?.reason));
    };
    let timer: ReturnType<typeof setTimeout> | undefined;

    worker.on("message", onMessage);
    worker.on("error", onCrash);
    worker.on("exit", onCrash);
    signal?.addEventListener("abort", onAbort, { once: true });
    if ("body" in job.work) {
      // the body's bytes move to the worker (the request is done with them)
      const { body } = job.work;
      worker.postMessage({ id, body } satisfies JobMessage, body.body.byteOffset === 0 && body.body.byteLength === body.body.buffer.byteLength ? [body.body.buffer as ArrayBuffer] : []);
    } else if ("train" in job.work) {
      const { train } = job.work;
      worker.postMessage({ id, train, acks } satisfies JobMessage, train.body.byteOffset === 0 && train.body.byteLength === train.body.buffer.byteLength ? [train.body.buffer as ArrayBuffer] : []);
    } else {
      worker.postMessage({ id, prepared: job.work.prepared, acks } satisfies JobMessage);
    }
  }

  function submit<T>(work: Job["work"], runOptions: Job["options"]): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (closed) return reject(busyProblem());
      const signal = runOptions.signal;
      if (signal?.aborted) return reject(signal.reason);
      if (slots.every((s) => s.busy) && queue.length >= maxQueue) return reject(busyProblem());
      const job: Job = { work, options: runOptions, resolve: resolve as (r: never) => void, reject };
      queue.push(job);
      // a run that leaves the queue before starting just disappears; the listener goes when the job starts
      // (a request's signal can outlive the request: a listener left on it would keep the job reachable)
      const onQueuedAbort = () => {
        const i = queue.indexOf(job);
        if (i >= 0) {
          queue.splice(i, 1);
          reject(signal!.reason);
        }
      };
      signal?.addEventListener("abort", onQueuedAbort, { once: true });
      job.leaveQueue = () => signal?.removeEventListener("abort", onQueuedAbort);
      pump();
    });
  }

  function pump(): void {
    for (const slot of slots) {
      if (queue.length === 0) return;
      if (!slot.busy) {
        const job = queue.shift()!;
        job.leaveQueue?.();
        start(slot, job);
      }
    }
  }

  return {
    size,
    pending: () => queue.length + slots.filter((s) => s.busy).length,
    run(prepared, runOptions = {}) {
      return submit<TrainResult>({ prepared }, runOptions);
    },
    compute(job, runOptions = {}) {
      return submit<Uint8Array>({ body: job }, runOptions);
    },
    trainBody(job, runOptions = {}) {
      return submit<Uint8Array>({ train: job }, runOptions);
    },
    async close() {
      closed = true;
      for (const job of queue.splice(0)) job.reject(busyProblem());
      await Promise.all(slots.map((s) => s.worker?.terminate()));
      for (const s of slots) s.worker = null;
    },
  };
}
