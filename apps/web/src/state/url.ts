import { BackpropError, defaultRunDocument, nearestName, parseRunDocument, type RunDocument } from "@backprop-lab/core";
import { documentOf, stateOfDocument, type RunConfig } from "./document.js";
import {
  canonicalHide,
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

/** The URL keys of the run document, in the order a link writes them. */
export const DOCUMENT_KEYS = [
  "seed", "data", "n", "noise", "dataSeed", "points", "ratio", "trainRows", "encoding", "features", "hidden", "act", "out", "bias", "init", "initSeed",
  "loss", "opt", "lr", "sched", "reg", "lambda", "regGrad", "batch", "shuffle", "clip", "guard", "eval",
] as const;
/** The other keys: the app's own (edits, live changes, view options). */
export const APP_KEYS = ["history", "edits", "showTest", "discretize", "boundary", "lang", "panel", "lab", "hide"] as const;
const KNOWN_KEYS: readonly string[] = [...DOCUMENT_KEYS, ...APP_KEYS];

/** Writes every field of a run document into `p` (the mapping document → URL). */
export function writeDocument(p: URLSearchParams, doc: RunDocument): void {
  p.set("seed", num(doc.seed));
  const d = doc.data;
  if (d.source === "generated") {
    p.set("data", d.name);
    p.set("n", num(d.n));
    p.set("noise", num(d.noise));
    if (d.seed !== undefined) p.set("dataSeed", num(d.seed));
  } else {
    p.set("data", "inline");
    p.set("points", JSON.stringify({ x: d.x, y: d.y }));
  }
  if (d.testRatio !== undefined) p.set("ratio", num(d.testRatio));
  if (d.trainRows !== undefined) p.set("trainRows", num(d.trainRows));
  if (d.encoding !== undefined) p.set("encoding", d.encoding);
  p.set("features", doc.features.join(","));
  p.set("hidden", doc.network.hidden.map(num).join(","));
  // one activation for every hidden layer ("tanh"), or one per layer ("tanh,relu"; a list of one or none in brackets: "[tanh]", "[]")
  const act = doc.network.activation;
  p.set("act", Array.isArray(act) ? (act.length < 2 ? `[${act.join(",")}]` : act.join(",")) : act);
  p.set("out", doc.network.output);
  p.set("bias", doc.network.bias ? "1" : "0");
  p.set("init", doc.init.scheme);
  if (doc.init.seed !== undefined) p.set("initSeed", num(doc.init.seed));
  const t = doc.training;
  p.set("loss", t.loss);
  p.set("opt", kindParams(t.optimizer as { kind: string }));
  p.set("lr", num(t.learningRate));
  p.set("sched", kindParams(t.schedule as { kind: string }));
  p.set("reg", t.regularization.kind);
  p.set("lambda", num(t.regularization.lambda));
  if (t.regularization.gradient !== "correct") p.set("regGrad", t.regularization.gradient);
  p.set("batch", t.batchSize === "full" ? "full" : num(t.batchSize));
  if (t.shuffle !== undefined) p.set("shuffle", t.shuffle ? "1" : "0");
  if (t.clipping) p.set("clip", num(t.clipping.maxNorm));
  // guard=0, or on:factor=…:minLearningRate=…[:gradJump=…]
  p.set("guard", t.guard ? kindParams({ kind: "on", factor: t.guard.factor, minLearningRate: t.guard.minLearningRate, ...(t.guard.gradJump === null ? {} : { gradJump: t.guard.gradJump }) }) : "0");
  p.set("eval", num(doc.evaluation.every));
}

/** A link's text: commas, colons, tildes and the "=" inside a value (URLSearchParams splits at the first one) stay readable. */
function readable(p: URLSearchParams): string {
  return p.toString().replace(/%2C/g, ",").replace(/%3A/g, ":").replace(/%7E/g, "~").replace(/%3D/g, "=");
}

/** A run document as a URL hash (without "#"): the document's part of a link. */
export function encodeDocument(doc: RunDocument): string {
  const p = new URLSearchParams();
  writeDocument(p, doc);
  return readable(p);
}

/** Readers of a link's numbers and 0/1 flags; a malformed value is reported in `errors` and read as absent. */
function linkReaders(p: URLSearchParams, errors: string[]) {
  return {
    number(key: string): number | undefined {
      const s = p.get(key);
      if (s === null || s === "") return undefined;
      const x = Number(s);
      if (!Number.isFinite(x)) {
        errors.push(`${key}: ${JSON.stringify(s)} is not a number`);
        return undefined;
      }
      return x;
    },
    flag(key: string, dflt: boolean): boolean {
      const s = p.get(key);
      if (s === null) return dflt;
      if (s === "1" || s === "true") return true;
      if (s === "0" || s === "false") return false;
      errors.push(`${key}: ${JSON.stringify(s)} is not 0 or 1`);
      return dflt;
    },
  };
}

/**
 * Reads the run document out of a link (the mapping URL → document): keys
 * left out take `base`'s values; core's parseRunDocument validates the rest,
 * so an out-of-range or unknown value is an error in core's words naming the
 * field (`errors` gets it and the result is null).
 */
export function readDocument(p: URLSearchParams, base: RunDocument, errors: string[]): RunDocument | null {
  const before = errors.length;
  const { number, flag } = linkReaders(p, errors);
  const raw: Record<string, unknown> = {};
  raw.seed = number("seed") ?? base.seed;
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
    // a hand-written link without data keeps the default data set (with the size, noise and seed it gives)
    data = { ...base.data };
    if (data.source === "generated") {
      for (const [key, field] of [["n", "n"], ["noise", "noise"], ["dataSeed", "seed"]] as const) {
        const x = number(key);
        if (x !== undefined) data[field] = x;
      }
    }
  } else {
    data = { source: "generated", name: dataName };
    for (const [key, field] of [["n", "n"], ["noise", "noise"], ["dataSeed", "seed"]] as const) {
      const x = number(key);
      if (x !== undefined) data[field] = x;
    }
    if (!p.has("ratio") && !p.has("trainRows")) data.testRatio = base.data.testRatio;
  }
  if (p.has("ratio") || p.has("trainRows")) {
    delete data.testRatio;
    delete data.trainRows;
  }
  const ratio = number("ratio");
  if (ratio !== undefined) data.testRatio = ratio;
  const trainRows = number("trainRows");
  if (trainRows !== undefined) data.trainRows = trainRows;
  if (p.has("encoding")) data.encoding = p.get("encoding");
  raw.data = data;
  raw.features = p.has("features") ? p.get("features")!.split(",").filter((f) => f !== "") : base.features;
  const network: Record<string, unknown> = { ...base.network };
  if (p.has("hidden")) network.hidden = p.get("hidden")!.split(",").filter((s) => s !== "").map(Number);
  if (p.has("act")) {
    const text = p.get("act")!;
    const listed = /^\[.*\]$/.test(text);
    const acts = (listed ? text.slice(1, -1) : text).split(",").filter((a) => a !== "" || !listed);
    network.activation = acts.length === 1 && !listed ? acts[0] : acts;
  }
  if (p.has("out")) network.output = p.get("out");
  network.bias = flag("bias", base.network.bias);
  raw.network = network;
  const init: Record<string, unknown> = { scheme: p.get("init") ?? base.init.scheme };
  const initSeed = number("initSeed");
  if (initSeed !== undefined) init.seed = initSeed;
  raw.init = init;
  const bt = base.training;
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
  else if (bt.shuffle !== undefined) training.shuffle = bt.shuffle;
  // clip=<maxNorm>; absent: no clipping (a written link always says what it has)
  if (p.has("clip")) {
    const c = p.get("clip")!;
    training.clipping = { maxNorm: c === "" ? Number.NaN : Number(c) };
  } else {
    training.clipping = null;
  }
  const g = p.get("guard");
  if (g === null || g === "0" || g === "false") training.guard = null;
  else if (g === "1" || g === "true") training.guard = {};
  else {
    const { kind, ...params } = parseKindParams(g);
    if (kind !== "on") errors.push(`guard: ${JSON.stringify(g)} is not 0, 1 or on:factor=…:minLearningRate=…`);
    training.guard = params;
  }
  raw.training = training;
  raw.evaluation = { every: number("eval") ?? base.evaluation.every };
  if (errors.length > before) return null;
  try {
    return parseRunDocument(raw);
  } catch (error) {
    if (!(error instanceof BackpropError)) throw error;
    errors.push(error.message);
    return null;
  }
}

