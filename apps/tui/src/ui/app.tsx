import type { ColorMode } from "@backprop-lab/viz";
import { Text, useApp, useInput, useStdout } from "ink";
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from "react";
import type { Driver } from "../driver.js";
import { formatNumber } from "../format.js";
import { MESSAGES, otherLang, type Lang } from "../i18n.js";
import { allPresets, type MenuPreset } from "../presets.js";
import { computeLayout, MIN_COLUMNS, MIN_ROWS } from "../render/layout.js";
import type { Painter } from "../render/painter.js";
import type { Session } from "../session.js";
import { Dashboard } from "./dashboard.js";
import { ExplainView } from "./explain-view.js";
import { HelpView } from "./help-view.js";
import { PainterContext } from "./panel.js";
import { PresetMenu } from "./preset-menu.js";
import { themeFor } from "./theme.js";

export interface AppProps {
  session: Session;
  driver: Driver;
  lang: Lang;
  colorMode: ColorMode;
  /** Fixed terminal size (tests); by default the terminal's, following resizes. */
  size?: { columns: number; rows: number };
  presets?: readonly MenuPreset[];
  /** Called with the language whenever `l` switches it (the CLI prints its exit lines in it). */
  onLangChange?: (lang: Lang) => void;
  /** Draws the live panels straight to the terminal (see Painter); without one they render through Ink. */
  painter?: Painter | null;
}

type View = "dashboard" | "help" | "presets" | "explain";

/** The on-demand gradient check fails above this relative error (diagnostics' own check uses the same). */
const GRADIENT_TOLERANCE = 1e-4;

