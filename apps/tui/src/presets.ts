import { PRESETS, type RunDocument } from "@backprop-lab/core";
import { FAILURE_LABS } from "@backprop-lab/diagnostics";
import { presetText, type Localized } from "@backprop-lab/i18n";

/** The run the dashboard opens with: the course's 2-3-2 sigmoid network with biases on its XOR data. */
export const DEFAULT_PRESET = "course-2-3-2-bias";

export type PresetGroup = "course" | "lab" | "playground";

/** A run the `p` menu and `--preset` offer: core's presets (their text from @backprop-lab/i18n) and the failure labs, each as a run document. */
export interface MenuPreset {
  id: string;
  group: PresetGroup;
  title: Localized;
  description: Localized;
  /** The whole run validated by core's normalizeRunDocument. */
  document: RunDocument;
  /** Steps the preset runs for, when it has a fixed length. */
  steps?: number | null;
}

/** Every preset, in menu order: the course, the failure labs, the Playground's data sets. */
export function allPresets(): MenuPreset[] {
  const core = PRESETS.map(
    (p): MenuPreset => ({
      id: p.id,
      group: p.id.startsWith("playground-") ? "playground" : "course",
      ...presetText(p.id),
      document: structuredClone(p.document),
    }),
  );
  const labs = FAILURE_LABS.map(
    (lab): MenuPreset => ({ id: lab.id, group: "lab", title: lab.title, description: lab.description, document: structuredClone(lab.config), steps: lab.steps }),
  );
  return [...core.filter((p) => p.group === "course"), ...labs, ...core.filter((p) => p.group === "playground")];
}

/** The preset with this id, or undefined. */
export function findPreset(id: string): MenuPreset | undefined {
  return allPresets().find((p) => p.id === id);
}
