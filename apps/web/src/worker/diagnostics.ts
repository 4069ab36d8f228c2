import type { Run } from "@backprop-lab/core";
import { attachDiagnostics, type AttachOptions, type Diagnostics, type LayerHealth } from "@backprop-lab/diagnostics";
import type { ClipSetting } from "../state/app-state.js";
import type { FindingView } from "./protocol.js";

/** What the diagnostics hook depends on. */
interface HookSettings {
  clip: ClipSetting | null;
  guard: boolean;
}

/** packages/diagnostics on the worker's run, re-attached when clip or guard change. */
export interface RunDiagnostics {
  findings(): FindingView[];
  health(): LayerHealth[];
  /** Clip and guard settings changed mid-run: the hook is replaced (findings start afresh). */
  configure(settings: HookSettings): void;
}

function options(state: HookSettings): AttachOptions {
  return { guard: state.guard, ...(state.clip ? { clip: { kind: "norm", maxNorm: state.clip.maxNorm } } : {}) };
}

export function attachRunDiagnostics(run: Run, state: HookSettings): RunDiagnostics {
  let d: Diagnostics = attachDiagnostics(run, options(state));
  let current = JSON.stringify(options(state));
  return {
    findings: () => d.findings(),
    // live objects inside the package: copy them for the frame
    health: () => d.health().map((h) => ({ ...h })),
    configure(next) {
      const key = JSON.stringify(options(next));
      if (key === current) return;
      current = key;
      d.detach();
      d = attachDiagnostics(run, options(next));
    },
  };
}