function useTerminalSize(fixed: AppProps["size"]): { columns: number; rows: number } {
  const { stdout } = useStdout();
  const read = () => ({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
  const [size, setSize] = useState(read);
  useEffect(() => {
    if (fixed) return;
    const onResize = () => setSize(read());
    stdout.on("resize", onResize);
    return () => {
      stdout.off("resize", onResize);
    };
  }, [stdout, fixed]);
  return fixed ?? size;
}

/** The whole dashboard: keys, views and the live panels. */
export function App(props: AppProps) {
  const { session, driver } = props;
  const { exit } = useApp();
  const [lang, setLang] = useState<Lang>(props.lang);
  const [view, setView] = useState<View>("dashboard");
  const [message, setMessage] = useState<string | null>(null);
  const [sample, setSample] = useState<number | null>(0);
  const [scroll, setScroll] = useState(0);
  const [findingsScroll, setFindingsScroll] = useState(0);
  const [decimals, setDecimals] = useState(4);
  const messageTimer = useRef<NodeJS.Timeout | null>(null);
  useSyncExternalStore(driver.subscribe, () => driver.version);
  const { columns, rows } = useTerminalSize(props.size);
  const layout = useMemo(() => computeLayout(columns, rows), [columns, rows]);
  const theme = useMemo(() => themeFor(props.colorMode), [props.colorMode]);
  const presets = useMemo(() => props.presets ?? allPresets(), [props.presets]);
  const m = MESSAGES[lang];

  const say = useCallback((text: string) => {
    setMessage(text);
    if (messageTimer.current) clearTimeout(messageTimer.current);
    messageTimer.current = setTimeout(() => setMessage(null), 4000);
  }, []);
  useEffect(
    () => () => {
      if (messageTimer.current) clearTimeout(messageTimer.current);
    },
    [],
  );

  useInput((input, key) => {
    if (view === "help") {
      setView("dashboard");
      return;
    }
    if (view === "presets") {
      if (key.escape || input === "p" || input === "q") setView("dashboard");
      return;
    }
    if (view === "explain") {
      const page = Math.max(1, layout.rows - 4);
      if (key.escape || input === "e" || input === "q") setView("dashboard");
      else if (key.leftArrow) setSample((s) => Math.max(0, (s ?? 0) - 1));
      else if (key.rightArrow) setSample((s) => Math.min(session.run.batcher.batchSize - 1, (s ?? -1) + 1));
      else if (input === "a") setSample((s) => (s === null ? 0 : null));
      else if (key.upArrow) setScroll((s) => Math.max(0, s - 1));
      else if (key.downArrow) setScroll((s) => s + 1);
      else if (key.pageUp) setScroll((s) => Math.max(0, s - page));
      else if (key.pageDown || input === " ") setScroll((s) => s + page);
      else if (input === "x") setDecimals((d) => (d === 4 ? 12 : 4));
      else if (input === "s") {
        session.step();
        driver.touch();
      }
      return;
    }
    // the findings panel scrolls; FindingsPanel clamps the offset to what there is
    const findingsPage = Math.max(1, layout.findings.height - 1);
    if (key.upArrow) return setFindingsScroll((s) => Math.max(0, s - 1));
    if (key.downArrow) return setFindingsScroll((s) => s + 1);
    if (key.pageUp) return setFindingsScroll((s) => Math.max(0, s - findingsPage));
    if (key.pageDown) return setFindingsScroll((s) => s + findingsPage);
    switch (input) {
      case " ":
        driver.toggle();
        return;
      case "s":
        driver.setRunning(false);
        if (!session.done && !session.diverged) session.step();
        driver.touch();
        return;
      case "r":
        session.reset();
        driver.touch();
        say(m.resetDone);
        return;
      case "n":
        say(m.newSeedDone(session.newSeed()));
        driver.touch();
        return;
      case "+":
      case "=":
      case "-":
      case "_":
        say(m.lrChanged(formatNumber(session.adjustLearningRate(input === "+" || input === "=" ? 1 : -1))));
        driver.touch();
        return;
      case "c":
        say(m.clipChanged(session.toggleClip(), formatNumber(session.clipNorm)));
        driver.touch();
        return;
      case "d":
        say(m.decayChanged(session.toggleDecay()));
        driver.touch();
        return;
      case "f": {
        const fix = session.applySuggestedFix();
        say(fix ? m.fixApplied(fix.label[lang]) : m.noFix);
        driver.touch();
        return;
      }
      case "g": {
        // core's gradientCheck on the run's current weights, loss and penalty (the course's buggy L2 gradient included)
        const check = session.gradientCheck(GRADIENT_TOLERANCE);
        const w = check.worst;
        const where = w === null ? "-" : w.kind === "W" ? `W${w.layer + 1}[${w.row}][${w.col}]` : `b${w.layer + 1}[${w.col}]`;
        say(m.gradCheckResult(check.ok, check.rows, check.parameters.length, formatNumber(check.maxRelativeError, 2), where, formatNumber(GRADIENT_TOLERANCE)));
        return;
      }
      case "e":
        driver.setRunning(false);
        setScroll(0);
        setView("explain");
        return;
      case "p":
        setView("presets");
        return;
      case "l": {
        const next = otherLang(lang);
        setLang(next);
        props.onLangChange?.(next);
        return;
      }
      case "?":
        setView("help");
        return;
      case "q":
        driver.dispose();
        exit();
        return;
    }
  });

  const preset = presets.find((p) => p.id === session.presetId);
  const presetIntact = preset === undefined || JSON.stringify(preset.document) === JSON.stringify(session.document);
  if (columns < MIN_COLUMNS || rows < MIN_ROWS) {
    return <Text>{m.tooSmall(columns, rows)}</Text>;
  }
  if (view === "help") return <HelpView lang={lang} theme={theme} width={columns} />;
  if (view === "presets") {
    return (
      <PresetMenu
        presets={presets}
        currentId={session.presetId}
        lang={lang}
        theme={theme}
        width={columns}
        height={rows}
        onSelect={(preset) => {
          session.loadPreset(preset);
          setView("dashboard");
          setSample(0);
          say(m.presetLoaded(preset.title[lang]));
          driver.touch();
        }}
      />
    );
  }
  if (view === "explain") {
    return <ExplainView session={session} sample={sample} scroll={scroll} decimals={decimals} lang={lang} theme={theme} width={columns} height={rows - 1} />;
  }
  return (
    <PainterContext.Provider value={props.painter ?? null}>
      <Dashboard
        session={session}
        running={driver.running}
        stepsPerSecond={driver.stepsPerSecond}
        layout={layout}
        lang={lang}
        theme={theme}
        colorMode={props.colorMode}
        preset={preset}
        presetIntact={presetIntact}
        message={message}
        findingsScroll={findingsScroll}
      />
    </PainterContext.Provider>
  );
}
