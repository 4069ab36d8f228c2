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
  onExplain(explanation: Explanation, source: "course" | "current", step: number): void;
  onModel(json: string): void;
  onPlayingChange(playing: boolean): void;
}

/**
 * The page's side of the worker: sends settings, paces training with
 * requestAnimationFrame (one tick per animation frame, up to three in flight, one epoch per frame
 * as in the Playground) and feeds frames to the store.
 */
/**
 * How many updates each animation frame asks for: "epoch" (one pass over the
 * training data, as in the Playground), a fixed count, or "auto": as many as
 * fit TRAIN_BUDGET_MS of the worker's time, from the measured cost of a step.
 */
export type Speed = "epoch" | "auto" | number;

/** The training worker's share of a frame in "auto" speed and "run to step N" (a 60 Hz frame is 16.7 ms; sampling runs in the view worker beside it). */
export const TRAIN_BUDGET_MS = 12;
/**
 * "Run to step N" gives training a larger share: ticks of this many
 * milliseconds of updates (the picture still refreshes several times a
 * second), so evaluating and sampling each frame cost a smaller part of the worker's time.
 */
export const RUN_TO_BUDGET_MS = 45;
/** The most updates one tick may ask for. */
export const MAX_STEPS_PER_TICK = 50_000;

export interface RunClient {
  readonly store: FrameStore;
  readonly playing: boolean;
  /** Steps per frame while playing. */
  speed: Speed;
  /** Trains without stopping until the run reaches `step` (at the "auto" rate), then pauses; null cancels. */
  runTo(step: number | null): void;
  /** The step "run to" is heading for, or null. */
  readonly target: number | null;
  /** The measured milliseconds of one update (0 until measured). */
  readonly msPerStep: number;
  init(state: RunState): void;
  configure(state: RunState): void;
  play(): void;
  pause(): void;
  /** One update, then a frame. */
  step(): void;
  edit(layer: number, row: number, col: number, value: number): void;
  setFocus(neuron: number | null): void;
  gradientCheck(): void;
  /** "current": the step the run takes next, explained by the run. */
  explain(source: "course" | "current"): void;
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
  let speed: Speed = "epoch";
  let target: number | null = null;
  /** Updates asked for by ticks still in flight. */
  let stepsInFlight = 0;
  let msPerStep = 0;
  const sent: number[] = [];

  /** Updates for the next tick at the current speed (or towards the "run to" target). */
  function stepsForTick(): number {
    const info = store.info;
    if (!info) return 0;
    const budget = msPerStep > 0 ? Math.floor((target !== null ? RUN_TO_BUDGET_MS : TRAIN_BUDGET_MS) / msPerStep) : 20;
    const auto = Math.max(1, Math.min(MAX_STEPS_PER_TICK, budget));
    if (target !== null) {
      const at = (store.frame?.step ?? 0) + stepsInFlight;
      return Math.max(0, Math.min(target - at, auto));
    }
    if (speed === "epoch") return info.stepsPerEpoch;
    if (speed === "auto") return auto;
    return Math.max(1, Math.min(MAX_STEPS_PER_TICK, Math.floor(speed)));
  }

  const send = (message: ToWorker, transfer: Transferable[] = []) => worker.postMessage(message, transfer);

  function tick(steps: number, single = false): void {
    inFlight++;
    stepsInFlight += steps;
    sent.push(steps);
    const recycle = store.takeRecycled();
    send({ type: "tick", steps, focus, recycle, ...(single ? { single } : {}) }, recycle);
  }

  function loop(): void {
    raf = 0;
    if (!playing) return;
    // one tick per animation frame, so the worker never runs ahead of the display; two may be in flight
    if (inFlight < MAX_IN_FLIGHT && store.info) {
      const n = stepsForTick();
      if (n > 0) tick(n);
    }
    raf = requestAnimationFrame(loop);
  }

  worker.onmessage = (event) => {
    const m = event.data;
    switch (m.type) {
      case "run":
        store.setRun(m.info);
        inFlight = 0;
        stepsInFlight = 0;
        sent.length = 0;
        tick(0);
        return;
      case "frame":
        inFlight = Math.max(0, inFlight - 1);
        {
          const asked = sent.shift() ?? 0;
          stepsInFlight = Math.max(0, stepsInFlight - asked);
          // the cost of one update, smoothed (ticks of a few steps say little)
          if (asked >= 5 && m.frame.timing.trainMs > 0) {
            const each = m.frame.timing.trainMs / asked;
            msPerStep = msPerStep === 0 ? each : msPerStep * 0.7 + each * 0.3;
          }
        }
        if (target !== null && m.frame.step >= target && store.info && m.frame.runId === store.info.runId) {
          target = null;
          setPlaying(false);
        }
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
          tick(n, true);
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
        if (m.request === "tick") {
          inFlight = Math.max(0, inFlight - 1);
          stepsInFlight = Math.max(0, stepsInFlight - (sent.shift() ?? 0));
        }
        events.onError(m.message, m.request);
        return;
      case "gradient-check":
        events.onGradientCheck(m.result, m.step);
        return;
      case "explain":
        events.onExplain(m.explanation, m.source, m.step);
        return;
      case "model":
        events.onModel(m.json);
        return;
      case "reports":
        return;
    }
  };

  function setPlaying(next: boolean): void {
    if (playing === next) return;
    playing = next;
    // the run's own pause: ticks still in flight train nothing once paused
    send({ type: "play", playing: next });
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
    get speed() {
      return speed;
    },
    set speed(next: Speed) {
      speed = next;
    },
    get target() {
      return target;
    },
    get msPerStep() {
      return msPerStep;
    },
    runTo(step) {
      target = step === null ? null : Math.max(0, Math.floor(step));
      if (target !== null && (store.frame?.step ?? 0) >= target) target = null;
      setPlaying(target !== null);
    },
    init(state) {
      // frames still on their way belong to the old run; the store drops them
      inFlight = MAX_IN_FLIGHT;
      stepsQueued = 0;
      target = null;
      send({ type: "init", state });
    },
    configure(state) {
      send({ type: "configure", state });
      if (!playing && inFlight === 0) tick(0);
    },
    play: () => setPlaying(true),
    pause: () => {
      target = null;
      setPlaying(false);
    },
    step() {
      setPlaying(false);
      if (inFlight > 0) stepsQueued++;
      else tick(1, true);
    },
    edit(layer, row, col, value) {
      send({ type: "edit", layer, row, col, value });
    },
    setFocus(neuron) {
      focus = neuron;
      if (!playing && inFlight === 0) tick(0);
    },
    gradientCheck: () => send({ type: "gradient-check" }),
    explain: (source) => send({ type: "explain", source }),
    exportModel: () => send({ type: "export-model" }),
    importModel: (json) => send({ type: "import-model", json }),
    dispose() {
      playing = false;
      if (raf) cancelAnimationFrame(raf);
      worker.terminate();
    },
  };
}
