import { Box, Text, useInput } from "ink";
import { useRef, useState } from "react";
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
  const width = Math.min(props.width, 100);
  const limit = Math.max(3, Math.min(items.length, props.height - 8));
  // the index lives in a ref as well as in state: a burst of arrow keys arrives as several events before React
  // re-renders, and each must move from where the previous one left the cursor (ink-select-input moved one row)
  const at = useRef(initial);
  const [index, setIndex] = useState(initial);
  useInput((input, key) => {
    const n = items.length;
    let next = at.current;
    if (key.upArrow || input === "k") next = (next - 1 + n) % n;
    else if (key.downArrow || input === "j") next = (next + 1) % n;
    else if (key.pageUp) next = Math.max(0, next - limit);
    else if (key.pageDown) next = Math.min(n - 1, next + limit);
    else if (key.return) {
      const preset = props.presets[at.current];
      if (preset) props.onSelect(preset);
      return;
    } else return;
    at.current = next;
    setIndex(next);
  });
  const current = props.presets[index];
  const top = Math.min(Math.max(0, index - Math.floor(limit / 2)), Math.max(0, items.length - limit));
  return (
    <Box flexDirection="column" borderStyle="round" width={width} paddingX={1}>
      <Text bold color={props.theme.accent}>
        {m.presetsTitle}
      </Text>
      {items.slice(top, top + limit).map((item, k) => (
        <Text key={item.key} color={top + k === index ? props.theme.accent : undefined} wrap="truncate-end">
          {top + k === index ? "❯ " : "  "}
          {item.label}
        </Text>
      ))}
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
