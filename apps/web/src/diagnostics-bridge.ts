import { applyFix, FAILURE_LABS, type FailureLab, type Fix } from "@backprop-lab/diagnostics";
import type { AppState } from "./state/app-state.js";
import { documentOf, stateOfDocument } from "./state/document.js";
import type { FindingView } from "./worker/protocol.js";

export type Lab = FailureLab;

/** packages/diagnostics' failure labs: runs that break on purpose, each with the findings it must raise and its fix. */
export const LABS: readonly Lab[] = FAILURE_LABS;

/**
 * A fix applied to the whole app state: the config patch through
 * packages/diagnostics' applyFix, the clip setting beside it. The run
 * restarts from step 0 with the new settings, so the link replays it.
 */
export function applyFixToState(state: AppState, fix: NonNullable<FindingView["fix"]> | Fix): AppState {
  const { config } = stateOfDocument(applyFix(documentOf(state), fix as Fix));
  return { ...state, config, clip: fix.clip ? { maxNorm: fix.clip.maxNorm } : state.clip, edits: [], history: [] };
}
