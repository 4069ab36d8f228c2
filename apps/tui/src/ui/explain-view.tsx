import { Box, Text } from "ink";
import { useMemo } from "react";
import { formatNumber } from "../format.js";
import { MESSAGES, type Lang } from "../i18n.js";
import { explainLines } from "../render/explain.js";
import type { Session } from "../session.js";
import type { Theme } from "./theme.js";

export interface ExplainViewProps {
  session: Session;
  /** Row of the next batch whose per-row matrices are shown, or null for every row. */
  sample: number | null;
  /** First line shown. */
  scroll: number;
  lang: Lang;
  theme: Theme;
  width: number;
  height: number;
  /** Decimals of every matrix entry: 4 (the course's layout) or 12 (full precision); `x` toggles. */
  decimals?: number;
}

/**
 * The `e` view: the step the run takes next (core's `run.explain()`: its
 * batch, scheduled rate, penalty, clipping and optimizer), every intermediate
 * printed; its "after" weights are the run's next weights bit for bit.
 */
export function ExplainView(props: ExplainViewProps) {
  const { session, lang, theme, width, height } = props;
  const m = MESSAGES[lang];
  const steps = session.steps;
  const run = session.run;
  const e = useMemo(
    () => session.explain(),
    // the weights change with every step and every reset
    [session, run, steps],
  );
  const n = e.n;
  const row = props.sample === null ? null : Math.min(props.sample, n - 1);
  const lines = useMemo(() => explainLines(e, m, width, props.decimals ?? 4, row), [e, row, m, width, props.decimals]);
  const body = Math.max(1, height - 3);
  const top = Math.min(Math.max(0, props.scroll), Math.max(0, lines.length - body));
  const color = { title: theme.accent, section: theme.accent, layer: theme.warning, math: undefined } as const;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text wrap="truncate">
        <Text bold color={theme.accent}>
          {m.explainTitle}
        </Text>
        {` · ${m.explainSample(row, n)} · ${m.step} ${steps + 1} · ${m.lossFn} ${e.loss} · η ${formatNumber(e.learningRate)}`}
      </Text>
      <Text color={theme.muted} wrap="truncate">
        {`${m.explainHint} · ${m.explainDigits(props.decimals ?? 4)}  (${top + 1}-${Math.min(lines.length, top + body)}/${lines.length})`}
      </Text>
      {lines.slice(top, top + body).map((line, i) => (
        <Text key={i} wrap="truncate" bold={line.kind === "section"} color={color[line.kind]}>
          {line.text}
        </Text>
      ))}
    </Box>
  );
}
