import { runStateOf } from "../state/document.js";
import { describe, expect, it } from "vitest";
import { defaultAppState, withDataset } from "../state/app-state.js";
import { decodeState } from "../state/url.js";
import { createWorkerHandler } from "./handler.js";
import { frameTransfer, HEATMAP_SIZE, type Frame, type FromWorker, type RunState, type ToWorker } from "./protocol.js";
import { createViewHandler, type ToView } from "./view.js";

/**
 * Messages cross between the handlers as they cross between threads:
 * structured-cloned, with the transfer list moved (the sender's buffers are
 * detached afterwards).
 */
function send<T>(message: T, transfer: ArrayBuffer[]): T {
  return structuredClone(message, { transfer });
}

/** The training worker alone (frames sampled inline), or feeding a view worker through a "channel". */
function workers(pipeline: boolean) {
  const toPage: FromWorker[] = [];
  /** Each frame's numbers as it arrived (its buffers may go back to the workers later). */
  const arrived: ReturnType<typeof numbersOf>[] = [];
  /** Which worker posted each frame. */
  const senders: ("training" | "view")[] = [];
  const receiveFrom = (sender: "training" | "view") => (message: FromWorker, transfer: ArrayBuffer[]) => {
    const m = send(message, transfer);
    toPage.push(m);
    if (m.type === "frame") {
      arrived.push(numbersOf(m.frame));
      senders.push(sender);
    }
  };
  const receive = receiveFrom("training");
  const view = createViewHandler(receiveFrom("view"));
  const toView: ToView[] = [];
  const training = createWorkerHandler(receive, pipeline ? { view: (message, transfer) => toView.push(send(message, transfer)) } : {});
  return {
    toPage,
    arrived,
    senders,
    /** Delivers a message to the training worker, then lets the view worker drain its port. */
    handle(message: ToWorker) {
      training.handle(message);
      while (toView.length > 0) view.handle(toView.shift()!);
    },
    frames: () => toPage.filter((m): m is Extract<FromWorker, { type: "frame" }> => m.type === "frame").map((m) => m.frame),
  };
}

const stateOf = (hash: string): RunState => {
  const { state } = decodeState(hash);
  return runStateOf({ ...state, edits: [], history: [] });
};

/** A frame without its timings (the only part that differs between two runs of the same work). */
const numbersOf = (f: Frame) => {
  const { workMs: _w, timing: _t, ...rest } = f;
  return { ...rest, params: Array.from(f.params), value: Array.from(f.value), classIndex: Array.from(f.classIndex), outputs: Array.from(f.outputs), neurons: Array.from(f.neurons), focus: Array.from(f.focus), boundary: Array.from(f.boundary) };
};

describe("the view worker (sampling in a second thread)", () => {
  it("posts exactly the frames the training worker samples inline: grid, unit maps, focus, boundary, metrics", () => {
    const script = (w: ReturnType<typeof workers>) => {
      const deep = stateOf("#seed=1&data=spiral&noise=0&ratio=0.5&features=x1,x2,x1sq,x2sq,x1x2,sinx1,sinx2&hidden=8,8,8&act=tanh&out=tanh&encoding=signed&lr=0.03&batch=10");
      w.handle({ type: "init", state: deep });
      w.handle({ type: "tick", steps: 0, focus: null, recycle: [] });
      w.handle({ type: "tick", steps: 25, focus: null, recycle: [] });
      // the page hands back a drawn frame's buffers with the next tick
      const drawn = w.frames()[1]!;
      w.handle({ type: "tick", steps: 25, focus: 12, recycle: frameTransfer(drawn) });
      w.handle({ type: "edit", layer: 1, row: 2, col: 3, value: 0.75 });
      w.handle({ type: "tick", steps: 7, focus: null, recycle: [] });
      // a new run (three classes, one-hot softmax) reaches the view worker before its frames
      const three = { ...defaultAppState().config };
      w.handle({ type: "init", state: runStateOf({ ...defaultAppState(), config: withDataset(three, "spiral3") }) });
      w.handle({ type: "tick", steps: 30, focus: 0, recycle: [] });
      return w;
    };
    const inline = script(workers(false));
    const pipeline = script(workers(true));
    const a = inline.frames();
    const b = pipeline.frames();
    expect(b.length).toBe(5);
    expect(pipeline.senders).toEqual(["view", "view", "view", "view", "view"]);
    expect(inline.senders).toEqual(["training", "training", "training", "training", "training"]);
    expect(b.map((f) => [f.runId, f.step])).toEqual(a.map((f) => [f.runId, f.step]));
    for (let i = 0; i < a.length; i++) expect(pipeline.arrived[i], `frame ${i}`).toEqual(inline.arrived[i]);
    // what the view worker added is really there: a boundary line, the focused map, a grid of the new run's classes
    const seen = pipeline.arrived;
    expect(seen[1]!.boundary.filter((v) => !Number.isNaN(v)).length).toBeGreaterThan(4);
    expect(seen[2]!.focus.length).toBe(HEATMAP_SIZE * HEATMAP_SIZE);
    expect(new Set(seen[4]!.classIndex).size).toBe(3);
    // and it timed its part
    expect(b[3]!.timing.sampleMs).toBeGreaterThan(0);
    expect(b[3]!.workMs).toBeGreaterThanOrEqual(b[3]!.timing.sampleMs);
    // the rest of the protocol still comes from the training worker
    expect(pipeline.toPage.filter((m) => m.type === "run")).toHaveLength(2);
    expect(pipeline.toPage.filter((m) => m.type === "edited")).toHaveLength(1);
    expect(pipeline.toPage.filter((m) => m.type === "error")).toHaveLength(0);
  });

  it("answers a frame it cannot sample with an error for the tick (so the page stops waiting), not a throw", () => {
    const posted: FromWorker[] = [];
    const view = createViewHandler((m) => posted.push(m));
    const head = { runId: 7, step: 1, epoch: 0, params: new Float64Array(3), metrics: {} as Frame["metrics"], findings: [], health: [], workMs: 0, timing: { trainMs: 0, evaluateMs: 0, sampleMs: 0 } };
    view.handle({ type: "sample", head, focus: null, recycle: [] });
    expect(posted.pop()).toMatchObject({ type: "error", request: "tick", message: expect.stringContaining("run 7") });
    const config = defaultAppState().config;
    view.handle({
      type: "setup",
      runId: 7,
      spec: { sizes: [2, 4, 2, 1], hidden: "tanh", output: "tanh", bias: true },
      sampler: { features: config.features, encoding: "signed", domain: { xMin: -6, xMax: 6, yMin: -6, yMax: 6 }, regression: false },
    });
    view.handle({ type: "sample", head, focus: null, recycle: [] });
    expect(posted.pop()).toMatchObject({ type: "error", request: "tick", field: "params", message: expect.stringContaining("3 parameters") });
    expect(posted).toHaveLength(0);
  });
});
