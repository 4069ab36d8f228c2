import { createTrainingRun, DATASET_NAMES, FEATURE_NAMES } from "@backprop-lab/core";
import { documentOf, stateOfDocument } from "./document.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  changeKind,
  classCount,
  defaultAppState,
  EDITOR_LIMITS,
  canonicalHide,
  HIDEABLE,
  HIDEABLE_GROUPS,
  visiblePanels,
  withDataset,
  withFeature,
  withLayerCount,
  withLayerWidth,
  type AppState,
} from "./app-state.js";
import { reducer } from "./reducer.js";

describe("app state", () => {
  it("opens on the Playground's screen: circle, 2-4-2-1 tanh, ±1 labels, learning rate 0.03, batch 10", () => {
    const c = defaultAppState().config;
    expect(c.data).toMatchObject({ source: "generated", name: "circle", encoding: "signed", testRatio: 0.5 });
    expect(c.network).toMatchObject({ hidden: [4, 2], activation: "tanh", output: "tanh", bias: true });
    expect(c.training).toMatchObject({ learningRate: 0.03, batchSize: 10, loss: "mse" });
    // the config as core's run document fills it: reading it back through the document changes nothing
    expect(stateOfDocument(documentOf(defaultAppState())).config).toEqual(c);
  });

  it.each(DATASET_NAMES.map((n) => [n]))("switching to %s gives an output and loss that core accepts, and the run builds", (name) => {
    const c = withDataset(defaultAppState().config, name);
    const run = createTrainingRun(documentOf({ ...defaultAppState(), config: c }));
    const classes = classCount(c);
    if (classes === 0) expect(c.network.output).toBe("linear");
    else if (classes > 2) expect([c.network.output, c.training.loss]).toEqual(["softmax", "cross-entropy"]);
    else expect([c.network.output, c.data.encoding]).toEqual(["tanh", "signed"]);
    expect(run.net.layers[run.net.layers.length - 1]!.nOut).toBe(classes > 2 ? classes : 1);
  });

  it("keeps layers and widths within the editor's limits (8 layers of 16)", () => {
    let c = defaultAppState().config;
    for (let i = 0; i < 20; i++) c = withLayerCount(c, 1);
    expect(c.network.hidden).toHaveLength(EDITOR_LIMITS.maxHiddenLayers);
    c = withLayerWidth(c, 0, 99);
    expect(c.network.hidden[0]).toBe(EDITOR_LIMITS.maxWidth);
    c = withLayerWidth(c, 0, 0);
    expect(c.network.hidden[0]).toBe(1);
    for (let i = 0; i < 20; i++) c = withLayerCount(c, -1);
    expect(c.network.hidden).toEqual([]);
  });

  it("never turns off the last input feature, and keeps features in core's order", () => {
    let c = withFeature(defaultAppState().config, "x1", false);
    expect(c.features).toEqual(["x2"]);
    c = withFeature(c, "x2", false);
    expect(c.features).toEqual(["x2"]);
    c = withFeature(withFeature(c, "sinx1", true), "x1sq", true);
    expect(c.features).toEqual(["x2", "x1sq", "sinx1"]);
  });

  it("sorts changes: training settings apply live, the rest rebuilds", () => {
    const a = defaultAppState();
    const lr: AppState = { ...a, config: { ...a.config, training: { ...a.config.training, learningRate: 0.3 } } };
    expect(changeKind(a, lr)).toBe("training");
    expect(changeKind(a, { ...a, clip: { maxNorm: 1 } })).toBe("training");
    expect(changeKind(a, { ...a, config: { ...a.config, seed: 2 } })).toBe("rebuild");
    expect(changeKind(a, { ...a, config: withLayerCount(a.config, 1) })).toBe("rebuild");
    expect(changeKind(a, { ...a, config: { ...a.config, training: { ...a.config.training, batchSize: 30 } } })).toBe("rebuild");
    expect(changeKind(a, { ...a, view: { ...a.view, showTest: true } })).toBe("none");
  });

  it("drops weight edits when the network is rebuilt, keeps them for live changes", () => {
    const edit = { step: 3, layer: 0, row: 0, col: 0, value: 1 };
    const s = reducer(defaultAppState(), { type: "edits", edits: [edit] });
    expect(s.edits).toEqual([edit]);
    const live = reducer(s, { type: "config", config: { ...s.config, training: { ...s.config.training, learningRate: 0.1 } } });
    expect(live.edits).toEqual([edit]);
    const rebuilt = reducer(s, { type: "config", config: { ...s.config, seed: 9 } });
    expect(rebuilt.edits).toEqual([]);
    // a second edit of the same weight at the same step replaces the first
    const again = reducer(s, { type: "edits", edits: [{ ...edit, value: 2 }] });
    expect(again.edits).toEqual([{ ...edit, value: 2 }]);
  });

  it("any sequence of editor actions leaves a config core validates and builds (property)", () => {
    const action = fc.oneof(
      fc.record({ kind: fc.constant("dataset" as const), name: fc.constantFrom(...DATASET_NAMES) }),
      fc.record({ kind: fc.constant("layers" as const), delta: fc.constantFrom(1 as const, -1 as const) }),
      fc.record({ kind: fc.constant("width" as const), layer: fc.nat(9), width: fc.integer({ min: -3, max: 40 }) }),
      fc.record({ kind: fc.constant("feature" as const), feature: fc.constantFrom(...FEATURE_NAMES), on: fc.boolean() }),
    );
    fc.assert(
      fc.property(fc.array(action, { maxLength: 25 }), (actions) => {
        let c = defaultAppState().config;
        for (const a of actions) {
          if (a.kind === "dataset") c = withDataset(c, a.name);
          else if (a.kind === "layers") c = withLayerCount(c, a.delta);
          else if (a.kind === "width") c = withLayerWidth(c, a.layer, a.width);
          else c = withFeature(c, a.feature, a.on);
        }
        const small = { ...c, data: { ...c.data, ...(c.data.source === "generated" ? { n: 40 } : {}) } };
        const run = createTrainingRun(documentOf({ ...defaultAppState(), config: small }));
        expect(run.net.layers.length).toBe(c.network.hidden.length + 1);
        expect(run.step().finite).toBe(true);
      }),
      { numRuns: 150, seed: 7 },
    );
  });

  it("an optimizer parameter edited mid-run is a live training change; the view options change nothing", () => {
    const a = defaultAppState();
    a.config.training.optimizer = { kind: "adam", beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };
    const b: AppState = { ...a, config: { ...a.config, training: { ...a.config.training, optimizer: { kind: "adam", beta1: 0.5, beta2: 0.999, epsilon: 1e-8 } } } };
    expect(changeKind(a, b)).toBe("training");
    const m: AppState = { ...a, config: { ...a.config, training: { ...a.config.training, optimizer: { kind: "momentum", momentum: 0.5, nesterov: true } } } };
    expect(changeKind(a, m)).toBe("training");
    expect(changeKind(a, { ...a, view: { ...a.view, showBoundary: false, hide: ["learningRate"] } })).toBe("none");
  });

  it("hideable controls: one list of unique names, grouped, canonical order, panels follow", () => {
    expect(new Set(HIDEABLE).size).toBe(HIDEABLE.length);
    expect(HIDEABLE).toEqual(Object.values(HIDEABLE_GROUPS).flat());
    expect(canonicalHide(["labs", "learningRate", "labs"])).toEqual(["learningRate", "labs"]);
    const view = defaultAppState().view;
    expect(view.hide).toEqual([]);
    expect(view.showBoundary).toBe(true);
    expect(visiblePanels(view)).toEqual(["diagnostics", "labs", "explainer", "data"]);
    expect(visiblePanels({ ...view, hide: ["diagnostics", "dataModel"] })).toEqual(["labs", "explainer"]);
  });
});
