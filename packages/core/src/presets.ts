import { BackpropError } from "./errors.js";
import type { RunConfig } from "./run-config.js";

/** Text in every language the product speaks. */
export interface Localized {
  en: string;
  es: string;
}

export interface Preset {
  id: string;
  title: Localized;
  description: Localized;
  config: RunConfig;
}

/**
 * The course trains on the first 50 of its 300 points with the update
 * W ← W − lr·G, where G = N·dL/dW (its gradient is not divided by N). With
 * our loss scaled by 1/(2n), the same run is gradient descent with learning
 * rate lr·N: 0.003 × 50 = 0.15.
 */
const COURSE_N = 50;
const courseRate = (lr: number) => lr * COURSE_N;

function course(hidden: number, lr: number, lambda: number, bias = false): RunConfig {
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
function allPoints(config: RunConfig, learningRate: number): RunConfig {
  config.data = { source: "generated", name: "course-xor", testRatio: 0 };
  config.training.learningRate = learningRate;
  return config;
}

function playground(name: "xor" | "circle" | "gauss" | "spiral"): RunConfig {
  return {
    seed: 1,
    data: { source: "generated", name, noise: 0, testRatio: 0.5 },
    features: ["x1", "x2"],
    network: { hidden: [4, 2], activation: "tanh", output: "tanh", bias: true },
    init: { scheme: "playground" },
    training: {
      loss: "mse",
      optimizer: { kind: "sgd" },
      learningRate: 0.03,
      schedule: { kind: "constant" },
      regularization: { kind: "none", lambda: 0 },
      batchSize: 10,
    },
  };
}

function withSignedLabels(config: RunConfig): RunConfig {
  if (config.data.source === "generated") config.data.encoding = "signed";
  return config;
}

export const PRESETS: readonly Preset[] = [
  {
    id: "course-2-3-2-bias",
    title: { en: "Course network with biases", es: "Red del curso con sesgos" },
    description: {
      en: "The course's 2-3-2 sigmoid network on all 300 of its XOR points, with biases and a brisk learning rate: it learns visibly within seconds and reaches about 93 % accuracy.",
      es: "La red sigmoide 2-3-2 del curso con sus 300 puntos XOR, con sesgos y una tasa de aprendizaje ágil: aprende a la vista en segundos y llega a cerca del 93 % de exactitud.",
    },
    config: allPoints(course(3, 0, 0, true), 2),
  },
  {
    id: "course-2-3-2-all",
    title: { en: "Course network, no biases, all points", es: "Red del curso, sin sesgos, todos los puntos" },
    description: {
      en: "Without biases every hidden unit's line passes through the origin: on all 300 points the 2-3-2 network stalls near 68 % accuracy.",
      es: "Sin sesgos la recta de cada neurona oculta pasa por el origen: con los 300 puntos la red 2-3-2 se queda cerca del 68 % de exactitud.",
    },
    config: allPoints(course(3, 0, 0, false), 1),
  },
  {
    id: "course-2-4-2-bias",
    title: { en: "Course data, 4 hidden neurons with biases", es: "Datos del curso, 4 neuronas ocultas con sesgos" },
    description: {
      en: "One more hidden neuron and biases: about 99 % of the course's 300 points classified right.",
      es: "Una neurona oculta más y sesgos: cerca del 99 % de los 300 puntos del curso bien clasificados.",
    },
    config: allPoints(course(4, 0, 0, true), 3),
  },
  {
    id: "course-2-3-2",
    title: { en: "Course: 3 hidden neurons", es: "Curso: 3 neuronas ocultas" },
    description: {
      en: "The course's run as it ran it: 2-3-2 sigmoid, no biases, its initial weights (seed 2017), learning rate 0.003 per summed gradient, first 50 points. It plateaus near a loss of 0.246.",
      es: "La corrida del curso tal cual: 2-3-2 sigmoide, sin sesgos, sus pesos iniciales (semilla 2017), tasa 0.003 sobre el gradiente sumado, primeros 50 puntos. Se estanca cerca de una pérdida de 0.246.",
    },
    config: course(3, 0.003, 0),
  },
  {
    id: "course-2-50-2",
    title: { en: "Course: 50 hidden neurons", es: "Curso: 50 neuronas ocultas" },
    description: {
      en: "The course's 50-neuron run with L2 1e-4 and the correct L2 gradient: the loss falls smoothly, with no late climb.",
      es: "La corrida de 50 neuronas del curso con L2 1e-4 y el gradiente L2 correcto: la pérdida baja suavemente, sin subida tardía.",
    },
    config: course(50, 0.003, 1e-4),
  },
  {
    id: "course-2-50-2-reg1e-6",
    title: { en: "Course: 50 neurons, L2 1e-6", es: "Curso: 50 neuronas, L2 1e-6" },
    description: {
      en: "The course's third run: 50 hidden neurons with a tiny L2 penalty.",
      es: "La tercera corrida del curso: 50 neuronas ocultas con una penalización L2 mínima.",
    },
    config: course(50, 0.003, 1e-6),
  },
  ...(["xor", "circle", "gauss", "spiral"] as const).map(
    (name): Preset => ({
      id: `playground-${name}`,
      title: { en: `Playground: ${name}`, es: `Playground: ${name}` },
      description: {
        en: `The TensorFlow Playground's default: ${name} data, 2-4-2-1 tanh, learning rate 0.03, batch 10, labels ±1.`,
        es: `El valor por defecto del TensorFlow Playground: datos ${name}, 2-4-2-1 tanh, tasa 0.03, lote 10, etiquetas ±1.`,
      },
      config: withSignedLabels(playground(name)),
    }),
  ),
];

/** A deep copy of a preset's config. */
export function presetConfig(id: string): RunConfig {
  const preset = PRESETS.find((p) => p.id === id);
  if (!preset) {
    throw new BackpropError("unknown-name", `unknown preset ${JSON.stringify(id)}; presets: ${PRESETS.map((p) => p.id).join(", ")}`, { field: "preset" });
  }
  return JSON.parse(JSON.stringify(preset.config)) as RunConfig;
}
