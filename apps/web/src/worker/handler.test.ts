import { createRun, mlpFromJSON, mlpToJSON, presetConfig, type Explanation } from "@backprop-lab/core";
import { describe, expect, it } from "vitest";
import { expectClose, readReference } from "../../test-support/expect-close.js";
import { defaultAppState, withDataset } from "../state/app-state.js";
import { createWorkerHandler } from "./handler.js";
import { HEATMAP_SIZE, THUMBNAIL_SIZE, type Frame, type FromWorker, type RunInfo, type RunState } from "./protocol.js";

/** A handler whose posts are collected, with the transfer list of each. */
function harness() {
  const posted: { message: FromWorker; transfer: ArrayBuffer[] }[] = [];
  const handler = createWorkerHandler((message, transfer) => posted.push({ message, transfer }));
  const take = <T extends FromWorker["type"]>(type: T) => {
    const i = posted.findIndex((p) => p.message.type === type);
    if (i < 0) throw new Error(`no ${type} message; got ${posted.map((p) => p.message.type).join(", ")}`);
    return posted.splice(i, 1)[0]! as { message: Extract<FromWorker, { type: T }>; transfer: ArrayBuffer[] };
  };
  const tick = (steps: number, recycle: ArrayBuffer[] = [], focus: number | null = null): Frame => {
    handler.handle({ type: "tick", steps, focus, recycle });
    return take("frame").message.frame;
  };
  return { handler, posted, take, tick };
}

const playground = (): RunState => ({ config: defaultAppState().config, clip: null, guard: false, edits: [], history: [] });

