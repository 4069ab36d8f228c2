import { HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS, type HiddenActivation, type OutputActivation } from "./activations.js";
import type { TargetEncoding } from "./data.js";
import { DATASET_NAMES, datasetInfo, FEATURE_NAMES, type DatasetName, type FeatureName } from "./datasets/index.js";
import { BackpropError, describe } from "./errors.js";
import { RUN_LIMITS } from "./limits.js";
import { checkLoss, LOSS_NAMES, type LossName } from "./loss.js";
import { INIT_SCHEMES, type InitScheme } from "./mlp.js";
import { OPTIMIZER_NAMES, type OptimizerName } from "./optimizers.js";
import { SCHEDULE_NAMES, type ScheduleName } from "./schedules.js";

/**
 * The run document: one JSON value that describes a training run
 * completely, so the same document gives the same run, bit for bit, in the
 * library, the terminal, the API and the browser. `normalizeRunDocument`
 * validates it (strictly: an unknown key is an error) and fills every
 * default; `createTrainingRun` builds the run from it.
 */
export interface RunDocument {
  /** The one user seed: data, split, initial weights and shuffles draw from independent streams of it (seeds.ts). */
  seed: number;
  data: RunData;
  /** Input features computed from (x1, x2). */
  features: FeatureName[];
  network: RunNetwork;
  init: RunInit;
  training: RunTraining;
  evaluation: RunEvaluationSettings;
}

/** Generated points, or the user's own rows; the split is `testRatio` (seeded shuffle) or `trainRows` (first rows in order). */
export type RunData = GeneratedData | InlineData;

export interface GeneratedData {
  source: "generated";
  name: DatasetName;
  /** Number of points (course-xor has 300 at most). */
  n: number;
  noise: number;
  /** An explicit data seed; absent, the run seed's "data" stream is used. */
  seed?: number;
  testRatio?: number;
  trainRows?: number;
  encoding?: TargetEncoding;
}

export interface InlineData {
  source: "inline";
  x: number[][];
  y: number[][] | number[];
  testRatio?: number;
  trainRows?: number;
  encoding?: TargetEncoding;
}

export interface RunNetwork {
  hidden: number[];
  activation: HiddenActivation | HiddenActivation[];
  output: OutputActivation;
  bias: boolean;
}

export interface RunInit {
  scheme: InitScheme;
  /** An explicit initialization seed (the course's numpy seed 2017); absent, the "init" stream is used. */
  seed?: number;
}

export type RunOptimizer =
  | { kind: "sgd" }
  | { kind: "momentum"; momentum: number; nesterov: boolean }
  | { kind: "adam"; beta1: number; beta2: number; epsilon: number };

export type RunSchedule =
  | { kind: "constant" }
  | { kind: "step"; every: number; factor: number }
  | { kind: "exponential"; decayRate: number; decaySteps: number }
  | { kind: "inverse-time"; decayRate: number; decaySteps: number }
  | { kind: "cosine"; totalSteps: number; minLearningRate: number }
  | { kind: "linear"; totalSteps: number; endLearningRate: number };

export interface RunRegularization {
  kind: "none" | "l1" | "l2";
  lambda: number;
  /** "course-bug": the course's wrong L2 gradient λ·ΣW²/n on every entry, a labelled teaching setting. */
  gradient: "correct" | "course-bug";
}

/** Global-norm clipping: g ← g·maxNorm/(‖g‖ + 1e-6) when that factor is below 1 (PyTorch's clip_grad_norm_). */
export interface RunClipping {
  maxNorm: number;
}

/**
 * Divergence guard: a step whose loss, gradient or updated parameters are
 * not finite (or, with gradJump, whose gradient norm jumps) is undone, the run
 * goes back to its checkpoint (the weights with the best smoothed loss so far,
 * with their step count, epoch and batch position) and the learning rate is
 * multiplied by `factor`, never below `minLearningRate`; at the floor the run
 * stops as diverged.
 */
export interface RunGuard {
  factor: number;
  minLearningRate: number;
  /** Also roll back when ‖g‖ exceeds gradJump × the smoothed norm at the best loss; null: only non-finite steps. */
  gradJump: number | null;
}

