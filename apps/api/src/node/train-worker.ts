// A training worker thread: drains trainingEvents for each job it is sent
// and posts every event, then the result. The pool terminates it on timeout
// or disconnect, so it never needs to check for cancellation itself.
import { parentPort } from "node:worker_threads";
import { trainingEvents, type PreparedTraining } from "../engine/train.js";
import { toWireError, type WireError } from "../problem.js";

export interface JobMessage {
  id: number;
  prepared: PreparedTraining;
}

export type WorkerReply =
  | { id: number; kind: "started" }
  | { id: number; kind: "event"; event: unknown }
  | { id: number; kind: "result"; result: unknown }
  | { id: number; kind: "error"; error: WireError };

const port = parentPort;
if (port) {
  port.on("message", ({ id, prepared }: JobMessage) => {
    port.postMessage({ id, kind: "started" } satisfies WorkerReply);
    try {
      const events = trainingEvents(prepared);
      for (;;) {
        const next = events.next();
        if (next.done) {
          port.postMessage({ id, kind: "result", result: next.value } satisfies WorkerReply);
          break;
        }
        if (next.value.type !== "tick") port.postMessage({ id, kind: "event", event: next.value } satisfies WorkerReply);
      }
    } catch (error) {
      port.postMessage({ id, kind: "error", error: toWireError(error) } satisfies WorkerReply);
    }
  });
}
