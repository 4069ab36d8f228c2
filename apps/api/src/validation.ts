import { z } from "@hono/zod-openapi";
import { documentErrors } from "./engine/document.js";
import { TEXT } from "./messages.js";
import { ApiError, type LocalizedFieldError } from "./problem.js";

type Issue = z.core.$ZodIssue;
type Path = readonly PropertyKey[];

const en = z.locales.en();
const es = z.locales.es();

/** A JSON path as people write it: config.network.hidden[0]; the body itself is "$". */
export function formatPath(path: Path): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out === "" ? "$" : out;
}

function valueAt(data: unknown, path: Path): unknown {
  let v = data;
  for (const key of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

function localeMessage(locale: typeof en, issue: Issue, input: unknown): string {
  const raw = { ...issue, input } as unknown as Parameters<NonNullable<typeof locale.localeError>>[0];
  const m = locale.localeError?.(raw);
  if (typeof m === "string") return m;
  if (m && typeof m === "object" && "message" in m) return String(m.message);
  return issue.message;
}

/**
 * Field errors in both languages from zod issues. A union reports the
 * branch that came closest (fewest issues), so `{ name: "xorr" }` names
 * data.name rather than the missing x and y of inline data.
 */
export function fieldErrors(issues: readonly Issue[], data: unknown, base: Path = [], max = Infinity): LocalizedFieldError[] {
  const out: LocalizedFieldError[] = [];
  for (const issue of issues) {
    if (out.length >= max) break;
    const path = [...base, ...issue.path];
    if (issue.code === "invalid_union" && issue.errors.length > 0) {
      let best = issue.errors[0]!;
      for (const branch of issue.errors) if (branch.length < best.length) best = branch;
      out.push(...fieldErrors(best, data, path, max - out.length));
    } else if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        if (out.length >= max) break;
        out.push({
          field: formatPath([...path, key]),
          code: "unrecognized_key",
          message: { en: `Unknown field "${key}"`, es: `Campo desconocido "${key}"` },
        });
      }
    } else {
      const input = valueAt(data, path);
      out.push({ field: formatPath(path), code: issue.code, message: { en: localeMessage(en, issue, input), es: localeMessage(es, issue, input) } });
    }
  }
  return out;
}

/** A 422 lists at most this many field errors; `errorCount` gives the total. */
export const MAX_FIELD_ERRORS = 20;

/** Field errors a zod error stands for, unions counted by their closest branch, without formatting any. */
function countErrors(issues: readonly Issue[]): number {
  let n = 0;
  for (const issue of issues) {
    if (issue.code === "invalid_union" && issue.errors.length > 0) {
      let best = issue.errors[0]!;
      for (const branch of issue.errors) if (branch.length < best.length) best = branch;
      n += countErrors(best);
    } else if (issue.code === "unrecognized_keys") n += issue.keys.length;
    else n++;
  }
  return n;
}

/** Body keys that hold a run document: their errors are core's, in core's words. */
const DOCUMENT_KEYS = new Set<PropertyKey>(["config"]);

/** Core's errors in a run document at `key` of the body, as field errors; empty when core accepts it. */
function documentFieldErrors(key: string, value: unknown, max: number): LocalizedFieldError[] {
  return documentErrors(value, max).map((e) => {
    const field = e.field === "$" ? key : `${key}.${e.field}`;
    return { field, code: e.code, message: { en: TEXT.coreError.en(e.message), es: TEXT.coreError.es(e.code, field, e.message) } };
  });
}

/**
 * The 422 for a body that fails its schema: the first MAX_FIELD_ERRORS
 * field errors (only those are formatted) and `errorCount`, the total, so a
 * body of 50,000 bad rows gets a small answer. Errors inside a run document
 * (`config`) are core's: the same text every face shows for that field.
 */
export function validationProblem(error: z.ZodError, data: unknown): ApiError {
  let issues: readonly Issue[] = error.issues;
  const documents: LocalizedFieldError[] = [];
  if (data !== null && typeof data === "object") {
    for (const key of DOCUMENT_KEYS) {
      if (!issues.some((i) => i.path[0] === key)) continue;
      const found = documentFieldErrors(String(key), (data as Record<PropertyKey, unknown>)[key], MAX_FIELD_ERRORS);
      // core accepts what the schema refused: the schema's words stand
      if (found.length === 0) continue;
      documents.push(...found);
      issues = issues.filter((i) => i.path[0] !== key);
    }
  }
  const total = documents.length + countErrors(issues);
  const errors = [...documents.slice(0, MAX_FIELD_ERRORS), ...fieldErrors(issues, data, [], Math.max(0, MAX_FIELD_ERRORS - documents.length))];
  return new ApiError("validation-failed", { en: TEXT.validation.en(total), es: TEXT.validation.es(total) }, { errors, extensions: { errorCount: total } });
}