export interface RunTraining {
  loss: LossName;
  optimizer: RunOptimizer;
  /** The base learning rate; the schedule scales it. */
  learningRate: number;
  schedule: RunSchedule;
  regularization: RunRegularization;
  batchSize: number | "full";
  /** Reshuffle every epoch; absent: shuffle exactly when batches are smaller than the training set. */
  shuffle?: boolean;
  clipping: RunClipping | null;
  guard: RunGuard | null;
}

export interface RunEvaluationSettings {
  /** Evaluate the whole train and test sets after every `every` updates. */
  every: number;
}

type Input<T> = { [K in keyof T]?: T[K] };

/**
 * What a typed caller may write: any part of a document, every key spelt
 * right (`tsc --strict` rejects a misspelt key in an object literal); the
 * rest is filled from `defaultRunDocument()`.
 */
export interface RunDocumentInput {
  seed?: number;
  data?: (Input<Omit<GeneratedData, "source">> & { source?: "generated" }) | (Input<Omit<InlineData, "source">> & { source: "inline" });
  features?: FeatureName[];
  network?: Input<RunNetwork>;
  init?: Input<RunInit>;
  training?: {
    loss?: LossName;
    optimizer?:
      | OptimizerName
      | { kind: "sgd" }
      | { kind: "momentum"; momentum?: number; nesterov?: boolean }
      | { kind: "adam"; beta1?: number; beta2?: number; epsilon?: number };
    learningRate?: number;
    schedule?:
      | ScheduleName
      | { kind: "constant" }
      | { kind: "step"; every?: number; factor?: number }
      | { kind: "exponential"; decayRate?: number; decaySteps?: number }
      | { kind: "inverse-time"; decayRate?: number; decaySteps?: number }
      | { kind: "cosine"; totalSteps?: number; minLearningRate?: number }
      | { kind: "linear"; totalSteps?: number; endLearningRate?: number };
    regularization?: Input<RunRegularization>;
    batchSize?: number | "full";
    shuffle?: boolean;
    clipping?: RunClipping | null;
    guard?: Input<RunGuard> | null;
  };
  evaluation?: Input<RunEvaluationSettings>;
}

/** How one field of the document is checked: the JSON-Schema words, so a face can derive its own schema from it. */
export type RunField =
  | { type: "integer"; minimum: number; maximum: number; default?: number; description: string }
  | {
      type: "number";
      minimum?: number;
      exclusiveMinimum?: number;
      maximum?: number;
      exclusiveMaximum?: number;
      /** The maximum is another field's value (a cosine floor may not exceed the base rate). */
      maximumField?: string;
      default?: number;
      description: string;
    }
  | { type: "boolean"; default?: boolean; description: string }
  | { type: "string"; enum: readonly string[]; default?: string; description: string }
  | { type: "array"; minItems: number; maxItems: number; description: string }
  | { type: "object"; nullable?: boolean; keys: readonly string[]; variants?: { key: string; keys: Readonly<Record<string, readonly string[]>> }; description: string };

type IntegerField = Extract<RunField, { type: "integer" }>;
const seedField = (description: string): IntegerField => ({ type: "integer", minimum: 0, maximum: RUN_LIMITS.maxSeed, description });
const stepsField = (description: string, dflt: number): IntegerField => ({ type: "integer", minimum: 1, maximum: RUN_LIMITS.maxSteps, default: dflt, description });

/**
 * Every field of a run document with its type and range: the one set of
 * limits. Paths use `[]` for "each item" (`network.hidden[]`).
 */
