import { defaultRunConfig, normalizeRunConfig, PRESETS, type RunConfig } from "@backprop-lab/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defaultAppState, HIDEABLE, type AppState } from "./app-state.js";
import { decodeState, encodeState } from "./url.js";

const roundTrip = (s: AppState) => decodeState(encodeState(s));

describe("URL round trip", () => {
  it("the default state survives encode → decode unchanged, with no errors", () => {
    const s = defaultAppState();
    const back = roundTrip(s);
    expect(back.errors).toEqual([]);
    expect(back.state).toEqual(s);
  });

  it("an empty hash is the default state", () => {
    expect(decodeState("").state).toEqual(defaultAppState());
    expect(decodeState("#").state).toEqual(defaultAppState());
  });

  it.each(PRESETS.map((p) => [p.id, p.config] as const))("preset %s survives the round trip", (_id, config) => {
    const s: AppState = { ...defaultAppState(), config: normalizeRunConfig(config) };
    const back = roundTrip(s);
    expect(back.errors).toEqual([]);
    expect(back.state.config).toEqual(s.config);
  });

  it("keeps every float64 bit of learning rates, penalties and edited weights", () => {
    const s = defaultAppState();
    s.config.training.learningRate = 0.1 + 0.2; // 0.30000000000000004
    s.config.training.regularization = { kind: "l2", lambda: 1 / 3 };
    s.clip = { maxNorm: Math.PI };
    s.edits = [
      { step: 0, layer: 0, row: 1, col: 2, value: -0.1234567890123456 },
      { step: 37, layer: 1, row: -1, col: 0, value: 5e-324 },
    ];
    const back = roundTrip(s).state;
    expect(back.config.training.learningRate).toBe(0.30000000000000004);
    expect(back.config.training.regularization.lambda).toBe(1 / 3);
    expect(back.clip).toEqual({ maxNorm: Math.PI });
    expect(back.edits).toEqual(s.edits);
  });

  it("carries inline data exactly (clicked or imported points)", () => {
    const s = defaultAppState();
    s.config.data = { source: "inline", x: [[0.1, -2.5], [1e-9, 3]], y: [1, 0], trainRows: 1, encoding: "signed" };
    const back = roundTrip(s);
    expect(back.errors).toEqual([]);
    expect(back.state.config.data).toEqual(s.config.data);
  });

  it("fills what a hand-written link leaves out from the defaults, with an output that suits the data", () => {
    expect(decodeState("#panel=data").state.config).toEqual(defaultAppState().config);
    const spiral3 = decodeState("#data=spiral3").state.config;
    expect([spiral3.network.output, spiral3.training.loss, spiral3.data.encoding]).toEqual(["softmax", "cross-entropy", "one-hot"]);
    expect(spiral3.data.testRatio).toBe(0.5);
    const reg = decodeState("#data=reg-plane&hidden=3").state.config;
    expect([reg.network.output, reg.network.hidden]).toEqual(["linear", [3]]);
  });

  it("writes readable keys", () => {
    const hash = encodeState(defaultAppState());
    expect(hash).toContain("data=circle");
    expect(hash).toContain("hidden=4,2");
    expect(hash).toContain("features=x1,x2");
    expect(hash).toContain("lr=0.03");
  });

  it("reports a bad setting by its field and falls back to the default run", () => {
    const { state, errors } = decodeState("#data=circle&lr=-1");
    expect(errors.join(" ")).toMatch(/training\.learningRate/);
    expect(state.config).toEqual(defaultAppState().config);
    expect(decodeState("#seed=abc").errors.join(" ")).toMatch(/^seed/);
    expect(decodeState("#edits=1_2_x").errors.join(" ")).toMatch(/edits/);
    expect(decodeState('#history=[{"until":5,"training":{"learningRate":-1},"clip":null,"guard":false}]').errors.join(" ")).toMatch(/history: training\.learningRate/);
  });

  it("round-trips any valid state (property)", () => {
    const activation = fc.constantFrom("sigmoid", "tanh", "relu", "leaky-relu", "linear" as const);
    const finite = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 });
    const arbState = fc.record({
      seed: fc.integer({ min: 0, max: 0xffffffff }),
      name: fc.constantFrom("xor", "circle", "gauss", "spiral", "moons", "course-xor" as const),
      noise: fc.double({ min: 0, max: 0.5, noNaN: true }),
      testRatio: fc.double({ min: 0, max: 0.9, noNaN: true }),
      hidden: fc.array(fc.integer({ min: 1, max: 16 }), { maxLength: 8 }),
      activation,
      learningRate: fc.double({ min: 1e-6, max: 10, noNaN: true }),
      optimizer: fc.oneof(
        fc.constant({ kind: "sgd" as const }),
        fc.record({ kind: fc.constant("momentum" as const), momentum: fc.double({ min: 0, max: 0.99, noNaN: true }), nesterov: fc.boolean() }),
        fc.record({ kind: fc.constant("adam" as const), beta1: fc.double({ min: 0, max: 0.99, noNaN: true }), beta2: fc.double({ min: 0, max: 0.999, noNaN: true }), epsilon: fc.double({ min: 1e-12, max: 1e-3, noNaN: true }) }),
      ),
      schedule: fc.oneof(
        fc.constant({ kind: "constant" as const }),
        fc.record({ kind: fc.constant("step" as const), every: fc.integer({ min: 1, max: 10000 }), factor: fc.double({ min: 0.01, max: 1, noNaN: true }) }),
        fc.record({ kind: fc.constant("cosine" as const), totalSteps: fc.integer({ min: 1, max: 100000 }) }),
      ),
      reg: fc.constantFrom("none", "l1", "l2" as const),
      lambda: fc.double({ min: 0, max: 10, noNaN: true }),
      batch: fc.oneof(fc.integer({ min: 1, max: 500 }), fc.constant("full" as const)),
      clip: fc.option(fc.double({ min: 1e-6, max: 100, noNaN: true })),
      guard: fc.boolean(),
      edits: fc.array(fc.record({ step: fc.nat(100000), layer: fc.nat(8), row: fc.integer({ min: -1, max: 15 }), col: fc.nat(15), value: finite }), { maxLength: 5 }),
      history: fc.array(
        fc.record({ until: fc.integer({ min: 1, max: 100000 }), learningRate: fc.double({ min: 1e-6, max: 10, noNaN: true }), clip: fc.option(fc.double({ min: 1e-6, max: 100, noNaN: true })), guard: fc.boolean() }),
        { maxLength: 3 },
      ),
      showTest: fc.boolean(),
      discretize: fc.boolean(),
      locale: fc.constantFrom("en", "es" as const),
      panel: fc.constantFrom("diagnostics", "labs", "explainer", "data" as const),
      showBoundary: fc.boolean(),
      hide: fc.subarray([...HIDEABLE]),
    });
    fc.assert(
      fc.property(arbState, (a) => {
        const base = defaultRunConfig();
        const config: RunConfig = normalizeRunConfig({
          ...base,
          seed: a.seed,
          data: { source: "generated", name: a.name, noise: a.noise, testRatio: a.testRatio },
          network: { ...base.network, hidden: a.hidden, activation: a.activation },
          training: {
            ...base.training,
            learningRate: a.learningRate,
            optimizer: a.optimizer,
            schedule: a.schedule,
            regularization: a.reg === "none" ? { kind: "none", lambda: 0 } : { kind: a.reg, lambda: a.lambda },
            batchSize: a.batch,
          },
        });
        const state: AppState = {
          config,
          clip: a.clip === null ? null : { maxNorm: a.clip },
          guard: a.guard,
          edits: a.edits,
          history: [...a.history]
            .sort((x, y) => x.until - y.until)
            .map((h) => ({ until: h.until, training: { ...config.training, learningRate: h.learningRate }, clip: h.clip === null ? null : { maxNorm: h.clip }, guard: h.guard })),
          view: { showTest: a.showTest, discretize: a.discretize, showBoundary: a.showBoundary, locale: a.locale, panel: a.panel, lab: null, hide: a.hide },
        };
        const back = roundTrip(state);
        expect(back.errors).toEqual([]);
        expect(back.state).toEqual(state);
      }),
      { numRuns: 300, seed: 20261127 },
    );
  });

  it("carries a classroom link's hidden controls and the boundary toggle", () => {
    const s = defaultAppState();
    s.view.hide = ["learningRate", "optimizer", "features", "labs", "classroom"];
    s.view.showBoundary = false;
    const hash = encodeState(s);
    expect(hash).toContain("&hide=learningRate,optimizer,features,labs,classroom");
    expect(hash).toContain("&boundary=0&");
    const back = decodeState(hash);
    expect(back.errors).toEqual([]);
    expect(back.state).toEqual(s);
    // nothing hidden: no key at all; the boundary is on by default
    expect(encodeState(defaultAppState())).not.toContain("hide=");
    expect(decodeState("#seed=3").state.view.showBoundary).toBe(true);
  });

  it("reads a hand-written hide list in any order, with repeats and spaces, into the canonical order", () => {
    const { state, errors } = decodeState("#hide=labs, learningRate,labs,,dataModel");
    expect(errors).toEqual([]);
    expect(state.view.hide).toEqual(["learningRate", "labs", "dataModel"]);
  });

  it("reports an unknown control by name and keeps the known ones", () => {
    const { state, errors } = decodeState("#seed=4&hide=learningRate,warpDrive,optimizer");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^hide: unknown control "warpDrive" \(known: learningRate, /);
    expect(state.view.hide).toEqual(["learningRate", "optimizer"]);
    expect(state.config.seed).toBe(4);
  });

  it("optimizer parameters edited in the controls survive the round trip bit for bit", () => {
    const s = defaultAppState();
    s.config.training.optimizer = { kind: "adam", beta1: 0.8, beta2: 0.9990000000000001, epsilon: 1e-7 };
    expect(encodeState(s)).toContain("opt=adam:beta1=0.8:beta2=0.9990000000000001:epsilon=1e-7");
    expect(roundTrip(s).state.config.training.optimizer).toEqual(s.config.training.optimizer);
    s.config.training.optimizer = { kind: "momentum", momentum: 0.5, nesterov: true };
    expect(encodeState(s)).toContain("opt=momentum:momentum=0.5:nesterov=true");
    expect(roundTrip(s).state.config.training.optimizer).toEqual(s.config.training.optimizer);
    // a bad parameter in a link is reported by its field
    expect(decodeState("#opt=adam:beta1=1.5").errors.join(" ")).toMatch(/training\.optimizer\.beta1/);
  });
});
