import { BackpropError, checkLoss, createRun, normalizeRunConfig, datasetInfo, isDatasetName, PRESETS, presetConfig, type Run, type RunConfig } from "@backprop-lab/core";
import type { ApiLimits } from "../limits.js";
import { TEXT } from "../messages.js";
import { fieldProblem, fromBackpropError, limitProblem, withCoreErrors } from "../problem.js";
import type { RunConfigInput } from "../schemas.js";
import type { ClipOption } from "@backprop-lab/diagnostics";
import { applyFix, FAILURE_LABS } from "./diagnose.js";

/** Where a run's configuration came from, and the field errors should name. */
export interface ResolvedConfig {
  config: unknown;
  field: "config" | "preset";
  /** A failure lab's own step count, when it came from one. */
  labSteps: number | null;
  /** The clipping a failure lab's fix asks for (applyFix patches the config; clipping is a diagnostics setting). */
  clip: ClipOption | null;
}

/** A run config from { config } or { preset, applyFix }: presets and failure labs are deep copies. */
export function resolveConfig(body: { config?: RunConfigInput | undefined; preset?: string | undefined; applyFix?: boolean | undefined }): ResolvedConfig {
  if (body.preset !== undefined && body.config !== undefined) {
    throw fieldProblem("validation-failed", "preset", "conflict", TEXT.presetAndConfig);
  }
  if (body.preset === undefined) {
    if (body.applyFix) throw fieldProblem("validation-failed", "applyFix", "needs_lab", TEXT.fixWithoutLab);
    return { config: body.config ?? {}, field: "config", labSteps: null, clip: null };
  }
  const id = body.preset;
  const lab = FAILURE_LABS.find((l) => l.id === id);
  if (lab) {
    const config = JSON.parse(JSON.stringify(lab.config)) as RunConfig;
    if (!body.applyFix) return { config, field: "preset", labSteps: lab.steps, clip: null };
    return { config: applyFix(config, lab.fix), field: "preset", labSteps: lab.steps, clip: lab.fix.clip ?? null };
  }
  if (body.applyFix) throw fieldProblem("validation-failed", "applyFix", "needs_lab", TEXT.fixWithoutLab);
  if (!PRESETS.some((p) => p.id === id)) {
    throw fieldProblem("validation-failed", "preset", "unknown_preset", { en: TEXT.unknownPreset.en(id), es: TEXT.unknownPreset.es(id) });
  }
  return { config: presetConfig(id), field: "preset", labSteps: null, clip: null };
}

type Loose = Record<string, unknown> | undefined;

/**
 * The size limits that can be read off a config before building anything:
 * data rows, inputs per row, hidden layers and their widths.
 */
export function checkConfigLimits(raw: unknown, field: string, limits: ApiLimits): void {
  const c = (raw ?? {}) as Record<string, unknown>;
  const data = c.data as Loose;
  if (data !== undefined) {
    if (Array.isArray(data.x)) {
      if (data.x.length > limits.maxSamples) throw limitProblem(`${field}.data.x`, data.x.length, limits.maxSamples);
      data.x.forEach((row, i) => {
        if (Array.isArray(row) && row.length > limits.maxInputs) throw limitProblem(`${field}.data.x[${i}]`, row.length, limits.maxInputs);
      });
    } else if (isDatasetName(data.name)) {
      const n = typeof data.n === "number" ? data.n : datasetInfo(data.name).defaultN;
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

/** Builds the run with core (its validation is the final word), naming fields inside `field`. */
export function buildRun(raw: unknown, field: string, limits: ApiLimits): Run {
  checkConfigLimits(raw, field, limits);
  const config = withCoreErrors(field, () => {
    const c = normalizeRunConfig(raw);
    // core's trainer would name this field "loss"; check it first to name it in full
    checkLoss(c.training.loss, c.network.output, "training.loss");
    return c;
  });
  try {
    return createRun(config);
  } catch (error) {
    // inline data is parsed as its own document, so its errors name x[1] rather than data.x[1]
    if (error instanceof BackpropError) throw fromBackpropError(error, error.code === "invalid-data" ? `${field}.data` : field);
    throw error;
  }
}