export const RUN_DOCUMENT_FIELDS = {
  $: {
    type: "object",
    keys: ["seed", "data", "features", "network", "init", "training", "evaluation"],
    description: "A whole run.",
  },
  seed: { ...seedField("The run's one seed."), default: 1 },
  data: {
    type: "object",
    keys: ["source", "name", "n", "noise", "seed", "testRatio", "trainRows", "encoding", "x", "y"],
    variants: {
      key: "source",
      keys: {
        generated: ["source", "name", "n", "noise", "seed", "testRatio", "trainRows", "encoding"],
        inline: ["source", "x", "y", "testRatio", "trainRows", "encoding"],
      },
    },
    description: "Generated points or inline rows, and how they split into train and test.",
  },
  "data.source": { type: "string", enum: ["generated", "inline"], default: "generated", description: "Where the points come from." },
  "data.name": { type: "string", enum: DATASET_NAMES, default: "xor", description: "A built-in data set." },
  "data.n": { type: "integer", minimum: 1, maximum: RUN_LIMITS.maxSamples, description: "Number of points (default: the data set's own)." },
  "data.noise": { type: "number", minimum: 0, maximum: 0.5, default: 0, description: "Noise fraction." },
  "data.seed": seedField("An explicit data seed instead of the run seed's data stream."),
  "data.testRatio": { type: "number", minimum: 0, maximum: 0.9, default: 0, description: "Fraction held out for testing after a seeded shuffle." },
  "data.trainRows": { type: "integer", minimum: 1, maximum: RUN_LIMITS.maxSamples, description: "Train on the first rows in order, test on the rest." },
  "data.encoding": { type: "string", enum: ["one-hot", "binary", "signed"], description: "How class labels become targets." },
  "data.x": { type: "array", minItems: 1, maxItems: RUN_LIMITS.maxSamples, description: "Input rows [[x1, x2], ...]." },
  "data.y": { type: "array", minItems: 1, maxItems: RUN_LIMITS.maxSamples, description: "Target rows or class labels." },
  features: { type: "array", minItems: 1, maxItems: FEATURE_NAMES.length, description: "Input features computed from (x1, x2)." },
  "features[]": { type: "string", enum: FEATURE_NAMES, description: "One input feature." },
  network: { type: "object", keys: ["hidden", "activation", "output", "bias"], description: "The network's shape." },
  "network.hidden": { type: "array", minItems: 0, maxItems: RUN_LIMITS.maxHiddenLayers, description: "Widths of the hidden layers." },
  "network.hidden[]": { type: "integer", minimum: 1, maximum: RUN_LIMITS.maxWidth, description: "Units in one hidden layer." },
  "network.activation": { type: "string", enum: HIDDEN_ACTIVATIONS, default: "tanh", description: "Hidden activation (or one per hidden layer)." },
  "network.activation[]": { type: "string", enum: HIDDEN_ACTIVATIONS, description: "Activation of one hidden layer." },
  "network.output": { type: "string", enum: OUTPUT_ACTIVATIONS, default: "sigmoid", description: "Output activation." },
  "network.bias": { type: "boolean", default: true, description: "Whether layers have biases." },
  init: { type: "object", keys: ["scheme", "seed"], description: "How initial weights are drawn." },
  "init.scheme": { type: "string", enum: INIT_SCHEMES, default: "xavier", description: "Initialization scheme." },
  "init.seed": seedField("An explicit initialization seed instead of the run seed's init stream."),
  training: {
    type: "object",
    keys: ["loss", "optimizer", "learningRate", "schedule", "regularization", "batchSize", "shuffle", "clipping", "guard"],
    description: "The update rule.",
  },
  "training.loss": { type: "string", enum: LOSS_NAMES, default: "mse", description: "Data loss." },
  "training.optimizer": {
    type: "object",
    keys: ["kind", "momentum", "nesterov", "beta1", "beta2", "epsilon"],
    variants: { key: "kind", keys: { sgd: ["kind"], momentum: ["kind", "momentum", "nesterov"], adam: ["kind", "beta1", "beta2", "epsilon"] } },
    description: "Optimizer.",
  },
  "training.optimizer.kind": { type: "string", enum: OPTIMIZER_NAMES, default: "sgd", description: "sgd, momentum or adam." },
  "training.optimizer.momentum": { type: "number", minimum: 0, exclusiveMaximum: 1, default: 0.9, description: "Momentum μ." },
  "training.optimizer.nesterov": { type: "boolean", default: false, description: "Nesterov's look-ahead." },
  "training.optimizer.beta1": { type: "number", minimum: 0, exclusiveMaximum: 1, default: 0.9, description: "Adam's β1." },
  "training.optimizer.beta2": { type: "number", minimum: 0, exclusiveMaximum: 1, default: 0.999, description: "Adam's β2." },
  "training.optimizer.epsilon": { type: "number", exclusiveMinimum: 0, maximum: 1, default: 1e-8, description: "Adam's ε (0 would divide 0 by 0 on a zero gradient)." },
  "training.learningRate": { type: "number", exclusiveMinimum: 0, maximum: 1000, default: 0.03, description: "Base learning rate." },
  "training.schedule": {
    type: "object",
    keys: ["kind", "every", "factor", "decayRate", "decaySteps", "totalSteps", "minLearningRate", "endLearningRate"],
    variants: {
      key: "kind",
      keys: {
        constant: ["kind"],
        step: ["kind", "every", "factor"],
        exponential: ["kind", "decayRate", "decaySteps"],
        "inverse-time": ["kind", "decayRate", "decaySteps"],
        cosine: ["kind", "totalSteps", "minLearningRate"],
        linear: ["kind", "totalSteps", "endLearningRate"],
      },
    },
    description: "Learning-rate schedule.",
  },
  "training.schedule.kind": { type: "string", enum: SCHEDULE_NAMES, default: "constant", description: "Schedule kind." },
  "training.schedule.every": stepsField("step: updates between two drops.", 1000),
  "training.schedule.factor": { type: "number", exclusiveMinimum: 0, maximum: 1, default: 0.5, description: "step: the rate is multiplied by this at each drop." },
  "training.schedule.decayRate": { type: "number", exclusiveMinimum: 0, maximum: 1, default: 0.96, description: "exponential: factor per decaySteps; inverse-time: η/(1 + decayRate·t/decaySteps)." },
  "training.schedule.decaySteps": stepsField("exponential and inverse-time: the decay's time scale in updates.", 1000),
  "training.schedule.totalSteps": stepsField("cosine and linear: updates until the final rate.", 10000),
  "training.schedule.minLearningRate": { type: "number", minimum: 0, maximumField: "training.learningRate", default: 0, description: "cosine: the final rate, from 0 up to the base rate." },
  "training.schedule.endLearningRate": { type: "number", exclusiveMinimum: 0, maximum: 1000, default: 1e-4, description: "linear: the final rate." },
  "training.regularization": { type: "object", keys: ["kind", "lambda", "gradient"], description: "Weight penalty, divided by the number of training examples." },
  "training.regularization.kind": { type: "string", enum: ["none", "l1", "l2"], default: "none", description: "none, l1 or l2." },
  "training.regularization.lambda": { type: "number", minimum: 0, maximum: 1000, default: 0, description: "Penalty strength λ." },
  "training.regularization.gradient": { type: "string", enum: ["correct", "course-bug"], default: "correct", description: "course-bug: the course's wrong L2 gradient (l2 only)." },
  "training.batchSize": { type: "integer", minimum: 1, maximum: RUN_LIMITS.maxSamples, default: 10, description: 'Rows per update, or "full".' },
  "training.shuffle": { type: "boolean", description: "Reshuffle every epoch (default: when batches are smaller than the training set)." },
  "training.clipping": { type: "object", nullable: true, keys: ["maxNorm"], description: "Global-norm gradient clipping, or null." },
  "training.clipping.maxNorm": { type: "number", exclusiveMinimum: 0, maximum: 1e6, description: "Largest gradient norm." },
  "training.guard": { type: "object", nullable: true, keys: ["factor", "minLearningRate", "gradJump"], description: "Divergence guard, or null." },
  "training.guard.factor": { type: "number", exclusiveMinimum: 0, exclusiveMaximum: 1, default: 0.3, description: "The rate is multiplied by this on each rollback." },
  "training.guard.minLearningRate": { type: "number", exclusiveMinimum: 0, maximum: 1000, default: 1e-6, description: "The rate never drops below this; diverging there stops the run." },
  "training.guard.gradJump": { type: "number", exclusiveMinimum: 1, maximum: 1e12, description: "Roll back when ‖g‖ exceeds this × its smoothed value at the best loss (null: off)." },
  evaluation: { type: "object", keys: ["every"], description: "Evaluation cadence." },
  "evaluation.every": stepsField("Evaluate train and test after every this many updates.", 10),
} as const satisfies Record<string, RunField>;

