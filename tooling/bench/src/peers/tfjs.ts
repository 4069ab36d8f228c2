import { layerActivation, mlpFromParams, parameterLayout, type MlpSpec } from "@backprop-lab/core";
import * as tf from "@tensorflow/tfjs";
import type { TrainingProblem } from "../problem.js";
import type { Subject } from "../types.js";

export const TFJS = "tfjs-cpu";
export const TFJS_LIBRARY = `@tensorflow/tfjs ${tf.version.tfjs}, cpu backend (float32)`;

/**
 * Selects TensorFlow.js's pure-JavaScript CPU backend (not tfjs-node's native
 * one) in production mode, which skips debug checks and the console notice.
 */
export async function useTfjsCpu(): Promise<void> {
  tf.enableProdMode();
  if (tf.getBackend() !== "cpu") await tf.setBackend("cpu");
  await tf.ready();
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

export function tfjsTrainingSubject(problem: TrainingProblem, learningRate: number, steps: number): Subject & { dispose(): void } {
  const t = createTfTrainer(problem, learningRate);
  return {
    name: TFJS,
    library: TFJS_LIBRARY,
    note: "optimizer.minimize(loss) with tf.train.sgd on the whole set; the loss is not read back",
    reset: () => t.tfNet.setParams(problem.initial),
    run() {
      for (let s = 0; s < steps; s++) t.step(false);
    },
    dispose: () => t.dispose(),
  };
}

/** Losses of the first k steps and the parameters after them. */
export function tfjsFullBatchTrace(problem: TrainingProblem, learningRate: number, k: number): { losses: number[]; params: Float64Array } {
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
