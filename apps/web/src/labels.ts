import { datasetLabel, DATASET_LABELS, formatNumber, formatValue, optionLabel } from "./i18n.js";
import type { Locale } from "./state/app-state.js";

/**
 * Names of layers, units, weights and biases, the same everywhere: layers
 * are numbered input, hidden 1…n, output (the diagram, the bias and weight
 * editors, the diagnostics and the explainer all use these).
 */

/** Layer `index` of a network with `count` layers, inputs first (index 0 = input, count − 1 = output). */
export function layerName(locale: Locale, index: number, count: number): string {
  if (index <= 0) return locale === "es" ? "capa de entrada" : "input layer";
  if (index >= count - 1) return locale === "es" ? "capa de salida" : "output layer";
  return locale === "es" ? `capa oculta ${index}` : `hidden layer ${index}`;
}

/** A unit: "hidden layer 1, unit 2"; an input names its feature ("input x₁"). */
export function unitName(locale: Locale, index: number, count: number, unit: number, feature?: string | null): string {
  if (index <= 0 && feature) return locale === "es" ? `entrada ${feature}` : `input ${feature}`;
  return `${layerName(locale, index, count)}, ${locale === "es" ? "unidad" : "unit"} ${unit + 1}`;
}

/** The bias editor's name: "bias of hidden layer 1, unit 2" (`index` counts layers inputs first, so ≥ 1). */
export function biasName(locale: Locale, index: number, count: number, unit: number): string {
  return `${locale === "es" ? "sesgo de la" : "bias of"} ${unitName(locale, index, count, unit)}`;
}

/** A link's name: "weight from input x₁ to hidden layer 1, unit 2". */
export function weightName(locale: Locale, from: string, to: string): string {
  return locale === "es" ? `peso de ${from} a ${to}` : `weight from ${from} to ${to}`;
}

/** packages/diagnostics' finding codes as headings, in words. */
const FINDING_TITLES: Record<Locale, Record<string, string>> = {
  en: {
    "non-finite": "Numbers overflowed",
    "exploding-gradients": "Exploding gradients",
    "loss-spike": "Loss spike",
    "learning-rate-too-high": "Learning rate too high",
    "learning-rate-too-low": "Learning rate too low",
    "vanishing-gradients": "Vanishing gradients",
    "saturated-units": "Saturated units",
    "dead-units": "Dead units",
    "no-biases": "No biases",
    "regularization-too-strong": "Regularization too strong",
    "gradient-check-failed": "Gradient check failed",
  },
  es: {
    "non-finite": "Números desbordados",
    "exploding-gradients": "Gradientes que explotan",
    "loss-spike": "Salto de la pérdida",
    "learning-rate-too-high": "Tasa de aprendizaje demasiado alta",
    "learning-rate-too-low": "Tasa de aprendizaje demasiado baja",
    "vanishing-gradients": "Gradientes que se desvanecen",
    "saturated-units": "Unidades saturadas",
    "dead-units": "Unidades muertas",
    "no-biases": "Sin sesgos",
    "regularization-too-strong": "Regularización demasiado fuerte",
    "gradient-check-failed": "Comprobación del gradiente fallida",
  },
};

export function findingTitle(locale: Locale, code: string): string {
  return FINDING_TITLES[locale][code] ?? FINDING_TITLES[locale === "es" ? "en" : "es"][code] ?? code;
}

/** Option names that appear as identifiers in packages' texts ("relu → leaky-relu"), as the menus name them. */
const IDENTIFIERS = ["leaky-relu", "cross-entropy", "binary-cross-entropy", "inverse-time", "relu", "sigmoid", "linear", "softmax"];

/**
 * A text written by another package (a finding's message, a fix's label, a
 * lab's description) made to read like the page: numbers in the locale's
 * format (Spanish decimal comma, exponents through Intl), "Infinity" in
 * words, option identifiers by their menu names, and layers numbered
 * input, hidden 1…n, output. `layers` is the network's layer count, inputs
 * first; a package's "layer k" is core's layers[k], whose units are layer k + 1.
 */
export function localizeText(locale: Locale, text: string, layers?: number): string {
  let s = text;
  if (layers !== undefined) {
    s = s.replace(/\blayer (\d+)\b/g, (_m, k: string) => layerName("en", Number(k) + 1, layers));
    s = s.replace(/\bcapa (\d+)\b/g, (_m, k: string) => layerName("es", Number(k) + 1, layers));
  }
  s = s.replace(/(^|[^\w.])(-?)Infinity\b/g, (_m, pre: string, minus: string) => {
    if (locale === "es") return `${pre}${minus ? "menos " : ""}${/pérdida\s*$/.test(pre) ? "infinita" : "infinito"}`;
    return `${pre}${minus ? "−" : ""}∞`;
  });
  if (locale === "es") s = s.replace(/pérdida (menos )?infinito/g, (_m, minus: string | undefined) => `pérdida ${minus ?? ""}infinita`);
  // numbers with a fraction or an exponent (not "2-3-2", not "1e-3" inside words)
  s = s.replace(/(?<![\w.])(\d+\.\d+(?:e[+-]?\d+)?|\d+e[+-]?\d+)(?![\w.]*\d)/g, (m) => {
    const x = Number(m);
    if (!Number.isFinite(x)) return m;
    return /e/.test(m) ? formatNumber(locale, x, 3) : formatValue(locale, x);
  });
  // data set names ("datos circle", "la clase 0 de course-xor") by their names in words
  if (locale === "es") {
    for (const id of Object.keys(DATASET_LABELS.es).sort((a, b) => b.length - a.length)) {
      s = s.replace(new RegExp(`(?<![\\w-])${id}(?![\\w-])`, "g"), datasetLabel(locale, id));
    }
  }
  for (const id of locale === "es" ? IDENTIFIERS : IDENTIFIERS.filter((i) => i.includes("-") || i === "relu")) {
    s = s.replace(new RegExp(`(?<![\\w-])${id}(?![\\w-])`, "g"), optionLabel(locale, id));
  }
  return s;
}