export type RunFieldPath = keyof typeof RUN_DOCUMENT_FIELDS;

/** A complete document with every default: the Playground-like XOR run. */
export function defaultRunDocument(): RunDocument {
  return {
    seed: 1,
    data: { source: "generated", name: "xor", n: datasetInfo("xor").defaultN, noise: 0, testRatio: 0.5 },
    features: ["x1", "x2"],
    network: { hidden: [4, 2], activation: "tanh", output: "sigmoid", bias: true },
    init: { scheme: "xavier" },
    training: {
      loss: "mse",
      optimizer: { kind: "sgd" },
      learningRate: 0.03,
      schedule: { kind: "constant" },
      regularization: { kind: "none", lambda: 0, gradient: "correct" },
      batchSize: 10,
      clipping: null,
      guard: null,
    },
    evaluation: { every: 10 },
  };
}

/** Edit distance (Levenshtein with adjacent transpositions counted as one edit), case-insensitive. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const d: number[][] = Array.from({ length: s.length + 1 }, (_, i) => Array.from({ length: t.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= s.length; i++) {
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[s.length]![t.length]!;
}

/** The known name nearest to `name`, when it is near enough to be a slip (at most a third of its letters, and 1 at least). */
export function nearestName(name: string, known: readonly string[]): string | null {
  let best: string | null = null;
  let bestD = Infinity;
  for (const k of known) {
    const d = editDistance(name, k);
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return best !== null && bestD <= Math.max(1, Math.floor(name.length / 3)) ? best : null;
}

function fail(path: string, message: string): never {
  throw new BackpropError("invalid-config", message, { field: path });
}

/** The table entry of a concrete path: `network.hidden[2]` → `network.hidden[]`. */
function fieldOf(path: string): RunField {
  const key = path.replace(/\[\d+\]/g, "[]");
  const f = (RUN_DOCUMENT_FIELDS as Record<string, RunField>)[key];
  if (!f) throw new Error(`no field ${key} in RUN_DOCUMENT_FIELDS`);
  return f;
}

/** "[0, 0.5]", "(0, 1]", "> 0", as a range reads. */
export function rangeText(f: RunField, maximum?: number): string {
  if (f.type === "integer") return `[${f.minimum}, ${f.maximum}]`;
  if (f.type !== "number") return "";
  const lo = f.exclusiveMinimum !== undefined ? `(${f.exclusiveMinimum}` : f.minimum !== undefined ? `[${f.minimum}` : "(-∞";
  const max = maximum ?? f.maximum;
  const hi = f.exclusiveMaximum !== undefined ? `${f.exclusiveMaximum})` : max !== undefined ? `${max}]` : "∞)";
  return `${lo}, ${hi}`;
}

function suggestion(value: string, known: readonly string[]): string {
  const near = nearestName(value, known);
  return near === null ? "" : `; did you mean "${near}"?`;
}

function objectAt(value: unknown, path: string, keys: readonly string[]): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) fail(path, `${path} must be an object, got ${describe(value)}`);
  const o = value as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!keys.includes(k)) {
      const where = path === "$" ? "the run document" : path;
      fail(path === "$" ? k : `${path}.${k}`, `unknown key "${k}" in ${where}${suggestion(k, keys)} (known keys: ${keys.join(", ")})`);
    }
  }
  return o;
}

