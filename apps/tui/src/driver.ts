import type { Session } from "./session.js";

export interface DriverOptions {
  /** Longest a training slice runs before yielding to key handling and rendering (ms). */
  sliceMs?: number;
  /** Frames per second at most while training. */
  fps?: number;
  /** React (Ink) frames per second at most while a painter draws the live regions. */
  textFps?: number;
  /**
   * Largest share of the time drawing may take while training (default 0.5):
   * when frames cost more (a big terminal), they come less often, so the
   * run keeps learning at a steady pace.
   */
  drawShare?: number;
  paused?: boolean;
  now?: () => number;
}

/**
 * Runs a session's training in short slices on the event loop, so keys are
 * read between slices, and tells subscribers when a new frame is due (at
 * most `fps` times a second while training, and right after every action).
 */
export interface Driver {
  readonly running: boolean;
  /** Steps per second over the last second or so (0 when paused). */
  readonly stepsPerSecond: number;
  /** Bumped on every frame; React reads it through useSyncExternalStore. */
  readonly version: number;
  subscribe(listener: () => void): () => void;
  /**
   * Paints the live regions directly (see Painter): called every frame while
   * training and after every action, while React frames come at most
   * `textFps` times a second. Returns how long painting took.
   */
  setPainter(paint: (() => number) | null): void;
  setRunning(running: boolean): void;
  toggle(): boolean;
  /** Re-render now (after a key changed something). */
  touch(): void;
  dispose(): void;
}

export function createDriver(session: Session, options: DriverOptions = {}): Driver {
  const sliceMs = options.sliceMs ?? 8;
  const frameMs = 1000 / (options.fps ?? 15);
  const now = options.now ?? (() => performance.now());
  const listeners = new Set<() => void>();
  let running = !(options.paused ?? false);
  let version = 0;
  let lastFrame = 0;
  const drawShare = options.drawShare ?? 0.5;
  const textFrameMs = 1000 / (options.textFps ?? 4);
  let paint: (() => number) | null = null;
  let lastPaint = 0;
  let paintCost = 0;
  let paintPending: NodeJS.Immediate | null = null;
  let pending: NodeJS.Immediate | null = null;
  // time the event loop spent outside training slices (drawing, keys) per frame, measured over about a second
  let lastEnd = now();
  let gapSum = 0;
  let gapFrames = 0;
  let frameCost = 0;
  let disposed = false;
  // steps per second from a window of (time, steps) samples
  let rateTime = now();
  let rateSteps = session.steps;
  let stepsPerSecond = 0;

  function emit(): void {
    version++;
    lastFrame = now();
    for (const l of listeners) l();
  }

  /** A React frame now, and a paint once React has committed (its work is queued ahead of ours). */
  function frameNow(): void {
    emit();
    if (paint && paintPending === null) {
      paintPending = setImmediate(() => {
        paintPending = null;
        if (paint && !disposed) {
          paint();
          lastPaint = now();
        }
      });
    }
  }

  function measure(t: number): void {
    if (t - rateTime >= 500) {
      const made = session.steps - rateSteps;
      stepsPerSecond = made >= 0 ? (made * 1000) / (t - rateTime) : 0;
      rateTime = t;
      rateSteps = session.steps;
    }
  }

  function slice(): void {
    pending = null;
    if (disposed || !running) return;
    const start = now();
    gapSum += start - lastEnd;
    session.advance(1_000_000, () => now() - start >= sliceMs);
    const t = now();
    measure(t);
    if (session.diverged || session.done) {
      running = false;
      stepsPerSecond = 0;
      frameNow();
      return;
    }
    const stretch = (cost: number) => (cost * (1 - drawShare)) / drawShare;
    if (paint && t - lastPaint >= Math.max(frameMs, stretch(paintCost))) {
      paintCost = 0.7 * paintCost + 0.3 * paint();
      lastPaint = now();
    }
    // a frame every frameMs (textFrameMs with a painter), or less often when drawing one costs more than drawShare of the time
    const interval = Math.max(paint ? textFrameMs : frameMs, stretch(frameCost));
    if (t - lastFrame >= interval) {
      if (gapFrames >= 4) {
        frameCost = gapSum / gapFrames;
        gapSum = 0;
        gapFrames = 0;
      }
      gapFrames++;
      emit();
    }
    lastEnd = now();
    pending = setImmediate(slice);
  }

  function schedule(): void {
    if (running && pending === null && !disposed) {
      rateTime = now();
      rateSteps = session.steps;
      lastEnd = rateTime;
      gapSum = 0;
      gapFrames = 0;
      pending = setImmediate(slice);
    }
  }

  const driver: Driver = {
    get running() {
      return running;
    },
    get stepsPerSecond() {
      return running ? stepsPerSecond : 0;
    },
    get version() {
      return version;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    setRunning(next) {
      if (next && (session.done || session.diverged)) next = false;
      running = next;
      if (!running) {
        if (pending) clearImmediate(pending);
        pending = null;
        stepsPerSecond = 0;
      } else schedule();
      frameNow();
    },
    toggle() {
      driver.setRunning(!running);
      return running;
    },
    touch() {
      // a reset may have cleared `done` or `diverged`; keep the loop going if it should run
      schedule();
      frameNow();
    },
    setPainter(next) {
      paint = next;
    },
    dispose() {
      disposed = true;
      if (pending) clearImmediate(pending);
      if (paintPending) clearImmediate(paintPending);
      pending = null;
      listeners.clear();
    },
  };
  schedule();
  return driver;
}
