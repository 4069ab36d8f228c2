import { createWorkspace, mlpFromParams, predict } from "@backprop-lab/core";
import { normwiseRelativeError, toFloat32Exact } from "../agreement.js";
import { gridPoints } from "../grid.js";
import { BRAIN, BRAIN_LIBRARY, createBrainNet } from "../peers/brain.js";
import { OURS, OURS_LIBRARY, oursTrainer } from "../peers/ours.js";
import { createTfMlp, tf, TFJS, TFJS_LIBRARY, useTfjsCpu } from "../peers/tfjs.js";
import { sizesLabel } from "../problem.js";
import { trainingProblem } from "../training.js";
import type { Workload } from "../types.js";
import { configB } from "./b-xor-2-50-2.js";

export const GRID_SIDE = 200;
/** Rows per forward pass for ours: predict streams the grid through a workspace of this capacity. */
export const GRID_CHUNK = 256;
export const FLOAT32_OUTPUT_TOLERANCE = 1e-6;

/** Workload B's network after its training run, weights rounded to float32. */
export function trainedNetB(): { spec: ReturnType<typeof trainingProblem>["spec"]; params: Float64Array } {
  const problem = trainingProblem(configB);
  const { net, trainer } = oursTrainer(problem, configB.learningRate);
  const batch = { x: problem.data.x, y: problem.data.y, n: problem.data.n };
  for (let s = 0; s < configB.steps; s++) trainer.step(batch);
  return { spec: problem.spec, params: toFloat32Exact(net.params) };
}

export const workloadD: Workload = {
  id: "D",
  title: `trained ${sizesLabel(configB.sizes)} net on a ${GRID_SIDE}×${GRID_SIDE} grid`,
  description:
    `Outputs of workload B's network (after its ${configB.steps} steps, weights rounded to float32) at the ` +
    `${GRID_SIDE * GRID_SIDE} cell centres of a ${GRID_SIDE}×${GRID_SIDE} grid over [-6, 6]², written to one output array.`,
  metric: { kind: "time", unit: "ms/grid" },
  async setup() {
    await useTfjsCpu();
    const { spec, params } = trainedNetB();
    const grid = gridPoints(GRID_SIDE);
    const m = GRID_SIDE * GRID_SIDE;
    const nOut = spec.sizes[spec.sizes.length - 1]!;

    const net = mlpFromParams(spec, params.slice());
    const ws = createWorkspace(net, GRID_CHUNK);
    const ours = new Float64Array(m * nOut);
    const runOurs = () => predict(net, grid, m, ours, ws);

    const tfNet = createTfMlp(spec, params);
    const gridT = tf.tensor2d(new Float32Array(grid), [m, 2], "float32");
    let tfOut: ArrayLike<number> = new Float32Array(0);
    const runTfjs = () => {
      const o = tf.tidy(() => tfNet.forward(gridT));
      tfOut = o.dataSync();
      o.dispose();
    };

    const brainNet = createBrainNet(spec, params);
    const inputs: number[][] = [];
    for (let i = 0; i < m; i++) inputs.push([grid[2 * i]!, grid[2 * i + 1]!]);
    const brainOut = new Float64Array(m * nOut);
    const runBrain = () => {
      for (let i = 0; i < m; i++) {
        const o = brainNet.run(inputs[i]!);
        for (let j = 0; j < nOut; j++) brainOut[i * nOut + j] = o[j]!;
      }
    };

    const noop = () => {};
    return {
      subjects: [
        { name: OURS, library: OURS_LIBRARY, note: `predict(net, grid, ${m}, out, workspace) in chunks of ${GRID_CHUNK} rows`, reset: noop, run: runOurs },
        { name: TFJS, library: TFJS_LIBRARY, note: "one forward pass of a (40000, 2) tensor, then dataSync()", reset: noop, run: runTfjs },
        { name: BRAIN, library: BRAIN_LIBRARY, note: "net.run([x1, x2]) per point, outputs copied out", reset: noop, run: runBrain },
      ],
      async check() {
        runOurs();
        runTfjs();
        runBrain();
        return [
          { subject: TFJS, quantity: `${m * nOut} grid outputs`, precision: "float32", relativeError: normwiseRelativeError(ours, tfOut), tolerance: FLOAT32_OUTPUT_TOLERANCE },
          { subject: BRAIN, quantity: `${m * nOut} grid outputs`, precision: "float32", relativeError: normwiseRelativeError(ours, brainOut), tolerance: FLOAT32_OUTPUT_TOLERANCE },
        ];
      },
      dispose() {
        tfNet.dispose();
        gridT.dispose();
      },
    };
  },
};
