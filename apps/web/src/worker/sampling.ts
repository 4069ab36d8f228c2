import type { Mlp, Run } from "@backprop-lab/core";
import { createGridSampler, createNeuronMapSampler, type Domain, type GridSampler, type NeuronMapSampler } from "@backprop-lab/viz";
import { HEATMAP_SIZE, THUMBNAIL_SIZE } from "./protocol.js";

export interface FrameBuffers {
  value: Float64Array; // (HEATMAP_SIZE²)
  classIndex: Uint8Array; // (HEATMAP_SIZE²)
  outputs: Float64Array; // (HEATMAP_SIZE², nOut)
  neurons: Float64Array; // (neuronCount, THUMBNAIL_SIZE²)
  focus: Float64Array; // (HEATMAP_SIZE²) or empty
}

/** The drawing a frame needs, sampled with packages/viz's grid and neuron-map samplers. */
export interface FrameSampler {
  readonly domain: Domain;
  /** Input features, hidden units and outputs, in that order. */
  readonly neuronCount: number;
  readonly nOut: number;
  /** Output value at which the class flips (one output), for discretized drawing. */
  readonly threshold: number;
  sample(net: Mlp, out: FrameBuffers, focus: number | null): void;
}

export function createFrameSampler(run: Run, domain: Domain): FrameSampler {
  const features = run.config.features;
  const encoding = run.train.encoding;
  const grid: GridSampler = createGridSampler(run.net, { resolution: HEATMAP_SIZE, domain, features, encoding });
  const thumbs: NeuronMapSampler = createNeuronMapSampler(run.net, { resolution: THUMBNAIL_SIZE, domain, features, includeOutput: true });
  // the hovered neuron at full size: sampled only while one is hovered
  let large: NeuronMapSampler | null = null;
  const cells = THUMBNAIL_SIZE * THUMBNAIL_SIZE;
  const nOut = run.net.layers[run.net.layers.length - 1]!.nOut;
  const first = grid.sample();
  return {
    domain,
    neuronCount: thumbs.maps.length,
    nOut,
    threshold: first.threshold,
    sample(net, out, focus) {
      const g = grid.sample(net);
      out.value.set(g.value);
      out.classIndex.set(g.classIndex);
      out.outputs.set(g.outputs);
      const maps = thumbs.sample(net);
      for (let i = 0; i < maps.length; i++) out.neurons.set(maps[i]!.values, i * cells);
      if (focus !== null && out.focus.length > 0) {
        large ??= createNeuronMapSampler(run.net, { resolution: HEATMAP_SIZE, domain, features, includeOutput: true });
        out.focus.set(large.sample(net)[focus]!.values);
      }
    },
  };
}
