import { BackpropError, parseRunDocument, type RunDocument } from "@backprop-lab/core";
import type { TrainRequest } from "../schemas.js";

/** One error of a run document, as core words it: its path inside the document ("$" for the whole) and core's text. */
export interface DocumentError {
  field: string;
  code: string;
  message: string;
}

/** "network.hidden[1]" → ["network", "hidden", 1]. */
function pathKeys(path: string): (string | number)[] {
  const keys: (string | number)[] = [];
  for (const part of path.split(".")) {
    const m = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) return [];
    if (m[1] !== "") keys.push(m[1]!);
    for (const i of m[2]!.matchAll(/\[(\d+)\]/g)) keys.push(Number(i[1]));
  }
  return keys;
}

/**
 * Takes out the value at `path` so core can look past it: an object key is
 * deleted (core then uses its default), an array item takes its whole array
 * with it (deleting one item would rename the next ones). False when there
 * is nothing to take out.
 */
function remove(root: unknown, path: string): boolean {
  let keys = pathKeys(path);
  const firstIndex = keys.findIndex((k) => typeof k === "number");
  if (firstIndex >= 0) keys = keys.slice(0, firstIndex);
  if (keys.length === 0) return false;
  let node = root;
  for (const key of keys.slice(0, -1)) {
    if (node === null || typeof node !== "object") return false;
    node = (node as Record<string | number, unknown>)[key];
  }
  if (node === null || typeof node !== "object" || Array.isArray(node)) return false;
  const o = node as Record<string, unknown>;
  const last = keys.at(-1) as string;
  if (!(last in o)) return false;
  delete o[last];
  return true;
}

/**
 * Every error core finds in a run document, in core's words, up to `max`:
 * core stops at the first, so each offending value is taken out and the
 * document checked again. Empty when core accepts the document.
 */
export function documentErrors(value: unknown, max = 20): DocumentError[] {
  const errors: DocumentError[] = [];
  let doc: unknown;
  try {
    doc = structuredClone(value);
  } catch {
    doc = value;
  }
  while (errors.length < max) {
    try {
      parseRunDocument(doc);
      break;
    } catch (error) {
      if (!(error instanceof BackpropError)) throw error;
      const field = error.field ?? "$";
      errors.push({ field, code: error.code, message: error.message });
      if (!remove(doc, field)) break;
    }
  }
  return errors;
}

/**
 * The train body that describes a run document: `config` IS the document.
 * With `reportEvery` absent the progress reports follow the document's own
 * evaluation cadence (`evaluation.every`).
 */
export function documentToTrainBody(doc: RunDocument, options: { steps: number; curvePoints?: number }): TrainRequest {
  return { config: doc as unknown as TrainRequest["config"], steps: options.steps, ...(options.curvePoints === undefined ? {} : { curvePoints: options.curvePoints }) };
}
