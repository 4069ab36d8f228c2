import { BackpropError, DEFAULT_FEATURES, FEATURE_NAMES, isFeatureName, type FeatureName, type Mlp, type OutputActivation, type TargetEncoding } from "@backprop-lab/core";
import { createWasmForward, createWorkspace, featurizeInto, forwardFast, type WasmForward, type Workspace } from "@backprop-lab/core/internal";
import { checkInt } from "./check.js";
import { cellCenterX, cellCenterY, checkDomain, type Domain } from "./domain.js";

/** Largest grid side accepted (4096² cells is 16.7 M points). */
export const MAX_RESOLUTION = 4096;

/** Largest grid (cells × network inputs) whose inputs a sampler keeps between samples: 4 M values, 32 MB. */
export const MAX_CACHED_INPUTS = 1 << 22;

/** Points per forward pass when `chunk` is not given. */
export const DEFAULT_CHUNK = 256;

/** A grid size: one number for a square grid, or width × height cells. */
export type Resolution = number | { width: number; height: number };

export interface GridSamplerOptions {
  /** Cells per side (square), or { width, height }. */
  resolution: Resolution;
  /** The rectangle of the input plane the grid covers. */
  domain: Domain;
  /** Features the network reads, computed from each cell centre (x1, x2); default ["x1", "x2"]. */
  features?: readonly FeatureName[];
  /**
   * How the targets were encoded; sets the class threshold of a one-output
   * network: "binary" 0.5, "signed" 0. Without it the output activation
   * decides (sigmoid 0.5; tanh and linear 0).
   */
  encoding?: TargetEncoding | "regression";
  /** Explicit class threshold for a one-output network; overrides `encoding`. */
  threshold?: number;
  /** Points per forward pass (workspace capacity); default min(256, cells), as core's predict. */
  chunk?: number;
  /**
   * Keep every cell's network inputs between samples (the cells never move, and features such as sin x cost
   * time to recompute); default true when cells × inputs ≤ MAX_CACHED_INPUTS. The outputs are the same bits
   * either way.
   */
  cacheInputs?: boolean;
  /**
   * "auto" (default): core's WebAssembly kernels where the runtime runs them (createWasmForward), else
   * forwardFast; "js": always forwardFast. The outputs are the same bits either way; the kernels take less
   * than half the time for a 6×8 tanh network (core's README).
   */
  kernels?: "auto" | "js";
}

/**
 * A network evaluated at every cell centre of a grid. Row 0 is the top
 * (x2 near yMax), column 0 the left (x1 near xMin); cell (row, col) is index
 * row·width + col. `value` is the one output of a one-output network, the
 * score of class 1 for two outputs, and the winning score for more;
 * `classIndex` is the argmax (or `value > threshold` for one output);
 * `outputs` holds every output, (width·height, nOut) row-major.
 * A non-finite output stays as it is in `value` and gives class 0.
 */
export interface GridSample {
  width: number;
  height: number;
  domain: Domain;
  nOut: number;
  activation: OutputActivation;
  /** The class threshold used for a one-output network. */
  threshold: number;
  value: Float64Array; // (width·height)
  classIndex: Uint8Array; // (width·height)
  outputs: Float64Array; // (width·height, nOut)
}

/**
 * Samples one network shape over one grid, again and again: the workspace,
 * the point and feature buffers and the result arrays are allocated once,
 * and `sample()` refills them and returns the same GridSample object.
 */
export interface GridSampler {
  readonly width: number;
  readonly height: number;
  readonly domain: Domain;
  readonly features: readonly FeatureName[];
  readonly workspace: Workspace;
  /**
   * Evaluates `net` (default: the network the sampler was made for, with its
   * current weights) over the grid. Another network must have the same sizes.
   */
  sample(net?: Mlp): GridSample;
}

