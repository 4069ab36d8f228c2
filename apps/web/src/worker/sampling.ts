import type { FeatureName, Mlp, TargetEncoding } from "@backprop-lab/core";
import { createGridSampler, createNeuronMapSampler, outputThreshold, type Domain, type GridSampler, type NeuronMapSampler } from "@backprop-lab/viz";
import { frameBoundary } from "./boundary.js";
import { HEATMAP_SIZE, THUMBNAIL_SIZE, type Frame } from "./protocol.js";

export interface FrameBuffers {
  value: Float64Array; // (HEATMAP_SIZE²)
  classIndex: Uint8Array; // (HEATMAP_SIZE²)
  outputs: Float64Array; // (HEATMAP_SIZE², nOut)
  neurons: Float64Array; // (neuronCount, THUMBNAIL_SIZE²)
  focus: Float64Array; // (HEATMAP_SIZE²) or empty
}

/** What a sampler needs besides the network: the run's input features, target encoding and the plane drawn. */
export interface SamplerSetup {
  features: readonly FeatureName[];
  encoding: TargetEncoding | "regression";
  domain: Domain;
  /** Regression draws no boundary line. */
  regression: boolean;
}

/** What a run's frames hold, known without sampling anything. */
export interface FrameShape {
  readonly domain: Domain;
  /** Input features, hidden units and outputs, in that order. */
  readonly neuronCount: number;
  readonly nOut: number;
  /** Output value at which the class flips (one output), for discretized drawing: the grid sampler's own. */
  readonly threshold: number;
}

export function frameShape(net: Mlp, setup: SamplerSetup): FrameShape {
  const nOut = net.layers[net.layers.length - 1]!.nOut;
  const neuronCount = net.layers.reduce((sum, l) => sum + l.nOut, net.layers[0]!.nIn);
  return { domain: setup.domain, neuronCount, nOut, threshold: outputThreshold(net.spec.output, setup.encoding) };
}

/** The drawing a frame needs, sampled with packages/viz's grid and neuron-map samplers. */
export interface FrameSampler extends FrameShape {
  sample(net: Mlp, out: FrameBuffers, focus: number | null): void;
}

export function createFrameSampler(net: Mlp, setup: SamplerSetup): FrameSampler {
  const { features, encoding, domain } = setup;
  const shape = frameShape(net, setup);
  const grid: GridSampler = createGridSampler(net, { resolution: HEATMAP_SIZE, domain, features, encoding });
  const thumbs: NeuronMapSampler = createNeuronMapSampler(net, { resolution: THUMBNAIL_SIZE, domain, features, includeOutput: true });
  // the hovered neuron at full size: sampled only while one is hovered
  let large: NeuronMapSampler | null = null;
  if (thumbs.maps.length !== shape.neuronCount) throw new Error(`frameShape counts ${shape.neuronCount} unit maps, the sampler ${thumbs.maps.length}`);
  const cells = THUMBNAIL_SIZE * THUMBNAIL_SIZE;
  return {
    ...shape,
    sample(net, out, focus) {
      const g = grid.sample(net);
      out.value.set(g.value);
      out.classIndex.set(g.classIndex);
      out.outputs.set(g.outputs);
      const maps = thumbs.sample(net);
      for (let i = 0; i < maps.length; i++) out.neurons.set(maps[i]!.values, i * cells);
      if (focus !== null && out.focus.length > 0) {
        large ??= createNeuronMapSampler(net, { resolution: HEATMAP_SIZE, domain, features, includeOutput: true });
        out.focus.set(large.sample(net)[focus]!.values);
      }
    },
  };
}

/** The part of a frame the samplers fill in. */
export type SampledPart = Pick<Frame, "value" | "classIndex" | "outputs" | "neurons" | "focus" | "focusIndex" | "boundary">;

/** Buffers for a frame: the pool of ones the page handed back, else new ones. */
export interface BufferSource {
  float64(length: number): Float64Array;
  bytes(length: number): Uint8Array;
}

/** A pool of recycled buffers, matched by byte length. */
export function bufferPool(limit = 16): BufferSource & { give(buffers: ArrayBuffer[]): void; drain(): ArrayBuffer[] } {
  const pool: ArrayBuffer[] = [];
  const take = (bytes: number): ArrayBuffer | null => {
    const i = pool.findIndex((b) => b.byteLength === bytes);
    return i >= 0 ? pool.splice(i, 1)[0]! : null;
  };
  return {
    float64(length) {
      const b = take(length * 8);
      return b ? new Float64Array(b) : new Float64Array(length);
    },
    bytes(length) {
      const b = take(length);
      return b ? new Uint8Array(b) : new Uint8Array(length);
    },
    give(buffers) {
      for (const b of buffers) if (b.byteLength > 0) pool.push(b);
      if (pool.length > limit) pool.splice(0, pool.length - limit);
    },
    drain: () => pool.splice(0),
  };
}

/**
 * Samples the heatmap grid, every unit's thumbnail, the focused unit's large
 * map and the boundary line of `net` into buffers from `buffers`: the same
 * code whether the training worker samples inline or the view worker does.
 */
export function sampleFrame(sampler: FrameSampler, net: Mlp, regression: boolean, focus: number | null, buffers: BufferSource): SampledPart {
  const cells = HEATMAP_SIZE * HEATMAP_SIZE;
  const value = buffers.float64(cells);
  const classIndex = buffers.bytes(cells);
  const outputs = buffers.float64(cells * sampler.nOut);
  const neurons = buffers.float64(sampler.neuronCount * THUMBNAIL_SIZE * THUMBNAIL_SIZE);
  const focusIndex = focus !== null && focus >= 0 && focus < sampler.neuronCount ? focus : null;
  const focusMap = focusIndex === null ? new Float64Array(0) : buffers.float64(cells);
  sampler.sample(net, { value, classIndex, outputs, neurons, focus: focusMap }, focusIndex);
  const grid = {
    width: HEATMAP_SIZE,
    height: HEATMAP_SIZE,
    domain: sampler.domain,
    nOut: sampler.nOut,
    activation: net.spec.output,
    threshold: sampler.threshold,
    value,
    classIndex,
    outputs,
  };
  const boundary = frameBoundary(grid, regression, (n) => buffers.float64(n));
  return { value, classIndex, outputs, neurons, focus: focusMap, focusIndex, boundary };
}