function child(path: string, key: string): string {
  return path === "$" ? key : `${path}.${key}`;
}

function numberAt(value: unknown, path: string, maximum?: number): number {
  const f = fieldOf(path);
  const range = rangeText(f, maximum);
  if (f.type === "integer") {
    if (typeof value !== "number" || !Number.isInteger(value) || value < f.minimum || value > f.maximum) {
      fail(path, `${path} must be an integer in ${range}, got ${describe(value)}`);
    }
    return value;
  }
  if (f.type !== "number") throw new Error(`${path} is not a number field`);
  const max = maximum ?? f.maximum;
  const ok =
    typeof value === "number" &&
    Number.isFinite(value) &&
    (f.minimum === undefined || value >= f.minimum) &&
    (f.exclusiveMinimum === undefined || value > f.exclusiveMinimum) &&
    (max === undefined || value <= max) &&
    (f.exclusiveMaximum === undefined || value < f.exclusiveMaximum);
  if (!ok) fail(path, `${path} must be a number in ${range}, got ${describe(value)}`);
  return value as number;
}

function stringAt<T extends string>(value: unknown, path: string): T {
  const f = fieldOf(path);
  if (f.type !== "string") throw new Error(`${path} is not a string field`);
  if (typeof value !== "string" || !f.enum.includes(value)) {
    const hint = typeof value === "string" ? suggestion(value, f.enum) : "";
    fail(path, `${path} must be one of ${f.enum.join(", ")}, got ${describe(value)}${hint}`);
  }
  return value as T;
}

