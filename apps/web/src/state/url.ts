import { BackpropError, normalizeRunConfig, type RunConfig } from "@backprop-lab/core";
import {
  canonicalHide,
  classCount,
  defaultAppState,
  fitHeadToData,
  HIDEABLE,
  LOCALES,
  PANELS,
  type AppState,
  type Hideable,
  type Locale,
  type Panel,
  type PastSettings,
  type WeightEdit,
} from "./app-state.js";

/*
 * The whole state lives in the URL hash as readable key=value pairs, e.g.
 *   #seed=1&data=circle&noise=0&ratio=0.5&features=x1,x2&hidden=4,2&act=tanh&out=tanh&lr=0.03&batch=10
 * Every setting is written, so a link does not depend on today's defaults.
 * Numbers are written with String(x), the shortest decimal that reads back
 * to the same float64, so decode(encode(s)) gives back s exactly.
 */

const num = (x: number) => (Object.is(x, -0) ? "-0" : String(x));

/** `kind` then `:key=value` for each number or boolean field, e.g. `adam:beta1=0.9:beta2=0.999`. */
function kindParams(o: { kind: string } & Record<string, unknown>): string {
  const parts = [o.kind];
  for (const [k, v] of Object.entries(o)) {
    if (k === "kind" || v === undefined) continue;
    parts.push(`${k}=${typeof v === "number" ? num(v) : String(v)}`);
  }
  return parts.join(":");
}

function parseKindParams(text: string): Record<string, unknown> {
  const [kind, ...rest] = text.split(":");
  const o: Record<string, unknown> = { kind };
  for (const part of rest) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const k = part.slice(0, eq);
    const v = part.slice(eq + 1);
    o[k] = v === "true" ? true : v === "false" ? false : Number(v);
  }
  return o;
}

/** The state as a URL hash, without the leading "#". */
export function encodeState(state: AppState): string {
  const c = state.config;
  const p = new URLSearchParams();
  p.set("seed", num(c.seed));
  const d = c.data;
  if (d.source === "generated") {
    p.set("data", d.name);
    if (d.n !== undefined) p.set("n", num(d.n));
    if (d.noise !== undefined) p.set("noise", num(d.noise));
    if (d.seed !== undefined) p.set("dataSeed", num(d.seed));
  } else {
    p.set("data", "inline");
    p.set("points", JSON.stringify({ x: d.x, y: d.y }));
  }
  if (d.testRatio !== undefined) p.set("ratio", num(d.testRatio));
  if (d.trainRows !== undefined) p.set("trainRows", num(d.trainRows));
  if (d.encoding !== undefined) p.set("encoding", d.encoding);
  p.set("features", c.features.join(","));
  p.set("hidden", c.network.hidden.map(num).join(","));
  p.set("act", Array.isArray(c.network.activation) ? c.network.activation.join(",") : c.network.activation);
  p.set("out", c.network.output);
  p.set("bias", c.network.bias ? "1" : "0");
  p.set("init", c.init.scheme);
  if (c.init.seed !== undefined) p.set("initSeed", num(c.init.seed));
  const t = c.training;
  p.set("loss", t.loss);
  p.set("opt", kindParams(t.optimizer as { kind: string }));
  p.set("lr", num(t.learningRate));
  p.set("sched", kindParams(t.schedule as { kind: string }));
  p.set("reg", t.regularization.kind);
  p.set("lambda", num(t.regularization.lambda));
  if (t.regularization.gradient !== undefined && t.regularization.gradient !== "correct") p.set("regGrad", t.regularization.gradient);
  p.set("batch", t.batchSize === "full" ? "full" : num(t.batchSize));
  if (t.shuffle !== undefined) p.set("shuffle", t.shuffle ? "1" : "0");
  if (state.clip) p.set("clip", num(state.clip.maxNorm));
  p.set("guard", state.guard ? "1" : "0");
  if (state.history.length > 0) {
    p.set("history", JSON.stringify(state.history.map((h) => ({ until: h.until, training: h.training, clip: h.clip ? h.clip.maxNorm : null, guard: h.guard }))));
  }
  if (state.edits.length > 0) p.set("edits", state.edits.map((e) => [e.step, e.layer, e.row, e.col].join("_") + "_" + num(e.value)).join("~"));
  const v = state.view;
  p.set("showTest", v.showTest ? "1" : "0");
  p.set("discretize", v.discretize ? "1" : "0");
  p.set("boundary", v.showBoundary ? "1" : "0");
  p.set("lang", v.locale);
  p.set("panel", v.panel);
  if (v.lab !== null) p.set("lab", v.lab);
  if (v.hide.length > 0) p.set("hide", canonicalHide(v.hide).join(","));
  // commas, colons, tildes and the "=" inside a value (URLSearchParams splits at the first one) stay readable
  return p.toString().replace(/%2C/g, ",").replace(/%3A/g, ":").replace(/%7E/g, "~").replace(/%3D/g, "=");
}

