import { BackpropError, normalizeRunDocument, presetDocument, type RunDocument, type RunNetwork, type RunTraining } from "@backprop-lab/core";
import type { FindingCode, Localized } from "./findings.js";
import { fixes, type Fix } from "./fixes.js";
import { FIX_EXPLOSION_FACTOR } from "./thresholds.js";

/**
 * A named way to break training: a run document, how many steps to run it,
 * the findings it must produce, and the fix that clears them
 * (`createTrainingRun(applyFix(lab.config, lab.fix))`).
 */
export interface FailureLab {
  id: string;
  title: Localized;
  /** One line for a lab list: what it shows, and how to cure it. */
  summary: Localized;
  description: Localized;
  /** The lab's whole run document. */
  config: RunDocument;
  steps: number;
  expected: FindingCode[];
  fix: Fix;
}

/** 200 points of the Playground's XOR, half held out, mini-batches of 10 (unless `training` says otherwise). */
function xorRun(
  network: RunNetwork,
  training: Partial<Omit<RunTraining, "regularization">> & { regularization?: { kind: "l1" | "l2"; lambda: number } },
  init: RunDocument["init"]["scheme"] = "xavier",
  encoding?: "signed",
  seed = 1,
): RunDocument {
  return normalizeRunDocument({
    seed,
    data: { source: "generated", name: "xor", n: 200, noise: 0, testRatio: 0.5, ...(encoding ? { encoding } : {}) },
    network,
    init: { scheme: init },
    training: { loss: "mse", optimizer: { kind: "sgd" }, schedule: { kind: "constant" }, batchSize: 10, ...training },
  });
}

function courseRun(id: string, change: (c: RunDocument) => void): RunDocument {
  const document = presetDocument(id);
  change(document);
  return normalizeRunDocument(document);
}

