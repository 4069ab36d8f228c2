import { regressionDataset, type Dataset } from "../data.js";
import { BackpropError } from "../errors.js";
import { jsonSyntaxError } from "./json-syntax.js";
import {
  allIntegers,
  buildClassification,
  checkOptions,
  defaultColumns,
  labelProblem,
  newProblems,
  report,
  shown,
  throwIfAny,
  type ParseDatasetOptions,
  type ParsedDataset,
  type Problems,
} from "./problems.js";

export { parseDatasetCSV } from "./parse-csv.js";
export { datasetToCSV, datasetToJSON } from "./export.js";

/**
 * Reads `{ "x": [[x1, x2], ...], "y": [[...], ...] }` (text or the parsed
 * value). `y` rows are one-hot rows (classification) or targets
 * (regression); `y` may also be a flat array of integer class labels. Every
 * bad value is reported in one `invalid-data` error naming its JSON path
 * (`field` is the first one, e.g. `x[3][1]`). Returns the data set and
 * default column names (x1..xk, then label, y or y1..ym).
 *
 * @example parseDatasetJSON('{"x": [[0, 1], [1, 1]], "y": [1, 0]}').data // 2 rows, 2 classes, one-hot y
 */
export function parseDatasetJSON(input: unknown, options: ParseDatasetOptions = {}): ParsedDataset {
  const data = readDataset(input, options);
  const kind = data.labels ? "classification" : "regression";
  return { data, columns: defaultColumns(data.nIn, kind, kind === "classification" ? 1 : data.nOut) };
}

function readDataset(input: unknown, options: ParseDatasetOptions): Dataset {
  const opts = checkOptions(options);
  const root = typeof input === "string" ? parseText(input) : input;
  if (typeof root !== "object" || root === null || Array.isArray(root)) {
    throw new BackpropError("invalid-data", `a data set must be an object {"x": [...], "y": [...]}, got ${shown(root)}`, { field: "$" });
  }
  const { x: xs, y: ys } = root as Record<string, unknown>;
  for (const [key, v] of [["x", xs], ["y", ys]] as const) {
    if (!Array.isArray(v) || v.length === 0) {
      throw new BackpropError("invalid-data", `"${key}" must be a non-empty array of rows, got ${shown(v)}`, { field: key });
    }
  }
  const xRows = xs as unknown[];
  const yRows = ys as unknown[];
  const problems = newProblems();
  const n = xRows.length;
  if (yRows.length !== n) report(problems, { where: "y", field: "y", message: `has ${yRows.length} rows, x has ${n}` });

  const nIn = rowWidth(xRows[0]);
  if (nIn === 0) report(problems, { where: "x[0]", field: "x[0]", message: `must be a non-empty array of numbers, got ${shown(xRows[0])}` });
  const x = readMatrix(problems, "x", xRows, n, nIn); // (n, nIn)

  const m = Math.min(n, yRows.length);
  if (!Array.isArray(yRows[0])) {
    const values = new Float64Array(m).fill(NaN);
    for (let i = 0; i < m; i++) {
      const v = yRows[i];
      if (typeof v === "number" && Number.isFinite(v)) values[i] = v;
      else report(problems, { where: `y[${i}]`, field: `y[${i}]`, message: `must be a finite number like y[0], got ${shown(v)}` });
    }
    const kind = opts.kind ?? (allIntegers(values) ? "classification" : "regression");
    if (kind === "classification") checkLabels(problems, values, opts.classes, (i) => `y[${i}]`);
    throwIfAny(problems, "data set JSON");
    return kind === "classification" ? buildClassification(x, nIn, values, opts, opts.encoding) : regressionDataset(x, nIn, values, 1);
  }
  const nOut = rowWidth(yRows[0]);
  if (nOut === 0) report(problems, { where: "y[0]", field: "y[0]", message: "must be a non-empty array of numbers" });
  const values = readMatrix(problems, "y", yRows, m, nOut); // (m, nOut)
  const kind = opts.kind ?? (nOut >= 2 && mostlyOneHot(values, m, nOut) ? "classification" : "regression");
  if (kind === "regression") {
    throwIfAny(problems, "data set JSON");
    return regressionDataset(x, nIn, values, nOut);
  }
  if (nOut === 1) {
    checkLabels(problems, values, opts.classes, (i) => `y[${i}][0]`);
    throwIfAny(problems, "data set JSON");
    return buildClassification(x, nIn, values, opts, opts.encoding);
  }
  const labels = oneHotLabels(problems, values, m, nOut, opts.classes);
  throwIfAny(problems, "data set JSON");
  return buildClassification(x, nIn, labels, { classes: nOut }, opts.encoding);
}

