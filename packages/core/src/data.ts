import { BackpropError } from "./errors.js";

/** How class labels become target rows. */
export type TargetEncoding = "one-hot" | "binary" | "signed";

/**
 * A data set as plain data (survives structuredClone and postMessage).
 * `x` is (n, nIn) row-major, `y` is (n, nOut) row-major. For classification
 * `labels[i]` is the class of row i and `y` encodes it (`one-hot`: nOut =
 * classes; `binary`: one column of 0/1; `signed`: one column of ±1, as the
 * TensorFlow Playground does). For regression `labels` is null, `classes` 0.
 */
export interface Dataset {
  x: Float64Array; // (n, nIn)
  y: Float64Array; // (n, nOut)
  n: number;
  nIn: number;
  nOut: number;
  labels: Int32Array | null; // (n)
  classes: number;
  encoding: TargetEncoding | "regression";
}

/** The rows one training step sees: (n, nIn) inputs and (n, nOut) targets. */
export interface Batch {
  x: Float64Array; // (n, nIn)
  y: Float64Array; // (n, nOut)
  n: number;
}

/** Builds the (n, nOut) target matrix for class labels. */
export function encodeTargets(labels: Int32Array, classes: number, encoding: TargetEncoding): Float64Array {
  const n = labels.length;
  if (encoding !== "one-hot" && classes !== 2) {
    throw new BackpropError("invalid-argument", `encoding "${encoding}" needs exactly 2 classes, got ${classes}`, { field: "encoding" });
  }
  const nOut = encoding === "one-hot" ? classes : 1;
  const y = new Float64Array(n * nOut);
  for (let i = 0; i < n; i++) {
    const c = labels[i]!;
    if (encoding === "one-hot") y[i * nOut + c] = 1;
    else if (encoding === "binary") y[i] = c;
    else y[i] = c === 1 ? 1 : -1;
  }
  return y;
}

/** A classification data set from (n, nIn) inputs and class labels. */
export function classificationDataset(
  x: Float64Array,
  nIn: number,
  labels: Int32Array,
  classes: number,
  encoding: TargetEncoding = "one-hot",
): Dataset {
  const n = labels.length;
  if (x.length !== n * nIn) {
    throw new BackpropError("shape-mismatch", `x has ${x.length} values, expected n·nIn = ${n}·${nIn}`, { field: "x" });
  }
  const y = encodeTargets(labels, classes, encoding);
  return { x, y, n, nIn, nOut: encoding === "one-hot" ? classes : 1, labels, classes, encoding };
}

/** A regression data set from (n, nIn) inputs and (n, nOut) targets. */
export function regressionDataset(x: Float64Array, nIn: number, y: Float64Array, nOut: number): Dataset {
  const n = nIn === 0 ? 0 : x.length / nIn;
  if (!Number.isInteger(n) || y.length !== n * nOut) {
    throw new BackpropError("shape-mismatch", `y has ${y.length} values, expected n·nOut = ${n}·${nOut}`, { field: "y" });
  }
  return { x, y, n, nIn, nOut, labels: null, classes: 0, encoding: "regression" };
}

/** The rows of `data` at `indices`, copied, in that order. */
export function selectRows(data: Dataset, indices: ArrayLike<number>): Dataset {
  const m = indices.length;
  const x = new Float64Array(m * data.nIn);
  const y = new Float64Array(m * data.nOut);
  const labels = data.labels ? new Int32Array(m) : null;
  for (let k = 0; k < m; k++) {
    const i = indices[k]!;
    if (!Number.isInteger(i) || i < 0 || i >= data.n) {
      throw new BackpropError("invalid-argument", `row index ${i} is outside [0, ${data.n})`, { field: `indices[${k}]` });
    }
    x.set(data.x.subarray(i * data.nIn, (i + 1) * data.nIn), k * data.nIn);
    y.set(data.y.subarray(i * data.nOut, (i + 1) * data.nOut), k * data.nOut);
    if (labels) labels[k] = data.labels![i]!;
  }
  return { ...data, x, y, n: m, labels };
}

/** The class of each row of a prediction: argmax for several outputs, a threshold for one. */
export function predictedClass(out: Float64Array, row: number, nOut: number, encoding: Dataset["encoding"]): number {
  const o = row * nOut;
  if (nOut === 1) return out[o]! > (encoding === "signed" ? 0 : 0.5) ? 1 : 0;
  let best = 0;
  for (let j = 1; j < nOut; j++) if (out[o + j]! > out[o + best]!) best = j;
  return best;
}
