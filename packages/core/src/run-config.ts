import { HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS, type HiddenActivation, type OutputActivation } from "./activations.js";
import { createBatcher, type Batcher } from "./batcher.js";
import { selectRows, type Dataset, type TargetEncoding } from "./data.js";
import {
  applyFeatures,
  DATASET_NAMES,
  FEATURE_NAMES,
  makeDataset,
  parseDatasetJSON,
  splitDataset,
  type DatasetName,
  type FeatureName,
} from "./datasets/index.js";
import { BackpropError, assertFinite, assertInt, describe } from "./errors.js";
import { evaluate, type EvaluateOptions, type Evaluation } from "./evaluate.js";
import { checkLoss, LOSS_NAMES, type LossName } from "./loss.js";
import { createMlp, INIT_SCHEMES, type InitScheme, type Mlp } from "./mlp.js";
import { normalizeOptimizer, type OptimizerConfig } from "./optimizers.js";
import { normalizeRegularization, type Regularization } from "./regularization.js";
import { normalizeSchedule, type Schedule } from "./schedules.js";
import { createTrainer, type GradientHook, type StepReport, type Trainer } from "./trainer.js";
import { createWorkspace, type Workspace } from "./workspace.js";
import { RUN_LIMITS } from "./limits.js";
import type { RunDocumentInput } from "./run-document.js";

export { RUN_LIMITS };

/**
 * One run, as plain JSON: the terminal's flags, the API's bodies and the
 * web's URL all map onto this, so the same object gives a bit-identical run
 * on every face.
 */
export interface RunConfig {
  /** Seeds everything not seeded explicitly: data, split, initial weights, shuffles. */
  seed: number;
  data: DataConfig;
  /** Input features computed from (x1, x2); default ["x1", "x2"]. */
  features: FeatureName[];
  network: NetworkConfig;
  init: { scheme: InitScheme; seed?: number };
  training: TrainingConfig;
}

export type DataConfig =
  | {
      source: "generated";
      name: DatasetName;
      n?: number;
      noise?: number;
      seed?: number;
      /** Fraction held out for testing (0 to 0.9), after a seeded shuffle. */
      testRatio?: number;
      /** Train on the first k rows in order and test on the rest (the course trains on its first 50). */
      trainRows?: number;
      encoding?: TargetEncoding;
    }
  | {
      source: "inline";
      /** Data set JSON: { x: [[x1, x2], ...], y: [[...], ...] or [label, ...] }. */
      x: number[][];
      y: number[][] | number[];
      testRatio?: number;
      trainRows?: number;
      encoding?: TargetEncoding;
    };

export interface NetworkConfig {
  /** Widths of the hidden layers, e.g. [3]; [] for none. */
  hidden: number[];
  activation: HiddenActivation | HiddenActivation[];
  output: OutputActivation;
  bias: boolean;
}

export interface TrainingConfig {
  loss: LossName;
  optimizer: OptimizerConfig;
  learningRate: number;
  schedule: Schedule;
  regularization: Regularization;
  batchSize: number | "full";
  shuffle?: boolean;
}


/** A run config with every default filled in, e.g. for a URL or a flag set that only names a few settings. */
export function defaultRunConfig(): RunConfig {
  return {
    seed: 1,
    data: { source: "generated", name: "xor", noise: 0, testRatio: 0.5 },
    features: ["x1", "x2"],
    network: { hidden: [4, 2], activation: "tanh", output: "sigmoid", bias: true },
    init: { scheme: "xavier" },
    training: {
      loss: "mse",
      optimizer: { kind: "sgd" },
      learningRate: 0.03,
      schedule: { kind: "constant" },
      regularization: { kind: "none", lambda: 0 },
      batchSize: 10,
    },
  };
}

function obj(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new BackpropError("invalid-config", `${field} must be an object, got ${describe(value)}`, { field });
  }
  return value as Record<string, unknown>;
}

function oneOf<T extends string>(value: unknown, names: readonly T[], field: string): T {
  if (!names.includes(value as T)) {
    throw new BackpropError("invalid-config", `${field} must be one of ${names.join(", ")}, got ${describe(value)}`, { field });
  }
  return value as T;
}

