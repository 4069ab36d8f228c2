import { DEFAULT_FEATURES, type FeatureName, type Mlp } from "@backprop-lab/core";
import { createWorkspace, featurizeInto, forwardFast, type Workspace } from "@backprop-lab/core/internal";
import { checkInt } from "./check.js";
import { cellCenterX, cellCenterY, checkDomain, PLAYGROUND_DOMAIN, type Domain } from "./domain.js";
import { checkNetFeatures, DEFAULT_CHUNK, isIdentityFeatures, MAX_RESOLUTION } from "./grid.js";

/**
 * One unit's value over a coarse grid, like a Playground thumbnail.
 * `layer` follows `spec.sizes`: 0 is the input features, 1…L−1 the hidden
 * layers (activations a[l−1] of weight layer l−1), L the output layer.
 * `values` is (resolution²) with row 0 at the top; `min`/`max` range over its
 * finite values (NaN when it has none).
 */
export interface NeuronMap {
  layer: number;
  unit: number;
  kind: "input" | "hidden" | "output";
  /** The feature an input map shows; null for hidden and output units. */
  feature: FeatureName | null;
  values: Float64Array; // (resolution·resolution)
  min: number;
  max: number;
}

export interface NeuronMapOptions {
  /** Cells per side (default 10, the Playground's thumbnails). */
  resolution?: number;
  /** Default: the Playground's [-6, 6]². */
  domain?: Domain;
  /** Features the network reads; default ["x1", "x2"]. */
  features?: readonly FeatureName[];
  /** Include the output layer's units (default true). */
  includeOutput?: boolean;
}

/** Neuron maps for one network shape, refilled in place by `sample()`. */
export interface NeuronMapSampler {
  readonly resolution: number;
  readonly domain: Domain;
  readonly maps: readonly NeuronMap[];
  readonly workspace: Workspace;
  /** Recomputes every map from `net`'s current weights (or another net of the same sizes); returns `maps`. */
  sample(net?: Mlp): readonly NeuronMap[];
}

export function createNeuronMapSampler(net: Mlp, options: NeuronMapOptions = {}): NeuronMapSampler {
  const resolution = options.resolution ?? 10;
  checkInt(resolution, "resolution", 1, MAX_RESOLUTION);
  const domain = { ...checkDomain(options.domain ?? PLAYGROUND_DOMAIN) };
  const features: readonly FeatureName[] = [...(options.features ?? DEFAULT_FEATURES)];
  const { nIn } = checkNetFeatures(net, features);
  const includeOutput = options.includeOutput ?? true;
  const cells = resolution * resolution;
  const chunk = Math.min(DEFAULT_CHUNK, cells);
  const identity = isIdentityFeatures(features);
  const ws = createWorkspace(net, chunk);
  const points = new Float64Array(chunk * 2); // (chunk, 2)
  const inputs = identity ? points : new Float64Array(chunk * nIn); // (chunk, nIn)

  const L = net.layers.length;
  const maps: NeuronMap[] = [];
  const map = (layer: number, unit: number, kind: NeuronMap["kind"], feature: FeatureName | null): void => {
    maps.push({ layer, unit, kind, feature, values: new Float64Array(cells), min: Number.NaN, max: Number.NaN });
  };
  features.forEach((f, j) => map(0, j, "input", f));
  for (let l = 1; l <= L; l++) {
    if (l === L && !includeOutput) break;
    for (let u = 0; u < net.layers[l - 1]!.nOut; u++) map(l, u, l === L ? "output" : "hidden", null);
  }

  function sample(target: Mlp = net): readonly NeuronMap[] {
    for (let start = 0; start < cells; start += chunk) {
      const m = Math.min(chunk, cells - start);
      for (let k = 0; k < m; k++) {
        const p = start + k;
        const row = Math.floor(p / resolution);
        points[2 * k] = cellCenterX(domain, resolution, p - row * resolution);
        points[2 * k + 1] = cellCenterY(domain, resolution, row);
      }
      if (!identity) featurizeInto(inputs, points, m, features);
      forwardFast(ws, target, inputs, m);
      for (let i = 0; i < maps.length; i++) {
        const nm = maps[i]!;
        // the layer's activations, (chunk, width) row-major
        const source = nm.layer === 0 ? inputs : ws.a[nm.layer - 1]!;
        const width = nm.layer === 0 ? nIn : target.layers[nm.layer - 1]!.nOut;
        const values = nm.values;
        for (let k = 0; k < m; k++) values[start + k] = source[k * width + nm.unit]!;
      }
    }
    for (let i = 0; i < maps.length; i++) {
      const nm = maps[i]!;
      let min = Infinity;
      let max = -Infinity;
      for (let p = 0; p < cells; p++) {
        const v = nm.values[p]!;
        if (v - v !== 0) continue; // NaN and ±Infinity
        if (v < min) min = v;
        if (v > max) max = v;
      }
      nm.min = min === Infinity ? Number.NaN : min;
      nm.max = max === -Infinity ? Number.NaN : max;
    }
    return maps;
  }

  return { resolution, domain, maps, workspace: ws, sample };
}

/**
 * Every unit's map over a resolution² grid in one call, inputs first, then
 * each hidden layer, then the outputs.
 *
 * @example sampleNeuronMaps(net, { resolution: 10 }).filter((m) => m.kind === "hidden")
 */
export function sampleNeuronMaps(net: Mlp, options: NeuronMapOptions = {}): NeuronMap[] {
  return [...createNeuronMapSampler(net, options).sample()];
}
