import { layerActivation, type MlpSpec } from "./spec.js";

/** The first way a model's shape differs from a run's network (see `modelMismatch`). */
export interface ModelMismatch {
  /** The model's field at fault, inside the model JSON: "spec.sizes[2]", "spec.hidden", "spec.output", "spec.bias". */
  field: string;
  /** What differs: the number of hidden layers, the inputs, a hidden layer's units, the outputs, a hidden activation, the output activation, the biases. */
  what: "layers" | "inputs" | "units" | "outputs" | "activation" | "output" | "bias";
  /** The layer it is about, counted as in `spec.sizes` (0 the inputs, 1 the first hidden layer); null for the whole network. */
  layer: number | null;
  /** The model's value. */
  model: number | string | boolean;
  /** The network's value. */
  network: number | string | boolean;
  /** The document's field that sets the network's value: "network.hidden[1]", "features", the data's targets, …. */
  source: string;
  /** One English sentence naming both values, e.g. "model layer 2 has 4 units, the document's network has 6 (network.hidden[1])". */
  message: string;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * The first difference between a model's shape and the network a run
 * document builds (its `spec`: inputs from the data and features, hidden
 * layers and activations from `network`, outputs from the targets), or null
 * when the model's weights fit the network exactly. Checked in this order:
 * hidden layer count, inputs, each hidden layer's units, outputs, each
 * hidden activation, the output activation, biases.
 */
export function modelMismatch(model: MlpSpec, network: MlpSpec): ModelMismatch | null {
  const ms = model.sizes;
  const ns = network.sizes;
  const L = ns.length - 1;
  if (ms.length !== ns.length) {
    const m = ms.length - 2;
    const n = ns.length - 2;
    return {
      field: "spec.sizes",
      what: "layers",
      layer: null,
      model: m,
      network: n,
      source: "network.hidden",
      message: `the model has ${plural(m, "hidden layer")}, the document's network has ${n} (network.hidden)`,
    };
  }
  if (ms[0] !== ns[0]) {
    return {
      field: "spec.sizes[0]",
      what: "inputs",
      layer: 0,
      model: ms[0]!,
      network: ns[0]!,
      source: "features",
      message: `the model reads ${plural(ms[0]!, "input")}, the document's network reads ${ns[0]} (its data and features)`,
    };
  }
  for (let i = 1; i < L; i++) {
    if (ms[i] !== ns[i]) {
      return {
        field: `spec.sizes[${i}]`,
        what: "units",
        layer: i,
        model: ms[i]!,
        network: ns[i]!,
        source: `network.hidden[${i - 1}]`,
        message: `model layer ${i} has ${plural(ms[i]!, "unit")}, the document's network has ${ns[i]} (network.hidden[${i - 1}])`,
      };
    }
  }
  if (ms[L] !== ns[L]) {
    return {
      field: `spec.sizes[${L}]`,
      what: "outputs",
      layer: L,
      model: ms[L]!,
      network: ns[L]!,
      source: "data",
      message: `the model has ${plural(ms[L]!, "output")}, the document's network has ${ns[L]} (its data's targets)`,
    };
  }
  for (let l = 0; l < L - 1; l++) {
    const a = layerActivation(model, l);
    const b = layerActivation(network, l);
    if (a !== b) {
      const source = Array.isArray(network.hidden) ? `network.activation[${l}]` : "network.activation";
      return {
        field: Array.isArray(model.hidden) ? `spec.hidden[${l}]` : "spec.hidden",
        what: "activation",
        layer: l + 1,
        model: a,
        network: b,
        source,
        message: `model layer ${l + 1} uses ${a}, the document's network uses ${b} (${source})`,
      };
    }
  }
  if (model.output !== network.output) {
    return {
      field: "spec.output",
      what: "output",
      layer: L,
      model: model.output,
      network: network.output,
      source: "network.output",
      message: `the model's output activation is ${model.output}, the document's network's is ${network.output} (network.output)`,
    };
  }
  if (model.bias !== network.bias) {
    return {
      field: "spec.bias",
      what: "bias",
      layer: null,
      model: model.bias,
      network: network.bias,
      source: "network.bias",
      message: `the model ${model.bias ? "has" : "has no"} biases, the document's network ${network.bias ? "has them" : "has none"} (network.bias)`,
    };
  }
  return null;
}
