import type { RunConfig } from "../state/document.js";
import { runStateOf } from "../state/document.js";
import { describe, expect, it } from "vitest";
import { expectClose } from "../../test-support/expect-close.js";
import { defaultAppState, withDataset } from "../state/app-state.js";
import { eachPolyline } from "./boundary.js";
import { createWorkerHandler } from "./handler.js";
import { frameTransfer, HEATMAP_SIZE, type Frame, type FromWorker, type RunInfo } from "./protocol.js";

/** The real handler, its posts collected. */
function start(config: RunConfig) {
  const posted: FromWorker[] = [];
  const handler = createWorkerHandler((m) => posted.push(m));
  handler.handle({ type: "init", state: runStateOf({ ...defaultAppState(), config }) });
  const info = (posted.find((m) => m.type === "run") as Extract<FromWorker, { type: "run" }>).info;
  const tick = (steps: number, recycle: ArrayBuffer[] = []): Frame => {
    handler.handle({ type: "tick", steps, focus: null, recycle });
    const m = posted.pop()!;
    if (m.type !== "frame") throw new Error(`expected a frame, got ${m.type}`);
    return m.frame;
  };
  return { info, tick };
}

interface Crossing {
  x: number;
  y: number;
  /** The two cells of the grid edge the point lies on. */
  a: number;
  b: number;
  /** Where along the edge, 0 at a, 1 at b. */
  t: number;
}

/**
 * Finds the grid edge a boundary point lies on: cell centres sit at
 * xMin + (c + ½)·dx and yMax − (r + ½)·dy, so one of the point's grid
 * coordinates is a whole number.
 */
function locate(info: RunInfo, x: number, y: number): Crossing {
  const d = info.domain;
  const n = HEATMAP_SIZE;
  const c = ((x - d.xMin) / (d.xMax - d.xMin)) * n - 0.5;
  const r = ((d.yMax - y) / (d.yMax - d.yMin)) * n - 0.5;
  const onRow = Math.abs(r - Math.round(r)) < 1e-7;
  const onCol = Math.abs(c - Math.round(c)) < 1e-7;
  expect(onRow || onCol, `(${x}, ${y}) lies on a grid line`).toBe(true);
  if (onRow) {
    const row = Math.round(r);
    const col = Math.min(n - 2, Math.floor(c));
    return { x, y, a: row * n + col, b: row * n + col + 1, t: c - col };
  }
  const col = Math.round(c);
  const row = Math.min(n - 2, Math.floor(r));
  return { x, y, a: row * n + col, b: (row + 1) * n + col, t: r - row };
}

function crossings(info: RunInfo, frame: Frame): Crossing[] {
  const out: Crossing[] = [];
  eachPolyline(frame.boundary, (xy) => {
    for (let i = 0; i < xy.length; i += 2) out.push(locate(info, xy[i]!, xy[i + 1]!));
  });
  return out;
}

describe("the decision boundary in each frame", () => {
  it("tanh, labels ±1: every point lies where the grid value crosses 0, between cells of different classes", () => {
    const { info, tick } = start(defaultAppState().config);
    expect(info.threshold).toBe(0);
    const frame = tick(500);
    const points = crossings(info, frame);
    // a trained circle: one closed curve of a few hundred points
    expect(points.length).toBeGreaterThan(40);
    for (const p of points) {
      const va = frame.value[p.a]!;
      const vb = frame.value[p.b]!;
      expect(Math.min(va, vb) < 0 && Math.max(va, vb) >= 0, `cells ${p.a}, ${p.b} straddle 0`).toBe(true);
      expectClose(va + p.t * (vb - va), 0, 1e-9);
      expect(frame.classIndex[p.a]).not.toBe(frame.classIndex[p.b]);
    }
    // the buffer travels by transfer and its unused tail is NaN
    expect(frameTransfer(frame)).toContain(frame.boundary.buffer);
    const used = points.length * 2;
    expect(frame.boundary.length).toBeGreaterThanOrEqual(used);
  });

  it("sigmoid, labels 0/1: the level is 0.5", () => {
    const c = defaultAppState().config;
    c.network.output = "sigmoid";
    c.data.encoding = "binary";
    c.training.learningRate = 0.3;
    const { info, tick } = start(c);
    expect(info.threshold).toBe(0.5);
    const frame = tick(500);
    const points = crossings(info, frame);
    expect(points.length).toBeGreaterThan(40);
    for (const p of points) {
      const va = frame.value[p.a]!;
      const vb = frame.value[p.b]!;
      expectClose(va + p.t * (vb - va), 0.5, 1e-9);
    }
  });

  it("three classes (softmax): every point lies where the winning class changes", () => {
    const c = withDataset(defaultAppState().config, "spiral3");
    c.network.hidden = [8, 8];
    const { info, tick } = start(c);
    expect(info.nOut).toBe(3);
    const frame = tick(300);
    const points = crossings(info, frame);
    expect(points.length).toBeGreaterThan(40);
    for (const p of points) expect(frame.classIndex[p.a], `cells ${p.a}, ${p.b}`).not.toBe(frame.classIndex[p.b]);
  });

  it("regression has no boundary; a buffer handed back is refilled", () => {
    const reg = start(withDataset(defaultAppState().config, "reg-plane"));
    expect(reg.tick(25).boundary.length).toBe(0);

    const { tick } = start(defaultAppState().config);
    const f1 = tick(500);
    const buffer = f1.boundary.buffer;
    const bytes = buffer.byteLength;
    const copy = Array.from(f1.boundary);
    const f2 = tick(0, frameTransfer(f1));
    // same network, same boundary, written into the recycled buffer
    expect(f2.boundary.buffer.byteLength).toBe(bytes);
    expect(f2.boundary.buffer).toBe(buffer);
    expect(Array.from(f2.boundary)).toEqual(copy);
  });
});