function parseText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const where = locateSyntaxError(text);
    const at = where === null ? "" : ` at line ${where.line}, column ${where.column}`;
    throw new BackpropError("invalid-data", `data set JSON is not valid JSON${at}: ${message}`, {
      line: where?.line,
      column: where?.column,
      cause: err,
    });
  }
}

// The recognizer recurses per nesting level; absurdly deep text just goes unlocated.
function locateSyntaxError(text: string): { line: number; column: number } | null {
  try {
    return jsonSyntaxError(text);
  } catch {
    return null;
  }
}

function rowWidth(row: unknown): number {
  return Array.isArray(row) ? row.length : 0;
}

/**
 * Reads rows[0..m) as an (m, width) matrix, reporting non-arrays, ragged rows
 * and non-finite cells; a reported cell is left NaN so later checks skip it.
 */
function readMatrix(problems: Problems, key: string, rows: unknown[], m: number, width: number): Float64Array {
  const out = new Float64Array(m * width).fill(NaN);
  if (width === 0) return out;
  for (let i = 0; i < m; i++) {
    const row = rows[i];
    if (!Array.isArray(row)) {
      report(problems, { where: `${key}[${i}]`, field: `${key}[${i}]`, message: `must be an array of ${width} numbers, got ${shown(row)}` });
      continue;
    }
    if (row.length !== width) {
      report(problems, { where: `${key}[${i}]`, field: `${key}[${i}]`, message: `has ${row.length} values, expected ${width} like ${key}[0]` });
      continue;
    }
    for (let j = 0; j < width; j++) {
      const v: unknown = row[j];
      if (typeof v === "number" && Number.isFinite(v)) out[i * width + j] = v;
      else report(problems, { where: `${key}[${i}][${j}]`, field: `${key}[${i}][${j}]`, message: `must be a finite number, got ${shown(v)}` });
    }
  }
  return out;
}

function checkLabels(problems: Problems, values: Float64Array, classes: number | undefined, path: (i: number) => string): void {
  for (let i = 0; i < values.length; i++) {
    const message = labelProblem(values[i]!, classes);
    if (message) report(problems, { where: path(i), field: path(i), message });
  }
}

// More than half the rows one-hot reads as classes with a few bad rows, not as targets.
function mostlyOneHot(values: Float64Array, m: number, nOut: number): boolean {
  let oneHot = 0;
  for (let i = 0; i < m; i++) {
    let ones = 0;
    let zeros = 0;
    for (let j = 0; j < nOut; j++) {
      const v = values[i * nOut + j];
      if (v === 1) ones++;
      else if (v === 0) zeros++;
    }
    if (ones === 1 && zeros === nOut - 1) oneHot++;
  }
  return oneHot > m / 2;
}

/** The class of each one-hot row (one 1, the rest 0) of values (m, nOut). */
function oneHotLabels(problems: Problems, values: Float64Array, m: number, nOut: number, classes: number | undefined): Int32Array {
  if (classes !== undefined && classes !== nOut) {
    report(problems, { where: "y", field: "y", message: `one-hot rows have ${nOut} columns but classes is ${classes}` });
  }
  const labels = new Int32Array(m);
  for (let i = 0; i < m; i++) {
    let ones = 0;
    let others = 0;
    let reported = false;
    for (let j = 0; j < nOut; j++) {
      const v = values[i * nOut + j]!;
      if (v === 1) {
        ones++;
        labels[i] = j;
      } else if (Number.isNaN(v)) reported = true;
      else if (v !== 0) others++;
    }
    if (!reported && (ones !== 1 || others !== 0)) {
      const row = Array.from(values.subarray(i * nOut, (i + 1) * nOut)).join(", ");
      report(problems, { where: `y[${i}]`, field: `y[${i}]`, message: `must be one-hot (one 1, the rest 0), got [${row}]` });
    }
  }
  return labels;
}
