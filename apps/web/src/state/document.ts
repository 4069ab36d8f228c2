import {
  normalizeRunDocument,
  presetDocument,
  RUN_DOCUMENT_FIELDS,
  type OptimizerConfig,
  type Regularization,
  type RunDocument,
  type RunGuard,
  type RunTraining,
  type Schedule,
} from "@backprop-lab/core";
import type { RunState } from "../worker/protocol.js";
import type { AppState, ClipSetting } from "./app-state.js";

/**
 * The app state's run is core's run document: `config` (data, features,
 * network, initialization, training settings), `clip` (training.clipping),
 * `guard` (training.guard) and `evaluation`. This module maps the one onto
 * the other; the worker builds `createTrainingRun(documentOf(state))`.
 */

/**
 * The app state's run settings: core's run document without clipping, guard
 * and evaluation cadence (the state keeps those apart); the controls edit an
 * optimizer, schedule or penalty whose optional fields core's normalization
 * fills (documentOf).
 */
export type RunConfig = Omit<RunDocument, "training" | "evaluation"> & {
  training: Omit<RunTraining, "clipping" | "guard" | "optimizer" | "schedule" | "regularization"> & {
    optimizer: OptimizerConfig;
    schedule: Schedule;
    regularization: Regularization;
  };
};

/** A preset's run settings: core's preset document, as the state holds it. */
export function presetConfig(id: string): RunConfig {
  return stateOfDocument(presetDocument(id)).config;
}

/** The divergence guard the checkbox turns on: core's defaults (rate × 0.3 per rollback, floor 1e-6, only non-finite steps). */
export const DEFAULT_GUARD: RunGuard = {
  factor: RUN_DOCUMENT_FIELDS["training.guard.factor"].default,
  minLearningRate: RUN_DOCUMENT_FIELDS["training.guard.minLearningRate"].default,
  gradJump: null,
};

/** Core's evaluation cadence by default. */
export const DEFAULT_EVALUATION: { readonly every: number } = { every: RUN_DOCUMENT_FIELDS["evaluation.every"].default ?? 10 };

/** The run document of the app's current settings, validated by core (throws core's error naming the field). */
export function documentOf(state: Pick<AppState, "config" | "clip" | "guard" | "evaluation">): RunDocument {
  const c = state.config;
  return normalizeRunDocument({
    ...c,
    training: { ...c.training, clipping: state.clip ? { maxNorm: state.clip.maxNorm } : null, guard: state.guard ? { ...state.guard } : null },
    evaluation: { every: state.evaluation.every },
  } as Parameters<typeof normalizeRunDocument>[0]);
}

/** The app's parts of a document: the run config (without clipping, guard and cadence), clip, guard, evaluation. */
export function stateOfDocument(doc: RunDocument): { config: RunConfig; clip: ClipSetting | null; guard: RunGuard | null; evaluation: { every: number } } {
  const copy = JSON.parse(JSON.stringify(doc)) as RunDocument;
  const { clipping, guard, ...training } = copy.training;
  const { evaluation, ...rest } = copy;
  return { config: { ...rest, training } as RunConfig, clip: clipping ? { maxNorm: clipping.maxNorm } : null, guard, evaluation: { every: evaluation.every } };
}

/** What the worker runs for an app state: its run document (core validates it), its weight edits and its live changes. */
export function runStateOf(state: AppState): RunState {
  return { document: documentOf(state), edits: state.edits, history: state.history };
}
