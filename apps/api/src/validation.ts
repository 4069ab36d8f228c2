import { z } from "@hono/zod-openapi";
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

/**
 * The 422 for a body that fails its schema: the first MAX_FIELD_ERRORS
 * field errors (only those are formatted) and `errorCount`, the total, so a
 * body of 50,000 bad rows gets a small answer.
 */
export function validationProblem(error: z.ZodError, data: unknown): ApiError {
  const total = countErrors(error.issues);
  const errors = fieldErrors(error.issues, data, [], MAX_FIELD_ERRORS);
  return new ApiError("validation-failed", { en: TEXT.validation.en(total), es: TEXT.validation.es(total) }, { errors, extensions: { errorCount: total } });
}