function booleanAt(value: unknown, path: string): boolean {
  if (typeof value !== "boolean") fail(path, `${path} must be true or false, got ${describe(value)}`);
  return value;
}

function arrayAt(value: unknown, path: string): unknown[] {
  const f = fieldOf(path);
  if (f.type !== "array") throw new Error(`${path} is not an array field`);
  if (!Array.isArray(value) || value.length < f.minItems || value.length > f.maxItems) {
    fail(path, `${path} must be an array of ${f.minItems} to ${f.maxItems} items, got ${describe(value)}`);
  }
  return value;
}

/** The field's default, or `value` when given. */
function or<T>(value: unknown, path: RunFieldPath): T {
  if (value !== undefined) return value as T;
  const f = RUN_DOCUMENT_FIELDS[path] as RunField;
  return ("default" in f ? f.default : undefined) as T;
}

/** Keys allowed in an object with variants: the chosen variant's keys (or all of them while the variant key is itself wrong). */
function variantKeys(path: RunFieldPath, kind: unknown): readonly string[] {
  const f = RUN_DOCUMENT_FIELDS[path] as RunField;
  if (f.type !== "object") return [];
  if (!f.variants) return f.keys;
  return (typeof kind === "string" && f.variants.keys[kind]) || f.keys;
}

function normalizeData(value: unknown): RunData {
  const raw = value ?? {};
  const pre = typeof raw === "object" && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : null;
  const source = stringAt<"generated" | "inline">(or(pre?.source, "data.source"), "data.source");
  const o = objectAt(raw, "data", variantKeys("data", source));
  if (o.testRatio !== undefined && o.trainRows !== undefined) fail("data.trainRows", "give data.trainRows or data.testRatio, not both");
  const split: { testRatio?: number; trainRows?: number } = {};
  if (o.trainRows !== undefined) split.trainRows = numberAt(o.trainRows, "data.trainRows");
  else split.testRatio = numberAt(or(o.testRatio, "data.testRatio"), "data.testRatio");
  const encoding = o.encoding === undefined ? undefined : stringAt<TargetEncoding>(o.encoding, "data.encoding");
  if (source === "inline") {
    const x = arrayAt(o.x, "data.x");
    const y = arrayAt(o.y, "data.y");
    if (split.trainRows !== undefined && split.trainRows > x.length) fail("data.trainRows", `data.trainRows is ${split.trainRows} but the data has ${x.length} rows`);
    // rows are copied so the document owns them; their contents are checked when the run reads them (parseDatasetJSON)
    const copy = (rows: unknown[]) => rows.map((r) => (Array.isArray(r) ? [...(r as unknown[])] : r)) as never;
    return { source, x: copy(x), y: copy(y), ...split, ...(encoding === undefined ? {} : { encoding }) };
  }
  const name = stringAt<DatasetName>(or(o.name, "data.name"), "data.name");
  const info = datasetInfo(name);
  let n = o.n === undefined ? info.defaultN : numberAt(o.n, "data.n");
  // course-xor has its 300 points and no more
  if (name === "course-xor") n = Math.min(n, info.defaultN);
  const noise = numberAt(or(o.noise, "data.noise"), "data.noise");
  if (split.trainRows !== undefined && split.trainRows > n) fail("data.trainRows", `data.trainRows is ${split.trainRows} but the data has ${n} rows`);
  const data: GeneratedData = { source, name, n, noise };
  if (o.seed !== undefined) data.seed = numberAt(o.seed, "data.seed");
  Object.assign(data, split);
  if (encoding !== undefined) data.encoding = encoding;
  return data;
}

