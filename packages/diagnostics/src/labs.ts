import { BackpropError, normalizeRunConfig, presetConfig, type Localized, type RunConfig } from "@backprop-lab/core";
import type { FindingCode } from "./findings.js";
import { fixes, type Fix } from "./fixes.js";

/**
 * A named way to break training: a run config, how many steps to run it, the
 * findings it must produce, and the fix that clears them
 * (`createRun(applyFix(lab.config, lab.fix))`).
 */
export interface FailureLab {
  id: string;
  title: Localized;
  description: Localized;
  config: RunConfig;
  steps: number;
  expected: FindingCode[];
  fix: Fix;
}

/** 200 points of the Playground's XOR, half held out, mini-batches of 10. */
function xorRun(network: RunConfig["network"], training: Partial<RunConfig["training"]>, init: RunConfig["init"]["scheme"] = "xavier"): RunConfig {
  return normalizeRunConfig({
    seed: 1,
    data: { source: "generated", name: "xor", n: 200, noise: 0, testRatio: 0.5 },
    network,
    init: { scheme: init },
    training: { loss: "mse", optimizer: { kind: "sgd" }, schedule: { kind: "constant" }, batchSize: 10, ...training },
  });
}

function courseRun(id: string, change: (c: RunConfig) => void): RunConfig {
  const config = presetConfig(id);
  change(config);
  return normalizeRunConfig(config);
}