export interface DecodeResult {
  state: AppState;
  /** What could not be read, each naming its key; the state then falls back to defaults there. */
  errors: string[];
}

/** Reads a URL hash (with or without "#"); unknown keys are ignored, missing ones take defaults. */
export function decodeState(hash: string): DecodeResult {
  const p = new URLSearchParams(hash.replace(/^#/, ""));
  const base = defaultAppState();
  const errors: string[] = [];
  const number = (key: string): number | undefined => {
    const s = p.get(key);
    if (s === null || s === "") return undefined;
    const x = Number(s);
    if (!Number.isFinite(x)) {
      errors.push(`${key}: ${JSON.stringify(s)} is not a number`);
      return undefined;
    }
    return x;
  };
  const flag = (key: string, dflt: boolean): boolean => {
    const s = p.get(key);
    return s === null ? dflt : s === "1" || s === "true";
  };

  const raw: Record<string, unknown> = {};
  raw.seed = number("seed") ?? base.config.seed;
  const dataName = p.get("data");
  let data: Record<string, unknown>;
  if (dataName === "inline") {
    data = { source: "inline" };
    try {
      const pts = JSON.parse(p.get("points") ?? "") as { x: unknown; y: unknown };
      data.x = pts.x;
      data.y = pts.y;
    } catch {
      errors.push("points: not valid JSON");
    }
  } else if (dataName === null) {
    // a hand-written link without data keeps the default data set
    data = { ...base.config.data };
  } else {
    data = { source: "generated", name: dataName };
    for (const [key, field] of [["n", "n"], ["noise", "noise"], ["dataSeed", "seed"]] as const) {
      const x = number(key);
      if (x !== undefined) data[field] = x;
    }
    if (!p.has("ratio") && !p.has("trainRows")) data.testRatio = base.config.data.testRatio;
  }
  const ratio = number("ratio");
  if (ratio !== undefined) data.testRatio = ratio;
  const trainRows = number("trainRows");
  if (trainRows !== undefined) data.trainRows = trainRows;
  if (p.has("encoding")) data.encoding = p.get("encoding");
  raw.data = data;
  if (p.has("features")) raw.features = p.get("features")!.split(",").filter((f) => f !== "");
  const network: Record<string, unknown> = { ...base.config.network };
  if (p.has("hidden")) network.hidden = p.get("hidden")!.split(",").filter((s) => s !== "").map(Number);
  if (p.has("act")) {
    const acts = p.get("act")!.split(",");
    network.activation = acts.length === 1 ? acts[0] : acts;
  }
  if (p.has("out")) network.output = p.get("out");
  network.bias = flag("bias", base.config.network.bias);
  raw.network = network;
  const init: Record<string, unknown> = { scheme: p.get("init") ?? base.config.init.scheme };
  const initSeed = number("initSeed");
  if (initSeed !== undefined) init.seed = initSeed;
  raw.init = init;
  const bt = base.config.training;
  const training: Record<string, unknown> = {
    loss: p.get("loss") ?? bt.loss,
    optimizer: p.has("opt") ? parseKindParams(p.get("opt")!) : bt.optimizer,
    learningRate: number("lr") ?? bt.learningRate,
    schedule: p.has("sched") ? parseKindParams(p.get("sched")!) : bt.schedule,
    regularization: {
      kind: p.get("reg") ?? bt.regularization.kind,
      lambda: number("lambda") ?? bt.regularization.lambda,
      ...(p.has("regGrad") ? { gradient: p.get("regGrad") } : {}),
    },
    batchSize: p.get("batch") === "full" ? "full" : (number("batch") ?? bt.batchSize),
  };
  if (p.has("shuffle")) training.shuffle = flag("shuffle", true);
  raw.training = training;

  let config: RunConfig;
  try {
    config = normalizeRunConfig(raw);
    // a link that leaves out the output or the label encoding gets the ones that suit its data
    if (!p.has("out") || !p.has("loss") || (!p.has("encoding") && classCount(config) > 0)) config = fitHeadToData(config);
  } catch (error) {
    if (!(error instanceof BackpropError)) throw error;
    errors.push(error.message);
    config = base.config;
  }

  const clip = number("clip");
  if (clip !== undefined && !(clip > 0)) errors.push(`clip: must be > 0, got ${clip}`);
  const edits: WeightEdit[] = [];
  for (const part of (p.get("edits") ?? "").split("~")) {
    if (part === "") continue;
    const f = part.split("_").map(Number);
    if (f.length !== 5 || !f.every(Number.isFinite) || !f.slice(0, 4).every(Number.isInteger)) {
      errors.push(`edits: cannot read ${JSON.stringify(part)}`);
      continue;
    }
    edits.push({ step: f[0]!, layer: f[1]!, row: f[2]!, col: f[3]!, value: f[4]! });
  }
  const history: PastSettings[] = [];
  if (p.has("history")) {
    try {
      const rows = JSON.parse(p.get("history")!) as unknown;
      if (!Array.isArray(rows)) throw new Error("not a list");
      for (const [i, row] of rows.entries()) {
        const h = row as { until?: unknown; training?: unknown; clip?: unknown; guard?: unknown };
        if (typeof h.until !== "number" || !Number.isInteger(h.until) || h.until < 1) throw new Error(`history[${i}].until must be a step ≥ 1`);
        if (h.clip !== null && !(typeof h.clip === "number" && h.clip > 0)) throw new Error(`history[${i}].clip must be null or > 0`);
        // core validates the training settings, naming the field
        const training = normalizeRunConfig({ ...config, training: h.training }).training;
        history.push({ until: h.until, training, clip: h.clip === null ? null : { maxNorm: h.clip as number }, guard: h.guard === true });
      }
    } catch (error) {
      errors.push(`history: ${error instanceof Error ? error.message : String(error)}`);
      history.length = 0;
    }
  }
  const lang = p.get("lang");
  const panel = p.get("panel");
  const hide: Hideable[] = [];
  for (const name of (p.get("hide") ?? "").split(",")) {
    const h = name.trim();
    if (h === "") continue;
    if (HIDEABLE.includes(h as Hideable)) hide.push(h as Hideable);
    else errors.push(`hide: unknown control ${JSON.stringify(h)} (known: ${HIDEABLE.join(", ")})`);
  }
  const state: AppState = {
    config,
    clip: clip !== undefined && clip > 0 ? { maxNorm: clip } : null,
    guard: flag("guard", base.guard),
    edits,
    history,
    view: {
      showTest: flag("showTest", base.view.showTest),
      discretize: flag("discretize", base.view.discretize),
      showBoundary: flag("boundary", base.view.showBoundary),
      locale: LOCALES.includes(lang as Locale) ? (lang as Locale) : base.view.locale,
      panel: PANELS.includes(panel as Panel) ? (panel as Panel) : base.view.panel,
      lab: p.get("lab"),
      hide: canonicalHide(hide),
    },
  };
  return { state, errors };
}
