import type { FeatureName, Mlp, TargetEncoding } from "@backprop-lab/core";
import { createGridSampler, decisionBoundary, type Domain } from "@backprop-lab/viz";

/** A network sampled over a grid, as JSON: row 0 is the top (largest x2), cell (row, col) is index row·width + col. */
export interface GridResult {
  width: number;
  height: number;
  domain: Domain;
  nOut: number;
  /** Class threshold of a one-output network. */
  threshold: number;
  /** Output value per cell (class 1's score for two outputs); a non-finite value is null in JSON. */
  value: number[];
  /** Predicted class per cell. */
  classIndex: number[];
  /** The decision boundary as polylines [x0, y0, x1, y1, …] in domain coordinates. */
  boundary: number[][];
}

export interface GridOptions {
  resolution: number;
  domain: Domain;
  features: readonly FeatureName[];
  encoding?: TargetEncoding | "regression";
}

/** Samples `net` over a resolution² grid with viz and traces its decision boundary. */
export function sampleBoundary(net: Mlp, options: GridOptions): GridResult {
  const sample = createGridSampler(net, {
    resolution: options.resolution,
    domain: options.domain,
    features: options.features,
    ...(options.encoding === undefined ? {} : { encoding: options.encoding }),
  }).sample();
  return {
    width: sample.width,
    height: sample.height,
    domain: { ...sample.domain },
    nOut: sample.nOut,
    threshold: sample.threshold,
    value: Array.from(sample.value),
    classIndex: Array.from(sample.classIndex),
    boundary: decisionBoundary(sample).map((line) => Array.from(line)),
  };
}
