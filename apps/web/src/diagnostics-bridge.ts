import type { Localized, RunConfig } from "@backprop-lab/core";
import * as diagnostics from "@backprop-lab/diagnostics";
import { applyFix } from "@backprop-lab/diagnostics";
import type { AppState } from "./state/app-state.js";
import type { FindingView } from "./worker/protocol.js";

type FixView = NonNullable<FindingView["fix"]>;

/** A failure lab of packages/diagnostics: a run that breaks on purpose, and its fix. */
export interface Lab {
  id: string;
  title: Localized;
  description: Localized;
  config: RunConfig;
  steps: number;
  expected: Localized;
  fix: FixView;
}

// TODO(web): import FAILURE_LABS by name once packages/diagnostics exports it
export const LABS: readonly Lab[] = ((diagnostics as Record<string, unknown>).FAILURE_LABS as readonly Lab[] | undefined) ?? [];

/**
 * A fix applied to the whole app state: the config patch through
 * packages/diagnostics' applyFix, the clip setting beside it. The run
 * restarts from step 0 with the new settings, so the link replays it.
 */
export function applyFixToState(state: AppState, fix: FixView): AppState {
  const config = applyFix(state.config, fix as Parameters<typeof applyFix>[1]);
  return {
    ...state,
    config,
    clip: fix.clip ? { maxNorm: fix.clip.maxNorm } : state.clip,
    edits: [],
  };
}
