import { ApiError } from "./problem.js";
import { TEXT } from "./messages.js";
import type { BodyJob, TrainBodyJob } from "./engine/compute.js";
import { trainingEvents, type FindingEvent, type PreparedTraining, type ProgressEvent, type TrainResult } from "./engine/train.js";

/** What a client sees while a run trains. */
export type PublicTrainEvent = ProgressEvent | FindingEvent;

/** An event as its type and its JSON text, serialized where it was made (a worker thread on Node). */
export interface SerializedTrainEvent {
  type: PublicTrainEvent["type"];
  json: string;
}

export interface TrainRunOptions {
  /** Aborts the run (the client went away); the promise then rejects with the signal's reason. */
  signal?: AbortSignal;
  /**
   * Gets the run's events in order, one or more at a time (the Node pool hands over at once every event that
   * arrived while the previous call was pending); the run waits while the returned promise is pending.
   */
  onEvents?: (events: SerializedTrainEvent[]) => void | Promise<void>;
}

/** How a training body's run reports back (see TrainExecutor.trainBody). */
export interface TrainBodyOptions {
  signal?: AbortSignal;
  /** The body passed every check and the run starts: a stream's response can begin. */
  onAccepted?: () => void;
  /** A stream's events, framed as Server-Sent Events (UTF-8), `count` of them; the run waits while the promise is pending. */
  onFrames?: (bytes: Uint8Array, count: number) => void | Promise<void>;
}

/**
 * Runs prepared training requests. The Node server hands them to worker
 * threads; the Workers runtime (and tests) run them inline.
 */
export interface TrainExecutor {
  run(prepared: PreparedTraining, options?: TrainRunOptions): Promise<TrainResult>;
  /**
   * Runs a computing route (predict, boundary, gradient-check, explain, evaluate) from its raw body to its
   * answer's JSON bytes: the Node pool parses, validates, computes and serializes in a worker thread with a
   * deadline. Without it (workerd, the inline executor) the routes validate and compute in the request's thread.
   */
  compute?(job: BodyJob, options?: { signal?: AbortSignal }): Promise<Uint8Array>;
  /**
   * Runs a training route from its raw body (the Node pool, in a worker thread): parse, validate, check and
   * cost, then train, and resolve with the answer's bytes (for a stream, its framed `result` event, the
   * events before it having gone to `onFrames`). A refused body rejects before `onAccepted`.
   */
  trainBody?(job: TrainBodyJob, options?: TrainBodyOptions): Promise<Uint8Array>;
}

/** The error a run rejects with when its wall-clock limit passes. */
export function timeoutProblem(timeoutMs: number): ApiError {
  return new ApiError("training-timeout", { en: TEXT.timeout.en(timeoutMs), es: TEXT.timeout.es(timeoutMs) }, { extensions: { timeoutMs } });
}

/** The error a computing route (predict, boundary, …) rejects with past its deadline. */
export function computeTimeoutProblem(timeoutMs: number): ApiError {
  return new ApiError("request-timeout", { en: TEXT.requestTimeout.en(timeoutMs), es: TEXT.requestTimeout.es(timeoutMs) }, { extensions: { timeoutMs } });
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("aborted", "AbortError");
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Trains in this thread, awaiting the event loop at every tick and event so
 * that a disconnect (the signal) or the wall-clock limit stops the run
 * between chunks of about 10 ms of work.
 */
export function createInlineExecutor(options: { timeoutMs?: number } = {}): TrainExecutor {
  const timeoutMs = options.timeoutMs ?? 30_000;
  return {
    async run(prepared, { signal, onEvents } = {}) {
      const deadline = Date.now() + timeoutMs;
      const events = trainingEvents(prepared);
      for (;;) {
        if (signal?.aborted) throw abortReason(signal);
        const next = events.next();
        if (next.done) return next.value;
        if (next.value.type === "tick") {
          await yieldToEventLoop();
          if (Date.now() >= deadline) throw timeoutProblem(timeoutMs);
        } else {
          await onEvents?.([{ type: next.value.type, json: JSON.stringify(next.value) }]);
        }
      }
    },
  };
}
