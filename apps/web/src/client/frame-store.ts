import { createMetricSeries, type MetricSeries } from "@backprop-lab/viz";
import type { Frame, MetricRow, RunInfo } from "../worker/protocol.js";

/** The curves the charts draw, one packages/viz MetricSeries each, indexed by step. */
export const METRICS = ["trainLoss", "testLoss", "regLoss", "totalLoss", "trainAccuracy", "testAccuracy", "learningRate", "clipped", "gradNorm"] as const;
export type MetricName = (typeof METRICS)[number];

function metricValue(row: MetricRow, name: MetricName): number {
  switch (name) {
    case "totalLoss":
      return row.trainLoss + row.regLoss;
    case "trainAccuracy":
    case "testAccuracy":
      return row[name] ?? Number.NaN;
    default:
      return row[name];
  }
}

/**
 * The newest run and frame from the worker, outside React: canvases and
 * charts subscribe and redraw on every frame without re-rendering the app.
 * A frame's buffers go back to the worker once every listener has drawn it.
 */
export interface FrameStore {
  readonly info: RunInfo | null;
  readonly frame: Frame | null;
  /** One point per frame since the run started. */
  readonly series: Readonly<Record<MetricName, MetricSeries>>;
  /** Bumped on every change; React reads it with useSyncExternalStore. */
  readonly version: number;
  setRun(info: RunInfo): void;
  setFrame(frame: Frame): void;
  /** Buffers of frames already drawn, to hand back on the next tick. */
  takeRecycled(): ArrayBuffer[];
  subscribe(listener: () => void): () => void;
  /**
   * Like subscribe, for text and panels: called at most every SLOW_MS while frames stream (and once after
   * the last), so numbers people read do not cost a layout and paint on every one of 60 frames a second.
   */
  subscribeSlow(listener: () => void): () => void;
}

/** Readouts and panels refresh at most this often (about 12 times a second); canvases redraw every frame. */
export const SLOW_MS = 80;

export function createFrameStore(): FrameStore {
  let info: RunInfo | null = null;
  let frame: Frame | null = null;
  const series = Object.fromEntries(METRICS.map((m) => [m, createMetricSeries({ maxLength: 1 << 16 })])) as Record<MetricName, MetricSeries>;
  let version = 0;
  let recycled: ArrayBuffer[] = [];
  const listeners = new Set<() => void>();
  const slow = new Set<() => void>();
  let slowAt = -Infinity;
  let slowTimer: ReturnType<typeof setTimeout> | null = null;
  const emitSlow = () => {
    slowTimer = null;
    slowAt = performance.now();
    for (const l of slow) l();
  };
  const emit = () => {
    version++;
    for (const l of listeners) l();
    if (slow.size === 0 || slowTimer !== null) return;
    const wait = SLOW_MS - (performance.now() - slowAt);
    if (wait <= 0) emitSlow();
    else slowTimer = setTimeout(emitSlow, wait);
  };
  return {
    get info() {
      return info;
    },
    get frame() {
      return frame;
    },
    series,
    get version() {
      return version;
    },
    setRun(next) {
      info = next;
      frame = null;
      for (const m of METRICS) series[m].clear();
      emit();
    },
    setFrame(next) {
      if (!info || next.runId !== info.runId) return;
      const old = frame;
      frame = next;
      const s0 = series.trainLoss;
      const row = next.metrics;
      if (s0.length === 0 || s0.stepAt(s0.length - 1) !== row.step) for (const m of METRICS) series[m].append(row.step, metricValue(row, m));
      emit();
      if (old) recycled = [old.params, old.value, old.classIndex, old.outputs, old.neurons, old.focus, old.boundary].map((a) => a.buffer as ArrayBuffer);
    },
    takeRecycled() {
      const r = recycled.filter((b) => b.byteLength > 0);
      recycled = [];
      return r;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    subscribeSlow(listener) {
      slow.add(listener);
      return () => slow.delete(listener);
    },
  };
}
