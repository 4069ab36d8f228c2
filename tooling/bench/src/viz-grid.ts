import { mlpFromParams, type MlpSpec } from "@backprop-lab/core";
import { cellCenterX, cellCenterY, createGridSampler, domainForDataset, type Domain } from "@backprop-lab/viz";
import { normwiseRelativeError } from "./agreement.js";
import { BRAIN, BRAIN_LIBRARY, createBrainNet } from "./peers/brain.js";
import { createTfMlp, tf, TFJS, TFJS_LIBRARY, useTfjsCpu } from "./peers/tfjs.js";
import type { Metric, Workload } from "./types.js";
import { FLOAT32_OUTPUT_TOLERANCE } from "./workloads/d-grid-200.js";

export const VIZ = "backprop-lab viz";
export const VIZ_LIBRARY = "@backprop-lab/viz on @backprop-lab/core (Float64Array)";

export interface VizGridWorkloadConfig {
  id: string;
  title: string;
  /** What the network is and where its weights come from. */
  netDescription: string;
  /** Cells per side of the square grid. */
  side: number;
  /** Grids sampled per timed run (more than one when a grid takes only milliseconds). */
  gridsPerRun: number;
  /** The network (every value a float32, so the float32 peers hold the same weights). */
  net(): { spec: MlpSpec; params: Float64Array };
}

/**
 * The cell centres `createGridSampler` evaluates, in its order (row 0 at the
 * top, x1 fastest): (side², 2) row-major.
 */
export function vizGridPoints(domain: Domain, side: number): Float64Array {
  const out = new Float64Array(side * side * 2);
  for (let r = 0; r < side; r++) {
    for (let c = 0; c < side; c++) {
      out[2 * (r * side + c)] = cellCenterX(domain, side, c);
      out[2 * (r * side + c) + 1] = cellCenterY(domain, side, r);
    }
  }
  return out;
}

/**
 * Grid sampling as the faces do it, `createGridSampler(net, { resolution,
 * domain }).sample()` (every output, the class score and the argmax class of
 * each cell), against each peer's own prediction at the same cell centres.
 */
export function vizGridWorkload(config: VizGridWorkloadConfig): Workload {
  const { side, gridsPerRun } = config;
  const cells = side * side;
  const metric: Metric = gridsPerRun === 1 ? { kind: "time", unit: "ms/grid" } : { kind: "rate", perRun: gridsPerRun, unit: "grids/s" };
  const times = gridsPerRun === 1 ? "" : `${gridsPerRun}× `;
  return {
    id: config.id,
    title: config.title,
    description:
      `${config.netDescription} sampled at the ${cells} cell centres of a ${side}×${side} grid over XOR's domain [-6, 6]² ` +
      `(row 0 at the top)${gridsPerRun === 1 ? "" : `, ${gridsPerRun} grids per run`}. Ours is the product's grid sampler; ` +
      `each peer runs its own prediction on the same points.`,
    metric,
    async setup() {
      await useTfjsCpu();
      const { spec, params } = config.net();
      const nOut = spec.sizes[spec.sizes.length - 1]!;
      const domain = domainForDataset("xor");
      const points = vizGridPoints(domain, side);

      const net = mlpFromParams(spec, params.slice());
      const sampler = createGridSampler(net, { resolution: side, domain });
      const ourGrid = () => {
        sampler.sample();
      };

      const tfNet = createTfMlp(spec, params);
      const pointsT = tf.tensor2d(new Float32Array(points), [cells, 2], "float32");
      let tfOut: ArrayLike<number> = new Float32Array(0);
      const tfjsGrid = () => {
        const o = tf.tidy(() => tfNet.forward(pointsT));
        tfOut = o.dataSync();
        o.dispose();
      };

      const brainNet = createBrainNet(spec, params);
      const inputs: number[][] = [];
      for (let i = 0; i < cells; i++) inputs.push([points[2 * i]!, points[2 * i + 1]!]);
      const brainOut = new Float64Array(cells * nOut);
      const brainGrid = () => {
        for (let i = 0; i < cells; i++) {
          const o = brainNet.run(inputs[i]!);
          for (let j = 0; j < nOut; j++) brainOut[i * nOut + j] = o[j]!;
        }
      };
      const repeat = (grid: () => void) => () => {
        for (let g = 0; g < gridsPerRun; g++) grid();
      };

      const noop = () => {};
      const quantity = `${cells * nOut} grid outputs`;
      return {
        subjects: [
          {
            name: VIZ,
            library: VIZ_LIBRARY,
            note: `${times}createGridSampler(net, { resolution: ${side}, domain }).sample(): outputs, class score and argmax class per cell, in chunks of 256 cells`,
            reset: noop,
            run: repeat(ourGrid),
          },
          { name: TFJS, library: TFJS_LIBRARY, note: `${times}one forward pass of a (${cells}, 2) tensor, then dataSync()`, reset: noop, run: repeat(tfjsGrid) },
          { name: BRAIN, library: BRAIN_LIBRARY, note: `${times}net.run([x1, x2]) per cell, outputs copied out`, reset: noop, run: repeat(brainGrid) },
        ],
        async check() {
          const ours = sampler.sample().outputs;
          tfjsGrid();
          brainGrid();
          return [
            { subject: TFJS, quantity, precision: "float32", relativeError: normwiseRelativeError(ours, tfOut), tolerance: FLOAT32_OUTPUT_TOLERANCE },
            { subject: BRAIN, quantity, precision: "float32", relativeError: normwiseRelativeError(ours, brainOut), tolerance: FLOAT32_OUTPUT_TOLERANCE },
          ];
        },
        dispose() {
          tfNet.dispose();
          pointsT.dispose();
        },
      };
    },
  };
}
