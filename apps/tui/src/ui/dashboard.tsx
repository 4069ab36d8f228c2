import { parameterCount } from "@backprop-lab/core";
import type { Finding } from "@backprop-lab/diagnostics";
import type { ColorMode } from "@backprop-lab/viz";
import { Box, Text } from "ink";
import { useRef } from "react";
import { formatNumber, formatPercent, progressBar } from "../format.js";
import type { Lang, Messages } from "../i18n.js";
import { MESSAGES } from "../i18n.js";
import type { MenuPreset } from "../presets.js";
import { createBoundaryRenderer, type BoundaryRenderer } from "../render/boundary.js";
import { chartLines } from "../render/chart.js";
import type { Layout } from "../render/layout.js";
import type { Session } from "../session.js";
import { Lines, LiveLines, Panel } from "./panel.js";
import type { Theme } from "./theme.js";

export interface DashboardProps {
  session: Session;
  running: boolean;
  stepsPerSecond: number;
  layout: Layout;
  lang: Lang;
  theme: Theme;
  colorMode: ColorMode;
  preset: MenuPreset | undefined;
  /** Whether the run is still the preset's (a fix, a new seed or a key changed it otherwise). */
  presetIntact?: boolean;
  message: string | null;
  /** First findings line shown (↑/↓ scroll). */
  findingsScroll?: number;
}

function statusWord(session: Session, running: boolean, m: Messages): string {
  if (session.diverged) return m.diverged;
  if (session.done) return m.done;
  return running ? `▶ ${m.running}` : `⏸ ${m.paused}`;
}

function Header(props: DashboardProps) {
  const { session, lang, theme, layout } = props;
  const m = MESSAGES[lang];
  // a preset's title only while the run is still that preset: after f, +/-, d… it is the user's own run
  const title = props.preset && props.presetIntact !== false ? props.preset.title[lang] : m.custom;
  const total = session.totalSteps;
  const steps = total === null ? `${m.step} ${session.steps}` : `${m.step} ${session.steps}/${total}`;
  const bar = total === null ? "" : ` ${progressBar(session.steps, total, layout.kind === "wide" ? 20 : 10)} ${Math.floor((100 * session.steps) / total)}%`;
  const status = statusWord(session, props.running, m);
  const rate = `${Math.round(props.stepsPerSecond)} ${m.stepsPerSecond}`;
  // the preset's title goes first when the line runs out of room
  const full = `${m.appTitle} │ ${title} │ ${steps}${bar} │ ${rate} │ ${status}`;
  const showTitle = full.length <= layout.columns;
  return (
    <Box width={layout.columns} height={1}>
      <Text wrap="truncate">
        <Text bold color={theme.accent}>
          {m.appTitle}
        </Text>
        {`${showTitle ? ` │ ${title}` : ""} │ ${steps}${bar} │ ${rate} │ `}
        <Text color={session.diverged ? theme.error : theme.accent}>{status}</Text>
      </Text>
    </Box>
  );
}

function AccuracyPanel(props: DashboardProps) {
  const { session, lang, theme, layout } = props;
  const m = MESSAGES[lang];
  const e = session.evaluate();
  const h = session.history;
  const lines = () =>
    chartLines(
      [
        { series: h.trainAccuracy, color: theme.chart.train },
        { series: h.testAccuracy, color: theme.chart.test },
      ],
      { ...layout.accuracy, min: 0, max: 1, label: (y) => `${Math.round(y * 100)}%` },
    );
  const title = (
    <Text>
      <Text bold>{m.accuracy}</Text>
      {"  "}
      <Text color={theme.train}>{`${m.train} ${e.train.accuracy === null ? "-" : formatPercent(e.train.accuracy)}`}</Text>
      {e.test && e.test.accuracy !== null ? (
        <>
          {"  "}
          <Text color={theme.test}>{`${m.test} ${formatPercent(e.test.accuracy)}`}</Text>
        </>
      ) : null}
    </Text>
  );
  return (
    <Panel title={title} {...layout.accuracy}>
      <LiveLines id="accuracy" {...layout.accuracy} lines={lines} />
    </Panel>
  );
}

function LossPanel(props: DashboardProps) {
  const { session, lang, theme, layout } = props;
  const m = MESSAGES[lang];
  const h = session.history;
  const last = session.last;
  const lines = () =>
    chartLines(
      [
        { series: h.dataLoss, color: theme.chart.data },
        { series: h.regLoss, color: theme.chart.penalty },
      ],
      layout.loss,
    );
  const title = (
    <Text>
      <Text bold>{m.loss}</Text>
      {` ${last ? formatNumber(last.loss) : m.notYet} = `}
      <Text color={theme.data}>{`${m.dataLoss} ${last ? formatNumber(last.dataLoss) : m.notYet}`}</Text>
      {" + "}
      <Text color={theme.penalty}>{`${m.penalty} ${last ? formatNumber(last.regLoss) : m.notYet}`}</Text>
    </Text>
  );
  return (
    <Panel title={title} {...layout.loss}>
      <LiveLines id="loss" {...layout.loss} lines={lines} />
    </Panel>
  );
}

