import { ApiError } from "./problem.js";
import { TEXT } from "./messages.js";
import { runCompute, type ComputeJob } from "./engine/compute.js";
import { trainingEvents, type FindingEvent, type PreparedTraining, type ProgressEvent, type TrainResult } from "./engine/train.js";

/** What a client sees while a run trains. */
export type PublicTrainEvent = ProgressEvent | FindingEvent;

export interface TrainRunOptions {
  /** Aborts the run (the client went away); the promise then rejects with the signal's reason. */
  signal?: AbortSignal;
  onEvent?: (event: PublicTrainEvent) => void | Promise<void>;
}

/**
 * Runs prepared training requests. The Node server hands them to worker
 * threads; the Workers runtime (and tests) run them inline.
 */
export interface TrainExecutor {
  run(prepared: PreparedTraining, options?: TrainRunOptions): Promise<TrainResult>;
  /** Runs a computing route (predict, boundary, gradient-check, explain); the Node pool does it off the event loop with a deadline. */
  compute?(job: ComputeJob, options?: { signal?: AbortSignal }): Promise<unknown>;
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
    // one synchronous call, bounded by the cost model: nothing to interleave
    compute: (job) => Promise.resolve().then(() => runCompute(job)),
    async run(prepared, { signal, onEvent } = {}) {
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
          await onEvent?.(next.value);
        }
      }
    },
  };
}
