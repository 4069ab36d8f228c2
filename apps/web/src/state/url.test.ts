import { parseRunDocument, PRESETS } from "@backprop-lab/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defaultAppState, HIDEABLE, type AppState } from "./app-state.js";
import { problemText } from "../i18n.js";
import { documentOf, stateOfDocument } from "./document.js";
import { decodeDocument, encodeDocument, decodeState, encodeState } from "./url.js";

const roundTrip = (s: AppState) => decodeState(encodeState(s));

/** Any valid run document: every field, every variant (built through core's own validation, which fills the defaults). */
const arbDocument = fc
  .record({
    seed: fc.integer({ min: 0, max: 0xffffffff }),
    data: fc.oneof(
      fc.record({
        source: fc.constant("generated" as const),
        name: fc.constantFrom("xor", "circle", "gauss", "spiral", "moons", "course-xor", "spiral3", "reg-plane" as const),
        n: fc.integer({ min: 1, max: 2000 }),
        noise: fc.double({ min: 0, max: 0.5, noNaN: true }),
        seed: fc.option(fc.integer({ min: 0, max: 0xffffffff }), { nil: undefined }),
        split: fc.oneof(fc.record({ testRatio: fc.double({ min: 0, max: 0.9, noNaN: true }) }), fc.record({ trainRows: fc.integer({ min: 1, max: 1 }) })),
      }),
      fc.record({
        source: fc.constant("inline" as const),
        x: fc.array(fc.tuple(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.double({ noNaN: true, noDefaultInfinity: true })), { minLength: 1, maxLength: 6 }),
        split: fc.record({ testRatio: fc.double({ min: 0, max: 0.9, noNaN: true }) }),
      }),
    ),
    features: fc.subarray(["x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1", "sinx2"] as const, { minLength: 1 }),
    hidden: fc.array(fc.integer({ min: 1, max: 16 }), { maxLength: 8 }),
    perLayer: fc.boolean(),
    activation: fc.constantFrom("sigmoid", "tanh", "relu", "leaky-relu", "linear" as const),
    head: fc.constantFrom(["sigmoid", "mse"], ["sigmoid", "binary-cross-entropy"], ["tanh", "mse"], ["linear", "mse"], ["softmax", "cross-entropy"] as const),
    bias: fc.boolean(),
    init: fc.record({ scheme: fc.constantFrom("course", "xavier", "he", "playground" as const), seed: fc.option(fc.integer({ min: 0, max: 0xffffffff }), { nil: undefined }) }),
    learningRate: fc.double({ min: 1e-6, max: 10, noNaN: true }),
    optimizer: fc.oneof(
      fc.constant({ kind: "sgd" as const }),
      fc.record({ kind: fc.constant("momentum" as const), momentum: fc.double({ min: 0, max: 0.99, noNaN: true }), nesterov: fc.boolean() }),
      fc.record({ kind: fc.constant("adam" as const), beta1: fc.double({ min: 0, max: 0.99, noNaN: true }), beta2: fc.double({ min: 0, max: 0.999, noNaN: true }), epsilon: fc.double({ min: 1e-12, max: 1e-3, noNaN: true }) }),
    ),
    schedule: fc.oneof(
      fc.constant({ kind: "constant" as const }),
      fc.record({ kind: fc.constant("step" as const), every: fc.integer({ min: 1, max: 10000 }), factor: fc.double({ min: 0.01, max: 1, noNaN: true }) }),
      fc.record({ kind: fc.constant("exponential" as const), decayRate: fc.double({ min: 0.01, max: 1, noNaN: true }), decaySteps: fc.integer({ min: 1, max: 10000 }) }),
      fc.record({ kind: fc.constant("inverse-time" as const), decayRate: fc.double({ min: 0.01, max: 1, noNaN: true }), decaySteps: fc.integer({ min: 1, max: 10000 }) }),
      fc.record({ kind: fc.constant("cosine" as const), totalSteps: fc.integer({ min: 1, max: 100000 }), minLearningRate: fc.double({ min: 0, max: 1e-6, noNaN: true }) }),
      fc.record({ kind: fc.constant("linear" as const), totalSteps: fc.integer({ min: 1, max: 100000 }), endLearningRate: fc.double({ min: 1e-6, max: 1, noNaN: true }) }),
    ),
    regularization: fc.oneof(
      fc.constant({ kind: "none" as const, lambda: 0 }),
      fc.record({ kind: fc.constantFrom("l1", "l2" as const), lambda: fc.double({ min: 0, max: 10, noNaN: true }) }),
      fc.record({ kind: fc.constant("l2" as const), lambda: fc.double({ min: 0, max: 10, noNaN: true }), gradient: fc.constant("course-bug" as const) }),
    ),
    batchSize: fc.oneof(fc.integer({ min: 1, max: 500 }), fc.constant("full" as const)),
    shuffle: fc.option(fc.boolean(), { nil: undefined }),
    clipping: fc.option(fc.record({ maxNorm: fc.double({ min: 1e-6, max: 1e6, noNaN: true }) })),
    guard: fc.option(
      fc.record({
        factor: fc.double({ min: 1e-3, max: 0.999, noNaN: true }),
        minLearningRate: fc.double({ min: 1e-12, max: 1, noNaN: true }),
        gradJump: fc.option(fc.double({ min: 1.001, max: 1e12, noNaN: true })),
      }),
    ),
    every: fc.integer({ min: 1, max: 1_000_000 }),
  })
  .map((a) => {
    const data =
      a.data.source === "generated"
        ? { source: a.data.source, name: a.data.name, n: a.data.n, noise: a.data.noise, ...(a.data.seed === undefined ? {} : { seed: a.data.seed }), ...a.data.split }
        : { source: a.data.source, x: a.data.x.map((r) => [...r]), y: a.data.x.map((_, i) => i % 2), ...a.data.split };
    return parseRunDocument({
      seed: a.seed,
      data,
      features: [...a.features],
      network: { hidden: a.hidden, activation: a.perLayer ? a.hidden.map(() => a.activation) : a.activation, output: a.head[0], bias: a.bias },
      init: { scheme: a.init.scheme, ...(a.init.seed === undefined ? {} : { seed: a.init.seed }) },
      training: {
        loss: a.head[1],
        optimizer: a.optimizer,
        learningRate: a.learningRate,
        schedule: a.schedule,
        regularization: a.regularization,
        batchSize: a.batchSize,
        ...(a.shuffle === undefined ? {} : { shuffle: a.shuffle }),
        clipping: a.clipping,
        guard: a.guard,
      },
      evaluation: { every: a.every },
    });
  });

