import { regressionDataset } from "../data.js";
import { BackpropError } from "../errors.js";
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

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const DECIMAL_COMMA = /^[+-]?\d*,\d+(?:[eE][+-]?\d+)?$/;
const NOT_FINITE = /^[+-]?(?:inf(?:inity)?|nan)$/i;

/**
 * Reads `x1,x2,label` rows under a header row: every column but the last is
 * an input, the last holds integer class labels (classification) or numbers
 * (regression: `options.kind`, or any non-integer label). Separators `,`, `;`
 * or tab are detected from the first line; with `;` or tab, `1,5` reads as 1.5.
 * A first line of numbers is data, with default names. Every bad cell is
 * reported in one `invalid-data` error with 1-based line and column. Returns
 * the data set and the header names (defaults x1..xk, label or y).
 *
 * @example parseDatasetCSV("x1,x2,label\n0.5,-1,1\n2,3,0\n").data // 2 rows, 2 classes
 */
export function parseDatasetCSV(text: string, options: ParseDatasetOptions = {}): ParsedDataset {
  const opts = checkOptions(options);
  if (typeof text !== "string") {
    throw new BackpropError("invalid-argument", `CSV text must be a string, got ${shown(text)}`, { field: "text" });
  }
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/);
  const problems = newProblems();
  let h = 0;
  while (h < lines.length && lines[h]!.trim() === "") h++;
  if (h === lines.length) {
    throw new BackpropError("invalid-data", "data set CSV is empty: expected a header row such as x1,x2,label and data rows", { line: 1, column: 1 });
  }
  const delimiter = pickDelimiter(lines[h]!);
  const first = splitCells(lines[h]!, delimiter);
  if (first === null) report(problems, at(h + 1, 1, undefined, "has an unclosed quote"));
  const head = first ?? [];
  const width = head.length;
  if (first !== null && width < 2) {
    report(problems, at(h + 1, 1, undefined, "needs at least one input column and a label column, separated by , or ; or tab"));
  }
  throwIfAny(problems, "data set CSV");

  const hasHeader = !head.every((c) => typeof parseNumber(c, delimiter) === "number");
  const names = hasHeader ? head.map((c) => c.trim()) : defaultColumns(width - 1, "classification", 1);
  if (hasHeader) checkHeader(problems, names, h + 1);

  const nIn = width - 1;
  const xs: number[] = []; // (n, nIn), NaN where a cell was reported
  const targets: number[] = []; // (n)
  const rowLine: number[] = [];
  for (let i = hasHeader ? h + 1 : h; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === "") continue;
    const cells = splitCells(line, delimiter);
    if (cells === null) {
      report(problems, at(i + 1, 1, undefined, "has an unclosed quote"));
      continue;
    }
    if (cells.length !== width) {
      const column = Math.min(cells.length, width) + 1;
      report(problems, at(i + 1, column, names[column - 1], `has ${cells.length} columns, the header has ${width}`));
      continue;
    }
    for (let j = 0; j < width; j++) {
      const v = parseNumber(cells[j]!, delimiter);
      if (typeof v === "string") report(problems, at(i + 1, j + 1, names[j], v));
      const value = typeof v === "number" ? v : NaN;
      if (j < nIn) xs.push(value);
      else targets.push(value);
    }
    rowLine.push(i + 1);
  }
  if (rowLine.length === 0 && problems.count === 0) {
    report(problems, at(h + 2, 1, undefined, "no data rows: expected rows such as 0.5,-1.2,1 below the header"));
  }

  const kind = opts.kind ?? (allIntegers(targets) ? "classification" : "regression");
  if (kind === "classification") {
    for (let r = 0; r < targets.length; r++) {
      const message = labelProblem(targets[r]!, opts.classes);
      if (message) report(problems, at(rowLine[r]!, width, names[width - 1], message));
    }
  }
  throwIfAny(problems, "data set CSV");

  const x = Float64Array.from(xs);
  const data =
    kind === "classification"
      ? buildClassification(x, nIn, targets, opts, opts.encoding)
      : regressionDataset(x, nIn, Float64Array.from(targets), 1);
  const columns = hasHeader ? names : defaultColumns(nIn, kind, 1);
  return { data, columns };
}

function at(line: number, column: number, name: string | undefined, message: string) {
  const label = name === undefined || name === "" ? "" : ` (${name})`;
  return { where: `line ${line}, column ${column}${label}`, field: name, line, column, message };
}

function checkHeader(problems: Problems, names: string[], line: number): void {
  for (let j = 0; j < names.length; j++) {
    if (names[j] === "") report(problems, at(line, j + 1, undefined, "header name is empty"));
    else if (names.indexOf(names[j]!) < j) report(problems, at(line, j + 1, names[j], `header name repeats column ${names.indexOf(names[j]!) + 1}`));
  }
}

// The separator that occurs most often outside quotes in the first line; "," on ties.
function pickDelimiter(line: string): string {
  const bare = line.replace(/"(?:[^"]|"")*"/g, "");
  let best = ",";
  let bestCount = bare.split(",").length;
  for (const d of [";", "\t"]) {
    const count = bare.split(d).length;
    if (count > bestCount) {
      best = d;
      bestCount = count;
    }
  }
  return best;
}

/** The cells of one line; a cell in double quotes may hold the separator and "" for a quote. Null on a broken quote. */
function splitCells(line: string, delimiter: string): string[] | null {
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    let j = i;
    while (line[j] === " ") j++;
    let cell: string;
    if (line[j] === '"') {
      cell = "";
      j++;
      for (;;) {
        if (j >= line.length) return null;
        if (line[j] === '"') {
          if (line[j + 1] !== '"') break;
          j++;
        }
        cell += line[j++];
      }
      j++;
      while (line[j] === " ") j++;
      if (j < line.length && line[j] !== delimiter) return null;
    } else {
      const k = line.indexOf(delimiter, i);
      j = k < 0 ? line.length : k;
      cell = line.slice(i, j);
    }
    cells.push(cell);
    if (j >= line.length) return cells;
    i = j + 1;
  }
}

/** The number in a cell, or why it is not one. */
function parseNumber(cell: string, delimiter: string): number | string {
  let s = cell.trim();
  if (s === "") return "is empty";
  if (delimiter !== "," && DECIMAL_COMMA.test(s)) s = s.replace(",", ".");
  if (!NUMBER.test(s)) return NOT_FINITE.test(s) ? `${s} is not a finite number` : `${shown(s)} is not a number`;
  const v = Number(s);
  return Number.isFinite(v) ? v : `${s} is too large for a float64`;
}