/** Width and height of a resolution, checked. */
export function gridSize(resolution: Resolution, field = "resolution"): { width: number; height: number } {
  if (typeof resolution === "number") {
    checkInt(resolution, field, 1, MAX_RESOLUTION);
    return { width: resolution, height: resolution };
  }
  if (typeof resolution !== "object" || resolution === null) {
    throw new BackpropError("invalid-argument", `${field} must be a number or { width, height }`, { field });
  }
  checkInt(resolution.width, `${field}.width`, 1, MAX_RESOLUTION);
  checkInt(resolution.height, `${field}.height`, 1, MAX_RESOLUTION);
  return { width: resolution.width, height: resolution.height };
}

/** The class threshold of a one-output network: 0.5 for sigmoid (or binary targets), 0 for tanh/linear (or signed targets). */
export function outputThreshold(activation: OutputActivation, encoding?: TargetEncoding | "regression"): number {
  if (encoding === "binary") return 0.5;
  if (encoding === "signed") return 0;
  return activation === "sigmoid" || activation === "softmax" ? 0.5 : 0;
}

/** Throws unless `features` is a non-empty list of distinct feature names. */
export function checkFeatures(features: readonly FeatureName[], field = "features"): void {
  if (!Array.isArray(features) || features.length === 0) {
    throw new BackpropError("invalid-argument", `${field} must be a non-empty list of feature names`, { field });
  }
  features.forEach((f, i) => {
    if (!isFeatureName(f)) {
      throw new BackpropError("unknown-name", `${field}[${i}] is ${JSON.stringify(f)}; expected one of ${FEATURE_NAMES.join(", ")}`, {
        field: `${field}[${i}]`,
      });
    }
    if (features.indexOf(f) !== i) {
      throw new BackpropError("invalid-argument", `${field}[${i}] repeats "${f}"`, { field: `${field}[${i}]` });
    }
  });
}

/** Checks that a network reads `features` and returns its input and output widths. */
export function checkNetFeatures(net: Mlp, features: readonly FeatureName[]): { nIn: number; nOut: number } {
  checkFeatures(features);
  const nIn = net.layers[0]!.nIn;
  if (nIn !== features.length) {
    throw new BackpropError("shape-mismatch", `the network reads ${nIn} inputs but ${features.length} features were given (${features.join(", ")})`, {
      field: "features",
    });
  }
  const nOut = net.layers[net.layers.length - 1]!.nOut;
  if (nOut > 256) {
    throw new BackpropError("shape-mismatch", `grid sampling keeps class indices in bytes: at most 256 outputs, the network has ${nOut}`, {
      field: "net",
    });
  }
  return { nIn, nOut };
}

/** True when the features are exactly the raw coordinates, so points feed the network unchanged. */
export function isIdentityFeatures(features: readonly FeatureName[]): boolean {
  return features.length === 2 && features[0] === "x1" && features[1] === "x2";
}

/**
 * A reusable grid sampler for `net`.
 *
 * @example
 * const sampler = createGridSampler(net, { resolution: 100, domain: PLAYGROUND_DOMAIN });
 * const { value, classIndex } = sampler.sample(); // after every training frame
 */