export const FAILURE_LABS: readonly FailureLab[] = [
  {
    id: "exploding-learning-rate",
    title: { en: "The course's 50 neurons at a learning rate that explodes", es: "Las 50 neuronas del curso con una tasa que explota" },
    description: {
      en: "The course's 2-50-2 network with its learning rate raised 33× (0.1 per summed gradient, 5 in our scaling). The first steps overshoot: the loss jumps from 0.257 to 0.347 in 4 updates and then bounces instead of falling. Learning rate × 0.3 makes it fall smoothly again.",
      es: "La red 2-50-2 del curso con la tasa de aprendizaje 33 veces mayor (0.1 sobre el gradiente sumado, 5 en nuestra escala). Los primeros pasos se pasan: la pérdida salta de 0.257 a 0.347 en 4 actualizaciones y luego rebota en vez de bajar. Tasa × 0.3 y vuelve a bajar suavemente.",
    },
    config: courseRun("course-2-50-2", (c) => (c.training.learningRate = 5)),
    steps: 300,
    expected: ["loss-spike", "learning-rate-too-high"],
    fix: fixes.lowerLearningRate(5, 0.3),
  },
  {
    id: "vanishing-sigmoid",
    title: { en: "A deep narrow sigmoid network that vanishes", es: "Una red sigmoide profunda y estrecha que se desvanece" },
    description: {
      en: "Eight hidden sigmoid layers of 4 units on XOR. Each sigmoid multiplies the gradient by at most 0.25 on the way back, so the first layer gets about a millionth of the last layer's gradient and the loss never leaves 0.25. With tanh (slope 1 at 0) the same network learns XOR.",
      es: "Ocho capas ocultas sigmoides de 4 unidades con XOR. Cada sigmoide multiplica el gradiente por 0.25 como mucho al retroceder, así que la primera capa recibe una millonésima parte del gradiente de la última y la pérdida no sale de 0.25. Con tanh (pendiente 1 en 0) la misma red aprende XOR.",
    },
    config: xorRun({ hidden: [4, 4, 4, 4, 4, 4, 4, 4], activation: "sigmoid", output: "sigmoid", bias: true }, { learningRate: 0.3 }),
    steps: 300,
    expected: ["vanishing-gradients"],
    fix: fixes.useTanh(),
  },
  {
    id: "dying-relu",
    title: { en: "ReLUs that die at a large learning rate", es: "ReLU que mueren con una tasa grande" },
    description: {
      en: "Three relu layers of 8 units at learning rate 3: a few large steps push units to negative inputs for every point, where relu outputs 0 and passes no gradient, so they never recover. Leaky ReLU keeps a small slope below 0 and every unit alive.",
      es: "Tres capas relu de 8 unidades con tasa 3: unos pocos pasos grandes llevan unidades a entradas negativas para todos los puntos, donde relu da 0 y no deja pasar gradiente, así que no se recuperan. Leaky ReLU conserva una pequeña pendiente bajo 0 y todas las unidades vivas.",
    },
    config: xorRun({ hidden: [8, 8, 8], activation: "relu", output: "sigmoid", bias: true }, { learningRate: 3 }, "he"),
    steps: 500,
    expected: ["dead-units"],
    fix: fixes.useLeakyRelu(),
  },
  {
    id: "l1-collapse",
    title: { en: "An L1 penalty that zeroes every weight", es: "Una penalización L1 que anula todos los pesos" },
    description: {
      en: "L1 with λ = 1 pulls every weight towards 0 by λ/n per step, harder than the data pushes back: within 25 steps the weights shrink to a few hundredths and the network outputs a constant. λ = 0.1 keeps the sparsity pressure without flattening everything.",
      es: "L1 con λ = 1 empuja cada peso hacia 0 en λ/n por paso, más fuerte de lo que los datos lo devuelven: en 25 pasos los pesos se reducen a unas centésimas y la red devuelve una constante. λ = 0.1 mantiene la presión hacia pesos nulos sin aplanarlo todo.",
    },
    config: xorRun({ hidden: [8], activation: "tanh", output: "sigmoid", bias: true }, { learningRate: 0.3, regularization: { kind: "l1", lambda: 1 } }),
    steps: 300,
    expected: ["regularization-too-strong"],
    fix: fixes.weakerRegularization("l1", 1, 0.1),
  },
  {
    id: "no-biases",
    title: { en: "The course's network without biases", es: "La red del curso sin sesgos" },
    description: {
      en: "The course's own 2-3-2 run: no biases, so every hidden unit's line passes through the origin, and the loss plateaus near 0.246 with 62 % of its 50 training points right. Turning biases on lets the lines move and the loss keep falling.",
      es: "La corrida 2-3-2 del propio curso: sin sesgos, la recta de cada neurona oculta pasa por el origen y la pérdida se estanca cerca de 0.246 con el 62 % de sus 50 puntos de entrenamiento bien. Con sesgos las rectas se desplazan y la pérdida sigue bajando.",
    },
    config: presetConfig("course-2-3-2"),
    steps: 3000,
    expected: ["no-biases"],
    fix: fixes.enableBias(),
  },
  {
    id: "course-l2-bug",
    title: { en: "Teaching hook: the course's own L2 bug", es: "Gancho didáctico: el error L2 del propio curso" },
    description: {
      en: "Explicitly labelled teaching hook, not a real cure: the course's 50-neuron run with its L2 gradient written as λ·ΣW² added to every entry instead of λ·W. The loss bottoms out at 0.2259 after 91,431 updates, climbs 10 % above that by 98,644, and overflows after 102,695, exactly as the reference run recorded. The course blamed exploding gradients; a gradient check at the spike shows the backward pass itself is wrong. With the correct gradient the loss falls smoothly.",
      es: "Gancho didáctico explícito, no una cura real: la corrida de 50 neuronas del curso con su gradiente L2 escrito como λ·ΣW² sumado a cada entrada en vez de λ·W. La pérdida toca fondo en 0.2259 tras 91 431 actualizaciones, sube un 10 % por encima hacia 98 644 y se desborda tras 102 695, tal como registró la corrida de referencia. El curso culpó a los gradientes que explotan; una comprobación del gradiente en el pico muestra que el propio paso hacia atrás está mal. Con el gradiente correcto la pérdida baja suavemente.",
    },
    config: courseRun("course-2-50-2", (c) => (c.training.regularization = { kind: "l2", lambda: 1e-4, gradient: "course-bug" })),
    steps: 102_700,
    expected: ["loss-spike", "gradient-check-failed", "exploding-gradients", "non-finite"],
    fix: fixes.correctL2Gradient(1e-4),
  },
];

/** A deep copy of a lab's run config. */
export function labConfig(id: string): RunConfig {
  const lab = FAILURE_LABS.find((l) => l.id === id);
  if (!lab) {
    throw new BackpropError("unknown-name", `unknown failure lab ${JSON.stringify(id)}; labs: ${FAILURE_LABS.map((l) => l.id).join(", ")}`, {
      field: "lab",
    });
  }
  return JSON.parse(JSON.stringify(lab.config)) as RunConfig;
}
