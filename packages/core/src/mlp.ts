import type { Activation } from "./activations.js";
import { BackpropError, assertInt } from "./errors.js";
import { createNumpyRng, createRng, type Rng } from "./rng.js";
import { layerActivation, normalizeSpec, type MlpSpec } from "./spec.js";

/** One dense layer: views into the network's single parameter buffer. */
export interface Layer {
  nIn: number;
  nOut: number;
  activation: Activation;
  W: Float64Array; // (nIn, nOut) row-major
  b: Float64Array | null; // (nOut)
  wOffset: number;
  bOffset: number; // -1 without biases
}

/**
 * A multilayer perceptron as plain data: every weight and bias lives in
 * `params`, and each layer's `W`/`b` are views into it, so zeroing, norms and
 * updates are single loops, and structuredClone/postMessage keep the views.
 */
export interface Mlp {
  spec: MlpSpec;
  params: Float64Array;
  layers: Layer[];
}

/** Gradients mirror the parameter layout: `data` is one buffer, `dW`/`db` views. */
export interface Gradients {
  data: Float64Array;
  layers: { dW: Float64Array; db: Float64Array | null }[];
}

/**
 * How initial weights are drawn:
 * - `course`: U(−1, 1)/√nIn from numpy's MT19937 (`RandomState(seed)`), W1
 *   first, row-major, as the course did; seed 2017 gives its weights exactly.
 * - `xavier`: U(−r, r) with r = √(6/(nIn + nOut)).
 * - `he`: N(0, 2/nIn).
 * - `playground`: U(−0.5, 0.5), biases 0.1, like the TensorFlow Playground.
 * Biases start at 0 except for `playground`.
 */
export type InitScheme = "course" | "xavier" | "he" | "playground";
export const INIT_SCHEMES: readonly InitScheme[] = ["course", "xavier", "he", "playground"];

export interface CreateMlpOptions {
  seed?: number;
  init?: InitScheme;
}

/** Offsets of every layer's W and b in a flat parameter buffer. */
export function parameterLayout(spec: MlpSpec): { count: number; offsets: { w: number; b: number }[] } {
  const offsets: { w: number; b: number }[] = [];
  let count = 0;
  for (let l = 0; l < spec.sizes.length - 1; l++) {
    const nIn = spec.sizes[l]!;
    const nOut = spec.sizes[l + 1]!;
    const w = count;
    count += nIn * nOut;
    const b = spec.bias ? count : -1;
    if (spec.bias) count += nOut;
    offsets.push({ w, b });
  }
  return { count, offsets };
}

/** Builds the layer views over an existing parameter buffer. */
export function mlpFromParams(specInput: MlpSpec, params: Float64Array): Mlp {
  const spec = normalizeSpec(specInput);
  const { count, offsets } = parameterLayout(spec);
  if (params.length !== count) {
    throw new BackpropError("shape-mismatch", `params has ${params.length} values, the spec needs ${count}`, { field: "params" });
  }
  const layers = offsets.map((o, l): Layer => {
    const nIn = spec.sizes[l]!;
    const nOut = spec.sizes[l + 1]!;
    return {
      nIn,
      nOut,
      activation: layerActivation(spec, l),
      W: params.subarray(o.w, o.w + nIn * nOut),
      b: o.b < 0 ? null : params.subarray(o.b, o.b + nOut),
      wOffset: o.w,
      bOffset: o.b,
    };
  });
  return { spec, params, layers };
}

/** A network with seeded initial weights. */
export function createMlp(spec: MlpSpec, options: CreateMlpOptions = {}): Mlp {
  const seed = options.seed ?? 0;
  assertInt(seed, "seed", 0, 0xffffffff);
  const init = options.init ?? "xavier";
  if (!INIT_SCHEMES.includes(init)) {
    throw new BackpropError("invalid-argument", `init must be one of ${INIT_SCHEMES.join(", ")}, got ${JSON.stringify(init)}`, { field: "init" });
  }
  const clean = normalizeSpec(spec);
  const net = mlpFromParams(clean, new Float64Array(parameterLayout(clean).count));
  initializeParams(net, init, seed);
  return net;
}

/** Redraws every parameter of `net` in place. */
export function initializeParams(net: Mlp, init: InitScheme, seed: number): Mlp {
  const rng: Rng = init === "course" ? createNumpyRng(seed) : createRng(seed);
  for (const layer of net.layers) {
    const { W, nIn, nOut } = layer;
    for (let k = 0; k < W.length; k++) {
      switch (init) {
        case "course":
          W[k] = (2 * rng.next() - 1) / Math.sqrt(nIn);
          break;
        case "xavier": {
          const r = Math.sqrt(6 / (nIn + nOut));
          W[k] = (2 * rng.next() - 1) * r;
          break;
        }
        case "he":
          W[k] = rng.normal() * Math.sqrt(2 / nIn);
          break;
        case "playground":
          W[k] = rng.next() - 0.5;
          break;
      }
    }
  }
  for (const layer of net.layers) if (layer.b) layer.b.fill(init === "playground" ? 0.1 : 0);
  return net;
}

/** A deep copy with its own parameter buffer. */
export function cloneMlp(net: Mlp): Mlp {
  return mlpFromParams(net.spec, net.params.slice());
}

/** Zeroed gradients laid out like `net.params`. */
export function createGradients(net: Mlp): Gradients {
  const data = new Float64Array(net.params.length);
  return {
    data,
    layers: net.layers.map((layer) => ({
      dW: data.subarray(layer.wOffset, layer.wOffset + layer.nIn * layer.nOut),
      db: layer.bOffset < 0 ? null : data.subarray(layer.bOffset, layer.bOffset + layer.nOut),
    })),
  };
}

/** The number of trainable parameters. */
export function parameterCount(net: Mlp): number {
  return net.params.length;
}
