import { classificationDataset, type Dataset, type TargetEncoding } from "../data.js";
import { assertInt, BackpropError, describe } from "../errors.js";

// Shared by the JSON and CSV parsers: collect every bad cell, then throw once.

/** Options of `parseDatasetJSON` and `parseDatasetCSV`. */
export interface ParseDatasetOptions {
  /**
   * Default: classification when every label is an integer (CSV, flat JSON y)
   * or when most JSON y rows are one-hot; otherwise regression.
   */
  kind?: "classification" | "regression";
  /** Targets of a classification set; default "one-hot". */
  encoding?: TargetEncoding;
  /** Number of classes; default the largest label + 1 (at least 2), or the one-hot width. */
  classes?: number;
}

/** A parsed data set and its column names: the inputs, then the targets. */
export interface ParsedDataset {
  data: Dataset;
  columns: string[];
}

/** Class labels must be below this, which bounds the one-hot width. */
export const MAX_CLASSES = 100;

/** How many problems an error message lists; the rest are counted. */
export const MAX_LISTED_PROBLEMS = 10;

export interface Problem {
  /** "line 4, column 2 (x2)" or a JSON path such as "x[3][1]". */
  where: string;
  message: string;
  field?: string;
  line?: number;
  column?: number;
}

export interface Problems {
  list: Problem[];
  count: number;
}

export function newProblems(): Problems {
  return { list: [], count: 0 };
}

export function report(problems: Problems, problem: Problem): void {
  problems.count++;
  if (problems.list.length < MAX_LISTED_PROBLEMS) problems.list.push(problem);
}

/** Throws one `invalid-data` error listing the problems, located at the first one. */
export function throwIfAny(problems: Problems, source: string): void {
  if (problems.count === 0) return;
  const first = problems.list[0]!;
  const lines = problems.list.map((p) => `  ${p.where}: ${p.message}`);
  if (problems.count > problems.list.length) lines.push(`  … and ${problems.count - problems.list.length} more`);
  const s = problems.count === 1 ? "" : "s";
  throw new BackpropError("invalid-data", `${source} has ${problems.count} problem${s}:\n${lines.join("\n")}`, {
    field: first.field,
    line: first.line,
    column: first.column,
  });
}

/** The value in a short form for a message. */
export function shown(value: unknown): string {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? "an object" : describe(value);
}

/** Checks the parse options, filling defaults. */
export function checkOptions(options: ParseDatasetOptions): Required<Pick<ParseDatasetOptions, "encoding">> & ParseDatasetOptions {
  const { kind, encoding = "one-hot", classes } = options;
  if (kind !== undefined && kind !== "classification" && kind !== "regression") {
    throw new BackpropError("unknown-name", `kind must be "classification" or "regression", got ${shown(kind)}`, { field: "kind" });
  }
  if (encoding !== "one-hot" && encoding !== "binary" && encoding !== "signed") {
    throw new BackpropError("unknown-name", `encoding must be "one-hot", "binary" or "signed", got ${shown(encoding)}`, { field: "encoding" });
  }
  if (classes !== undefined) assertInt(classes, "classes", 2, MAX_CLASSES);
  return { kind, encoding, classes };
}

/** Why `v` cannot be a class label, or null when it can (or is NaN: a cell already reported). */
export function labelProblem(v: number, classes: number | undefined): string | null {
  if (Number.isNaN(v)) return null;
  if (!Number.isInteger(v) || v < 0) {
    return `class label must be an integer >= 0, got ${v} (map ±1 labels to 0/1, or parse with kind "regression")`;
  }
  const limit = classes ?? MAX_CLASSES;
  if (v >= limit) return `class label must be below ${limit}, got ${v}`;
  return null;
}

/** Whether every value is an integer (so the column reads as class labels); NaN marks an already reported cell. */
export function allIntegers(values: ArrayLike<number>): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isInteger(values[i]) && !Number.isNaN(values[i])) return false;
  return true;
}

/** A classification data set from validated labels. */
export function buildClassification(x: Float64Array, nIn: number, labels: ArrayLike<number>, options: ParseDatasetOptions, encoding: TargetEncoding): Dataset {
  const l = Int32Array.from(labels);
  let max = 0;
  for (let i = 0; i < l.length; i++) max = Math.max(max, l[i]!);
  return classificationDataset(x, nIn, l, options.classes ?? Math.max(2, max + 1), encoding);
}

/** Default column names: x1..xk, then "label" for classes, "y" or y1..ym for targets. */
export function defaultColumns(nIn: number, kind: "classification" | "regression", nOut: number): string[] {
  const columns: string[] = [];
  for (let j = 1; j <= nIn; j++) columns.push(`x${j}`);
  if (kind === "classification") columns.push("label");
  else if (nOut === 1) columns.push("y");
  else for (let j = 1; j <= nOut; j++) columns.push(`y${j}`);
  return columns;
}