export const FAILURE_LABS: readonly FailureLab[] = [
  {
    id: "exploding-learning-rate",
    title: { en: "A learning rate that explodes", es: "Una tasa de aprendizaje que explota" },
    summary: {
      en: "Shows a loss that grows by orders of magnitude each step (0.57 → 1e304, then an overflow); cure: a learning rate 100× lower.",
      es: "Muestra una pérdida que crece órdenes de magnitud en cada paso (0.57 → 1e304, y luego un desbordamiento); cura: una tasa 100 veces menor.",
    },
    description: {
      en: "Two tanh layers of 8 units and a linear output on XOR with ±1 targets, full batch, at learning rate 1. Every step overshoots the valley by more than the last: the loss goes 0.57 → 3.9 in 4 updates, 3.6e15 in 25 and 8.8e304 in 291, and overflows on the next. The suggested fix lowers the rate 100× (to 0.01), and the loss falls steadily.",
      es: "Dos capas tanh de 8 unidades y una salida lineal con XOR de objetivos ±1, lote completo, con tasa de aprendizaje 1. Cada paso se pasa del valle más que el anterior: la pérdida va de 0.57 a 3.9 en 4 actualizaciones, 3.6e15 en 25 y 8.8e304 en 291, y se desborda en la siguiente. El arreglo propuesto baja la tasa 100 veces (a 0.01) y la pérdida baja sin sobresaltos.",
    },
    config: xorRun({ hidden: [8, 8], activation: "tanh", output: "linear", bias: true }, { learningRate: 1, batchSize: "full" }, "xavier", "signed"),
    steps: 300,
    expected: ["exploding-gradients", "loss-spike"],
    fix: fixes.lowerLearningRate(1, FIX_EXPLOSION_FACTOR),
  },
  {
    id: "vanishing-sigmoid",
    title: { en: "A deep narrow sigmoid network that vanishes", es: "Una red sigmoide profunda y estrecha que se desvanece" },
    summary: {
      en: "Shows the first of 8 sigmoid layers getting a millionth of the last one's gradient, the loss stuck at 0.25; cure: tanh.",
      es: "Muestra la primera de 8 capas sigmoides recibiendo una millonésima del gradiente de la última, la pérdida fija en 0.25; cura: tanh.",
    },
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
    summary: {
      en: "Shows relu units that output 0 for every input and never come back; cure: leaky relu.",
      es: "Muestra unidades relu que dan 0 con cualquier entrada y no vuelven; cura: leaky relu.",
    },
    description: {
      en: "Three relu layers of 8 units at learning rate 3: a few large steps push units to negative inputs for every point, where relu outputs 0 and passes no gradient, so they never recover. Leaky ReLU keeps a small slope below 0 and every unit alive.",
      es: "Tres capas relu de 8 unidades con tasa 3: unos pocos pasos grandes llevan unidades a entradas negativas para todos los puntos, donde relu da 0 y no deja pasar gradiente, así que no se recuperan. Leaky ReLU conserva una pequeña pendiente bajo 0 y todas las unidades vivas.",
    },
    // seed 5: under the run document's seed streams (createTrainingRun, as every face runs it) seed 1's
    // relu net blew up before its units died; seed 5's units die and leaky relu cures it
    config: xorRun({ hidden: [8, 8, 8], activation: "relu", output: "sigmoid", bias: true }, { learningRate: 3 }, "he", undefined, 5),
    steps: 500,
    expected: ["dead-units"],
    fix: fixes.useLeakyRelu(),
  },
  {
    id: "l1-collapse",
    title: { en: "An L1 penalty that zeroes every weight", es: "Una penalización L1 que anula todos los pesos" },
    summary: {
      en: "Shows an L1 penalty crushing every weight until the network outputs a constant; cure: λ 10× smaller.",
      es: "Muestra una penalización L1 que aplasta todos los pesos hasta que la red da una constante; cura: λ 10 veces menor.",
    },
    description: {
      en: "L1 with λ = 10 on full batches pulls every weight towards 0 by η·λ/n per step, harder than the data pushes back: within 25 steps the weights shrink to a few hundredths and the network outputs a constant (the loss stays at 0.3, no better than the base rates). λ = 1 keeps the sparsity pressure without flattening everything.",
      es: "L1 con λ = 10 en lotes completos empuja cada peso hacia 0 en η·λ/n por paso, más fuerte de lo que los datos lo devuelven: en 25 pasos los pesos se reducen a unas centésimas y la red devuelve una constante (la pérdida se queda en 0.3, no mejor que las proporciones de clase). λ = 1 mantiene la presión hacia pesos nulos sin aplanarlo todo.",
    },
    config: xorRun({ hidden: [8], activation: "tanh", output: "sigmoid", bias: true }, { learningRate: 0.3, batchSize: "full", regularization: { kind: "l1", lambda: 10 } }),
    steps: 300,
    expected: ["regularization-too-strong"],
    fix: fixes.weakerRegularization("l1", 10, 0.1),
  },
  {
    id: "no-biases",
    title: { en: "The course's network without biases", es: "La red del curso sin sesgos" },
    summary: {
      en: "Shows the course's 2-3-2 stuck near 0.246 because every hidden line passes through the origin; cure: biases on.",
      es: "Muestra la 2-3-2 del curso estancada cerca de 0.246 porque cada recta oculta pasa por el origen; cura: activar los sesgos.",
    },
    description: {
      en: "The course's own 2-3-2 run: no biases, so every hidden unit's line passes through the origin, and the loss plateaus near 0.246 with 62 % of its 50 training points right. Turning biases on lets the lines move and the loss keep falling.",
      es: "La corrida 2-3-2 del propio curso: sin sesgos, la recta de cada neurona oculta pasa por el origen y la pérdida se estanca cerca de 0.246 con el 62 % de sus 50 puntos de entrenamiento bien. Con sesgos las rectas se desplazan y la pérdida sigue bajando.",
    },
    config: presetDocument("course-2-3-2"),
    steps: 3000,
    expected: ["no-biases"],
    fix: fixes.enableBias(),
  },
  {
    id: "course-l2-bug",
    title: { en: "Teaching hook: the course's own L2 bug", es: "Gancho didáctico: el error L2 del propio curso" },
    summary: {
      en: "Shows the course's wrong L2 gradient: a minimum after 91,431 updates, a climb and an overflow; cure: the correct gradient λ·W/n.",
      es: "Muestra el gradiente L2 erróneo del curso: un mínimo tras 91 431 actualizaciones, una subida y un desbordamiento; cura: el gradiente correcto λ·W/n.",
    },
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

/** A deep copy of a lab's run document. */
export function labDocument(id: string): RunDocument {
  const lab = FAILURE_LABS.find((l) => l.id === id);
  if (!lab) {
    throw new BackpropError("unknown-name", `unknown failure lab ${JSON.stringify(id)}; labs: ${FAILURE_LABS.map((l) => l.id).join(", ")}`, {
      field: "lab",
    });
  }
  return JSON.parse(JSON.stringify(lab.config)) as RunDocument;
}
