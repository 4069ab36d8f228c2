import { BackpropError } from "./errors.js";
import { normalizeRunDocument, type RunDocument, type RunDocumentInput } from "./run-document.js";

/**
 * A named run: an id and its whole run document. Titles and descriptions
 * are user-interface text and live with the faces (`@backprop-lab/i18n`),
 * not in the engine.
 */
export interface Preset {
  id: string;
  document: RunDocument;
}

/**
 * The course trains on the first 50 of its 300 points with the update
 * W ← W − lr·G, where G = N·dL/dW (its gradient is not divided by N). With
 * our loss scaled by 1/(2n), the same run is gradient descent with learning
 * rate lr·N: 0.003 × 50 = 0.15.
 */
const COURSE_N = 50;
const courseRate = (lr: number) => lr * COURSE_N;

function course(hidden: number, lr: number, lambda: number, bias = false): RunDocumentInput {
  return {
    seed: 2017,
    data: { source: "generated", name: "course-xor", trainRows: COURSE_N },
    features: ["x1", "x2"],
    network: { hidden: [hidden], activation: "sigmoid", output: "sigmoid", bias },
    init: { scheme: "course", seed: 2017 },
    training: {
      loss: "mse",
      optimizer: { kind: "sgd" },
      learningRate: courseRate(lr),
      schedule: { kind: "constant" },
      regularization: lambda > 0 ? { kind: "l2", lambda } : { kind: "none", lambda: 0 },
      batchSize: "full",
    },
  };
}

/** Train on all 300 course points with a plain learning rate (no test split). */
function allPoints(hidden: number, bias: boolean, learningRate: number): RunDocumentInput {
  const doc = course(hidden, 0, 0, bias);
  return { ...doc, data: { source: "generated", name: "course-xor", testRatio: 0 }, training: { ...doc.training, learningRate } };
}

/** The TensorFlow Playground's default: 2-4-2-1 tanh, rate 0.03, batch 10, labels ±1. */
function playground(name: "xor" | "circle" | "gauss" | "spiral"): RunDocumentInput {
  return {
    seed: 1,
    data: { source: "generated", name, noise: 0, testRatio: 0.5, encoding: "signed" },
    features: ["x1", "x2"],
    network: { hidden: [4, 2], activation: "tanh", output: "tanh", bias: true },
    init: { scheme: "playground" },
    training: { loss: "mse", optimizer: { kind: "sgd" }, learningRate: 0.03, schedule: { kind: "constant" }, regularization: { kind: "none", lambda: 0 }, batchSize: 10 },
  };
}

const INPUTS: readonly (readonly [string, RunDocumentInput])[] = [
  // the course's 2-3-2 sigmoid network on all 300 points with biases: about 93 % accuracy
  ["course-2-3-2-bias", allPoints(3, true, 2)],
  // without biases every hidden line passes through the origin: about 68 %
  ["course-2-3-2-all", allPoints(3, false, 1)],
  // one more hidden neuron and biases: about 99 %
  ["course-2-4-2-bias", allPoints(4, true, 3)],
  // the course's runs as it ran them: first 50 points, its weights (seed 2017), 0.003 per summed gradient
  ["course-2-3-2", course(3, 0.003, 0)],
  ["course-2-50-2", course(50, 0.003, 1e-4)],
  ["course-2-50-2-reg1e-6", course(50, 0.003, 1e-6)],
  ...(["xor", "circle", "gauss", "spiral"] as const).map((name) => [`playground-${name}`, playground(name)] as const),
];

/** Named runs: the course's, and the Playground's defaults. Each document is complete (normalized). */
export const PRESETS: readonly Preset[] = INPUTS.map(([id, input]) => ({ id, document: normalizeRunDocument(input) }));

/** A deep copy of a preset's run document; an unknown id throws `unknown-name` listing the presets. */
export function presetDocument(id: string): RunDocument {
  const preset = PRESETS.find((p) => p.id === id);
  if (!preset) {
    throw new BackpropError("unknown-name", `unknown preset ${JSON.stringify(id)}; presets: ${PRESETS.map((p) => p.id).join(", ")}`, { field: "preset" });
  }
  return JSON.parse(JSON.stringify(preset.document)) as RunDocument;
}
