/** A message in both languages the product speaks. */
export interface Localized {
  en: string;
  es: string;
}
import type { Fix } from "./fixes.js";

export type FindingCode =
  | "non-finite"
  | "exploding-gradients"
  | "loss-spike"
  | "learning-rate-too-high"
  | "learning-rate-too-low"
  | "vanishing-gradients"
  | "saturated-units"
  | "dead-units"
  | "no-biases"
  | "regularization-too-strong"
  | "gradient-check-failed";

export const FINDING_CODES: readonly FindingCode[] = [
  "non-finite",
  "exploding-gradients",
  "loss-spike",
  "learning-rate-too-high",
  "learning-rate-too-low",
  "vanishing-gradients",
  "saturated-units",
  "dead-units",
  "no-biases",
  "regularization-too-strong",
  "gradient-check-failed",
];

export type Severity = "info" | "warning" | "error";

/**
 * What a detector saw: the numbers behind it, a message in every language
 * and a concrete fix (null when no setting fixes it). One finding per code:
 * `step` is the latest update where it held, `firstStep` the first.
 */
export interface Finding {
  code: FindingCode;
  severity: Severity;
  step: number;
  firstStep: number;
  /** Whether it held on the latest step the detectors saw. */
  active: boolean;
  numbers: Record<string, number>;
  message: Localized;
  fix: Fix | null;
}

/** The names of each code's numbers, in order (the detectors store them in this order). */
export const FINDING_NUMBERS = {
  "non-finite": ["loss", "gradNorm", "layer", "index", "value"],
  "exploding-gradients": ["gradNorm", "gradNormAtBest", "growth", "loss", "bestLoss", "bestStep"],
  "loss-spike": ["loss", "bestLoss", "bestStep", "ratio"],
  "learning-rate-too-high": ["loss", "lossBefore", "window", "ups", "oscillating", "learningRate"],
  "learning-rate-too-low": ["loss", "improvement", "window", "updateRatio", "learningRate"],
  "vanishing-gradients": ["ratio", "firstLayerRms", "lastLayerRms", "layers"],
  "saturated-units": ["saturatedFraction", "layer", "loss", "initialLoss"],
  "dead-units": ["deadFraction", "layer", "deadUnits", "units", "blowup", "blowupStep"],
  "no-biases": ["loss", "improvement", "window", "hiddenUnits"],
  "regularization-too-strong": ["weightRms", "initialWeightRms", "lambda"],
  "gradient-check-failed": ["maxRelativeError", "layer", "row", "col", "analytic", "numeric"],
} as const satisfies Record<FindingCode, readonly string[]>;

export const FINDING_SEVERITY: Record<FindingCode, Severity> = {
  "non-finite": "error",
  "exploding-gradients": "error",
  "loss-spike": "warning",
  "learning-rate-too-high": "warning",
  "learning-rate-too-low": "info",
  "vanishing-gradients": "warning",
  "saturated-units": "warning",
  "dead-units": "warning",
  "no-biases": "warning",
  "regularization-too-strong": "warning",
  "gradient-check-failed": "error",
};

/** A number as people read it: 3 significant digits, no trailing zeros, exponent for the very small and large. */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x) && Math.abs(x) < 1e6) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return x.toExponential(2).replace(/\.?0+e/, "e");
  return String(Number(x.toPrecision(3)));
}

const pct = (x: number) => `${fmt(x * 100)} %`;

/** What a message says about the run besides its numbers. */
export interface MessageContext {
  /** The activation of the first hidden layer (none without hidden layers). */
  activation?: string | undefined;
  /** The optimizer's kind: sgd, momentum or adam. */
  optimizer?: string | undefined;
}

/** How much one layer of this activation can shrink or pass the gradient on the way back. */
function slopeText(activation: string | undefined): Localized {
  switch (activation) {
    case "sigmoid":
      return { en: "Each sigmoid multiplies the gradient by at most 0.25 on the way back", es: "Cada sigmoide multiplica el gradiente por 0.25 como mucho al retroceder" };
    case "tanh":
      return {
        en: "Each tanh multiplies the gradient by its slope, 1 at 0 but near 0 where the unit is saturated, on the way back",
        es: "Cada tanh multiplica el gradiente por su pendiente, 1 en 0 pero casi 0 donde la unidad está saturada, al retroceder",
      };
    case "relu":
      return { en: "Each relu passes the gradient only through units that are on, and blocks it at the others", es: "Cada relu deja pasar el gradiente solo por las unidades encendidas y lo bloquea en las demás" };
    case "leaky-relu":
      return { en: "Each leaky relu multiplies the gradient by 0.01 at units below 0", es: "Cada leaky relu multiplica el gradiente por 0.01 en las unidades por debajo de 0" };
    default:
      return { en: "Each layer multiplies the gradient by its weights and slopes on the way back", es: "Cada capa multiplica el gradiente por sus pesos y pendientes al retroceder" };
  }
}