/** A URL hash (without "#") read as a run document alone; keys it leaves out take core's defaults. */
export function decodeDocument(hash: string): { document: RunDocument | null; errors: string[] } {
  const errors: string[] = [];
  const document = readDocument(new URLSearchParams(hash.replace(/^#/, "")), defaultRunDocument(), errors);
  return { document, errors };
}

/** The state as a URL hash, without the leading "#": its run document, then what the app adds. */
export function encodeState(state: AppState): string {
  const p = new URLSearchParams();
  writeDocument(p, documentOf(state));
  if (state.history.length > 0) {
    p.set("history", JSON.stringify(state.history.map((h) => ({ until: h.until, training: h.training, clip: h.clip ? h.clip.maxNorm : null }))));
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
  return readable(p);
}

export interface DecodeResult {
  state: AppState;
  /** What could not be read, each naming its key or field (core's text for the run document); the state then falls back to defaults there. */
  errors: string[];
}

/** Reads a URL hash (with or without "#"); missing keys take defaults; an unknown key or value is reported, never dropped silently. */
export function decodeState(hash: string): DecodeResult {
  const p = new URLSearchParams(hash.replace(/^#/, ""));
  const base = defaultAppState();
  const errors: string[] = [];
  for (const key of new Set(p.keys())) {
    if (!KNOWN_KEYS.includes(key)) {
      const near = nearestName(key, KNOWN_KEYS);
      errors.push(`${key}: unknown setting in the link${near === null ? "" : `; did you mean "${near}"?`}`);
    }
  }
  const { number, flag } = linkReaders(p, errors);

  const baseDoc = documentOf(base);
  let doc = readDocument(p, baseDoc, errors) ?? baseDoc;
  let run = stateOfDocument(doc);
  let config: RunConfig = run.config;
  // a hand-written link that leaves out the output or the loss gets the head (and label encoding) that suit its data
  if (!p.has("out") || !p.has("loss")) {
    try {
      config = fitHeadToData(config);
      doc = documentOf({ ...run, config });
      run = stateOfDocument(doc);
      config = run.config;
    } catch (error) {
      if (!(error instanceof BackpropError)) throw error;
      errors.push(error.message);
      run = stateOfDocument(baseDoc);
      config = run.config;
    }
  }

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
        const h = row as { until?: unknown; training?: unknown; clip?: unknown };
        if (typeof h.until !== "number" || !Number.isInteger(h.until) || h.until < 1) throw new Error(`history[${i}].until must be a step ≥ 1`);
        if (h.clip !== null && h.clip !== undefined && typeof h.clip !== "number") throw new Error(`history[${i}].clip must be null or a number`);
        // core validates the training settings as a run document's, naming the field
        const clipping = typeof h.clip === "number" ? { maxNorm: h.clip } : null;
        const t = parseRunDocument({ ...doc, training: { ...(h.training as object), clipping, guard: doc.training.guard } }).training;
        const { clipping: _c, guard: _g, ...training } = t;
        history.push({ until: h.until, training, clip: clipping });
      }
    } catch (error) {
      errors.push(`history: ${error instanceof Error ? error.message : String(error)}`);
      history.length = 0;
    }
  }
  const lang = p.get("lang");
  const panel = p.get("panel");
  if (lang !== null && !LOCALES.includes(lang as Locale)) errors.push(`lang: unknown language ${JSON.stringify(lang)} (known: ${LOCALES.join(", ")})`);
  if (panel !== null && !PANELS.includes(panel as Panel)) errors.push(`panel: unknown panel ${JSON.stringify(panel)} (known: ${PANELS.join(", ")})`);
  const hide: Hideable[] = [];
  for (const name of (p.get("hide") ?? "").split(",")) {
    const h = name.trim();
    if (h === "") continue;
    if (HIDEABLE.includes(h as Hideable)) hide.push(h as Hideable);
    else errors.push(`hide: unknown control ${JSON.stringify(h)} (known: ${HIDEABLE.join(", ")})`);
  }
  const state: AppState = {
    config,
    clip: run.clip,
    guard: run.guard,
    evaluation: run.evaluation,
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
