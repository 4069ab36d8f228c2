import { explainStep } from "@backprop-lab/core";
import { Box, Text } from "ink";
import { useMemo } from "react";
import { formatNumber } from "../format.js";
import { MESSAGES, type Lang } from "../i18n.js";
import { explainLines } from "../render/explain.js";
import type { Session } from "../session.js";
import type { Theme } from "./theme.js";

export interface ExplainViewProps {
  session: Session;
  /** Row of the training set to explain. */
  sample: number;
  /** First line shown. */
  scroll: number;
  lang: Lang;
  theme: Theme;
  width: number;
  height: number;
  /** Decimals of every matrix entry: 4 (the course's layout) or 12 (full precision); `x` toggles. */
  decimals?: number;
}

/** The `e` view: one forward, backward and update on one training sample, every intermediate printed. */
export function explainSample(session: Session, sample: number) {
  const run = session.run;
  const d = run.train;
  const i = Math.min(Math.max(0, sample), d.n - 1);
  const settings = run.trainer.settings();
  const x = d.x.subarray(i * d.nIn, (i + 1) * d.nIn);
  const y = d.y.subarray(i * d.nOut, (i + 1) * d.nOut);
  const learningRate = session.last ? session.last.learningRate : settings.learningRate;
  return explainStep(run.net, x, y, { learningRate, loss: settings.loss, regularization: settings.regularization });
}

export function ExplainView(props: ExplainViewProps) {
  const { session, lang, theme, width, height } = props;
  const m = MESSAGES[lang];
  const n = session.run.train.n;
  const steps = session.steps;
  const run = session.run;
  const lines = useMemo(
    () => explainLines(explainSample(session, props.sample), m, width, props.decimals ?? 4),
    // the weights change with every step and every reset
    [session, run, steps, props.sample, m, width, props.decimals],
  );
  const body = Math.max(1, height - 3);
  const top = Math.min(Math.max(0, props.scroll), Math.max(0, lines.length - body));
  const color = { title: theme.accent, section: theme.accent, layer: theme.warning, math: undefined } as const;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text wrap="truncate">
        <Text bold color={theme.accent}>
          {m.explainTitle}
        </Text>
        {` · ${m.explainSample(Math.min(props.sample, n - 1), n)} · ${m.step} ${steps} · ${m.lossFn} ${session.config.training.loss} · η ${formatNumber(
          session.last ? session.last.learningRate : session.config.training.learningRate,
        )}`}
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
