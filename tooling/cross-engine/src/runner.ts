import { createTrainingRun, presetDocument, type RunDocumentInput } from "@backprop-lab/core";

/** The seeded trainings every engine runs: data generation (sin/cos, gaussian noise), init, training. */
export const RUNS: Record<string, { config: RunDocumentInput; steps: number }> = {
  "sigmoid-sgd": {
    config: { seed: 7, data: { name: "circle", n: 60 }, network: { hidden: [4], activation: "sigmoid", output: "sigmoid", bias: true }, training: { loss: "binary-cross-entropy", optimizer: { kind: "sgd" }, learningRate: 0.3 } },
    steps: 150,
  },
  "tanh-softmax-adam": {
    config: {
      seed: 11,
      data: { name: "spiral", n: 60, noise: 0.1 },
      features: ["x1", "x2", "sinx1", "sinx2"],
      network: { hidden: [6], activation: "tanh", output: "softmax", bias: true },
      training: { loss: "cross-entropy", optimizer: { kind: "adam" }, learningRate: 0.02, schedule: { kind: "cosine", totalSteps: 150 } },
    },
    steps: 150,
  },
  "relu-softmax-momentum": {
    config: {
      seed: 5,
      data: { name: "gauss", n: 60, noise: 0.2 },
      network: { hidden: [5], activation: "relu", output: "softmax", bias: true },
      training: { loss: "cross-entropy", optimizer: { kind: "momentum" }, learningRate: 0.05, schedule: { kind: "exponential", decayRate: 0.9, decaySteps: 50 } },
    },
    steps: 150,
  },
  "course-2-3-2": { config: presetDocument("course-2-3-2"), steps: 150 },
};

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const hex = (x: number): string => {
  f64[0] = x;
  return (u32[1]! >>> 0).toString(16).padStart(8, "0") + (u32[0]! >>> 0).toString(16).padStart(8, "0");
};

/** Every parameter's bits (hex), and the last loss, for each run. */
export function crossEngineRun(): string {
  const out: Record<string, { params: string[]; loss: string }> = {};
  for (const [name, { config, steps }] of Object.entries(RUNS)) {
    const run = createTrainingRun(config);
    let loss = NaN;
    for (let i = 0; i < steps; i++) loss = run.step().loss;
    const params: string[] = [];
    for (const layer of run.net.layers) {
      for (const w of layer.W) params.push(hex(w));
      for (const b of layer.b ?? []) params.push(hex(b));
    }
    out[name] = { params, loss: hex(loss) };
  }
  return JSON.stringify(out);
}

(globalThis as Record<string, unknown>).crossEngineRun = crossEngineRun;
const c = (globalThis as { console?: { log(s: string): void } }).console;
if ((globalThis as { CROSS_ENGINE_PRINT?: boolean }).CROSS_ENGINE_PRINT !== false && c) c.log(crossEngineRun());
