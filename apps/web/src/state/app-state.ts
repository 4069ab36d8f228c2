import { datasetInfo, type DatasetName, type FeatureName, type HiddenActivation, type RunGuard } from "@backprop-lab/core";
import { DEFAULT_EVALUATION, documentOf, presetConfig, stateOfDocument, type RunConfig } from "./document.js";

export type Locale = "en" | "es";
export const LOCALES: readonly Locale[] = ["en", "es"];

/** The panel below the playground. */
export type Panel = "diagnostics" | "labs" | "explainer" | "data";
export const PANELS: readonly Panel[] = ["diagnostics", "labs", "explainer", "data"];

/**
 * Controls a classroom link can hide, by group: the controls bar, the data
 * column, the network editor, the view options, the panels below and the
 * header's buttons. Hidden controls are not rendered (and their keyboard
 * shortcuts do nothing); play, pause, step and reset always stay.
 */
export const HIDEABLE_GROUPS = {
  training: ["learningRate", "activation", "regularization", "regularizationRate", "optimizer", "schedule", "clipping", "guard"],
  data: ["data", "dataset", "ratio", "noise", "batchSize", "regenerate", "preset", "addPoints"],
  network: ["features", "layers", "weights", "networkOptions"],
  view: ["showTest", "discretize", "showBoundary"],
  panels: ["diagnostics", "labs", "explainer", "dataModel"],
  header: ["newSeed", "copyLink", "language", "classroom"],
} as const;

export type HideableGroup = keyof typeof HIDEABLE_GROUPS;
export type Hideable = (typeof HIDEABLE_GROUPS)[HideableGroup][number];
/** Every hideable control, in the order a link lists them. */
export const HIDEABLE: readonly Hideable[] = Object.values(HIDEABLE_GROUPS).flat();

/** The panel each panel-hiding name hides. */
export const PANEL_CONTROL: Record<Panel, Hideable> = { diagnostics: "diagnostics", labs: "labs", explainer: "explainer", data: "dataModel" };

/** How the page draws; none of it changes the numbers of a run. */
export interface ViewOptions {
  showTest: boolean;
  discretize: boolean;
  /** The decision boundary drawn as a line over the heatmap. */
  showBoundary: boolean;
  locale: Locale;
  panel: Panel;
  /** The failure lab shown in the labs panel, if one was opened. */
  lab: string | null;
  /** Controls a classroom link hides, in HIDEABLE order without repeats. */
  hide: Hideable[];
}

/** `names` in HIDEABLE order, each once. */
export function canonicalHide(names: Iterable<Hideable>): Hideable[] {
  const set = new Set(names);
  return HIDEABLE.filter((h) => set.has(h));
}

/** The panels a state shows: those not hidden, in tab order. */
export function visiblePanels(view: ViewOptions): Panel[] {
  return PANELS.filter((p) => !view.hide.includes(PANEL_CONTROL[p]));
}

/**
 * A weight changed by hand: after `step` updates, layer `layer`'s W[row][col]
 * (or b[col] when row is -1) is set to `value`. Reset replays edits at their
 * steps, so an edited run stays reproducible from its URL.
 */
export interface WeightEdit {
  step: number;
  layer: number;
  row: number;
  col: number;
  value: number;
}

/** Gradient clipping by global norm: the run document's training.clipping. */
export interface ClipSetting {
  maxNorm: number;
}

/**
 * Training settings that were in effect before a live change: they drove
 * every update before step `until`. Changing the learning rate, penalty,
 * optimizer, schedule or clipping mid-run keeps the network and logs the old
 * settings here, so Reset and a shared link replay the run exactly. (The
 * divergence guard is part of the run from its start: switching it starts
 * the run over.)
 */
export interface PastSettings {
  until: number;
  training: RunConfig["training"];
  clip: ClipSetting | null;
}

/**
 * Everything a link carries: core's run document (`config`, `clip`, `guard`
 * and `evaluation` together, see state/document.ts) plus what this app adds
 * to it (weight edits, live changes, view options).
 */
export interface AppState {
  config: RunConfig;
  /** The document's training.clipping. */
  clip: ClipSetting | null;
  /** The document's training.guard: on a non-finite step the run rolls back and lowers the learning rate. */
  guard: RunGuard | null;
  /** The document's evaluation cadence (the run's reports score train and test every this many steps). */
  evaluation: { every: number };
  edits: WeightEdit[];
  /** Earlier training settings of this run, oldest first; `config.training`, `clip` and `guard` hold the current ones. */
  history: PastSettings[];
  view: ViewOptions;
}

/** The layer limits of the network editor (the Playground allows 6 × 8). */
export const EDITOR_LIMITS = { maxHiddenLayers: 8, maxWidth: 16 } as const;

/** The Playground's learning-rate ladder. */
export const LEARNING_RATES = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10] as const;
/** The Playground's regularization rates. */
export const REGULARIZATION_RATES = [0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10] as const;

export function defaultViewOptions(): ViewOptions {
  return { showTest: false, discretize: false, showBoundary: true, locale: "en", panel: "diagnostics", lab: null, hide: [] };
}

/** The Playground's opening screen: circle data, 2-4-2-1 tanh, labels ±1. */
export function defaultAppState(): AppState {
  const run = { config: presetConfig("playground-circle"), clip: null, guard: null, evaluation: { ...DEFAULT_EVALUATION } };
  // the config as core's run document fills it (every default written out)
  return { ...run, config: stateOfDocument(documentOf(run)).config, edits: [], history: [], view: defaultViewOptions() };
}

export function cloneConfig(config: RunConfig): RunConfig {
  return JSON.parse(JSON.stringify(config)) as RunConfig;
}