export function createGridSampler(net: Mlp, options: GridSamplerOptions): GridSampler {
  const { width, height } = gridSize(options.resolution);
  const domain = { ...checkDomain(options.domain) };
  const features: readonly FeatureName[] = [...(options.features ?? DEFAULT_FEATURES)];
  const { nIn, nOut } = checkNetFeatures(net, features);
  const cells = width * height;
  const chunk = options.chunk ?? Math.min(DEFAULT_CHUNK, cells);
  checkInt(chunk, "chunk", 1, 1 << 20);
  if (options.threshold !== undefined && !Number.isFinite(options.threshold)) {
    throw new BackpropError("invalid-argument", `threshold must be a finite number, got ${options.threshold}`, { field: "threshold" });
  }

  const identity = isIdentityFeatures(features);
  const ws = createWorkspace(net, chunk);
  if (options.kernels !== undefined && options.kernels !== "auto" && options.kernels !== "js") {
    throw new BackpropError("invalid-argument", `kernels must be "auto" or "js", got ${JSON.stringify(options.kernels)}`, { field: "kernels" });
  }
  const wasm: WasmForward | null = options.kernels === "js" ? null : createWasmForward(net, chunk);
  const points = new Float64Array(chunk * 2); // (chunk, 2) cell centres
  const inputs = identity ? points : new Float64Array(chunk * nIn); // (chunk, nIn)
  const xs = new Float64Array(width);
  const ys = new Float64Array(height);
  for (let c = 0; c < width; c++) xs[c] = cellCenterX(domain, width, c);
  for (let r = 0; r < height; r++) ys[r] = cellCenterY(domain, height, r);

  const result: GridSample = {
    width,
    height,
    domain,
    nOut,
    activation: net.spec.output,
    threshold: 0,
    value: new Float64Array(cells),
    classIndex: new Uint8Array(cells),
    outputs: new Float64Array(cells * nOut),
  };

  /** Writes the network inputs of cells start … start + m − 1 into `into` ((m, nIn) row-major). */
  function fillInputs(into: Float64Array, start: number, m: number): void {
    let row = Math.floor(start / width);
    let col = start - row * width;
    for (let k = 0; k < m; k++) {
      points[2 * k] = xs[col]!;
      points[2 * k + 1] = ys[row]!;
      if (++col === width) {
        col = 0;
        row++;
      }
    }
    if (!identity) featurizeInto(into, points, m, features);
    else if (into !== points) into.set(points.subarray(0, 2 * m));
  }

  // The cells never move, so their inputs (features included: sin x is not free) are computed once, one view per
  // chunk; a grid too large to keep them is streamed, computing each chunk's inputs again on every sample.
  const cached: Float64Array[] | null = (options.cacheInputs ?? cells * nIn <= MAX_CACHED_INPUTS) ? [] : null;
  if (cached) {
    const all = new Float64Array(cells * nIn);
    for (let start = 0; start < cells; start += chunk) {
      const m = Math.min(chunk, cells - start);
      const view = all.subarray(start * nIn, (start + m) * nIn);
      fillInputs(view, start, m);
      cached.push(view);
    }
  }

  function sample(target: Mlp = net): GridSample {
    const activation = target.spec.output;
    const threshold = options.threshold ?? outputThreshold(activation, options.encoding);
    result.activation = activation;
    result.threshold = threshold;
    const { value, classIndex, outputs } = result;
    wasm?.load(target);
    for (let start = 0, c = 0; start < cells; start += chunk, c++) {
      const m = Math.min(chunk, cells - start);
      let x: Float64Array;
      if (cached) x = cached[c]!;
      else {
        fillInputs(inputs, start, m);
        x = inputs;
      }
      const a = wasm ? wasm.forward(x, m) : forwardFast(ws, target, x, m); // (chunk, nOut), first m rows valid
      const base = start * nOut;
      for (let i = 0; i < m * nOut; i++) outputs[base + i] = a[i]!;
      if (nOut === 1) {
        for (let k = 0; k < m; k++) {
          const o = a[k]!;
          value[start + k] = o;
          classIndex[start + k] = o > threshold ? 1 : 0;
        }
      } else {
        for (let k = 0, o = 0; k < m; k++, o += nOut) {
          let best = 0;
          for (let j = 1; j < nOut; j++) if (a[o + j]! > a[o + best]!) best = j;
          classIndex[start + k] = best;
          value[start + k] = nOut === 2 ? a[o + 1]! : a[o + best]!;
        }
      }
    }
    return result;
  }

  return { width, height, domain, features, workspace: ws, sample };
}

/** One-shot grid sampling: `createGridSampler(net, options).sample()`. */
export function sampleGrid(net: Mlp, options: GridSamplerOptions): GridSample {
  return createGridSampler(net, options).sample();
}