function asConfigError<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof BackpropError && error.code === "invalid-argument") {
      throw new BackpropError("invalid-config", error.message, { field: error.field, cause: error });
    }
    throw error;
  }
}

function ratio(value: unknown, field: string): number | undefined {
  if (value === undefined) return undefined;
  assertFinite(value, field);
  if (value < 0 || value > 0.9) throw new BackpropError("invalid-config", `${field} must be in [0, 0.9], got ${value}`, { field });
  return value;
}

/** Validates a run config (partial ones are completed from defaults); every error names its field. */
export function normalizeRunConfig(input: unknown): RunConfig {
  const c = obj(input, "config");
  const d = defaultRunConfig();
  return asConfigError(() => {
    const seed = c.seed ?? d.seed;
    assertInt(seed, "seed", 0, 0xffffffff);

    const dataIn = obj(c.data ?? d.data, "data");
    let data: DataConfig;
    const encoding = dataIn.encoding === undefined ? undefined : oneOf(dataIn.encoding, ["one-hot", "binary", "signed"] as const, "data.encoding");
    const testRatio = ratio(dataIn.testRatio, "data.testRatio");
    const trainRows = dataIn.trainRows;
    if (trainRows !== undefined) assertInt(trainRows, "data.trainRows", 1, RUN_LIMITS.maxSamples);
    if ((dataIn.source ?? "generated") === "inline" || dataIn.x !== undefined) {
      if (!Array.isArray(dataIn.x) || !Array.isArray(dataIn.y)) {
        throw new BackpropError("invalid-config", "data.x and data.y must be arrays for inline data", { field: "data.x" });
      }
      data = { source: "inline", x: dataIn.x as number[][], y: dataIn.y as number[][] };
    } else {
      const name = oneOf(dataIn.name, DATASET_NAMES, "data.name");
      data = { source: "generated", name };
      if (dataIn.n !== undefined) {
        assertInt(dataIn.n, "data.n", 1, RUN_LIMITS.maxSamples);
        data.n = dataIn.n;
      }
      if (dataIn.noise !== undefined) {
        assertFinite(dataIn.noise, "data.noise");
        if (dataIn.noise < 0 || dataIn.noise > 0.5) throw new BackpropError("invalid-config", `data.noise must be in [0, 0.5], got ${dataIn.noise}`, { field: "data.noise" });
        data.noise = dataIn.noise;
      }
      if (dataIn.seed !== undefined) {
        assertInt(dataIn.seed, "data.seed", 0, 0xffffffff);
        data.seed = dataIn.seed;
      }
    }
    if (testRatio !== undefined) data.testRatio = testRatio;
    if (trainRows !== undefined) data.trainRows = trainRows as number;
    if (encoding !== undefined) data.encoding = encoding;

    const featuresIn = c.features ?? d.features;
    if (!Array.isArray(featuresIn) || featuresIn.length === 0) {
      throw new BackpropError("invalid-config", `features must be a non-empty array of ${FEATURE_NAMES.join(", ")}`, { field: "features" });
    }
    const features = featuresIn.map((f, i) => oneOf(f, FEATURE_NAMES, `features[${i}]`));

    const netIn = obj(c.network ?? d.network, "network");
    const hidden = netIn.hidden ?? d.network.hidden;
    if (!Array.isArray(hidden) || hidden.length > RUN_LIMITS.maxHiddenLayers) {
      throw new BackpropError("invalid-config", `network.hidden must be an array of at most ${RUN_LIMITS.maxHiddenLayers} layer widths`, { field: "network.hidden" });
    }
    hidden.forEach((w, i) => assertInt(w, `network.hidden[${i}]`, 1, RUN_LIMITS.maxWidth));
    const actIn = netIn.activation ?? d.network.activation;
    const activation = Array.isArray(actIn)
      ? actIn.map((a, i) => oneOf(a, HIDDEN_ACTIVATIONS, `network.activation[${i}]`))
      : oneOf(actIn, HIDDEN_ACTIVATIONS, "network.activation");
    if (Array.isArray(activation) && activation.length !== hidden.length) {
      throw new BackpropError("invalid-config", `network.activation lists ${activation.length} activations for ${hidden.length} hidden layers`, { field: "network.activation" });
    }
    const output = oneOf(netIn.output ?? d.network.output, OUTPUT_ACTIVATIONS, "network.output");
    const bias = netIn.bias ?? d.network.bias;
    if (typeof bias !== "boolean") throw new BackpropError("invalid-config", "network.bias must be true or false", { field: "network.bias" });

    const initIn = obj(c.init ?? d.init, "init");
    const init: RunConfig["init"] = { scheme: oneOf(initIn.scheme ?? "xavier", INIT_SCHEMES, "init.scheme") };
    if (initIn.seed !== undefined) {
      assertInt(initIn.seed, "init.seed", 0, 0xffffffff);
      init.seed = initIn.seed;
    }

    const t = obj(c.training ?? d.training, "training");
    const loss = oneOf(t.loss ?? d.training.loss, LOSS_NAMES, "training.loss");
    const learningRate = t.learningRate ?? d.training.learningRate;
    assertFinite(learningRate, "training.learningRate");
    if (learningRate <= 0) throw new BackpropError("invalid-config", `training.learningRate must be > 0, got ${learningRate}`, { field: "training.learningRate" });
    const optimizer = normalizeOptimizer(t.optimizer ?? d.training.optimizer, "training.optimizer");
    const batchSize = t.batchSize ?? d.training.batchSize;
    if (batchSize !== "full") assertInt(batchSize, "training.batchSize", 1, RUN_LIMITS.maxSamples);
    const training: TrainingConfig = {
      loss,
      optimizer: compactOptimizer(optimizer),
      learningRate,
      schedule: normalizeSchedule(t.schedule ?? d.training.schedule, "training.schedule"),
      regularization: normalizeRegularization(t.regularization ?? d.training.regularization, "training.regularization"),
      batchSize: batchSize as number | "full",
    };
    if (t.shuffle !== undefined) {
      if (typeof t.shuffle !== "boolean") throw new BackpropError("invalid-config", "training.shuffle must be true or false", { field: "training.shuffle" });
      training.shuffle = t.shuffle;
    }
    return { seed, data, features, network: { hidden: [...(hidden as number[])], activation, output, bias }, init, training };
  });
}

