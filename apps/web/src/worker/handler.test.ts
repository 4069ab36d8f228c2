import { createTrainingRun, mlpFromJSON, mlpToJSON, type Explanation, type RunDocument } from "@backprop-lab/core";
import { describe, expect, it } from "vitest";
import { expectClose, readReference } from "../../test-support/expect-close.js";
import { defaultAppState, withDataset, type AppState } from "../state/app-state.js";
import { DEFAULT_GUARD, presetConfig, runStateOf } from "../state/document.js";
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

const playground = (): RunState => runStateOf(defaultAppState());
/** A state with training settings changed (and clipping), as the page sends it. */
const withTraining = (state: RunState, training: Partial<RunDocument["training"]>): RunState => ({ ...state, document: { ...state.document, training: { ...state.document.training, ...training } } });

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

  it("reports the same numbers as core's createTrainingRun stepped directly (the worker adds nothing to the math)", () => {
    const h = harness();
    const state = playground();
    h.handler.handle({ type: "init", state });
    h.take("run");
    const frame = h.tick(60);
    const run = createTrainingRun(state.document);
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
    const faster = withTraining(state, { learningRate: 0.3 });
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
    const t = state.document.training;
    const fast = withTraining(state, { learningRate: 0.3, optimizer: { kind: "momentum", momentum: 0.9, nesterov: false } });
    h.handler.handle({ type: "configure", state: fast });
    const log1 = h.take("configured").message.history;
    expect(log1).toEqual([{ until: 20, training: t, clip: null }]);
    h.tick(15);
    const clipped = withTraining(fast, { clipping: { maxNorm: 0.1 } });
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
    expect(h.take("configured").message.history).toEqual([{ until: 10, training: t, clip: null }]);
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
    h.handler.handle({ type: "explain", source: "course" });
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
    h.handler.handle({ type: "init", state: runStateOf({ ...defaultAppState(), config }) });
    h.take("run");
    let f = h.tick(0);
    // the run trains until an update leaves a parameter non-finite, and stops there (no guard to undo it)
    for (let i = 0; i < 80 && !f.findings.some((x) => x.code === "non-finite"); i++) f = h.tick(50);
    expect(f.metrics.finite).toBe(false);
    const stopped = f.step;
    expect(h.tick(50).step).toBe(stopped);
    expect(f.findings.map((x) => x.code)).toContain("non-finite");

    const clipped = harness();
    clipped.handler.handle({ type: "init", state: runStateOf({ ...defaultAppState(), config, clip: { maxNorm: 0.5 } }) });
    clipped.take("run");
    const c = clipped.tick(25);
    expect(c.metrics.clipped).toBeGreaterThan(0);
    expect(c.metrics.clipped).toBeLessThanOrEqual(25);
  });

  it("a bad config is answered with an error naming the field, not a throw", () => {
    const h = harness();
    const state = playground();
    h.handler.handle({ type: "init", state: withTraining(state, { learningRate: -1 }) });
    const err = h.take("error").message;
    expect(err.request).toBe("init");
    expect(err.field).toBe("training.learningRate");
  });

  /** Adam or momentum, a schedule, L2 and clipping that acts: the settings the explainer must not simplify. */
  const heavy = (optimizer: RunDocument["training"]["optimizer"]): RunState =>
    withTraining(playground(), {
      optimizer,
      learningRate: 0.3,
      schedule: { kind: "exponential", decayRate: 0.5, decaySteps: 20 },
      regularization: { kind: "l2", lambda: 0.01, gradient: "correct" },
      clipping: { maxNorm: 0.05 },
    });

  it.each([
    ["adam", { kind: "adam", beta1: 0.8, beta2: 0.99, epsilon: 1e-8 }],
    ["momentum (Nesterov)", { kind: "momentum", momentum: 0.9, nesterov: true }],
  ] as const)("'this network' explains the step the run takes (%s, schedule, L2, clipping): its 'after' is the run's next weights, bit for bit", (_name, optimizer) => {
    const h = harness();
    h.handler.handle({ type: "init", state: heavy(optimizer) });
    const info = h.take("run").message.info;
    h.tick(37);
    h.handler.handle({ type: "explain", source: "current" });
    const { explanation: e, step } = h.take("explain").message;
    expect(step).toBe(37);
    expect(e.step).toBe(37);
    expect(e.optimizer).toBe(optimizer.kind);
    // the scheduled rate (exponential: 0.3 · 0.5^(37/20)), not the base rate
    expect(e.baseLearningRate).toBe(0.3);
    expect(e.learningRate).toBeLessThan(0.3 * 0.5 ** 1.8);
    expect(e.regLoss).toBeGreaterThan(0);
    // clipping acted, and the explanation says by how much
    expect(e.clipped).toBe(true);
    expect(e.gradNorm).toBeGreaterThan(0.05);
    expect(e.clippedNorm).toBeCloseTo(0.05, 6);
    expect(e.n).toBe(info.batchSize);
    const next = h.tick(1);
    expect(next.metrics.clipped).toBe(1);
    expect(next.metrics.gradNorm).toBe(e.gradNorm);
    const after: number[] = [];
    const params: number[] = [];
    e.layers.forEach((layer, l) => {
      after.push(...layer.W_next.flat());
      params.push(...next.params.subarray(info.layout[l]!.w, info.layout[l]!.w + layer.nIn * layer.nOut));
      if (layer.b_next) {
        after.push(...layer.b_next);
        params.push(...next.params.subarray(info.layout[l]!.b, info.layout[l]!.b + layer.nOut));
      }
    });
    expect(after).toHaveLength(next.params.length);
    expect(after).toEqual(params);
    // and plain gradient descent on the same numbers would have given other weights
    const sgd = e.layers[0]!.W.map((row, i) => row.map((w, j) => w - e.learningRate * e.layers[0]!.dL_dW[i]![j]!));
    expect(sgd.flat()).not.toEqual(e.layers[0]!.W_next.flat());
  });

  it("the reports hook answers a document and a list of steps with the run's own reports and one explanation, leaving the page's run alone", () => {
    const h = harness();
    h.handler.handle({ type: "init", state: playground() });
    h.take("run");
    const before = h.tick(5);
    const document = heavy({ kind: "adam", beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }).document;
    h.handler.handle({ type: "reports", requestId: 7, document: JSON.parse(JSON.stringify(document)), steps: [1, 10, 100, 1000] });
    const answer = h.take("reports").message;
    expect(answer.requestId).toBe(7);
    expect(answer.reports.map((r) => r.at)).toEqual([1, 10, 100, 1000]);
    expect(answer.explainedAt).toBe(1000);
    // the same document stepped here: the hook passes the run's reports on unchanged
    const run = createTrainingRun(document);
    let clips = 0;
    for (let k = 1; k <= 1000; k++) {
      const r = run.step();
      if (r.clipped) clips++;
      const row = answer.reports.find((x) => x.at === k);
      if (!row) continue;
      expect(row.report).toEqual(JSON.parse(JSON.stringify({ ...r })));
      for (const key of ["loss", "dataLoss", "regLoss", "gradNorm", "clippedNorm", "learningRate"] as const) expect(row.report[key]).toBe(r[key]);
      expect(row.clipCount).toBe(clips);
      const scores = run.evaluate();
      expect(row.scores.train.accuracy).toBe(scores.train.accuracy);
      expect(row.scores.test!.dataLoss).toBe(scores.test!.dataLoss);
    }
    expect(clips).toBeGreaterThan(0);
    expect(JSON.parse(JSON.stringify(answer.explanation))).toEqual(JSON.parse(JSON.stringify(run.explain())));
    // the page's run went on where it was
    expect(h.tick(0).step).toBe(before.step);
    // a bad document or step list is an error naming the field
    h.handler.handle({ type: "reports", requestId: 8, document: { ...document, training: { ...document.training, learningRate: 0 } }, steps: [1] });
    expect(h.take("error").message.field).toBe("training.learningRate");
    h.handler.handle({ type: "reports", requestId: 9, document, steps: [10, 5] });
    expect(h.take("error").message.field).toBe("steps[1]");
  });
});