export function isRegression(config: RunConfig): boolean {
  if (config.data.source === "generated") return datasetInfo(config.data.name).kind === "regression";
  const y = config.data.y;
  return config.data.encoding === undefined && Array.isArray(y) && y.length > 0 && !isClassLabels(y);
}

function isClassLabels(y: number[][] | number[]): boolean {
  if (!Array.isArray(y[0])) return (y as number[]).every((v) => Number.isInteger(v));
  return (y as number[][]).every((row) => row.length >= 2 && row.every((v) => v === 0 || v === 1));
}

/** Number of classes the configured data has (0 for regression). */
export function classCount(config: RunConfig): number {
  if (config.data.source === "generated") return datasetInfo(config.data.name).classes;
  if (isRegression(config)) return 0;
  const y = config.data.y;
  if (Array.isArray(y[0])) return (y[0] as number[]).length;
  return Math.max(2, ...(y as number[]).map((v) => v + 1));
}

/**
 * The output, loss and label encoding that suit a data set: two classes get
 * one tanh output on ±1 labels (the Playground's choice), three or more a
 * softmax with cross-entropy, regression a linear output.
 */
export function fitHeadToData(config: RunConfig): RunConfig {
  const c = cloneConfig(config);
  const classes = classCount(c);
  if (classes === 0) {
    c.network.output = "linear";
    c.training.loss = "mse";
    delete c.data.encoding;
  } else if (classes > 2) {
    c.network.output = "softmax";
    c.training.loss = "cross-entropy";
    c.data.encoding = "one-hot";
  } else if (c.network.output === "linear" || c.network.output === "softmax") {
    c.network.output = "tanh";
    c.training.loss = "mse";
    c.data.encoding = "signed";
  }
  if (c.network.output === "tanh" && classes === 2) c.data.encoding = "signed";
  if (c.network.output === "sigmoid" && classes === 2 && c.data.encoding === "signed") c.data.encoding = "binary";
  return c;
}

/** Switches to a built-in data set, keeping noise, split and seed. */
export function withDataset(config: RunConfig, name: DatasetName): RunConfig {
  const c = cloneConfig(config);
  const old = c.data;
  c.data = { source: "generated", name, n: datasetInfo(name).defaultN, noise: old.source === "generated" ? (old.noise ?? 0) : 0, testRatio: old.testRatio ?? 0.5 };
  if (old.source === "generated" && old.seed !== undefined) c.data.seed = old.seed;
  return fitHeadToData(c);
}

/** Sets the width of hidden layer `layer`, within the editor's limits. */
export function withLayerWidth(config: RunConfig, layer: number, width: number): RunConfig {
  const c = cloneConfig(config);
  if (layer < 0 || layer >= c.network.hidden.length) return c;
  c.network.hidden[layer] = Math.max(1, Math.min(EDITOR_LIMITS.maxWidth, Math.round(width)));
  return c;
}

/** Adds (+1) or removes (−1) the last hidden layer; a new layer copies the last width (2 if none). */
export function withLayerCount(config: RunConfig, delta: 1 | -1): RunConfig {
  const c = cloneConfig(config);
  const h = c.network.hidden;
  const acts = Array.isArray(c.network.activation) ? c.network.activation : null;
  if (delta > 0 && h.length < EDITOR_LIMITS.maxHiddenLayers) {
    h.push(h[h.length - 1] ?? 2);
    if (acts) acts.push(acts[acts.length - 1] ?? "tanh");
  } else if (delta < 0 && h.length > 0) {
    h.pop();
    if (acts) acts.pop();
  }
  if (acts && acts.length === 0) c.network.activation = "tanh";
  return c;
}

export function withActivation(config: RunConfig, activation: HiddenActivation): RunConfig {
  const c = cloneConfig(config);
  c.network.activation = activation;
  return c;
}

/** Turns an input feature on or off; the last one stays on. */
export function withFeature(config: RunConfig, feature: FeatureName, on: boolean): RunConfig {
  const c = cloneConfig(config);
  const set = new Set(c.features);
  if (on) set.add(feature);
  else if (set.size > 1) set.delete(feature);
  // keep core's canonical order so the same set always gives the same network
  const order: FeatureName[] = ["x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1", "sinx2"];
  c.features = order.filter((f) => set.has(f));
  return c;
}

/**
 * Which settings a change touches: `training` ones apply to the running
 * trainer; anything else (data, features, network, init, seed, batch size)
 * starts a new run. Weight edits travel on their own message.
 */
export function changeKind(before: AppState, after: AppState): "none" | "training" | "rebuild" {
  const a = before.config;
  const b = after.config;
  const same = (x: unknown, y: unknown) => JSON.stringify(x) === JSON.stringify(y);
  if (!same(a.data, b.data) || !same(a.features, b.features) || !same(a.network, b.network) || !same(a.init, b.init) || a.seed !== b.seed) {
    return "rebuild";
  }
  if (a.training.batchSize !== b.training.batchSize || a.training.shuffle !== b.training.shuffle || !same(a.training.loss, b.training.loss)) {
    return "rebuild";
  }
  // the guard and the evaluation cadence are fixed for a run's life
  if (!same(before.guard, after.guard) || !same(before.evaluation, after.evaluation)) return "rebuild";
  if (!same(a.training, b.training) || !same(before.clip, after.clip)) return "training";
  return "none";
}

/** Validates an app state's run (as core's run document); throws core's error naming the field. */
export function normalizeAppState(state: AppState): AppState {
  return { ...state, config: stateOfDocument(documentOf(state)).config };
}

/** A fresh 32-bit seed for "new seed" and "regenerate" (apps may draw entropy; packages never do). */
export function freshSeed(): number {
  const a = new Uint32Array(1);
  globalThis.crypto.getRandomValues(a);
  return a[0]!;
}