function compactOptimizer(o: ReturnType<typeof normalizeOptimizer>): OptimizerConfig {
  if (o.kind === "sgd") return { kind: "sgd" };
  if (o.kind === "momentum") return { kind: "momentum", momentum: o.momentum, nesterov: o.nesterov };
  return { kind: "adam", beta1: o.beta1, beta2: o.beta2, epsilon: o.epsilon };
}

/** The seeds a run derives from its one seed, in a fixed way every face shares. */
export function runSeeds(config: RunConfig): { data: number; split: number; init: number; shuffle: number } {
  const s = config.seed;
  return {
    data: config.data.source === "generated" ? (config.data.seed ?? s) : s,
    split: (s + 1) >>> 0,
    init: config.init.seed ?? s,
    shuffle: (s + 2) >>> 0,
  };
}

export interface Run {
  config: RunConfig;
  /** The 2-D points before input features, for plots. */
  points: { train: Dataset; test: Dataset };
  /** What the network sees: features applied. */
  train: Dataset;
  test: Dataset;
  net: Mlp;
  trainer: Trainer;
  batcher: Batcher;
  /** One update on the next batch. */
  step(): StepReport;
  evaluate(): { train: Evaluation; test: Evaluation | null };
}

function loadData(config: RunConfig, seeds: { data: number }): Dataset {
  const d = config.data;
  if (d.source === "inline") {
    try {
      return parseDatasetJSON({ x: d.x, y: d.y }, d.encoding === undefined ? {} : { encoding: d.encoding }).data;
    } catch (error) {
      // name the field from the config's root: x[1][1] → data.x[1][1]
      if (!(error instanceof BackpropError)) throw error;
      const field = error.field === undefined || error.field === "$" ? "data" : `data.${error.field}`;
      throw new BackpropError(error.code, error.message, { field, ...(error.line === undefined ? {} : { line: error.line }), ...(error.column === undefined ? {} : { column: error.column }), cause: error });
    }
  }
  return makeDataset(d.name, {
    ...(d.n === undefined ? {} : { n: d.n }),
    noise: d.noise ?? 0,
    seed: seeds.data,
    ...(d.encoding === undefined ? {} : { encoding: d.encoding }),
  });
}

