import { createRng, type RunDocument } from "@backprop-lab/core";

/**
 * One run of the evaluation corpus: a plain run config (it maps onto the run
 * document field by field) and how many updates to run it for. `family`
 * says what the generator aimed at; the label comes from the trajectory
 * (label.ts), never from the family or from a detector.
 */
export interface CorpusEntry {
  id: string;
  family: CorpusFamily;
  config: RunDocument;
  steps: number;
}

export type CorpusFamily = "ordinary" | "high-lr" | "deep" | "relu-high-lr" | "tiny-lr" | "l2-bug" | "strong-penalty" | "linear";

/** The seed the whole corpus derives from. */
export const CORPUS_SEED = 14;
/** Runs per family (8 families, 240 runs). */
export const CORPUS_PER_FAMILY = 30;

const CLASSIFY = ["course-xor", "xor", "circle", "gauss", "spiral", "moons"] as const;

type Rng = ReturnType<typeof createRng>;
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[rng.int(xs.length)]!;
/** Log-uniform in [lo, hi]. */
const logUniform = (rng: Rng, lo: number, hi: number): number => Number((lo * Math.pow(hi / lo, rng.next())).toPrecision(2));

function base(rng: Rng, seed: number): RunDocument {
  const name = pick(rng, CLASSIFY);
  const optimizer = pick(rng, ["sgd", "momentum", "adam"] as const);
  // a learning rate in each optimizer's ordinary range
  const learningRate = optimizer === "adam" ? logUniform(rng, 0.002, 0.03) : optimizer === "momentum" ? logUniform(rng, 0.01, 0.3) : logUniform(rng, 0.03, 1);
  const depth = 1 + rng.int(2);
  const width = pick(rng, [4, 6, 8, 12]);
  const activation = pick(rng, ["tanh", "relu", "leaky-relu", "sigmoid"] as const);
  const reg = rng.int(4);
  const ce = rng.int(2) === 0;
  return {
    seed,
    data: name === "course-xor" ? { source: "generated", name, n: 300, noise: 0, testRatio: 0 } : { source: "generated", name, n: 200, noise: pick(rng, [0, 0.1]), testRatio: 0.5 },
    features: ["x1", "x2"],
    network: { hidden: Array.from({ length: depth }, () => width), activation, output: ce ? "softmax" : "sigmoid", bias: true },
    init: { scheme: activation === "relu" || activation === "leaky-relu" ? "he" : "xavier" },
    training: {
      loss: ce ? "cross-entropy" : "mse",
      optimizer: optimizer === "momentum" ? { kind: "momentum", momentum: 0.9, nesterov: false } : optimizer === "adam" ? { kind: "adam", beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } : { kind: "sgd" },
      learningRate,
      schedule: { kind: "constant" },
      regularization: { kind: reg === 0 || reg === 1 ? "none" : reg === 2 ? "l2" : "l1", lambda: reg < 2 ? 0 : logUniform(rng, 1e-4, 3e-3), gradient: "correct" },
      batchSize: pick(rng, [10, 25, "full"] as const),
      clipping: null,
      guard: null,
    },
    evaluation: { every: 10 },
  };
}

/**
 * The corpus: CORPUS_PER_FAMILY runs of each family, drawn from one seeded
 * stream, so the same code always gives the same 240 runs.
 */
export function generateCorpus(seed = CORPUS_SEED, perFamily = CORPUS_PER_FAMILY): CorpusEntry[] {
  const rng = createRng(seed);
  const out: CorpusEntry[] = [];
  const add = (family: CorpusFamily, i: number, config: RunDocument, steps: number) => out.push({ id: `${family}-${i}`, family, config, steps });
  for (let i = 0; i < perFamily; i++) {
    // ordinary settings: most should train
    add("ordinary", i, base(rng, 100 + i), 600);
  }
  for (let i = 0; i < perFamily; i++) {
    // the same settings at 10× to 1000× an ordinary rate
    const c = base(rng, 200 + i);
    c.training.learningRate = Number((c.training.learningRate * logUniform(rng, 10, 1000)).toPrecision(2));
    if (rng.int(2) === 0) {
      c.network.output = "linear";
      c.training.loss = "mse";
    }
    add("high-lr", i, c, 400);
  }
  for (let i = 0; i < perFamily; i++) {
    // deep and narrow: sigmoid or tanh stacks of 6 to 10 layers
    const c = base(rng, 300 + i);
    const depth = 6 + rng.int(5);
    c.network.hidden = Array.from({ length: depth }, () => pick(rng, [3, 4, 5]));
    c.network.activation = rng.int(3) === 0 ? "tanh" : "sigmoid";
    c.init.scheme = "xavier";
    c.training.optimizer = { kind: "sgd" };
    c.training.learningRate = logUniform(rng, 0.03, 1);
    c.training.regularization = { kind: "none", lambda: 0, gradient: "correct" };
    add("deep", i, c, 400);
  }
  for (let i = 0; i < perFamily; i++) {
    // relu stacks at large rates: units die
    const c = base(rng, 400 + i);
    c.network.hidden = Array.from({ length: 2 + rng.int(2) }, () => pick(rng, [6, 8]));
    c.network.activation = "relu";
    c.init.scheme = "he";
    c.training.optimizer = { kind: "sgd" };
    c.training.learningRate = logUniform(rng, 1, 6);
    c.training.regularization = { kind: "none", lambda: 0, gradient: "correct" };
    add("relu-high-lr", i, c, 500);
  }
  for (let i = 0; i < perFamily; i++) {
    // far too small a rate
    const c = base(rng, 500 + i);
    c.training.learningRate = Number((c.training.learningRate * logUniform(rng, 1e-4, 1e-2)).toPrecision(2));
    add("tiny-lr", i, c, 400);
  }
  for (let i = 0; i < perFamily; i++) {
    // the course's L2 gradient λ·ΣW² on every entry, at penalties large enough to show within the run
    const c = base(rng, 600 + i);
    if (c.network.activation === "sigmoid") c.network.activation = "tanh";
    c.training.regularization = { kind: "l2", lambda: logUniform(rng, 3e-3, 3e-2), gradient: "course-bug" };
    add("l2-bug", i, c, 800);
  }
  for (let i = 0; i < perFamily; i++) {
    // penalties from strong to crushing
    const c = base(rng, 700 + i);
    c.training.regularization = { kind: rng.int(2) === 0 ? "l1" : "l2", lambda: logUniform(rng, 0.03, 3), gradient: "correct" };
    add("strong-penalty", i, c, 400);
  }
  for (let i = 0; i < perFamily; i++) {
    // linear units and a linear output on ±1 targets: stable at small rates, divergent at large ones
    const c = base(rng, 800 + i);
    c.network.activation = "linear";
    c.network.output = "linear";
    c.training.loss = "mse";
    c.init.scheme = "he";
    c.network.hidden = Array.from({ length: 1 + rng.int(2) }, () => 8);
    if (c.data.source === "generated") c.data.encoding = "signed";
    c.training.learningRate = logUniform(rng, 0.003, 3);
    add("linear", i, c, 300);
  }
  return out;
}
