import {
  BackpropError,
  createTrainingRun,
  datasetInfo,
  isDatasetName,
  parseRunDocument,
  PRESETS,
  presetDocument,
  type ModelJSON,
  type RunDocument,
  type RunStepReport,
  type TrainingRun,
} from "@backprop-lab/core";
import type { ApiLimits } from "../limits.js";
import { TEXT } from "../messages.js";
import { fieldProblem, fromBackpropError, limitProblem } from "../problem.js";
import type { RunConfigInput } from "../schemas.js";
import { applyFix, FAILURE_LABS } from "./diagnose.js";

/** Where a run document came from, and the field errors should name. */
export interface ResolvedConfig {
  /** The document as given (or the preset's, or the failure lab's, fix applied): not yet checked. */
  config: unknown;
  field: "config" | "preset";
  /** A failure lab's own step count, when it came from one. */
  labSteps: number | null;
}

const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** A run document from { config } or { preset, applyFix }: presets and failure labs are deep copies. */
export function resolveConfig(body: { config?: RunConfigInput | undefined; preset?: string | undefined; applyFix?: boolean | undefined }): ResolvedConfig {
  if (body.preset !== undefined && body.config !== undefined) {
    throw fieldProblem("validation-failed", "preset", "conflict", TEXT.presetAndConfig);
  }
  if (body.preset === undefined) {
    if (body.applyFix) throw fieldProblem("validation-failed", "applyFix", "needs_lab", TEXT.fixWithoutLab);
    return { config: body.config ?? {}, field: "config", labSteps: null };
  }
  const id = body.preset;
  const lab = FAILURE_LABS.find((l) => l.id === id);
  if (lab) {
    if (!body.applyFix) return { config: copy(lab.config), field: "preset", labSteps: lab.steps };
    const fixed = copy(applyFix(lab.config, lab.fix)) as unknown as { training: Record<string, unknown> };
    // a fix that clips sets the document's clipping
    if (lab.fix.clip) fixed.training.clipping = { maxNorm: lab.fix.clip.maxNorm };
    return { config: fixed, field: "preset", labSteps: lab.steps };
  }
  if (body.applyFix) throw fieldProblem("validation-failed", "applyFix", "needs_lab", TEXT.fixWithoutLab);
  if (!PRESETS.some((p) => p.id === id)) {
    throw fieldProblem("validation-failed", "preset", "unknown_preset", { en: TEXT.unknownPreset.en(id), es: TEXT.unknownPreset.es(id) });
  }
  return { config: presetDocument(id), field: "preset", labSteps: null };
}

type Loose = Record<string, unknown> | undefined;

/**
 * The API's own size limits (lower than core's RUN_LIMITS, and
 * configurable) that can be read off a document before building anything:
 * data rows, inputs per row, hidden layers and their widths.
 */
export function checkConfigLimits(raw: unknown, field: string, limits: ApiLimits): void {
  const c = (raw ?? {}) as Record<string, unknown>;
  const data = c.data as Loose;
  if (data !== undefined && data !== null) {
    if (Array.isArray(data.x)) {
      if (data.x.length > limits.maxSamples) throw limitProblem(`${field}.data.x`, data.x.length, limits.maxSamples);
      data.x.forEach((row, i) => {
        if (Array.isArray(row) && row.length > limits.maxInputs) throw limitProblem(`${field}.data.x[${i}]`, row.length, limits.maxInputs);
      });
    } else if (isDatasetName(data.name ?? "xor")) {
      const n = typeof data.n === "number" ? data.n : datasetInfo((data.name ?? "xor") as Parameters<typeof datasetInfo>[0]).defaultN;
      if (n > limits.maxSamples) throw limitProblem(`${field}.data.n`, n, limits.maxSamples);
    }
  }
  const network = c.network as Loose;
  const hidden = network?.hidden;
  if (Array.isArray(hidden)) {
    if (hidden.length > limits.maxHiddenLayers) throw limitProblem(`${field}.network.hidden`, hidden.length, limits.maxHiddenLayers);
    hidden.forEach((w, i) => {
      if (typeof w === "number" && w > limits.maxWidth) throw limitProblem(`${field}.network.hidden[${i}]`, w, limits.maxWidth);
    });
  }
}

/** Core's errors as the API's: the field inside `field` ("config", "preset"). */
function withDocumentErrors<T>(field: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof BackpropError) throw fromBackpropError(error, field);
    throw error;
  }
}

/** The document checked by core (the final word), with every default filled; errors name fields inside `field`. */
export function parseDocument(raw: unknown, field: string, limits: ApiLimits): RunDocument {
  checkConfigLimits(raw, field, limits);
  return withDocumentErrors(field, () => parseRunDocument(raw));
}

/**
 * Builds core's run from a checked document (inline rows are read here, so
 * their errors name data.x[i]), from `model`'s weights when given: core's
 * errors about the model name `model.…` (a body field of its own), the rest
 * fields inside `field`.
 */
export function buildRun(doc: RunDocument, field: string, model: ModelJSON | null = null): TrainingRun {
  try {
    return createTrainingRun(doc, model === null ? {} : { model });
  } catch (error) {
    if (error instanceof BackpropError) {
      const f = error.field ?? "";
      throw fromBackpropError(error, f === "model" || f.startsWith("model.") ? "" : field);
    }
    throw error;
  }
}

/** A document's run, from a raw (unchecked) document: parseDocument, then buildRun. */
export function runOf(raw: unknown, field: string, limits: ApiLimits): TrainingRun {
  return buildRun(parseDocument(raw, field, limits), field);
}

/** True when this step was the guard's last rollback, at its floor: the run has stopped, and any further step would roll back again. */
export function guardGaveUp(run: TrainingRun, report: RunStepReport): boolean {
  return run.diverged && report.rollback !== null && report.rollback.gaveUp;
}
