import { BackpropError, createMlp, type Mlp } from "@backprop-lab/core";
import { frameTransfer, type Frame, type FromWorker } from "./protocol.js";
import { bufferPool, createFrameSampler, sampleFrame, type FrameSampler, type SamplerSetup } from "./sampling.js";
import type { MlpSpec } from "@backprop-lab/core";

/** A frame as the training worker hands it on: everything but what the samplers draw. */
export type FrameHead = Omit<Frame, "value" | "classIndex" | "outputs" | "neurons" | "focus" | "focusIndex" | "boundary">;

/**
 * Training worker → view worker, when the two run as a pipeline: the view
 * worker samples frame N (grid, thumbnails, boundary) while the training
 * worker trains and evaluates frame N + 1, so neither thread has to fit a
 * whole frame's work into one display refresh.
 */
export type ToView =
  /** A new run: the network's shape and what its samplers need. */
  | { type: "setup"; runId: number; spec: MlpSpec; sampler: SamplerSetup }
  /** Sample `head.params` and post the whole frame to the page; `recycle` are buffers the page handed back. */
  | { type: "sample"; head: FrameHead; focus: number | null; recycle: ArrayBuffer[] };

export type PostToPage = (message: FromWorker, transfer: ArrayBuffer[]) => void;

export interface ViewHandler {
  handle(message: ToView): void;
}

/**
 * The view worker's message handler, a pure module like the training
 * worker's: it keeps a copy of the run's network (parameters overwritten by
 * each frame's) and the samplers built for it, and answers each `sample`
 * with a complete Frame for the page.
 */
export function createViewHandler(post: PostToPage): ViewHandler {
  let current: { runId: number; net: Mlp; sampler: FrameSampler; regression: boolean } | null = null;
  const buffers = bufferPool();

  return {
    handle(message) {
      try {
        if (message.type === "setup") {
          const net = createMlp(message.spec);
          current = { runId: message.runId, net, sampler: createFrameSampler(net, message.sampler), regression: message.sampler.regression };
          return;
        }
        buffers.give(message.recycle);
        const head = message.head;
        if (!current || current.runId !== head.runId) {
          // a frame of a run the view was not set up for: the page drops it, but it must not count as in flight
          post({ type: "error", request: "tick", message: `the view worker has no run ${head.runId}`, field: null }, []);
          return;
        }
        const { net, sampler, regression } = current;
        if (head.params.length !== net.params.length) {
          throw new BackpropError("shape-mismatch", `the frame has ${head.params.length} parameters, the network ${net.params.length}`, { field: "params" });
        }
        const t0 = performance.now();
        net.params.set(head.params);
        const part = sampleFrame(sampler, net, regression, message.focus, buffers);
        const sampleMs = performance.now() - t0;
        const frame: Frame = { ...head, ...part, workMs: head.workMs + sampleMs, timing: { ...head.timing, sampleMs } };
        post({ type: "frame", frame }, frameTransfer(frame));
      } catch (error) {
        const field = error instanceof BackpropError ? (error.field ?? null) : null;
        post({ type: "error", request: "tick", message: error instanceof Error ? error.message : String(error), field }, []);
      }
    },
  };
}
