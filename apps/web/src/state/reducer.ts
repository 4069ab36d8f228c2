import type { RunGuard } from "@backprop-lab/core";
import type { RunConfig } from "./document.js";
import { changeKind, type AppState, type ClipSetting, type PastSettings, type ViewOptions, type WeightEdit } from "./app-state.js";

export type Action =
  /** Any change of the run configuration; a change that rebuilds the run drops the weight edits and the settings history. */
  | { type: "config"; config: RunConfig }
  | { type: "clip"; clip: ClipSetting | null }
  | { type: "guard"; guard: RunGuard | null }
  | { type: "view"; view: Partial<ViewOptions> }
  /** Edits the worker applied (their steps are the worker's). */
  | { type: "edits"; edits: WeightEdit[] }
  /** The worker's settings log after a live change. */
  | { type: "history"; history: PastSettings[] }
  /** A whole new state: a link, a lab, a fix. */
  | { type: "load"; state: AppState };

export function reducer(state: AppState, action: Action): AppState {
  switch (action.type) {
    case "config": {
      const next = { ...state, config: action.config };
      return changeKind(state, next) === "rebuild" ? { ...next, edits: [], history: [] } : next;
    }
    case "clip":
      return { ...state, clip: action.clip };
    case "guard": {
      // the guard is part of the run from step 0: switching it starts the run over
      const next = { ...state, guard: action.guard };
      return changeKind(state, next) === "rebuild" ? { ...next, edits: [], history: [] } : next;
    }
    case "view":
      return { ...state, view: { ...state.view, ...action.view } };
    case "edits": {
      // a later edit of the same parameter at the same step replaces the earlier one
      const key = (e: WeightEdit) => `${e.step}:${e.layer}:${e.row}:${e.col}`;
      const replaced = new Set(action.edits.map(key));
      return { ...state, edits: [...state.edits.filter((e) => !replaced.has(key(e))), ...action.edits] };
    }
    case "history":
      return { ...state, history: action.history };
    case "load":
      return action.state;
  }
}
