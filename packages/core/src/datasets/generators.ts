import { classificationDataset, regressionDataset, type Dataset, type TargetEncoding } from "../data.js";
import { assertFinite, assertInt, BackpropError } from "../errors.js";
import { createRng } from "../rng.js";
import { COURSE_XOR_BOUNDS, COURSE_XOR_LABELS, COURSE_XOR_X } from "./course-xor-data.js";
import {
  circlePoints,
  gaussPoints,
  moonsPoints,
  regGaussPoints,
  regPlanePoints,
  spiral3Points,
  spiralPoints,
  xorPoints,
  type ClassShape,
  type TargetShape,
} from "./shapes.js";

/** Every built-in data set, in menu order. */
export const DATASET_NAMES = ["course-xor", "xor", "circle", "gauss", "spiral", "moons", "spiral3", "reg-plane", "reg-gauss"] as const;

export type DatasetName = (typeof DATASET_NAMES)[number];

/** Input ranges [min, max] of a data set, for axes and grid sampling. */
export interface DatasetDomain {
  x1: readonly [number, number];
  x2: readonly [number, number];
}

/** What a built-in data set is, for menus and axes. */
export interface DatasetInfo {
  name: DatasetName;
  kind: "classification" | "regression";
  /** Number of classes; 0 for regression. */
  classes: number;
  /** Points made when `n` is not given. */
  defaultN: number;
  /** The Playground's [-6, 6]² view, or the course data's bounding box. */
  domain: DatasetDomain;
  /** One line each in English and Spanish. */
  description: { en: string; es: string };
}

export interface MakeDatasetOptions {
  /** Number of points; course-xor takes its first min(n, 300). */
  n?: number;
  /** Noise fraction in [0, 0.5] (the Playground shows it as 0-50 %). */
  noise?: number;
  /** Seed of `createRng`; the same seed gives the same points. */
  seed?: number;
  /** How class labels become targets; ignored for regression. */
  encoding?: TargetEncoding;
}

/** Largest `n` accepted: 16 MB of inputs. */
export const MAX_DATASET_POINTS = 1_000_000;

const ENCODINGS: readonly TargetEncoding[] = ["one-hot", "binary", "signed"];
const PLAYGROUND_DOMAIN: DatasetDomain = { x1: [-6, 6], x2: [-6, 6] };

interface Entry {
  kind: "classification" | "regression";
  classes: number;
  defaultN: number;
  en: string;
  es: string;
  classShape?: ClassShape;
  targetShape?: TargetShape;
}

const ENTRIES: Record<DatasetName, Entry> = {
  "course-xor": {
    kind: "classification",
    classes: 2,
    defaultN: COURSE_XOR_LABELS.length,
    en: "The course's 300 standard-normal points; class 1 when exactly one coordinate is positive.",
    es: "Los 300 puntos normales del curso; clase 1 cuando exactamente una coordenada es positiva.",
  },
  xor: {
    kind: "classification",
    classes: 2,
    defaultN: 500,
    en: "Playground XOR: uniform points off the axes; class 1 where x1·x2 > 0 (course-xor's class 0).",
    es: "XOR del Playground: puntos uniformes lejos de los ejes; clase 1 donde x1·x2 > 0 (la clase 0 de course-xor).",
    classShape: xorPoints,
  },
  circle: {
    kind: "classification",
    classes: 2,
    defaultN: 500,
    en: "Playground circle: class 1 inside radius 2.5, class 0 on a ring from 3.5 to 5.",
    es: "Círculo del Playground: clase 1 dentro del radio 2,5, clase 0 en un anillo de 3,5 a 5.",
    classShape: circlePoints,
  },
  gauss: {
    kind: "classification",
    classes: 2,
    defaultN: 500,
    en: "Playground gaussians: class 1 around (2, 2), class 0 around (-2, -2); noise widens them.",
    es: "Gaussianas del Playground: clase 1 en torno a (2, 2), clase 0 en torno a (-2, -2); el ruido las ensancha.",
    classShape: gaussPoints,
  },
  spiral: {
    kind: "classification",
    classes: 2,
    defaultN: 500,
    en: "Playground spiral: two interleaved arms of 1.75 turns, one per class.",
    es: "Espiral del Playground: dos brazos entrelazados de 1,75 vueltas, uno por clase.",
    classShape: spiralPoints,
  },
  moons: {
    kind: "classification",
    classes: 2,
    defaultN: 500,
    en: "Two interleaving half circles (scikit-learn's make_moons), scaled to the view.",
    es: "Dos medias lunas entrelazadas (make_moons de scikit-learn), escaladas a la vista.",
    classShape: moonsPoints,
  },
  spiral3: {
    kind: "classification",
    classes: 3,
    defaultN: 500,
    en: "Three interleaved spiral arms, one per class: needs a softmax output.",
    es: "Tres brazos de espiral entrelazados, uno por clase: requiere una salida softmax.",
    classShape: spiral3Points,
  },
  "reg-plane": {
    kind: "regression",
    classes: 0,
    defaultN: 1200,
    en: "Playground plane: the target is (x1 + x2)/10, a tilted plane.",
    es: "Plano del Playground: el objetivo es (x1 + x2)/10, un plano inclinado.",
    targetShape: regPlanePoints,
  },
  "reg-gauss": {
    kind: "regression",
    classes: 0,
    defaultN: 1200,
    en: "Playground gaussians: six bumps of height +1 or -1 on a flat floor.",
    es: "Gaussianas del Playground: seis montículos de altura +1 o -1 sobre un suelo plano.",
    targetShape: regGaussPoints,
  },
};

