import { readFileSync, writeFileSync } from "node:fs";
import { extname } from "node:path";
import {
  BackpropError,
  mlpFromJSON,
  mlpToJSON,
  parseDatasetCSV,
  parseDatasetJSON,
  parseRunDocument,
  type InlineData,
  type Mlp,
  type RunDocument,
} from "@backprop-lab/core";
import { findNodeAtLocation, parseTree, type JSONPath, type ParseError } from "jsonc-parser";
import type { Messages } from "./i18n.js";

/**
 * A mistake on the command line or in a file the user named: the message
 * names the flag, or the file with its line and column. The CLI prints it
 * and exits with code 2.
 */
export class UsageError extends Error {
  override readonly name = "UsageError";
  readonly flag: string | undefined;
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly column: number | undefined;

  constructor(message: string, where: { flag?: string; file?: string; line?: number; column?: number; cause?: unknown } = {}) {
    super(message, where.cause === undefined ? undefined : { cause: where.cause });
    this.flag = where.flag;
    this.file = where.file;
    this.line = where.line;
    this.column = where.column;
  }
}

/** 1-based line and column of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

/** "weights[0][1][2]" or "spec.sizes" as a JSON path: ["weights", 0, 1, 2], ["spec", "sizes"]. */
export function fieldToPath(field: string): JSONPath {
  const path: JSONPath = [];
  if (field === "$" || field === "") return path;
  for (const m of field.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (m[2] !== undefined) path.push(Number(m[2]));
    else if (m[1] !== undefined && m[1] !== "$") path.push(m[1]);
  }
  return path;
}

/** Where strict JSON first goes wrong, or null if it parses. */
export function jsonSyntaxLocation(text: string): { line: number; column: number } | null {
  const errors: ParseError[] = [];
  parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (first) return lineColumn(text, first.offset);
  try {
    JSON.parse(text);
    return null;
  } catch {
    return { line: 1, column: 1 }; // strict JSON refused what the tolerant scanner took
  }
}

/** The line and column of the value at `field` (or of its nearest enclosing value that exists). */
export function locateField(text: string, field: string): { line: number; column: number } {
  const root = parseTree(text);
  if (!root) return { line: 1, column: 1 };
  const path = fieldToPath(field);
  for (let k = path.length; k >= 0; k--) {
    const node = findNodeAtLocation(root, path.slice(0, k));
    if (node) return lineColumn(text, node.offset);
  }
  return lineColumn(text, root.offset);
}

function readText(path: string, display: string, m: Messages): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new UsageError(m.cannotRead(display, reason), { file: display, cause: error });
  }
}

function parseJsonText(text: string, display: string, m: Messages): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const at = jsonSyntaxLocation(text) ?? { line: 1, column: 1 };
    throw new UsageError(m.fileError(display, at.line, at.column, (error as Error).message), { file: display, ...at, cause: error });
  }
}

/** A BackpropError about a file, located: CSV errors carry line and column, JSON ones a field path. */
function fileProblem(error: unknown, text: string, display: string, m: Messages, json: boolean): never {
  if (!(error instanceof BackpropError)) throw error;
  let at: { line: number; column: number } | null = null;
  if (error.line !== undefined) at = { line: error.line, column: error.column ?? 1 };
  else if (json && error.field !== undefined) at = locateField(text, error.field);
  const message = at ? m.fileError(display, at.line, at.column, error.message) : m.fileErrorNoPos(display, error.message);
  throw new UsageError(message, { file: display, ...(at ?? {}), cause: error });
}

/**
 * A data set file (.csv, or .json holding { x, y }) as inline run data.
 * Class labels travel as a flat label array so the run re-encodes them
 * exactly as the file's parser did.
 */
export function readDatasetFile(path: string, display: string, m: Messages): InlineData {
  const text = readText(path, display, m);
  const json = extname(path).toLowerCase() === ".json";
  try {
    const { data } = json ? parseDatasetJSON(parseJsonText(text, display, m)) : parseDatasetCSV(text);
    const x: number[][] = [];
    for (let i = 0; i < data.n; i++) x.push(Array.from(data.x.subarray(i * data.nIn, (i + 1) * data.nIn)));
    if (data.labels) {
      return { source: "inline", x, y: Array.from(data.labels), ...(data.encoding === "regression" ? {} : { encoding: data.encoding }) };
    }
    const y: number[][] = [];
    for (let i = 0; i < data.n; i++) y.push(Array.from(data.y.subarray(i * data.nOut, (i + 1) * data.nOut)));
    return { source: "inline", x, y };
  } catch (error) {
    if (error instanceof UsageError) throw error;
    return fileProblem(error, text, display, m, json);
  }
}

/**
 * A run document file (`--config`): JSON checked by core's parseRunDocument,
 * so an unknown key or a value out of range gets core's message (the key,
 * the nearest known one, the range), located at its line and column.
 */
export function readConfigFile(path: string, display: string, m: Messages): RunDocument {
  const text = readText(path, display, m);
  const value = parseJsonText(text, display, m);
  try {
    return parseRunDocument(value);
  } catch (error) {
    return fileProblem(error, text, display, m, true);
  }
}

/** A model JSON file (the one model format of every face). */
export function readModelFile(path: string, display: string, m: Messages): Mlp {
  const text = readText(path, display, m);
  const value = parseJsonText(text, display, m);
  try {
    return mlpFromJSON(value);
  } catch (error) {
    return fileProblem(error, text, display, m, true);
  }
}

/** Writes the model JSON (numbers round-trip exactly). */
export function writeModelFile(path: string, display: string, net: Mlp, m: Messages): void {
  try {
    writeFileSync(path, `${JSON.stringify(mlpToJSON(net), null, 2)}\n`);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new UsageError(m.cannotWrite(display, reason), { file: display, cause: error });
  }
}
