/** What kind of caller mistake an error reports. */
export type BackpropErrorCode =
  | "invalid-argument"
  | "invalid-spec"
  | "shape-mismatch"
  | "capacity-exceeded"
  | "invalid-config"
  | "invalid-model"
  | "invalid-data"
  | "unknown-name";

/**
 * The one error type of backprop-lab: a caller mistake (a wrong shape, a bad
 * spec, a malformed file). Numerical trouble is never thrown; it is reported
 * as data. `field` names the offending argument or JSON path, `line` and
 * `column` locate it in a parsed file (1-based).
 */
export class BackpropError extends Error {
  override readonly name = "BackpropError";
  readonly code: BackpropErrorCode;
  readonly field: string | undefined;
  readonly line: number | undefined;
  readonly column: number | undefined;

  constructor(
    code: BackpropErrorCode,
    message: string,
    options: { field?: string; line?: number; column?: number; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.field = options.field;
    this.line = options.line;
    this.column = options.column;
  }
}

/** Throws `invalid-argument` naming `field` unless `value` is a finite number. */
export function assertFinite(value: unknown, field: string): asserts value is number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new BackpropError("invalid-argument", `${field} must be a finite number, got ${describe(value)}`, { field });
  }
}

/** Throws `invalid-argument` naming `field` unless `value` is an integer in [min, max]. */
export function assertInt(value: unknown, field: string, min: number, max = Number.MAX_SAFE_INTEGER): asserts value is number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `in [${min}, ${max}]`;
    throw new BackpropError("invalid-argument", `${field} must be an integer ${range}, got ${describe(value)}`, { field });
  }
}

/** A short, safe rendering of any value for an error message. */
export function describe(value: unknown): string {
  if (value === undefined) return "undefined";
  if (value === null) return "null";
  if (typeof value === "number") return String(value);
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  return typeof value;
}