/**
 * The points (before features) and what the network sees (after), split into
 * train and test: `seeds.data` draws generated points, `seeds.split` the
 * test rows.
 */
export function runData(config: RunConfig, seeds: { data: number; split: number }): { points: { train: Dataset; test: Dataset }; train: Dataset; test: Dataset } {
  const all = loadData(config, seeds);
  let points: { train: Dataset; test: Dataset };
  const trainRows = config.data.trainRows;
  if (trainRows !== undefined) {
    if (trainRows > all.n) throw new BackpropError("invalid-config", `data.trainRows is ${trainRows} but the data has ${all.n} rows`, { field: "data.trainRows" });
    const idx = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
    points = { train: selectRows(all, idx(0, trainRows)), test: selectRows(all, idx(trainRows, all.n)) };
  } else {
    points = splitDataset(all, { testRatio: config.data.testRatio ?? 0, seed: seeds.split });
  }
  // user data may have other than 2 inputs; it is then used as it is
  const usesRaw = config.features.join() === "x1,x2";
  if (!usesRaw && all.nIn !== 2) {
    throw new BackpropError("invalid-config", `input features are computed from 2-D points, the data has ${all.nIn} inputs`, { field: "features" });
  }
  const train = usesRaw ? points.train : applyFeatures(points.train, config.features);
  const test = usesRaw ? points.test : applyFeatures(points.test, config.features);
  return { points, train, test };
}

/**
 * What a typed caller may pass to `createRun`: any part of a config, every
 * key spelt right (a misspelt key fails `tsc --strict`). JSON of unknown
 * shape goes through `normalizeRunConfig` first.
 */
export type RunConfigInput = Omit<RunDocumentInput, "evaluation" | "training"> & {
  training?: Omit<NonNullable<RunDocumentInput["training"]>, "clipping" | "guard">;
};

/** Builds data, network and trainer from one config, deterministically. */
export function createRun(input: RunConfigInput, options: { hooks?: GradientHook[] } = {}): Run {
  const config = normalizeRunConfig(input);
  const seeds = runSeeds(config);
  const { points, train, test } = runData(config, seeds);
  checkLoss(config.training.loss, config.network.output, "training.loss");
  const net = createMlp(
    {
      sizes: [train.nIn, ...config.network.hidden, train.nOut],
      hidden: config.network.activation,
      output: config.network.output,
      bias: config.network.bias,
    },
    { seed: seeds.init, init: config.init.scheme },
  );
  const t = config.training;
  const batcher = createBatcher(train, {
    batchSize: t.batchSize,
    ...(t.shuffle === undefined ? {} : { shuffle: t.shuffle }),
    seed: seeds.shuffle,
  });
  const trainer = createTrainer(net, {
    learningRate: t.learningRate,
    loss: t.loss,
    optimizer: t.optimizer,
    schedule: t.schedule,
    regularization: t.regularization,
    // the penalty is per data set: divided by the training rows, whatever the batch size
    examples: train.n,
    capacity: batcher.batchSize,
    ...(options.hooks ? { hooks: options.hooks } : {}),
  });
  // one workspace for every evaluation of this run (its activation buffers are large; a page evaluates every frame)
  let evalWorkspace: Workspace | null = null;
  const opts = (): EvaluateOptions => {
    evalWorkspace ??= createWorkspace(net, Math.max(1, Math.min(256, Math.max(train.n, test.n))));
    return { loss: trainer.settings().loss, regularization: trainer.settings().regularization, examples: train.n, workspace: evalWorkspace };
  };
  return {
    config,
    points,
    train,
    test,
    net,
    trainer,
    batcher,
    step: () => trainer.step(batcher.next()),
    evaluate: () => ({ train: evaluate(net, train, opts()), test: test.n > 0 ? evaluate(net, test, opts()) : null }),
  };
}
