import { Box, Text } from "ink";
import { MESSAGES, type Lang } from "../i18n.js";
import type { Theme } from "./theme.js";

export function HelpView(props: { lang: Lang; theme: Theme; width: number }) {
  const m = MESSAGES[props.lang];
  const keyWidth = Math.max(...m.helpKeys.map(([k]) => k.length)) + 2;
  return (
    <Box flexDirection="column" borderStyle="round" width={Math.min(props.width, 80)} paddingX={1}>
      <Text bold color={props.theme.accent}>
        {m.helpTitle}
      </Text>
      {m.helpKeys.map(([key, what]) => (
        <Text key={key} wrap="truncate">
          <Text bold>{key.padEnd(keyWidth)}</Text>
          {what}
        </Text>
      ))}
      <Text color={props.theme.muted}>{m.helpClose}</Text>
    </Box>
  );
}