/** True when `name` is a built-in data set. */
export function isDatasetName(name: unknown): name is DatasetName {
  return typeof name === "string" && Object.prototype.hasOwnProperty.call(ENTRIES, name);
}

function entryOf(name: unknown): Entry {
  if (!isDatasetName(name)) {
    const shown = typeof name === "string" ? JSON.stringify(name) : String(name);
    throw new BackpropError("unknown-name", `unknown data set ${shown}; expected one of ${DATASET_NAMES.join(", ")}`, { field: "dataset" });
  }
  return ENTRIES[name];
}

/** What the built-in data set `name` is. */
export function datasetInfo(name: DatasetName): DatasetInfo {
  const e = entryOf(name);
  const box = name === "course-xor" ? COURSE_XOR_BOUNDS : PLAYGROUND_DOMAIN;
  return {
    name,
    kind: e.kind,
    classes: e.classes,
    defaultN: e.defaultN,
    domain: { x1: [box.x1[0], box.x1[1]], x2: [box.x2[0], box.x2[1]] },
    description: { en: e.en, es: e.es },
  };
}

/**
 * Builds a built-in data set with 2 inputs. Classification sets get one
 * label per row and targets in `encoding`; regression sets one target column.
 *
 * @example makeDataset("circle", { n: 200, noise: 0.1, seed: 7 }) // x (200, 2), y (200, 2) one-hot
 */
export function makeDataset(name: DatasetName, options: MakeDatasetOptions = {}): Dataset {
  const e = entryOf(name);
  const { n = e.defaultN, noise = 0, seed = 0, encoding = "one-hot" } = options;
  assertInt(n, "n", 1, MAX_DATASET_POINTS);
  if (!ENCODINGS.includes(encoding)) {
    throw new BackpropError("unknown-name", `unknown encoding ${JSON.stringify(encoding)}; expected one of ${ENCODINGS.join(", ")}`, { field: "encoding" });
  }
  if (name === "course-xor") return courseXor(n, encoding);

  assertFinite(noise, "noise");
  if (noise < 0 || noise > 0.5) {
    throw new BackpropError("invalid-argument", `noise must be in [0, 0.5] (a fraction, 0.1 = 10 %), got ${noise}`, { field: "noise" });
  }
  const rng = createRng(seed);
  const x = new Float64Array(n * 2); // (n, 2)
  if (e.classShape) {
    const labels = new Int32Array(n);
    e.classShape(x, labels, n, noise, rng);
    return classificationDataset(x, 2, labels, e.classes, encoding);
  }
  const y = new Float64Array(n); // (n, 1)
  e.targetShape!(x, y, n, noise, rng);
  return regressionDataset(x, 2, y, 1);
}

// The stored points are copied so callers may mutate their data set.
function courseXor(n: number, encoding: TargetEncoding): Dataset {
  const m = Math.min(n, COURSE_XOR_LABELS.length);
  const x = Float64Array.from(COURSE_XOR_X.slice(0, 2 * m));
  const labels = Int32Array.from(COURSE_XOR_LABELS.slice(0, m));
  return classificationDataset(x, 2, labels, 2, encoding);
}