function BoundaryPanel(props: DashboardProps) {
  const { session, lang, layout, colorMode } = props;
  const m = MESSAGES[lang];
  const { width, height } = layout.boundary;
  // one renderer per run and size: a reset or a new preset builds a new run
  const cache = useRef<{ key: unknown[]; renderer: BoundaryRenderer | null } | null>(null);
  const lines = () => {
    const key = [session.run, width, height, colorMode];
    if (!cache.current || cache.current.key.some((k, i) => k !== key[i])) {
      cache.current = { key, renderer: createBoundaryRenderer(session.run, width, height, colorMode) };
    }
    return cache.current.renderer ? cache.current.renderer.render() : [];
  };
  const data = session.run.document.data;
  const name = data.source === "generated" ? data.name : "file";
  return (
    <Panel title={<Text>{`${m.boundary} · ${name}`}</Text>} width={width} height={height}>
      <LiveLines id="boundary" width={width} height={height} lines={lines} />
    </Panel>
  );
}

function settingsLines(session: Session, m: Messages): string[] {
  const c = session.document;
  const run = session.run;
  const t = c.training;
  const sizes = run.net.spec.sizes.join("-");
  const act = Array.isArray(c.network.activation) ? c.network.activation.join(",") : c.network.activation;
  const data = c.data.source === "generated" ? c.data.name : "file";
  const bug = t.regularization.gradient === "course-bug" ? ` (${m.courseBugGradient})` : "";
  const reg = t.regularization.kind === "none" ? m.off : `${t.regularization.kind} λ=${formatNumber(t.regularization.lambda)}${bug}`;
  const sched = t.schedule.kind === "constant" ? m.off : t.schedule.kind;
  const lr = session.last ? session.last.learningRate : t.learningRate;
  const lines = [
    `${m.network} ${sizes} · ${act} → ${c.network.output} · ${m.bias} ${c.network.bias ? m.on : m.off} · ${parameterCount(run.net)} ${m.params}`,
  ];
  const health = session.diagnostics.health();
  for (const layer of health) {
    const l = run.net.layers[layer.layer]!;
    // |W| straight from the weights (the monitor has seen no step yet at step 0); |∇| only once a step has run
    let w2 = 0;
    for (let i = l.wOffset; i < l.wOffset + l.nIn * l.nOut; i++) w2 += run.net.params[i]! * run.net.params[i]!;
    const grad = session.steps === 0 ? m.notYet : formatNumber(layer.gradNorm, 3);
    const sat = layer.saturatedFraction > 0 ? `  sat ${formatPercent(layer.saturatedFraction)}` : "";
    const dead = layer.deadFraction > 0 ? `  dead ${formatPercent(layer.deadFraction)}` : "";
    lines.push(`  L${layer.layer + 1} ${l.nIn}→${l.nOut} ${l.activation}  |W| ${formatNumber(Math.sqrt(w2), 3)}  |∇| ${grad}${sat}${dead}`);
  }
  lines.push(`${m.dataset} ${data} · ${m.points(run.points.train.n, run.points.test.n)} · ${m.features} ${c.features.join(",")}`);
  lines.push(
    `${t.loss} · ${t.optimizer.kind} · ${m.learningRate} ${formatNumber(lr)} · ${m.decay} ${sched} · ${m.batch} ${t.batchSize === "full" ? m.full : t.batchSize}`,
  );
  lines.push(
    `${m.regularization} ${reg} · ${m.clip} ${session.clipOn ? `≤ ${formatNumber(session.clipNorm)} (${session.clipCount()})` : m.off} · ${m.seed} ${c.seed} · ${m.init} ${c.init.scheme}`,
  );
  return lines;
}

function severityMark(f: Finding): string {
  return f.severity === "error" ? "✖" : f.severity === "warning" ? "▲" : "●";
}

/** Wraps text into lines of at most `width` characters, on spaces. */
export function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line.length === 0) line = word;
    else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else {
      out.push(line);
      line = word;
    }
  }
  if (line) out.push(line);
  return out;
}