describe("worker message handler", () => {
  it("init answers with the run's shape and points, then each tick with a frame of the requested steps", () => {
    const h = harness();
    h.handler.handle({ type: "init", state: playground() });
    const { message, transfer } = h.take("run");
    const info: RunInfo = message.info;
    expect(info.sizes).toEqual([2, 4, 2, 1]);
    expect(info.train.n + info.test.n).toBe(500);
    expect(info.train.n).toBe(250);
    expect(info.stepsPerEpoch).toBe(25);
    expect(info.domain).toEqual({ xMin: -6, xMax: 6, yMin: -6, yMax: 6 });
    // point buffers are transferred, not copied
    expect(transfer).toContain(info.train.x.buffer);
    expect(info.neuronCount).toBe(2 + 4 + 2 + 1);

    const f0 = h.tick(0);
    expect(f0.step).toBe(0);
    const f1 = h.tick(25);
    expect(f1.step).toBe(25);
    expect(f1.epoch).toBe(1);
    expect(f1.value.length).toBe(HEATMAP_SIZE * HEATMAP_SIZE);
    expect(f1.neurons.length).toBe(info.neuronCount * THUMBNAIL_SIZE * THUMBNAIL_SIZE);
    expect(f1.metrics.trainLoss).toBeLessThan(f0.metrics.trainLoss);
    expect(Number.isFinite(f1.metrics.testLoss)).toBe(true);
  });

  it("reports the same numbers as core's createRun stepped directly (the worker adds nothing to the math)", () => {
    const h = harness();
    const state = playground();
    h.handler.handle({ type: "init", state });
    h.take("run");
    const frame = h.tick(60);
    const run = createRun(state.config);
    for (let i = 0; i < 60; i++) run.step();
    expect(Array.from(frame.params)).toEqual(Array.from(run.net.params));
    const e = run.evaluate();
    expect(frame.metrics.trainLoss).toBe(e.train.dataLoss);
    expect(frame.metrics.testLoss).toBe(e.test!.dataLoss);
    expect(frame.metrics.trainAccuracy).toBe(e.train.accuracy);
  });

  it("init with the same state replays the identical run (Reset), whatever the tick sizes", () => {
    const a = harness();
    const b = harness();
    a.handler.handle({ type: "init", state: playground() });
    b.handler.handle({ type: "init", state: playground() });
    a.tick(100);
    for (let i = 0; i < 10; i++) b.tick(10);
    const fa = a.tick(0);
    const fb = b.tick(0);
    expect(Array.from(fa.params)).toEqual(Array.from(fb.params));
    expect(Array.from(fa.value)).toEqual(Array.from(fb.value));
    a.handler.handle({ type: "init", state: playground() });
    a.take("run");
    expect(a.tick(100).params).toEqual(fa.params);
  });

  it("the frame's grid is packages/viz's GridSample of the current network, and buffers handed back are refilled", () => {
    const h = harness();
    h.handler.handle({ type: "init", state: playground() });
    h.take("run");
    const f = h.tick(10);
    expect(f.classIndex.length).toBe(HEATMAP_SIZE * HEATMAP_SIZE);
    // tanh output on ±1 labels: class 1 where the value is above 0
    for (let i = 0; i < f.value.length; i += 97) expect(f.classIndex[i]).toBe(f.value[i]! > 0 ? 1 : 0);
    const buffers = [f.value.buffer, f.neurons.buffer] as ArrayBuffer[];
    const g = h.tick(10, buffers);
    expect([g.value.buffer, g.outputs.buffer, g.neurons.buffer, g.params.buffer]).toContain(buffers[0]);
    const transfer = h.posted.length; // frames were taken; nothing else queued
    expect(transfer).toBe(0);
  });

  it("a focused neuron comes back at heatmap resolution (the output unit: the decision value itself)", () => {
    const h = harness();
    h.handler.handle({ type: "init", state: playground() });
    const info = h.take("run").message.info;
    const f = h.tick(5, [], info.neuronCount - 1);
    expect(f.focusIndex).toBe(info.neuronCount - 1);
    expect(f.focus.length).toBe(HEATMAP_SIZE * HEATMAP_SIZE);
    // the output unit's map is the decision value itself
    expectClose(f.focus, f.value, 0);
  });

  it("training settings change live: the network is kept and the new learning rate is used", () => {
    const h = harness();
    const state = playground();
    h.handler.handle({ type: "init", state });
    h.take("run");
    const before = h.tick(20);
    const faster: RunState = { ...state, config: { ...state.config, training: { ...state.config.training, learningRate: 0.3 } } };
    h.handler.handle({ type: "configure", state: faster });
    const after = h.tick(1);
    expect(after.step).toBe(21);
    expect(after.metrics.learningRate).toBe(0.3);
    expect(before.metrics.learningRate).toBe(0.03);
  });

  it("live changes are logged with their step, and a reset with the log replays the run exactly", () => {
    const h = harness();
    const state = playground();
    h.handler.handle({ type: "init", state });
    h.take("run");
    h.handler.handle({ type: "configure", state });
    expect(h.take("configured").message.history).toEqual([]); // before any update: nothing to log
    h.tick(20);
    const t = state.config.training;
    const fast: RunState = { ...state, config: { ...state.config, training: { ...t, learningRate: 0.3, optimizer: { kind: "momentum", momentum: 0.9, nesterov: false } } } };
    h.handler.handle({ type: "configure", state: fast });
    const log1 = h.take("configured").message.history;
    expect(log1).toEqual([{ until: 20, training: t, clip: null, guard: false }]);
    h.tick(15);
    const clipped: RunState = { ...fast, clip: { maxNorm: 0.1 } };
    h.handler.handle({ type: "configure", state: clipped });
    const log2 = h.take("configured").message.history;
    expect(log2.map((e) => e.until)).toEqual([20, 35]);
    const live = h.tick(25);

    h.handler.handle({ type: "init", state: { ...clipped, history: log2 } });
    h.take("run");
    const replay = h.tick(60);
    expect(Array.from(replay.params)).toEqual(Array.from(live.params));
    expect(replay.metrics.learningRate).toBe(0.3);
    // without the log, the current settings from step 0 give another run
    h.handler.handle({ type: "init", state: clipped });
    h.take("run");
    expect(Array.from(h.tick(60).params)).not.toEqual(Array.from(live.params));

    // a change while replaying drops the logged changes still ahead
    h.handler.handle({ type: "init", state: { ...clipped, history: log2 } });
    h.take("run");
    h.tick(10);
    h.handler.handle({ type: "configure", state: clipped });
    expect(h.take("configured").message.history).toEqual([{ until: 10, training: t, clip: null, guard: false }]);
  });

  it("weight edits apply now, come back with their step, and replay at that step after a reset", () => {
    const h = harness();
    const state = playground();
    h.handler.handle({ type: "init", state });
    h.take("run");
    h.tick(7);
    h.handler.handle({ type: "edit", layer: 1, row: 2, col: 0, value: 1.5 });
    const edited = h.take("edited").message.edits;
    expect(edited).toEqual([{ step: 7, layer: 1, row: 2, col: 0, value: 1.5 }]);
    h.handler.handle({ type: "edit", layer: 0, row: -1, col: 3, value: -0.25 });
    edited.push(...h.take("edited").message.edits);
    const live = h.tick(13);

    h.handler.handle({ type: "init", state: { ...state, edits: edited } });
    const info = h.take("run").message.info;
    const replay = h.tick(20);
    expect(Array.from(replay.params)).toEqual(Array.from(live.params));
    // and the edit really changed the run
    const plain = harness();
    plain.handler.handle({ type: "init", state });
    plain.take("run");
    expect(Array.from(plain.tick(20).params)).not.toEqual(Array.from(live.params));
    expect(info.layout[1]!.w).toBe(2 * 4 + 4);

    h.handler.handle({ type: "edit", layer: 5, row: 0, col: 0, value: 1 });
    expect(h.take("error").message.message).toMatch(/no parameter/);
  });

  it("model export → import round trip is exact, and an import is recorded as edits that replay", () => {
    const h = harness();
    const state = playground();
    h.handler.handle({ type: "init", state });
    h.take("run");
    h.tick(30);
    h.handler.handle({ type: "export-model" });
    const json = h.take("model").message.json;
    const exported = mlpFromJSON(JSON.parse(json));
    h.tick(30);
    h.handler.handle({ type: "import-model", json });
    const edits = h.take("edited").message.edits;
    expect(edits).toHaveLength(exported.params.length);
    expect(edits.every((e) => e.step === 60)).toBe(true);
    const f = h.tick(0);
    expect(Array.from(f.params)).toEqual(Array.from(exported.params));
    expect(JSON.stringify(mlpToJSON(mlpFromJSON(JSON.parse(json))))).toBe(JSON.stringify(JSON.parse(json)));

    h.handler.handle({ type: "import-model", json: "{ not json" });
    expect(h.take("error").message.request).toBe("import-model");
    const wrong = JSON.parse(json);
    wrong.spec.sizes = [2, 3, 1];
    wrong.weights = [[[0, 0, 0], [0, 0, 0]], [[0], [0], [0]]];
    wrong.biases = [[0, 0, 0], [0]];
    h.handler.handle({ type: "import-model", json: JSON.stringify(wrong) });
    expect(h.take("error").message.message).toMatch(/do not match/);
  });

  it("explains the course's worked example with the golden numbers", () => {
    const ref = readReference("seed-worked-example.json");
    const h = harness();
    h.handler.handle({ type: "explain", source: "course", row: 0 });
    const e: Explanation = h.take("explain").message.explanation;
    const [l1, l2] = e.layers;
    const tol = ref.tolerance.expected_abs as number;
    expectClose(e.x, ref.inputs.X, 0);
    expectClose(l1!.W, ref.inputs.W1, 0);
    expectClose(l2!.W, ref.inputs.W2, 0);
    expectClose(l1!.z, ref.expected.z1, tol);
    expectClose(l2!.a, ref.expected.h2, tol);
    expectClose(e.dataLoss, ref.expected.loss, tol);
    expectClose(l2!.da_dz, ref.expected.dh2_dz2, tol);
    expectClose(l2!.dL_dz, ref.expected.dL_dz2, tol);
    expectClose(l1!.dL_dW, ref.expected.dL_dW1, tol);
    expectClose(l1!.W_next, ref.expected.W1_next, tol);
    expectClose(e.lossAfterUpdate, ref.expected.loss_after_update, tol);
  });

  it("a gradient check on the current network agrees with backprop", () => {
    const h = harness();
    h.handler.handle({ type: "init", state: playground() });
    h.take("run");
    h.tick(10);
    h.handler.handle({ type: "gradient-check" });
    const { result, step } = h.take("gradient-check").message;
    expect(step).toBe(10);
    expect(result.ok).toBe(true);
    expect(result.parameters).toHaveLength(4 * 2 + 4 + 4 * 2 + 2 + 2 + 1);
  });

  it("a diverging run shows up as non-finite metrics and a diagnostics finding, and clipping is counted", () => {
    const h = harness();
    // relu layers on a linear output at learning rate 10: overflow within a few epochs
    const config = withDataset(presetConfig("playground-spiral"), "reg-plane");
    config.training.learningRate = 10;
    config.network.activation = "relu";
    config.network.hidden = [8, 8];
    h.handler.handle({ type: "init", state: { config, clip: null, guard: false, edits: [], history: [] } });
    h.take("run");
    let f = h.tick(0);
    for (let i = 0; i < 40 && f.metrics.finite; i++) f = h.tick(50);
    expect(f.metrics.finite).toBe(false);
    expect(f.findings.map((x) => x.code)).toContain("non-finite");

    const clipped = harness();
    clipped.handler.handle({ type: "init", state: { config, clip: { maxNorm: 0.5 }, guard: false, edits: [], history: [] } });
    clipped.take("run");
    const c = clipped.tick(25);
    expect(c.metrics.clipped).toBeGreaterThan(0);
    expect(c.metrics.clipped).toBeLessThanOrEqual(25);
  });

  it("a bad config is answered with an error naming the field, not a throw", () => {
    const h = harness();
    const state = playground();
    h.handler.handle({ type: "init", state: { ...state, config: { ...state.config, training: { ...state.config.training, learningRate: -1 } } } });
    const err = h.take("error").message;
    expect(err.request).toBe("init");
    expect(err.field).toBe("training.learningRate");
  });
});
