import { BackpropError } from "@backprop-lab/core";
import { sum, worstResource, type ApiLimits, type CostEstimate } from "./limits.js";
import { PROBLEMS, TEXT, type Lang, type Localized, type ProblemKind } from "./messages.js";

/** One offending field: a dotted JSON path into the body, e.g. "config.network.hidden[0]". */
export interface FieldError {
  field: string;
  code: string;
  message: string;
}

/** RFC 9457 problem details, as every 4xx and 5xx body of the API. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  errors: FieldError[];
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

/** Problem types are URNs, so they never point at a host that might not exist. */
export function problemType(kind: ProblemKind): string {
  return `urn:backprop-lab:problem:${kind}`;
}

export interface LocalizedFieldError {
  field: string;
  code: string;
  message: Localized;
}

/**
 * The one error type of the API: a problem kind (which fixes the status and
 * title), a detail in both languages, the offending fields and any extension
 * members (the work budget and the request's cost, a limit).
 */
export class ApiError extends Error {
  override readonly name = "ApiError";
  readonly kind: ProblemKind;
  readonly status: number;
  readonly detailText: Localized;
  readonly errors: LocalizedFieldError[];
  readonly extensions: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(
    kind: ProblemKind,
    detail: Localized,
    options: { errors?: LocalizedFieldError[]; extensions?: Record<string, unknown>; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(detail.en, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.status = PROBLEMS[kind].status;
    this.detailText = detail;
    this.errors = options.errors ?? [];
    this.extensions = options.extensions ?? {};
    this.headers = options.headers ?? {};
  }
}

/** A 422 naming one field. */
export function fieldProblem(kind: ProblemKind, field: string, code: string, message: Localized, extensions: Record<string, unknown> = {}): ApiError {
  return new ApiError(kind, message, { errors: [{ field, code, message }], extensions });
}

/** A size bound broken: 422 limit-exceeded naming the field, its value and the limit. */
export function limitProblem(field: string, value: number, limit: number): ApiError {
  return fieldProblem("limit-exceeded", field, "too_big", { en: TEXT.limit.en(field, value, limit), es: TEXT.limit.es(field, value, limit) }, { limit, value });
}

/** The work budget broken: 422 with the budget and the request's cost. */
export function budgetProblem(cost: number, budget: number): ApiError {
  return new ApiError(
    "work-budget-exceeded",
    { en: TEXT.budget.en(cost, budget), es: TEXT.budget.es(cost, budget) },
    { errors: [], extensions: { budget, cost } },
  );
}

/**
 * The cost model's verdict, before any work: the request's CPU, memory and
 * response estimates against their limits. Over any, a 422 naming the worst
 * resource, its limit and its largest part (e.g. "outputs × rows"). Returns
 * the CPU estimate (the request's `cost`).
 */
export function checkCost(estimate: CostEstimate, limits: ApiLimits): number {
  const worst = worstResource(estimate, limits);
  const cpu = sum(estimate.cpu);
  if (worst.ratio > 1) {
    const value = Math.ceil(worst.value);
    throw new ApiError(
        "work-budget-exceeded",
        { en: TEXT.cost.en(worst.resource, value, worst.limit, worst.largest), es: TEXT.cost.es(worst.resource, value, worst.limit, worst.largest) },
        {
          extensions: {
            resource: worst.resource,
            limit: worst.limit,
            value,
            largest: worst.largest,
            parts: Object.fromEntries(Object.entries(estimate[worst.resource]).map(([k, v]) => [k, Math.ceil(v)])),
            budget: limits.workBudget,
            cost: Math.ceil(cpu),
          },
        },
      );
  }
  return cpu;
}

/**
 * Core's validation is the final word on a run: its BackpropError names the
 * field inside whatever the request put it in (`prefix`, e.g. "config").
 */
export function fromBackpropError(error: BackpropError, prefix: string): ApiError {
  const inner = error.field ?? "";
  const field = prefix === "" ? inner : inner === "" || inner === "$" || inner === "config" ? prefix : `${prefix}.${inner}`;
  const message = { en: TEXT.coreError.en(error.message), es: TEXT.coreError.es(error.code, field, error.message) };
  const extensions: Record<string, unknown> = {};
  if (error.line !== undefined) extensions.line = error.line;
  if (error.column !== undefined) extensions.column = error.column;
  return new ApiError("validation-failed", { en: TEXT.validation.en(1), es: TEXT.validation.es(1) }, {
    errors: [{ field, code: error.code, message }],
    extensions,
    cause: error,
  });
}

/** Runs `fn`, turning core's caller-mistake errors into a 422 about `prefix`. */
export function withCoreErrors<T>(prefix: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof BackpropError) throw fromBackpropError(error, prefix);
    throw error;
  }
}

/** The problem details object in one language. */
export function renderProblem(error: ApiError, lang: Lang, instance: string): ProblemDetails {
  return {
    type: problemType(error.kind),
    title: PROBLEMS[error.kind].title[lang],
    status: error.status,
    detail: error.detailText[lang],
    instance,
    errors: error.errors.map((e) => ({ field: e.field, code: e.code, message: e.message[lang] })),
    ...error.extensions,
  };
}

/**
 * An error as plain data, to cross a worker-thread boundary by structured
 * clone without losing what makes it a 4xx: an ApiError keeps its kind,
 * texts, fields and extensions; core's BackpropError its code and field.
 */
export type WireError =
  | { type: "api"; kind: ProblemKind; detail: Localized; errors: LocalizedFieldError[]; extensions: Record<string, unknown>; headers: Record<string, string> }
  | { type: "core"; code: string; message: string; field?: string; line?: number; column?: number }
  | { type: "other"; message: string };

export function toWireError(error: unknown): WireError {
  if (error instanceof ApiError) {
    return { type: "api", kind: error.kind, detail: error.detailText, errors: error.errors, extensions: error.extensions, headers: error.headers };
  }
  if (error instanceof BackpropError) {
    return {
      type: "core",
      code: error.code,
      message: error.message,
      ...(error.field === undefined ? {} : { field: error.field }),
      ...(error.line === undefined ? {} : { line: error.line }),
      ...(error.column === undefined ? {} : { column: error.column }),
    };
  }
  return { type: "other", message: error instanceof Error ? (error.stack ?? error.message) : String(error) };
}

export function fromWireError(wire: WireError): Error {
  if (wire.type === "api") return new ApiError(wire.kind, wire.detail, { errors: wire.errors, extensions: wire.extensions, headers: wire.headers });
  if (wire.type === "core") {
    const options: { field?: string; line?: number; column?: number } = {};
    if (wire.field !== undefined) options.field = wire.field;
    if (wire.line !== undefined) options.line = wire.line;
    if (wire.column !== undefined) options.column = wire.column;
    return new BackpropError(wire.code as ConstructorParameters<typeof BackpropError>[0], wire.message, options);
  }
  return new Error(wire.message);
}