function FindingsPanel(props: DashboardProps & { border: boolean }) {
  const { session, lang, theme, layout } = props;
  const m = MESSAGES[lang];
  const { width, height } = layout.findings;
  const findings = session.findings();
  const fix = session.suggestedFix();
  const rows: Array<{ text: string; color: string | undefined; bold?: boolean }> = [];
  if (findings.length === 0) rows.push({ text: m.noFindings, color: theme.muted });
  for (const f of findings) {
    const color = f.severity === "error" ? theme.error : f.severity === "warning" ? theme.warning : theme.info;
    // one column spare: a word is never cut at the panel's edge
    wrap(`${severityMark(f)} ${f.message[lang]}`, width - 1).forEach((text) => rows.push({ text, color }));
  }
  const visible = Math.max(1, fix ? height - 1 : height);
  const top = Math.min(Math.max(0, props.findingsScroll ?? 0), Math.max(0, rows.length - visible));
  const shown = rows.slice(top, top + visible);
  const more = rows.length > visible ? ` · ${m.findingsMore(top + 1, top + shown.length, rows.length)}` : "";
  return (
    <Panel title={<Text><Text bold>{m.findings}</Text>{more}</Text>} width={width} height={height} border={props.border}>
      {shown.map((r, i) => (
        <Text key={i} color={r.color} wrap="truncate">
          {r.text}
        </Text>
      ))}
      {fix ? (
        <Text bold color={theme.accent} wrap="truncate">
          {m.fixHint(fix.label[lang])}
        </Text>
      ) : null}
    </Panel>
  );
}

/** A settings line cut at a " · " or a space that fits, marked "…": a number is never cut in two. */
export function fitLine(line: string, width: number): string {
  if (line.length <= width) return line;
  for (const sep of [" · ", " "]) {
    let at = line.lastIndexOf(sep, width - 1);
    while (at > 0 && at + 2 > width) at = line.lastIndexOf(sep, at - 1);
    if (at > 0) return `${line.slice(0, at).trimEnd()} …`;
  }
  return "…";
}

function InfoPanel(props: DashboardProps & { border: boolean }) {
  const { session, lang, layout } = props;
  const m = MESSAGES[lang];
  const { width, height } = layout.info;
  let lines = settingsLines(session, m);
  if (lines.length > height) {
    // keep the network line and the settings; drop per-layer lines first
    const layers = lines.length - 4;
    const keep = Math.max(0, height - 4);
    lines = [lines[0]!, ...lines.slice(1, 1 + Math.min(keep, layers)), ...lines.slice(1 + layers)].slice(0, height);
  }
  return (
    <Panel title={<Text bold>{`${m.network} · ${m.settings}`}</Text>} width={width} height={height} border={props.border}>
      <Lines lines={lines.map((line) => fitLine(line, width))} />
    </Panel>
  );
}

function Footer(props: DashboardProps) {
  const { lang, theme, layout } = props;
  const m = MESSAGES[lang];
  return (
    <Box flexDirection="column" width={layout.columns}>
      <Text color={theme.accent} wrap="truncate">
        {props.message ?? " "}
      </Text>
      <Text color={theme.muted} wrap="truncate">
        {layout.columns >= m.keysShort.length ? m.keysShort : m.keysTiny}
      </Text>
    </Box>
  );
}

/** The main screen: the course's three panels, the network and settings, the diagnostics, and the key bar. */
export function Dashboard(props: DashboardProps) {
  const { layout } = props;
  if (layout.kind === "wide") {
    return (
      <Box flexDirection="column">
        <Header {...props} />
        <Box>
          <AccuracyPanel {...props} />
          <BoundaryPanel {...props} />
          <LossPanel {...props} />
        </Box>
        <Box>
          <InfoPanel {...props} border />
          <FindingsPanel {...props} border />
        </Box>
        <Footer {...props} />
      </Box>
    );
  }
  if (layout.kind === "medium") {
    return (
      <Box flexDirection="column">
        <Header {...props} />
        <Box>
          <BoundaryPanel {...props} />
          <Box flexDirection="column">
            <AccuracyPanel {...props} />
            <LossPanel {...props} />
          </Box>
        </Box>
        <Box>
          <InfoPanel {...props} border={false} />
          <Box width={1} />
          <FindingsPanel {...props} border={false} />
        </Box>
        <Footer {...props} />
      </Box>
    );
  }
  return (
    <Box flexDirection="column">
      <Header {...props} />
      <BoundaryPanel {...props} />
      {layout.compact ? null : <AccuracyPanel {...props} />}
      <LossPanel {...props} />
      {layout.compact ? null : <InfoPanel {...props} border={false} />}
      <FindingsPanel {...props} border={false} />
      <Footer {...props} />
    </Box>
  );
}