function normalizeOptimizerDoc(value: unknown): RunOptimizer {
  const raw = typeof value === "string" ? { kind: value } : (value ?? {});
  const pre = typeof raw === "object" && raw !== null ? (raw as Record<string, unknown>) : null;
  const kind = stringAt<OptimizerName>(or(pre?.kind, "training.optimizer.kind"), "training.optimizer.kind");
  const o = objectAt(raw, "training.optimizer", variantKeys("training.optimizer", kind));
  const p = "training.optimizer";
  if (kind === "sgd") return { kind };
  if (kind === "momentum") {
    return {
      kind,
      momentum: numberAt(or(o.momentum, `${p}.momentum`), `${p}.momentum`),
      nesterov: booleanAt(or(o.nesterov, `${p}.nesterov`), `${p}.nesterov`),
    };
  }
  return {
    kind,
    beta1: numberAt(or(o.beta1, `${p}.beta1`), `${p}.beta1`),
    beta2: numberAt(or(o.beta2, `${p}.beta2`), `${p}.beta2`),
    epsilon: numberAt(or(o.epsilon, `${p}.epsilon`), `${p}.epsilon`),
  };
}

function normalizeScheduleDoc(value: unknown, learningRate: number): RunSchedule {
  const raw = typeof value === "string" ? { kind: value } : (value ?? {});
  const pre = typeof raw === "object" && raw !== null ? (raw as Record<string, unknown>) : null;
  const kind = stringAt<ScheduleName>(or(pre?.kind, "training.schedule.kind"), "training.schedule.kind");
  const o = objectAt(raw, "training.schedule", variantKeys("training.schedule", kind));
  const p = "training.schedule";
  const num = (key: "every" | "factor" | "decayRate" | "decaySteps" | "totalSteps" | "endLearningRate") =>
    numberAt(or(o[key], `${p}.${key}`), `${p}.${key}`);
  switch (kind) {
    case "constant":
      return { kind };
    case "step":
      return { kind, every: num("every"), factor: num("factor") };
    case "exponential":
    case "inverse-time":
      return { kind, decayRate: num("decayRate"), decaySteps: num("decaySteps") };
    case "cosine":
      return { kind, totalSteps: num("totalSteps"), minLearningRate: numberAt(or(o.minLearningRate, `${p}.minLearningRate`), `${p}.minLearningRate`, learningRate) };
    case "linear":
      return { kind, totalSteps: num("totalSteps"), endLearningRate: num("endLearningRate") };
  }
}

function normalizeTraining(value: unknown, output: OutputActivation): RunTraining {
  const p = "training";
  const o = objectAt(value ?? {}, p, RUN_DOCUMENT_FIELDS.training.keys);
  const loss = stringAt<LossName>(or(o.loss, "training.loss"), "training.loss");
  try {
    checkLoss(loss, output, "training.loss");
  } catch (error) {
    fail("training.loss", (error as Error).message);
  }
  const learningRate = numberAt(or(o.learningRate, "training.learningRate"), "training.learningRate");
  const regIn = objectAt(o.regularization ?? {}, "training.regularization", RUN_DOCUMENT_FIELDS["training.regularization"].keys);
  const regularization: RunRegularization = {
    kind: stringAt(or(regIn.kind, "training.regularization.kind"), "training.regularization.kind"),
    lambda: numberAt(or(regIn.lambda, "training.regularization.lambda"), "training.regularization.lambda"),
    gradient: stringAt(or(regIn.gradient, "training.regularization.gradient"), "training.regularization.gradient"),
  };
  if (regularization.gradient === "course-bug" && regularization.kind !== "l2") {
    fail("training.regularization.gradient", 'training.regularization.gradient "course-bug" only exists for kind "l2"');
  }
  const batchIn = or<unknown>(o.batchSize, "training.batchSize");
  const batchSize = batchIn === "full" ? "full" : numberAt(batchIn, "training.batchSize");
  let clipping: RunClipping | null = null;
  if (o.clipping !== undefined && o.clipping !== null) {
    const c = objectAt(o.clipping, "training.clipping", RUN_DOCUMENT_FIELDS["training.clipping"].keys);
    clipping = { maxNorm: numberAt(c.maxNorm, "training.clipping.maxNorm") };
  }
  let guard: RunGuard | null = null;
  if (o.guard !== undefined && o.guard !== null) {
    const g = objectAt(o.guard, "training.guard", RUN_DOCUMENT_FIELDS["training.guard"].keys);
    guard = {
      factor: numberAt(or(g.factor, "training.guard.factor"), "training.guard.factor"),
      minLearningRate: numberAt(or(g.minLearningRate, "training.guard.minLearningRate"), "training.guard.minLearningRate"),
      gradJump: g.gradJump === undefined || g.gradJump === null ? null : numberAt(g.gradJump, "training.guard.gradJump"),
    };
  }
  const training: RunTraining = {
    loss,
    optimizer: normalizeOptimizerDoc(o.optimizer),
    learningRate,
    schedule: normalizeScheduleDoc(o.schedule, learningRate),
    regularization,
    batchSize,
    clipping,
    guard,
  };
  if (o.shuffle !== undefined) training.shuffle = booleanAt(o.shuffle, "training.shuffle");
  return training;
}

