import type { Explanation, GradientCheckResult } from "@backprop-lab/core";
import type { PastSettings, WeightEdit } from "../state/app-state.js";
import type { FromWorker, RunState, ToWorker } from "../worker/protocol.js";
import { createFrameStore, type FrameStore } from "./frame-store.js";

export interface WorkerLike {
  postMessage(message: ToWorker, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<FromWorker>) => void) | null;
  terminate(): void;
}

export interface RunEvents {
  onEdited(edits: WeightEdit[]): void;
  onConfigured(history: PastSettings[]): void;
  onError(message: string, request: string): void;
  onGradientCheck(result: GradientCheckResult, step: number): void;
  onExplain(explanation: Explanation, source: "course" | "current", row: number): void;
  onModel(json: string): void;
  onPlayingChange(playing: boolean): void;
}

/**
 * The page's side of the worker: sends settings, paces training with
 * requestAnimationFrame (one tick per animation frame, up to three in flight, one epoch per frame
 * as in the Playground) and feeds frames to the store.
 */
export interface RunClient {
  readonly store: FrameStore;
  readonly playing: boolean;
  init(state: RunState): void;
  configure(state: RunState): void;
  play(): void;
  pause(): void;
  /** One update, then a frame. */
  step(): void;
  edit(layer: number, row: number, col: number, value: number): void;
  setFocus(neuron: number | null): void;
  gradientCheck(): void;
  explain(source: "course" | "current", row: number): void;
  exportModel(): void;
  importModel(json: string): void;
  /** Frames drawn since the page loaded, the milliseconds the page spent drawing them, and the worker's milliseconds for them. */
  readonly framesDrawn: number;
  readonly drawMs: number;
  readonly workMs: number;
  /** The worker's milliseconds by part, summed over the frames drawn. */
  readonly timing: { trainMs: number; evaluateMs: number; sampleMs: number };
  dispose(): void;
}

export function createRunClient(worker: WorkerLike, events: RunEvents): RunClient {
  const store = createFrameStore();
  let playing = false;
  // three ticks in flight: the training worker trains frame N + 2 while the view worker samples N + 1
  // and the page draws N (src/client/workers.ts), with room for one frame's jitter
  const MAX_IN_FLIGHT = 3;
  let inFlight = 0;
  let raf = 0;
  let focus: number | null = null;
  let framesDrawn = 0;
  let drawMs = 0;
  let workMs = 0;
  const timing = { trainMs: 0, evaluateMs: 0, sampleMs: 0 };
  let stepsQueued = 0;

  const send = (message: ToWorker, transfer: Transferable[] = []) => worker.postMessage(message, transfer);

  function tick(steps: number): void {
    inFlight++;
    const recycle = store.takeRecycled();
    send({ type: "tick", steps, focus, recycle }, recycle);
  }

  function loop(): void {
    raf = 0;
    if (!playing) return;
    // one tick per animation frame, so the worker never runs ahead of the display; two may be in flight
    if (inFlight < MAX_IN_FLIGHT && store.info) tick(store.info.stepsPerEpoch);
    raf = requestAnimationFrame(loop);
  }

  worker.onmessage = (event) => {
    const m = event.data;
    switch (m.type) {
      case "run":
        store.setRun(m.info);
        inFlight = 0;
        tick(0);
        return;
      case "frame":
        inFlight = Math.max(0, inFlight - 1);
        {
          const t0 = performance.now();
          store.setFrame(m.frame);
          drawMs += performance.now() - t0;
        }
        framesDrawn++;
        workMs += m.frame.workMs;
        timing.trainMs += m.frame.timing.trainMs;
        timing.evaluateMs += m.frame.timing.evaluateMs;
        timing.sampleMs += m.frame.timing.sampleMs;
        if (!m.frame.metrics.finite && playing) setPlaying(false);
        if (stepsQueued > 0 && !playing) {
          const n = stepsQueued;
          stepsQueued = 0;
          tick(n);
        }
        return;
      case "configured":
        events.onConfigured(m.history);
        return;
      case "edited":
        events.onEdited(m.edits);
        if (!playing && inFlight === 0) tick(0);
        return;
      case "error":
        if (m.request === "tick") inFlight = Math.max(0, inFlight - 1);
        events.onError(m.message, m.request);
        return;
      case "gradient-check":
        events.onGradientCheck(m.result, m.step);
        return;
      case "explain":
        events.onExplain(m.explanation, m.source, m.row);
        return;
      case "model":
        events.onModel(m.json);
        return;
    }
  };

  function setPlaying(next: boolean): void {
    if (playing === next) return;
    playing = next;
    events.onPlayingChange(next);
    if (next && raf === 0) raf = requestAnimationFrame(loop);
  }

  return {
    store,
    get playing() {
      return playing;
    },
    get framesDrawn() {
      return framesDrawn;
    },
    get drawMs() {
      return drawMs;
    },
    get workMs() {
      return workMs;
    },
    timing,
    init(state) {
      // frames still on their way belong to the old run; the store drops them
      inFlight = MAX_IN_FLIGHT;
      stepsQueued = 0;
      send({ type: "init", state });
    },
    configure(state) {
      send({ type: "configure", state });
      if (!playing && inFlight === 0) tick(0);
    },
    play: () => setPlaying(true),
    pause: () => setPlaying(false),
    step() {
      setPlaying(false);
      if (inFlight > 0) stepsQueued++;
      else tick(1);
    },
    edit(layer, row, col, value) {
      send({ type: "edit", layer, row, col, value });
    },
    setFocus(neuron) {
      focus = neuron;
      if (!playing && inFlight === 0) tick(0);
    },
    gradientCheck: () => send({ type: "gradient-check" }),
    explain: (source, row) => send({ type: "explain", source, row }),
    exportModel: () => send({ type: "export-model" }),
    importModel: (json) => send({ type: "import-model", json }),
    dispose() {
      playing = false;
      if (raf) cancelAnimationFrame(raf);
      worker.terminate();
    },
  };
}
