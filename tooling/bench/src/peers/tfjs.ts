import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { layerActivation, mlpFromParams, parameterLayout, type MlpSpec } from "@backprop-lab/core";
import * as tf from "@tensorflow/tfjs";
import { setWasmPaths, version_wasm } from "@tensorflow/tfjs-backend-wasm";
import type { TrainingProblem } from "../problem.js";
import type { Subject } from "../types.js";

export const TFJS = "tfjs-cpu";
export const TFJS_LIBRARY = `@tensorflow/tfjs ${tf.version.tfjs}, cpu backend (float32)`;
export const TFJS_WASM = "tfjs-wasm";

/** The two TensorFlow.js backends the bench times: pure JavaScript, and WebAssembly. */
export type TfBackend = "cpu" | "wasm";

export const TFJS_NAMES: Readonly<Record<TfBackend, string>> = { cpu: TFJS, wasm: TFJS_WASM };

/**
 * Selects TensorFlow.js's pure-JavaScript CPU backend (not tfjs-node's native
 * one) in production mode, which skips debug checks and the console notice.
 */
export async function useTfjsCpu(): Promise<void> {
  await useTfjs("cpu");
}

/**
 * The folder of @tensorflow/tfjs-backend-wasm's own .wasm files in
 * node_modules: the backend loads them from there, never from the network.
 */
export function tfjsWasmDist(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json")), "dist") + "/";
}

let wasmPathsSet = false;

/**
 * Makes `backend` the active one (production mode). Tensors stay with the
 * backend that made them, so each tfjs subject makes its tensors, and runs,
 * with its own backend active. Switching to a backend already set up is quick.
 */
export async function useTfjs(backend: TfBackend): Promise<void> {
  tf.enableProdMode();
  if (backend === "wasm" && !wasmPathsSet) {
    setWasmPaths(tfjsWasmDist());
    wasmPathsSet = true;
  }
  if (tf.getBackend() !== backend && !(await tf.setBackend(backend))) throw new Error(`TensorFlow.js could not start its ${backend} backend`);
  await tf.ready();
}

/** What the wasm backend runs on here: SIMD and threads as its own feature tests found them. */
export async function tfjsWasmFeatures(): Promise<{ simd: boolean; threads: boolean }> {
  await useTfjs("wasm");
  return { simd: Boolean(await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT")), threads: Boolean(await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT")) };
}

/** The library line of the tfjs-wasm subject. */
export async function tfjsWasmLibrary(): Promise<string> {
  const { simd, threads } = await tfjsWasmFeatures();
  return `@tensorflow/tfjs-backend-wasm ${version_wasm}, wasm backend (float32), ${simd ? "SIMD" : "no SIMD"}, ${threads ? "threads" : "1 thread"}`;
}

export function tfjsLibrary(backend: TfBackend): Promise<string> {
  return backend === "cpu" ? Promise.resolve(TFJS_LIBRARY) : tfjsWasmLibrary();
}

/** Our spec as tfjs variables: W (nIn, nOut) and b (nOut) per layer, float32. */
export interface TfMlp {
  spec: MlpSpec;
  variables: tf.Variable[];
  /** ŷ = f(…f(x·W1 + b1)…·WL + bL); call inside tf.tidy. */
  forward(x: tf.Tensor2D): tf.Tensor2D;
  /** Writes core-layout parameters into the variables. */
  setParams(params: Float64Array): void;
  /** The variables in core's flat layout. */
  getParams(): Float64Array;
  dispose(): void;
}

