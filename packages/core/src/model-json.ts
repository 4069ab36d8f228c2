import { BackpropError, describe } from "./errors.js";
import { mlpFromParams, parameterLayout, type Mlp } from "./mlp.js";
import { normalizeSpec, type MlpSpec } from "./spec.js";

export const MODEL_FORMAT = "backprop-lab/mlp";
export const MODEL_VERSION = 1;

/** The one model format of every face (see DESIGN.md). */
export interface ModelJSON {
  format: typeof MODEL_FORMAT;
  version: typeof MODEL_VERSION;
  spec: MlpSpec;
  /** weights[l] is a nested (nIn, nOut) array. */
  weights: number[][][];
  /** null without biases, else one (nOut) array per layer. */
  biases: number[][] | null;
}

/** The model as plain JSON data; numbers round-trip exactly through JSON.stringify. */
export function mlpToJSON(net: Mlp): ModelJSON {
  return {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    spec: JSON.parse(JSON.stringify(net.spec)) as MlpSpec,
    weights: net.layers.map((layer) => {
      const rows: number[][] = [];
      for (let i = 0; i < layer.nIn; i++) rows.push(Array.from(layer.W.subarray(i * layer.nOut, (i + 1) * layer.nOut)));
      return rows;
    }),
    biases: net.spec.bias ? net.layers.map((layer) => Array.from(layer.b!)) : null,
  };
}

function fail(field: string, message: string): never {
  throw new BackpropError("invalid-model", `${field}: ${message}`, { field });
}

function finiteNumber(value: unknown, field: string): number {
  if (typeof value !== "number" || !Number.isFinite(value)) fail(field, `must be a finite number, got ${describe(value)}`);
  return value;
}

/** Parses a model (a JSON string or parsed object); every problem names its field. */
export function mlpFromJSON(input: unknown): Mlp {
  let json = input;
  if (typeof input === "string") {
    try {
      json = JSON.parse(input);
    } catch (error) {
      throw new BackpropError("invalid-model", `the model is not valid JSON: ${(error as Error).message}`, { field: "$", cause: error });
    }
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) fail("$", `a model must be a JSON object, got ${describe(json)}`);
  const m = json as Record<string, unknown>;
  if (m.format !== MODEL_FORMAT) fail("format", `must be "${MODEL_FORMAT}", got ${describe(m.format)}`);
  if (m.version !== MODEL_VERSION) fail("version", `must be ${MODEL_VERSION}, got ${describe(m.version)}`);
  let spec: MlpSpec;
  try {
    spec = normalizeSpec(m.spec, "spec");
  } catch (error) {
    const e = error as BackpropError;
    throw new BackpropError("invalid-model", e.message, { field: e.field ?? "spec", cause: error });
  }
  const { count, offsets } = parameterLayout(spec);
  const params = new Float64Array(count);
  const L = spec.sizes.length - 1;
  if (!Array.isArray(m.weights) || m.weights.length !== L) fail("weights", `must be an array of ${L} layer matrices, got ${describe(m.weights)}`);
  for (let l = 0; l < L; l++) {
    const nIn = spec.sizes[l]!;
    const nOut = spec.sizes[l + 1]!;
    const W = (m.weights as unknown[])[l];
    if (!Array.isArray(W) || W.length !== nIn) fail(`weights[${l}]`, `must have ${nIn} rows (nIn), got ${describe(W)}`);
    for (let i = 0; i < nIn; i++) {
      const row = W[i] as unknown;
      if (!Array.isArray(row) || row.length !== nOut) fail(`weights[${l}][${i}]`, `must have ${nOut} columns (nOut), got ${describe(row)}`);
      for (let j = 0; j < nOut; j++) params[offsets[l]!.w + i * nOut + j] = finiteNumber(row[j], `weights[${l}][${i}][${j}]`);
    }
  }
  if (!spec.bias) {
    if (m.biases !== null && m.biases !== undefined) fail("biases", `must be null when spec.bias is false, got ${describe(m.biases)}`);
  } else {
    if (!Array.isArray(m.biases) || m.biases.length !== L) fail("biases", `must be an array of ${L} bias vectors, got ${describe(m.biases)}`);
    for (let l = 0; l < L; l++) {
      const nOut = spec.sizes[l + 1]!;
      const b = (m.biases as unknown[])[l];
      if (!Array.isArray(b) || b.length !== nOut) fail(`biases[${l}]`, `must have ${nOut} values, got ${describe(b)}`);
      for (let j = 0; j < nOut; j++) params[offsets[l]!.b + j] = finiteNumber(b[j], `biases[${l}][${j}]`);
    }
  }
  return mlpFromParams(spec, params);
}