/** The message of a finding from its numbers; `tensor` names where a non-finite value sat, `context` the run's activation and optimizer. */
export function findingMessage(code: FindingCode, n: Record<string, number>, step: number, tensor = "", context: MessageContext = {}): Localized {
  const opt = context.optimizer ? ` (${context.optimizer})` : "";
  switch (code) {
    case "non-finite":
      return {
        en: `The numbers overflowed at step ${step}: ${tensor ? `${tensor} of layer ${n.layer} holds ${fmt(n.value!)}, ` : ""}loss ${fmt(n.loss!)}, gradient norm ${fmt(n.gradNorm!)}${!tensor && Number.isFinite(n.loss) ? " (every gradient entry is finite, but the sum of their squares is not)" : ""}. After an overflow every later step is NaN: lower the learning rate, clip the gradient or use fewer layers.`,
        es: `Los números se desbordaron en el paso ${step}: ${tensor ? `${tensor} de la capa ${n.layer} vale ${fmt(n.value!)}, ` : ""}pérdida ${fmt(n.loss!)}, norma del gradiente ${fmt(n.gradNorm!)}${!tensor && Number.isFinite(n.loss) ? " (cada entrada del gradiente es finita, pero la suma de sus cuadrados no)" : ""}. Tras un desbordamiento todos los pasos siguientes son NaN: baja la tasa de aprendizaje, recorta el gradiente o usa menos capas.`,
      };
    case "exploding-gradients":
      return {
        en: `Training is exploding: the loss rose from ${fmt(n.bestLoss!)} (step ${n.bestStep}) to ${fmt(n.loss!)}, ${fmt(n.loss! / n.bestLoss!)}×, and the gradient norm went from ${fmt(n.gradNormAtBest!)} to ${fmt(n.gradNorm!)}. Each step overshoots more than the last: the learning rate${opt} is too large for this valley.`,
        es: `El entrenamiento explota: la pérdida subió de ${fmt(n.bestLoss!)} (paso ${n.bestStep}) a ${fmt(n.loss!)}, ${fmt(n.loss! / n.bestLoss!)}×, y la norma del gradiente pasó de ${fmt(n.gradNormAtBest!)} a ${fmt(n.gradNorm!)}. Cada paso se pasa más que el anterior: la tasa de aprendizaje${opt} es demasiado grande para este valle.`,
      };
    case "loss-spike":
      return {
        en: `The loss jumped to ${fmt(n.loss!)}, ${pct(n.ratio! - 1)} above its best ${fmt(n.bestLoss!)} (step ${n.bestStep}). Training is undoing its own progress.`,
        es: `La pérdida saltó a ${fmt(n.loss!)}, un ${pct(n.ratio! - 1)} por encima de su mejor valor ${fmt(n.bestLoss!)} (paso ${n.bestStep}). El entrenamiento está deshaciendo su propio progreso.`,
      };
    case "learning-rate-too-high":
      return n.oscillating
        ? {
            en: `The learning rate ${fmt(n.learningRate!)}${opt} is too high: the loss went up on ${n.ups} of the last ${n.window} steps and made no progress (${fmt(n.lossBefore!)} → ${fmt(n.loss!)}). The steps overshoot the valley and bounce across it.`,
            es: `La tasa de aprendizaje ${fmt(n.learningRate!)}${opt} es demasiado alta: la pérdida subió en ${n.ups} de los últimos ${n.window} pasos sin avanzar (${fmt(n.lossBefore!)} → ${fmt(n.loss!)}). Los pasos se pasan del valle y rebotan de un lado a otro.`,
          }
        : {
            en: `The learning rate ${fmt(n.learningRate!)}${opt} is too high: the loss rose from ${fmt(n.lossBefore!)} to ${fmt(n.loss!)} over ${n.window} steps. Gradient descent should only go down.`,
            es: `La tasa de aprendizaje ${fmt(n.learningRate!)}${opt} es demasiado alta: la pérdida subió de ${fmt(n.lossBefore!)} a ${fmt(n.loss!)} en ${n.window} pasos. El descenso por gradiente solo debería bajar.`,
          };
    case "learning-rate-too-low":
      return {
        en: `The learning rate ${fmt(n.learningRate!)}${opt} looks too low: the loss (${fmt(n.loss!)}) improved only ${pct(n.improvement!)} in ${n.window} steps, and each step changes the weights by at most ${fmt(n.updateRatio!)} of their size (about 1e-3 is healthy).`,
        es: `La tasa de aprendizaje ${fmt(n.learningRate!)}${opt} parece demasiado baja: la pérdida (${fmt(n.loss!)}) mejoró solo un ${pct(n.improvement!)} en ${n.window} pasos, y cada paso cambia los pesos como mucho en ${fmt(n.updateRatio!)} de su tamaño (lo sano ronda 1e-3).`,
      };
    case "vanishing-gradients": {
      const slope = slopeText(context.activation);
      return {
        en: `Vanishing gradients: the first layer's gradient is ${fmt(n.ratio!)} of the last layer's (RMS ${fmt(n.firstLayerRms!)} vs ${fmt(n.lastLayerRms!)}) across ${n.layers} layers, and the loss is stuck. ${slope.en}, so the early layers barely learn.`,
        es: `Gradientes que se desvanecen: el gradiente de la primera capa es ${fmt(n.ratio!)} del de la última (RMS ${fmt(n.firstLayerRms!)} frente a ${fmt(n.lastLayerRms!)}) a lo largo de ${n.layers} capas, y la pérdida no baja. ${slope.es}, así que las primeras capas apenas aprenden.`,
      };
    }
    case "saturated-units":
      return {
        en: `${pct(n.saturatedFraction!)} of the activations of layer ${n.layer} sit at the flat ends of their curve, where the slope is almost 0, while the loss (${fmt(n.loss!)}) is still far from low (it started at ${fmt(n.initialLoss!)}): the weights grew so large that the gradient through these units is nearly 0.`,
        es: `El ${pct(n.saturatedFraction!)} de las activaciones de la capa ${n.layer} está en los extremos planos de su curva, donde la pendiente es casi 0, mientras la pérdida (${fmt(n.loss!)}) sigue lejos de ser baja (empezó en ${fmt(n.initialLoss!)}): los pesos crecieron tanto que el gradiente a través de esas unidades es casi 0.`,
      };
    case "dead-units":
      return {
        en: `Dead ReLUs: ${n.deadUnits} of ${n.units} hidden relu units output 0 for every input (${pct(n.deadFraction!)} of layer ${n.layer}). A dead unit passes no gradient, so it never comes back.${n.blowup! > 0 ? ` They died after the loss jumped to ${fmt(n.blowup!)}× its first value at step ${n.blowupStep}: one step that large can push a unit's input below 0 for every row, so the learning rate${opt} has to come down too.` : ""}`,
        es: `ReLU muertas: ${n.deadUnits} de ${n.units} unidades relu ocultas dan 0 con cualquier entrada (${pct(n.deadFraction!)} de la capa ${n.layer}). Una unidad muerta no deja pasar gradiente, así que nunca revive.${n.blowup! > 0 ? ` Murieron después de que la pérdida saltara a ${fmt(n.blowup!)}× su primer valor en el paso ${n.blowupStep}: un paso tan grande puede dejar la entrada de una unidad por debajo de 0 en todas las filas, así que también hay que bajar la tasa de aprendizaje${opt}.` : ""}`,
      };
    case "no-biases":
      return {
        en: `The loss is stuck at ${fmt(n.loss!)} (${pct(n.improvement!)} better in ${n.window} steps) and the network has no biases: each of its ${n.hiddenUnits} hidden units draws its line through the origin, and lines that all cross at (0, 0) fit XOR-like data badly.${n.hiddenUnits === 3 ? " This is why the course's 3-neuron network plateaus near 0.246." : ""}`,
        es: `La pérdida está estancada en ${fmt(n.loss!)} (un ${pct(n.improvement!)} mejor en ${n.window} pasos) y la red no tiene sesgos: cada una de sus ${n.hiddenUnits} neuronas ocultas traza su recta por el origen, y unas rectas que se cruzan todas en (0, 0) se ajustan mal a datos tipo XOR.${n.hiddenUnits === 3 ? " Por eso la red de 3 neuronas del curso se estanca cerca de 0.246." : ""}`,
      };
    case "regularization-too-strong":
      return {
        en: `The penalty (λ = ${fmt(n.lambda!)}) has crushed the weights: their RMS fell from ${fmt(n.initialWeightRms!)} to ${fmt(n.weightRms!)}. The network can only output a constant.`,
        es: `La penalización (λ = ${fmt(n.lambda!)}) aplastó los pesos: su RMS bajó de ${fmt(n.initialWeightRms!)} a ${fmt(n.weightRms!)}. La red solo puede devolver una constante.`,
      };
    case "gradient-check-failed": {
      const where = n.row! < 0 ? `b[${n.col}]` : `W[${n.row}][${n.col}]`;
      return {
        en: `The gradient is wrong: a central-difference check disagrees with backprop by a relative error of ${fmt(n.maxRelativeError!)} (layer ${n.layer}, ${where}: backprop ${fmt(n.analytic!)}, numeric ${fmt(n.numeric!)}). No learning rate fixes a wrong backward pass.`,
        es: `El gradiente está mal: una comprobación por diferencias centrales discrepa de backprop con un error relativo de ${fmt(n.maxRelativeError!)} (capa ${n.layer}, ${where}: backprop ${fmt(n.analytic!)}, numérico ${fmt(n.numeric!)}). Ninguna tasa de aprendizaje arregla un paso hacia atrás incorrecto.`,
      };
    }
  }
}
