import type { Dataset } from "../data.js";
import { BackpropError } from "../errors.js";
import { defaultColumns } from "./problems.js";

// Numbers are written as the shortest decimal that reads back to the same
// float64 (and -0 as "-0"), so export → parse is exact.
function num(v: number, field: () => string): string {
  if (!Number.isFinite(v)) {
    throw new BackpropError("invalid-data", `${field()} is ${v}; only finite numbers can be exported`, { field: field() });
  }
  return Object.is(v, -0) ? "-0" : String(v);
}

function kindOf(data: Dataset): "classification" | "regression" {
  return data.labels ? "classification" : "regression";
}

export interface DatasetToCSVOptions {
  /** Header names, inputs then the label; default x1..xk and "label" (or "y"). */
  columns?: readonly string[];
}

/**
 * The data set as `x1,x2,label` CSV with a header row: inputs, then the class
 * label (classification) or the target (regression, one output only).
 * `parseDatasetCSV` reads it back exactly (pass `kind: "regression"` when the
 * targets all happen to be integers, and `encoding`/`classes` to restore them).
 *
 * @example datasetToCSV(makeDataset("xor", { n: 2 })) // "x1,x2,label\n-2.1,4.7,0\n..."
 */
export function datasetToCSV(data: Dataset, options: DatasetToCSVOptions = {}): string {
  const kind = kindOf(data);
  if (kind === "regression" && data.nOut !== 1) {
    throw new BackpropError("invalid-argument", `CSV holds one target column; this data set has ${data.nOut} (use datasetToJSON)`, { field: "nOut" });
  }
  const columns = options.columns ?? defaultColumns(data.nIn, kind, 1);
  if (columns.length !== data.nIn + 1) {
    throw new BackpropError("invalid-argument", `columns must name ${data.nIn} inputs and the label, got ${columns.length} names`, { field: "columns" });
  }
  const lines = [columns.map(quote).join(",")];
  for (let i = 0; i < data.n; i++) {
    const cells: string[] = [];
    for (let j = 0; j < data.nIn; j++) cells.push(num(data.x[i * data.nIn + j]!, () => `x[${i}][${j}]`));
    cells.push(data.labels ? String(data.labels[i]) : num(data.y[i]!, () => `y[${i}][0]`));
    lines.push(cells.join(","));
  }
  return lines.join("\n") + "\n";
}

// A header name with a separator, quote, or edge spaces goes in double quotes.
function quote(name: string): string {
  return /[",;\t\r\n]|^\s|\s$/.test(name) ? `"${name.replace(/"/g, '""')}"` : name;
}

/**
 * The data set as `{"x": [[...], ...], "y": [[...], ...]}`, one row per line.
 * Classification targets are written one-hot (whatever the encoding), so the
 * number of classes survives; `parseDatasetJSON(text, { encoding })` restores
 * a binary or signed encoding.
 *
 * @example datasetToJSON(makeDataset("course-xor", { n: 1 })) // '{\n  "x": [\n    [1.764052345967664, 0.4001572083672233]\n  ],\n  "y": [\n    [1, 0]\n  ]\n}\n'
 */
export function datasetToJSON(data: Dataset): string {
  const xRows: string[] = [];
  const yRows: string[] = [];
  const oneHot = new Array<string>(data.classes);
  for (let i = 0; i < data.n; i++) {
    const x: string[] = [];
    for (let j = 0; j < data.nIn; j++) x.push(num(data.x[i * data.nIn + j]!, () => `x[${i}][${j}]`));
    xRows.push(`    [${x.join(", ")}]`);
    if (data.labels) {
      oneHot.fill("0");
      oneHot[data.labels[i]!] = "1";
      yRows.push(`    [${oneHot.join(", ")}]`);
    } else {
      const y: string[] = [];
      for (let j = 0; j < data.nOut; j++) y.push(num(data.y[i * data.nOut + j]!, () => `y[${i}][${j}]`));
      yRows.push(`    [${y.join(", ")}]`);
    }
  }
  return `{\n  "x": [\n${xRows.join(",\n")}\n  ],\n  "y": [\n${yRows.join(",\n")}\n  ]\n}\n`;
}
