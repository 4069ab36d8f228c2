import { Box, Text } from "ink";
import SelectInput from "ink-select-input";
import { useState } from "react";
import { MESSAGES, type Lang } from "../i18n.js";
import type { MenuPreset } from "../presets.js";
import { wrap } from "./dashboard.js";
import type { Theme } from "./theme.js";

export interface PresetMenuProps {
  presets: readonly MenuPreset[];
  currentId: string | null;
  lang: Lang;
  theme: Theme;
  width: number;
  height: number;
  onSelect: (preset: MenuPreset) => void;
}

/** The `p` menu: every preset by group; the highlighted one's description below. */
export function PresetMenu(props: PresetMenuProps) {
  const m = MESSAGES[props.lang];
  const group = { course: m.presetGroupCourse, lab: m.presetGroupLab, playground: m.presetGroupPlayground };
  const pad = Math.max(...Object.values(group).map((g) => g.length)) + 1;
  const items = props.presets.map((p) => ({ key: p.id, label: `${group[p.group].padEnd(pad)} ${p.title[props.lang]}`, value: p.id }));
  const initial = Math.max(0, props.presets.findIndex((p) => p.id === props.currentId));
  const [highlighted, setHighlighted] = useState(props.presets[initial]?.id ?? null);
  const current = props.presets.find((p) => p.id === highlighted);
  const width = Math.min(props.width, 100);
  const limit = Math.max(3, Math.min(items.length, props.height - 8));
  return (
    <Box flexDirection="column" borderStyle="round" width={width} paddingX={1}>
      <Text bold color={props.theme.accent}>
        {m.presetsTitle}
      </Text>
      <SelectInput
        items={items}
        initialIndex={initial}
        limit={limit}
        onHighlight={(item) => setHighlighted(item.value)}
        onSelect={(item) => {
          const preset = props.presets.find((p) => p.id === item.value);
          if (preset) props.onSelect(preset);
        }}
      />
      {current ? (
        <Box flexDirection="column" marginTop={1}>
          <Text color={props.theme.muted}>{current.id}</Text>
          {wrap(current.description[props.lang], width - 4).map((line, i) => (
            <Text key={i}>{line}</Text>
          ))}
        </Box>
      ) : null}
    </Box>
  );
}