export function createTfMlp(spec: MlpSpec, params: Float64Array): TfMlp {
  const net = mlpFromParams(spec, params.slice());
  const layers = net.layers.map((layer, l) => ({
    W: tf.variable(tf.tensor2d(new Float32Array(layer.W), [layer.nIn, layer.nOut], "float32")),
    b: layer.b ? tf.variable(tf.tensor1d(new Float32Array(layer.b), "float32")) : null,
    activation: layerActivation(net.spec, l),
  }));
  const variables = layers.flatMap((v) => (v.b ? [v.W, v.b] : [v.W]));
  const { count, offsets } = parameterLayout(net.spec);
  return {
    spec: net.spec,
    variables,
    forward(x) {
      let a: tf.Tensor2D = x;
      for (const { W, b, activation } of layers) {
        const z: tf.Tensor2D = b ? tf.add(tf.matMul(a, W), b) : tf.matMul(a, W);
        a = activate(z, activation);
      }
      return a;
    },
    setParams(p) {
      const views = mlpFromParams(spec, p.slice()).layers;
      tf.tidy(() => {
        layers.forEach((v, l) => {
          const view = views[l]!;
          v.W.assign(tf.tensor2d(new Float32Array(view.W), [view.nIn, view.nOut], "float32"));
          if (v.b && view.b) v.b.assign(tf.tensor1d(new Float32Array(view.b), "float32"));
        });
      });
    },
    getParams() {
      const out = new Float64Array(count);
      layers.forEach((v, l) => {
        out.set(v.W.dataSync(), offsets[l]!.w);
        if (v.b) out.set(v.b.dataSync(), offsets[l]!.b);
      });
      return out;
    },
    dispose: () => variables.forEach((v) => v.dispose()),
  };
}

function activate(z: tf.Tensor2D, f: string): tf.Tensor2D {
  switch (f) {
    case "sigmoid":
      return tf.sigmoid(z);
    case "tanh":
      return tf.tanh(z);
    case "relu":
      return tf.relu(z);
    case "linear":
      return z;
    default:
      throw new Error(`the tfjs peer has no ${f} activation`);
  }
}

/**
 * Full-batch gradient descent the idiomatic tfjs-core way: the loss
 * Σ(y − ŷ)²/(2n) (core's mse) under optimizer.minimize with tf.train.sgd.
 */
export interface TfTrainer {
  tfNet: TfMlp;
  /** One step; returns the loss before the update when asked (reading it syncs). */
  step(returnLoss: boolean): number | null;
  dispose(): void;
}

export function createTfTrainer(problem: TrainingProblem, learningRate: number): TfTrainer {
  const { x, y, n, nIn, nOut } = problem.data;
  const tfNet = createTfMlp(problem.spec, problem.initial);
  const xT = tf.tensor2d(new Float32Array(x), [n, nIn], "float32");
  const yT = tf.tensor2d(new Float32Array(y), [n, nOut], "float32");
  const twoN = tf.scalar(2 * n, "float32");
  const optimizer = tf.train.sgd(learningRate);
  const loss = (): tf.Scalar => tf.div(tf.sum(tf.squaredDifference(yT, tfNet.forward(xT))), twoN);
  return {
    tfNet,
    step(returnLoss) {
      const cost = optimizer.minimize(loss, returnLoss, tfNet.variables);
      if (!cost) return null;
      const value = cost.dataSync()[0]!;
      cost.dispose();
      return value;
    },
    dispose() {
      tfNet.dispose();
      optimizer.dispose();
      tf.dispose([xT, yT, twoN]);
    },
  };
}

/** `steps` full-batch steps a run with `backend`; its tensors are made with that backend active. */
export async function tfjsTrainingSubject(problem: TrainingProblem, learningRate: number, steps: number, backend: TfBackend = "cpu"): Promise<Subject & { dispose(): void }> {
  await useTfjs(backend);
  const library = await tfjsLibrary(backend);
  const t = createTfTrainer(problem, learningRate);
  return {
    name: TFJS_NAMES[backend],
    library,
    note: "optimizer.minimize(loss) with tf.train.sgd on the whole set; the loss is not read back",
    perRun: steps,
    async reset() {
      await useTfjs(backend);
      t.tfNet.setParams(problem.initial);
    },
    run() {
      for (let s = 0; s < steps; s++) t.step(false);
    },
    dispose: () => t.dispose(),
  };
}

/** Losses of the first k steps and the parameters after them, with `backend`. */
export async function tfjsFullBatchTrace(problem: TrainingProblem, learningRate: number, k: number, backend: TfBackend = "cpu"): Promise<{ losses: number[]; params: Float64Array }> {
  await useTfjs(backend);
  const t = createTfTrainer(problem, learningRate);
  const losses: number[] = [];
  for (let s = 0; s < k; s++) losses.push(t.step(true)!);
  const params = t.tfNet.getParams();
  t.dispose();
  return { losses, params };
}

/** Live tensors, to prove a subject leaks nothing between runs. */
export function tfjsTensorCount(): number {
  return tf.memory().numTensors;
}

export { tf };