describe("the URL is a mapping of core's run document", () => {
  it("document → URL → document is the identity (property, every field and variant)", () => {
    fc.assert(
      fc.property(arbDocument, (doc) => {
        const hash = encodeDocument(doc);
        const back = decodeDocument(hash);
        expect(back.errors).toEqual([]);
        expect(back.document).toEqual(doc);
        // and through the whole app state: the state's document is the same document
        const state: AppState = { ...defaultAppState(), ...stateOfDocument(doc) };
        const again = decodeState(encodeState(state));
        expect(again.errors).toEqual([]);
        expect(documentOf(again.state)).toEqual(doc);
      }),
      { numRuns: 300, seed: 20261205 },
    );
  });

  it.each([
    ["lr=-1", "training.learningRate must be a number in (0, 1000], got -1"],
    ["lr=2000", "training.learningRate must be a number in (0, 1000], got 2000"],
    ["noise=0.7", "data.noise must be a number in [0, 0.5], got 0.7"],
    ["hidden=4,999", "network.hidden[1] must be an integer in [1, 256], got 999"],
    ["opt=adam:epsilon=0", "training.optimizer.epsilon must be a number in (0, 1], got 0"],
    ["opt=adam:beta2=1", "training.optimizer.beta2 must be a number in [0, 1), got 1"],
    ["sched=step:factor=5", "training.schedule.factor must be a number in (0, 1], got 5"],
    ["sched=exponential:decayRate=3", "training.schedule.decayRate must be a number in (0, 1], got 3"],
    ["lr=0.1&sched=cosine:minLearningRate=-1", "training.schedule.minLearningRate must be a number in [0, 0.1], got -1"],
    ["opt=adamw", 'training.optimizer.kind must be one of sgd, momentum, adam, got "adamw"; did you mean "adam"?'],
    ["opt=adam:beta3=0.5", 'unknown key "beta3" in training.optimizer'],
    ["act=tanhh", 'network.activation must be one of sigmoid, tanh, relu, leaky-relu, linear, got "tanhh"; did you mean "tanh"?'],
    ["clip=0", "training.clipping.maxNorm must be a number in (0, 1000000], got 0"],
    ["guard=on:factor=2", "training.guard.factor must be a number in (0, 1), got 2"],
    ["eval=0", "evaluation.every must be an integer in [1, 1000000000], got 0"],
  ])("%s is reported in core's words, naming the field", (query, message) => {
    const doc = decodeDocument(query);
    expect(doc.document).toBeNull();
    // the field and range come from core's one table of limits
    expect(doc.errors.join(" | ")).toContain(message.startsWith("unknown") ? message : message.split(" must ")[0]!);
    const { state, errors } = decodeState(`#${query}`);
    expect(errors.join(" | ")).toContain(message);
    expect(state.config).toEqual(defaultAppState().config);
  });

  it("an unknown key, language or panel in a link is reported, not dropped silently", () => {
    expect(decodeState("#lrr=0.1").errors).toEqual(['lrr: unknown setting in the link; did you mean "lr"?']);
    expect(decodeState("#lang=fr").errors).toEqual(['lang: unknown language "fr" (known: en, es)']);
    expect(decodeState("#panel=zzz").errors).toEqual(['panel: unknown panel "zzz" (known: diagnostics, labs, explainer, data)']);
    expect(decodeState("#bias=maybe").errors).toEqual(['bias: "maybe" is not 0 or 1']);
  });
});

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

  it.each(PRESETS.map((p) => [p.id, p.document] as const))("preset %s survives the round trip", (_id, document) => {
    const base = defaultAppState();
    const s: AppState = { ...base, config: stateOfDocument(documentOf({ ...base, config: stateOfDocument(document).config })).config };
    const back = roundTrip(s);
    expect(back.errors).toEqual([]);
    expect(back.state.config).toEqual(s.config);
  });

  it("keeps every float64 bit of learning rates, penalties and edited weights", () => {
    const s = defaultAppState();
    s.config.training.learningRate = 0.1 + 0.2; // 0.30000000000000004
    s.config.training.regularization = { kind: "l2", lambda: 1 / 3, gradient: "correct" };
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
    expect(decodeState('#history=[{"until":5,"training":{"learningRate":-1},"clip":null}]').errors.join(" ")).toMatch(/history: training\.learningRate/);
  });

  it("round-trips any valid state (property)", () => {
    const activation = fc.constantFrom("sigmoid", "tanh", "relu", "leaky-relu", "linear" as const);
    const finite = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 });
    const arbState = fc.record({
      doc: arbDocument,
      edits: fc.array(fc.record({ step: fc.nat(100000), layer: fc.nat(8), row: fc.integer({ min: -1, max: 15 }), col: fc.nat(15), value: finite }), { maxLength: 5 }),
      history: fc.array(
        fc.record({ until: fc.integer({ min: 1, max: 100000 }), learningRate: fc.double({ min: 1e-6, max: 10, noNaN: true }), clip: fc.option(fc.double({ min: 1e-6, max: 100, noNaN: true })) }),
        { maxLength: 3 },
      ),
      activation,
      showTest: fc.boolean(),
      discretize: fc.boolean(),
      locale: fc.constantFrom("en", "es" as const),
      panel: fc.constantFrom("diagnostics", "labs", "explainer", "data" as const),
      showBoundary: fc.boolean(),
      hide: fc.subarray([...HIDEABLE]),
    });
    fc.assert(
      fc.property(arbState, (a) => {
        const run = stateOfDocument(a.doc);
        const config = run.config;
        // a learning rate in the history must keep a cosine floor below it: take the schedule of the history entry's own
        const hist = [...a.history].sort((x, y) => x.until - y.until).filter((h, i, all) => i === 0 || h.until !== all[i - 1]!.until);
        fc.pre(config.training.schedule.kind !== "cosine");
        const state: AppState = {
          ...run,
          edits: a.edits,
          history: hist.map((h) => ({ until: h.until, training: { ...config.training, learningRate: h.learningRate }, clip: h.clip === null ? null : { maxNorm: h.clip } })),
          view: { showTest: a.showTest, discretize: a.discretize, showBoundary: a.showBoundary, locale: a.locale, panel: a.panel, lab: null, hide: a.hide },
        };
        const back = roundTrip(state);
        expect(back.errors).toEqual([]);
        expect(back.state).toEqual(state);
      }),
      { numRuns: 200, seed: 20261127 },
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

describe("a link's problems in Spanish", () => {
  it.each([
    ["lr=-1", "training.learningRate debe ser un número en (0, 1000]; se recibió -1"],
    ["opt=adamw", 'training.optimizer.kind debe ser uno de sgd, momentum, adam; se recibió "adamw"; ¿quería decir "adam"?'],
    ["opt=adam:beta3=0.5", 'clave desconocida "beta3" en training.optimizer'],
    ["lrr=0.1", 'lrr: ajuste desconocido en el enlace; ¿quería decir "lr"?'],
    ["eval=0", "evaluation.every debe ser un entero en [1, 1000000000]; se recibió 0"],
  ])("%s names the same field in Spanish", (query, spanish) => {
    const { errors } = decodeState(`#${query}&lang=es`);
    expect(errors).toHaveLength(1);
    expect(problemText("es", errors[0]!)).toContain(spanish);
    // and the English page shows core's text as it is
    expect(problemText("en", errors[0]!)).toBe(errors[0]);
  });
});