/**
 * Checks a run document and returns a complete copy with every default
 * filled, keys in a fixed order. Strict: an unknown key is an error naming
 * it and the nearest known key; a value out of range names its path and the
 * range. Missing parts come from `defaultRunDocument()`. Throws
 * `BackpropError` with code "invalid-config" and `field` set to the path.
 */
export function normalizeRunDocument(input: RunDocumentInput): RunDocument {
  return parseRunDocument(input);
}

/** `normalizeRunDocument` for a value of unknown shape (parsed JSON, a request body). */
export function parseRunDocument(value: unknown): RunDocument {
  const d = defaultRunDocument();
  const o = objectAt(value, "$", RUN_DOCUMENT_FIELDS.$.keys);
  const seed = numberAt(or(o.seed, "seed"), "seed");
  const data = o.data === undefined ? d.data : normalizeData(o.data);
  const features = arrayAt(o.features ?? d.features, "features").map((f, i) => stringAt<FeatureName>(f, `features[${i}]`));
  if (new Set(features).size !== features.length) fail("features", `features lists a feature twice: ${features.join(", ")}`);
  const netIn = objectAt(o.network ?? {}, "network", RUN_DOCUMENT_FIELDS.network.keys);
  const hidden = arrayAt(netIn.hidden ?? d.network.hidden, "network.hidden").map((w, i) => numberAt(w, `network.hidden[${i}]`));
  const actIn = netIn.activation ?? d.network.activation;
  let activation: HiddenActivation | HiddenActivation[];
  if (Array.isArray(actIn)) {
    activation = actIn.map((a, i) => stringAt<HiddenActivation>(a, `network.activation[${i}]`));
    if (activation.length !== hidden.length) fail("network.activation", `network.activation lists ${activation.length} activations for ${hidden.length} hidden layers`);
  } else {
    activation = stringAt<HiddenActivation>(actIn, "network.activation");
  }
  const output = stringAt<OutputActivation>(or(netIn.output, "network.output"), "network.output");
  const network: RunNetwork = { hidden, activation, output, bias: booleanAt(or(netIn.bias, "network.bias"), "network.bias") };
  const initIn = objectAt(o.init ?? {}, "init", RUN_DOCUMENT_FIELDS.init.keys);
  const init: RunInit = { scheme: stringAt<InitScheme>(or(initIn.scheme, "init.scheme"), "init.scheme") };
  if (initIn.seed !== undefined) init.seed = numberAt(initIn.seed, "init.seed");
  const training = normalizeTraining(o.training, output);
  const evalIn = objectAt(o.evaluation ?? {}, "evaluation", RUN_DOCUMENT_FIELDS.evaluation.keys);
  const evaluation = { every: numberAt(or(evalIn.every, "evaluation.every"), "evaluation.every") };
  return { seed, data, features, network, init, training, evaluation };
}
