// A worker thread: drains trainingEvents for each training job it is sent
// and posts every event, then the result; or runs one computing route from
// its raw body to its serialized answer (engine/compute.ts). The
// pool terminates it on timeout or disconnect, so it never checks for
// cancellation itself. Events are flow-controlled: the worker pauses while
// EVENT_WINDOW events are unacknowledged (a stream client that does not
// read pauses its run instead of filling the server's memory), and posted
// in small batches (fewer messages, and fewer writes on the event loop).
import { readlinkSync } from "node:fs";
import { getPriority, setPriority } from "node:os";
import { parentPort } from "node:worker_threads";
import { prepareTrainBody, runBodyJob, type BodyJob, type TrainBodyJob } from "../engine/compute.js";
import { trainingEvents, type PreparedTraining } from "../engine/train.js";
import type { SerializedTrainEvent } from "../executor.js";
import { toWireError, type WireError } from "../problem.js";
import { frameEvents } from "../sse.js";

const encoder = new TextEncoder();

/** Events a run may post ahead of its consumer. */
export const EVENT_WINDOW = 32;
/** Events posted in one message at the most, and how long (ms) the first of them may wait for the others. */
export const BATCH_EVENTS = 8;
export const BATCH_MS = 10;

export type JobMessage =
  | { id: number; prepared: PreparedTraining; /** acks[0]: events the consumer has handled */ acks: Int32Array }
  | { id: number; train: TrainBodyJob; acks: Int32Array }
  | { id: number; body: BodyJob };

export type WorkerReply =
  | { id: number; kind: "started" }
  /** A training body passed every check: the run starts (a stream's response can begin). */
  | { id: number; kind: "accepted" }
  | { id: number; kind: "events"; events: SerializedTrainEvent[] }
  /** Events framed as Server-Sent Events, as UTF-8 (a stream's TrainBodyJob); `count` events. */
  | { id: number; kind: "frames"; bytes: Uint8Array; count: number }
  | { id: number; kind: "result"; result: unknown }
  | { id: number; kind: "error"; error: WireError };

/** How much lower than the main thread's this thread's scheduling priority is (a nice increment). */
export const WORKER_NICENESS = 5;

/**
 * Lowers this thread's priority (Linux: a thread id names one thread to setpriority), so that when the
 * machine's cores are all busy the scheduler runs the event loop (the probes, the small requests, the
 * writes) ahead of the long computations. Elsewhere, or where it is refused, nothing changes.
 */
function lowerPriority(): void {
  try {
    const tid = Number(readlinkSync("/proc/thread-self").split("/").pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, Math.min(19, getPriority(tid) + WORKER_NICENESS));
  } catch {
    // not Linux, or not allowed: the default priority
  }
}

const port = parentPort;
if (port) {
  lowerPriority();
  port.on("message", async (message: JobMessage) => {
    const { id } = message;
    port.postMessage({ id, kind: "started" } satisfies WorkerReply);
    try {
      if ("body" in message) {
        // parsed, validated, computed and serialized here; the bytes are moved, not copied, to the main thread
        const bytes = runBodyJob(message.body);
        port.postMessage({ id, kind: "result", result: bytes } satisfies WorkerReply, [bytes.buffer as ArrayBuffer]);
        return;
      }
      const { acks } = message;
      let sent = 0;
      // a training body: parsed, validated, checked and costed here, then the run (the pool's deadline counts it all)
      const prepared = "train" in message ? prepareTrainBody(message.train) : message.prepared;
      const framed = "train" in message && message.train.stream;
      if ("train" in message) port.postMessage({ id, kind: "accepted" } satisfies WorkerReply);
      // events made close together go in one message (the main thread then writes them in one chunk): up to
      // BATCH_EVENTS, or what BATCH_MS gathered (checked at each event and at each ~10 ms tick of work)
      let batch: SerializedTrainEvent[] = [];
      let batchStarted = 0;
      const flush = async () => {
        if (batch.length === 0) return;
        // wait (blocking this thread only) until the consumer is within the window
        for (let acked = Atomics.load(acks, 0); sent + batch.length - acked > EVENT_WINDOW; acked = Atomics.load(acks, 0)) Atomics.wait(acks, 0, acked, 100);
        if (framed) {
          // a stream's events go as the bytes it writes, framed here: the event loop only writes them
          const bytes = encoder.encode(await frameEvents(batch, sent));
          port.postMessage({ id, kind: "frames", bytes, count: batch.length } satisfies WorkerReply, [bytes.buffer as ArrayBuffer]);
        } else {
          port.postMessage({ id, kind: "events", events: batch } satisfies WorkerReply);
        }
        sent += batch.length;
        batch = [];
      };
      const events = trainingEvents(prepared);
      for (;;) {
        const next = events.next();
        if (next.done) {
          await flush();
          if ("train" in message) {
            // the answer's bytes (a stream's: its last event), moved to the main thread
            const json = JSON.stringify(next.value);
            const bytes = encoder.encode(framed ? await frameEvents([{ type: "result", json }], sent) : json);
            port.postMessage({ id, kind: "result", result: bytes } satisfies WorkerReply, [bytes.buffer as ArrayBuffer]);
          } else {
            port.postMessage({ id, kind: "result", result: next.value } satisfies WorkerReply);
          }
          break;
        }
        if (next.value.type !== "tick") {
          // serialized here: the main thread only writes the text to the stream
          if (batch.length === 0) batchStarted = performance.now();
          batch.push({ type: next.value.type, json: JSON.stringify(next.value) });
        }
        if (batch.length >= BATCH_EVENTS || (batch.length > 0 && performance.now() - batchStarted >= BATCH_MS)) await flush();
      }
    } catch (error) {
      port.postMessage({ id, kind: "error", error: toWireError(error) } satisfies WorkerReply);
    }
  });
}
