import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** tooling/reference: the golden files the tests compare with (see its README for how each was computed). */
export const REFERENCE_DIR = fileURLToPath(new URL("../../reference/", import.meta.url));

/** A golden file from tooling/reference, parsed. */
export function readReference<T = any>(name: string): T {
  return JSON.parse(readFileSync(`${REFERENCE_DIR}${name}`, "utf8")) as T;
}
