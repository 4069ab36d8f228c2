// A worker thread: drains trainingEvents for each training job it is sent
// and posts every event, then the result; or runs one computing route. The
// pool terminates it on timeout or disconnect, so it never checks for
// cancellation itself. Events are flow-controlled: the worker pauses while
// EVENT_WINDOW events are unacknowledged (a stream client that does not
// read pauses its run instead of filling the server's memory).
import { parentPort } from "node:worker_threads";
import { runCompute, type ComputeJob } from "../engine/compute.js";
import { trainingEvents, type PreparedTraining } from "../engine/train.js";
import { toWireError, type WireError } from "../problem.js";

/** Events a run may post ahead of its consumer. */
export const EVENT_WINDOW = 8;

export type JobMessage =
  | { id: number; prepared: PreparedTraining; /** acks[0]: events the consumer has handled */ acks: Int32Array }
  | { id: number; compute: ComputeJob };

export type WorkerReply =
  | { id: number; kind: "started" }
  | { id: number; kind: "event"; event: unknown }
  | { id: number; kind: "result"; result: unknown }
  | { id: number; kind: "error"; error: WireError };

const port = parentPort;
if (port) {
  port.on("message", (message: JobMessage) => {
    const { id } = message;
    port.postMessage({ id, kind: "started" } satisfies WorkerReply);
    try {
      if ("compute" in message) {
        port.postMessage({ id, kind: "result", result: runCompute(message.compute) } satisfies WorkerReply);
        return;
      }
      const { acks } = message;
      let sent = 0;
      const events = trainingEvents(message.prepared);
      for (;;) {
        const next = events.next();
        if (next.done) {
          port.postMessage({ id, kind: "result", result: next.value } satisfies WorkerReply);
          break;
        }
        if (next.value.type === "tick") continue;
        // wait (blocking this thread only) until the consumer is within the window
        for (let acked = Atomics.load(acks, 0); sent - acked >= EVENT_WINDOW; acked = Atomics.load(acks, 0)) Atomics.wait(acks, 0, acked, 100);
        port.postMessage({ id, kind: "event", event: next.value } satisfies WorkerReply);
        sent++;
      }
    } catch (error) {
      port.postMessage({ id, kind: "error", error: toWireError(error) } satisfies WorkerReply);
    }
  });
}
