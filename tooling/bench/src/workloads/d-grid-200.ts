import { mlpFromParams, predict } from "@backprop-lab/core";
import { createWorkspace } from "@backprop-lab/core/internal";
import { normwiseRelativeError, toFloat32Exact } from "../agreement.js";
import { gridPoints } from "../grid.js";
import { BRAIN, BRAIN_LIBRARY, createBrainNet } from "../peers/brain.js";
import { OURS, OURS_LIBRARY, oursTrainer } from "../peers/ours.js";
import { NUMPY, NumpyPeer, numberField, numbersField, numpyLibrary, setupNumpyProblem } from "../peers/numpy.js";
import { createTfMlp, tf, TFJS, TFJS_LIBRARY, TFJS_WASM, tfjsWasmLibrary, useTfjs, type TfBackend } from "../peers/tfjs.js";
import { forwardFlops } from "../peak.js";
import { sizesLabel } from "../problem.js";
import { FLOAT64_TOLERANCE, trainingProblem } from "../training.js";
import type { Agreement, Subject, Workload } from "../types.js";
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
  work: { samples: GRID_SIDE * GRID_SIDE, flops: forwardFlops(configB.sizes, GRID_SIDE * GRID_SIDE) },
  async setup() {
    const noop = () => {};
    const { spec, params } = trainedNetB();
    const grid = gridPoints(GRID_SIDE);
    const m = GRID_SIDE * GRID_SIDE;
    const nOut = spec.sizes[spec.sizes.length - 1]!;

    const net = mlpFromParams(spec, params.slice());
    const ws = createWorkspace(net, GRID_CHUNK);
    const ours = new Float64Array(m * nOut);
    const runOurs = () => {
      predict(net, grid, m, ours, ws);
    };

    // each tfjs subject's tensors are made, and used, with its own backend active
    const tfjsGrid = async (backend: TfBackend) => {
      await useTfjs(backend);
      const tfNet = createTfMlp(spec, params);
      const gridT = tf.tensor2d(new Float32Array(grid), [m, 2], "float32");
      const state = { out: new Float32Array(0) as ArrayLike<number> };
      return {
        state,
        reset: () => useTfjs(backend),
        run: () => {
          const o = tf.tidy(() => tfNet.forward(gridT));
          state.out = o.dataSync();
          o.dispose();
        },
        dispose: () => {
          tfNet.dispose();
          gridT.dispose();
        },
      };
    };
    const wasm = await tfjsGrid("wasm");
    const wasmLibrary = await tfjsWasmLibrary();
    const cpu = await tfjsGrid("cpu");

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

    // numpy: the trained weights and the grid are sent once; a run is one forward pass over the kept grid
    const started = await NumpyPeer.start();
    const numpy = "peer" in started ? started.peer : null;
    const numpySubjects: Subject[] = [];
    if ("peer" in started) {
      const problem = trainingProblem(configB);
      await setupNumpyProblem(started.peer, problem, configB.learningRate, params);
      await started.peer.request({ cmd: "grid", m, x: Array.from(grid) });
      const rtt = await started.peer.roundTripMs();
      numpySubjects.push({
        name: NUMPY,
        library: numpyLibrary(started.info),
        note: `one forward pass of a (${m}, 2) float64 array (a @ W, np.exp, buffers made once) in a python3 process of its own, one request over a pipe (round trip ${rtt.toFixed(2)} ms, inside the time)`,
        reset: noop,
        run: async () => {
          numberField(await started.peer.request({ cmd: "forward" }), "ms");
        },
      });
    }

    return {
      subjects: [
        { name: OURS, library: OURS_LIBRARY, note: `predict(net, grid, ${m}, out, workspace) in chunks of ${GRID_CHUNK} rows`, reset: noop, run: runOurs },
        ...numpySubjects,
        { name: TFJS_WASM, library: wasmLibrary, note: "one forward pass of a (40000, 2) tensor, then dataSync()", reset: wasm.reset, run: wasm.run },
        { name: TFJS, library: TFJS_LIBRARY, note: "one forward pass of a (40000, 2) tensor, then dataSync()", reset: cpu.reset, run: cpu.run },
        { name: BRAIN, library: BRAIN_LIBRARY, note: "net.run([x1, x2]) per point, outputs copied out", reset: noop, run: runBrain },
      ],
      ...("skipped" in started ? { skipped: [started.skipped] } : {}),
      async check() {
        runOurs();
        await wasm.reset();
        wasm.run();
        await cpu.reset();
        cpu.run();
        runBrain();
        const out = (subject: string, values: ArrayLike<number>, precision: "float32" | "float64", tolerance: number): Agreement => ({
          subject,
          quantity: `${m * nOut} grid outputs`,
          precision,
          relativeError: normwiseRelativeError(ours, values),
          tolerance,
        });
        return [
          ...(numpy ? [out(NUMPY, numbersField(await numpy.request({ cmd: "forward", return: true }), "out"), "float64", FLOAT64_TOLERANCE)] : []),
          out(TFJS_WASM, wasm.state.out, "float32", FLOAT32_OUTPUT_TOLERANCE),
          out(TFJS, cpu.state.out, "float32", FLOAT32_OUTPUT_TOLERANCE),
          out(BRAIN, brainOut, "float32", FLOAT32_OUTPUT_TOLERANCE),
        ];
      },
      dispose() {
        wasm.dispose();
        cpu.dispose();
        numpy?.close();
      },
    };
  },
};
