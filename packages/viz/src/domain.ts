import { BackpropError, datasetInfo, type Dataset, type DatasetName } from "@backprop-lab/core";
import { checkFinite } from "./check.js";

/** A rectangle of the input plane: x1 runs over [xMin, xMax], x2 over [yMin, yMax]. */
export interface Domain {
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
}

/** The TensorFlow Playground's view, [-6, 6]². */
export const PLAYGROUND_DOMAIN: Readonly<Domain> = Object.freeze({ xMin: -6, xMax: 6, yMin: -6, yMax: 6 });

/** Throws naming the field unless every bound is finite and each range has positive width. */
export function checkDomain(domain: Domain, field = "domain"): Domain {
  if (typeof domain !== "object" || domain === null) {
    throw new BackpropError("invalid-argument", `${field} must be an object { xMin, xMax, yMin, yMax }`, { field });
  }
  checkFinite(domain.xMin, `${field}.xMin`);
  checkFinite(domain.xMax, `${field}.xMax`);
  checkFinite(domain.yMin, `${field}.yMin`);
  checkFinite(domain.yMax, `${field}.yMax`);
  if (!(domain.xMax > domain.xMin)) {
    throw new BackpropError("invalid-argument", `${field}.xMax (${domain.xMax}) must be greater than xMin (${domain.xMin})`, { field: `${field}.xMax` });
  }
  if (!(domain.yMax > domain.yMin)) {
    throw new BackpropError("invalid-argument", `${field}.yMax (${domain.yMax}) must be greater than yMin (${domain.yMin})`, { field: `${field}.yMax` });
  }
  return domain;
}

export interface DomainOptions {
  /** Margin added on each side, as a fraction of the span (default 0.1). */
  padding?: number;
}

/**
 * The view for a data set. A built-in name gives its documented domain
 * (the Playground's [-6, 6]², or course-xor's bounding box) with `padding`
 * added to the bounding box only; a Dataset gives the bounding box of its
 * first two input columns plus `padding` on each side. A degenerate span
 * (one point, or all on a line) widens to ±1 around it.
 *
 * @example domainForDataset("circle") // { xMin: -6, xMax: 6, yMin: -6, yMax: 6 }
 */
export function domainForDataset(data: Dataset | DatasetName, options: DomainOptions = {}): Domain {
  const padding = options.padding ?? 0.1;
  checkFinite(padding, "padding");
  if (typeof data === "string") {
    const { x1, x2 } = datasetInfo(data).domain; // throws unknown-name for a wrong name
    if (data !== "course-xor") return { xMin: x1[0], xMax: x1[1], yMin: x2[0], yMax: x2[1] };
    return padded(x1[0], x1[1], x2[0], x2[1], padding);
  }
  if (data.nIn < 2) {
    throw new BackpropError("shape-mismatch", `a domain needs 2 input columns, the data set has ${data.nIn}`, { field: "data" });
  }
  if (data.n === 0) return { ...PLAYGROUND_DOMAIN };
  let xMin = Infinity;
  let xMax = -Infinity;
  let yMin = Infinity;
  let yMax = -Infinity;
  for (let i = 0; i < data.n; i++) {
    const x = data.x[i * data.nIn]!;
    const y = data.x[i * data.nIn + 1]!;
    if (x < xMin) xMin = x;
    if (x > xMax) xMax = x;
    if (y < yMin) yMin = y;
    if (y > yMax) yMax = y;
  }
  if (!Number.isFinite(xMin + xMax + yMin + yMax)) {
    throw new BackpropError("invalid-data", "the data set has non-finite inputs; no domain fits them", { field: "data.x" });
  }
  return padded(xMin, xMax, yMin, yMax, padding);
}

function padded(xMin: number, xMax: number, yMin: number, yMax: number, padding: number): Domain {
  const [x0, x1] = widen(xMin, xMax, padding);
  const [y0, y1] = widen(yMin, yMax, padding);
  return { xMin: x0, xMax: x1, yMin: y0, yMax: y1 };
}

function widen(lo: number, hi: number, padding: number): [number, number] {
  const span = hi - lo;
  if (span <= 0) return [lo - 1, hi + 1];
  return [lo - padding * span, hi + padding * span];
}

/** The x1 coordinate of the centre of column `col` of a grid `width` cells wide. */
export function cellCenterX(domain: Domain, width: number, col: number): number {
  return domain.xMin + ((col + 0.5) * (domain.xMax - domain.xMin)) / width;
}

/** The x2 coordinate of the centre of row `row` of a grid `height` cells tall; row 0 is the top (x2 near yMax). */
export function cellCenterY(domain: Domain, height: number, row: number): number {
  return domain.yMax - ((row + 0.5) * (domain.yMax - domain.yMin)) / height;
}
