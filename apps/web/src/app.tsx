import {
  BackpropError,
  datasetToCSV,
  datasetToJSON,
  parseDatasetCSV,
  parseDatasetJSON,
  type Explanation,
  type GradientCheckResult,
} from "@backprop-lab/core";
import { useCallback, useEffect, useMemo, useReducer, useRef, useState, type ReactElement } from "react";
import { createRunClient, type RunClient, type WorkerLike } from "./client/run-client.js";
import { useStoreValue } from "./client/use-store.js";
import { DataControls, NetworkOptions, PresetPicker, TrainingControls } from "./components/controls.js";
import { Curves, type CurveSpec } from "./components/curves.js";
import { ClassroomDialog } from "./components/classroom-dialog.js";
import { DataModelPanel, download } from "./components/data-model-panel.js";
import { DiagnosticsPanel } from "./components/diagnostics-panel.js";
import { Explainer, explainerStages, stageHighlight } from "./components/explainer.js";
import { Heatmap } from "./components/heatmap.js";
import { Counters, Losses } from "./components/readouts.js";
import { Icon } from "./components/icons.js";
import { LabsPanel } from "./components/labs-panel.js";
import { NetworkDiagram } from "./components/network-diagram.js";
import { ShortcutHelp, useShortcuts } from "./components/shortcuts.js";
import { SpeedControls } from "./components/speed.js";
import { applyFixToState, type Lab } from "./diagnostics-bridge.js";
import { problemText, translator } from "./i18n.js";
import {
  changeKind,
  freshSeed,
  PANELS,
  PANEL_CONTROL,
  visiblePanels,
  withDataset,
  withFeature,
  withLayerCount,
  withLayerWidth,
  type AppState,
  type Hideable,
  type Panel,
} from "./state/app-state.js";
import { reducer } from "./state/reducer.js";
import { inlineConfig, pointsDataset } from "./state/points.js";
import { DEFAULT_GUARD, presetConfig, runStateOf, type RunConfig } from "./state/document.js";
import { decodeState, encodeState } from "./state/url.js";
import type { FindingView } from "./worker/protocol.js";

const runState = runStateOf;

function initialState(): { state: AppState; errors: string[] } {
  const hash = window.location.hash;
  const decoded = decodeState(hash);
  if (!new URLSearchParams(hash.replace(/^#/, "")).has("lang") && navigator.language.toLowerCase().startsWith("es")) decoded.state.view.locale = "es";
  return decoded;
}

export function App({ createWorker }: { createWorker: () => WorkerLike }): ReactElement {
  const boot = useMemo(initialState, []);
  const [state, dispatch] = useReducer(reducer, boot.state);
  const [urlErrors, setUrlErrors] = useState<string[]>(boot.errors);
  const [playing, setPlaying] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [ioError, setIoError] = useState<string | null>(null);
  const [gradCheck, setGradCheck] = useState<{ result: GradientCheckResult; step: number } | null>(null);
  const [explained, setExplained] = useState<{ explanation: Explanation; source: "course" | "current"; step: number } | null>(null);
  const [explainSource, setExplainSource] = useState<"course" | "current">("course");
  const [help, setHelp] = useState(false);
  const [explainStage, setExplainStage] = useState(0);
  const [classroom, setClassroom] = useState(false);
  const [copied, setCopied] = useState(false);
  const t = translator(state.view.locale);
  const locale = state.view.locale;
  const panels = visiblePanels(state.view);
  // a link may hide the panel it names: the first one still shown opens instead
  const panel: Panel | null = panels.includes(state.view.panel) ? state.view.panel : (panels[0] ?? null);

  const clientRef = useRef<RunClient | null>(null);
  const pendingModel = useRef<((json: string) => void) | null>(null);
  if (clientRef.current === null) {
    clientRef.current = createRunClient(createWorker(), {
      onEdited: (edits) => dispatch({ type: "edits", edits }),
      onConfigured: (history) => dispatch({ type: "history", history }),
      onError: (message, request) => (request === "import-model" ? setIoError(message) : setError(message)),
      onGradientCheck: (result, step) => setGradCheck({ result, step }),
      onExplain: (explanation, source, step) => setExplained({ explanation, source, step }),
      onModel: (json) => pendingModel.current?.(json),
      onPlayingChange: setPlaying,
    });
  }
  const client = clientRef.current;
  const store = client.store;
  // the run's structure (units, layers, data) is drawn as soon as it changes
  const info = useStoreValue(store, (s) => s.info, (i) => String(i?.runId ?? 0), true);

  // settings → worker: a rebuild for data/network changes, live for training settings
  const sent = useRef<AppState | null>(null);
  // fixes and labs start over from step 0 even when only training settings changed
  const restart = useRef(false);
  useEffect(() => {
    const before = sent.current;
    sent.current = state;
    const kind = before === null || restart.current ? "rebuild" : changeKind(before, state);
    restart.current = false;
    try {
      if (kind === "rebuild") {
        setError(null);
        setGradCheck(null);
        client.init(runState(state));
      } else if (kind === "training") {
        client.configure(runState(state));
      }
    } catch (e) {
      // core's message naming the field the document fails on
      setError(e instanceof Error ? e.message : String(e));
    }
  }, [state, client]);

  // state → URL (replaceState: settings are not navigation steps)
  useEffect(() => {
    const hash = "#" + encodeState(state);
    if (window.location.hash !== hash) window.history.replaceState(null, "", hash);
    document.documentElement.lang = state.view.locale;
    document.title = t("appTitle");
  }, [state, t]);

  // a pasted or edited link loads that state
  useEffect(() => {
    const onHash = () => {
      if (window.location.hash === "#" + encodeState(sent.current!)) return;
      const decoded = decodeState(window.location.hash);
      setUrlErrors(decoded.errors);
      client.pause();
      restart.current = true;
      dispatch({ type: "load", state: decoded.state });
    };
    window.addEventListener("hashchange", onHash);
    return () => window.removeEventListener("hashchange", onHash);
  }, [client]);

  // the App lives as long as the page, so its worker does too (no dispose on unmount:
  // StrictMode's trial unmount in development would kill the worker)

  // read by the end-to-end tests (frames drawn, for the frame-rate measurement)
  useEffect(() => {
    (window as unknown as { __backpropLab: object }).__backpropLab = {
      get framesDrawn() {
        return client.framesDrawn;
      },
      get drawMs() {
        return client.drawMs;
      },
      get workMs() {
        return client.workMs;
      },
      timing: client.timing,
    };
  }, [client]);

  // "this network" follows the run: the step it takes next, asked again when the shown step changes while paused
  // (not on every frame while playing: a full batch explained is large)
  const frameStep = useStoreValue(store, (s) => s.frame?.step ?? 0, String);
  useEffect(() => {
    if (panel !== "explainer") return;
    if (explainSource === "current" && !info) return;
    client.explain(explainSource);
  }, [panel, explainSource, info, client, explainSource === "current" && !playing ? frameStep : -1]);

  const setConfig = useCallback((config: RunConfig) => dispatch({ type: "config", config }), []);
  const reset = useCallback(() => {
    client.pause();
    setGradCheck(null);
    client.init(runState(sent.current!));
  }, [client]);
  const newSeed = useCallback(() => {
    client.pause();
    dispatch({ type: "config", config: { ...sent.current!.config, seed: freshSeed() } });
  }, [client]);
  const togglePlay = useCallback(() => (client.playing ? client.pause() : client.play()), [client]);
  const setPanel = useCallback((panel: Panel) => dispatch({ type: "view", view: { panel } }), []);

  // a control a classroom link hides has no shortcut either
  const hiddenNow = (h: Hideable) => sent.current!.view.hide.includes(h);
  useShortcuts({
    togglePlay,
    step: () => client.step(),
    reset,
    newSeed: () => hiddenNow("newSeed") || newSeed(),
    toggleTest: () => hiddenNow("showTest") || dispatch({ type: "view", view: { showTest: !sent.current!.view.showTest } }),
    toggleDiscretize: () => hiddenNow("discretize") || dispatch({ type: "view", view: { discretize: !sent.current!.view.discretize } }),
    toggleBoundary: () => hiddenNow("showBoundary") || dispatch({ type: "view", view: { showBoundary: !sent.current!.view.showBoundary } }),
    toggleLocale: () => hiddenNow("language") || dispatch({ type: "view", view: { locale: sent.current!.view.locale === "en" ? "es" : "en" } }),
    panel: (i) => hiddenNow(PANEL_CONTROL[PANELS[i]!]) || setPanel(PANELS[i]!),
    help: () => setHelp((h) => !h),
  });

  const restartWith = (next: AppState) => {
    client.pause();
    restart.current = true;
    dispatch({ type: "load", state: { ...next, edits: [], history: [] } });
  };

  const onFix = (finding: FindingView) => {
    if (finding.fix) restartWith(applyFixToState(sent.current!, finding.fix));
  };

  const onLab = (lab: Lab) => {
    restartWith({ ...sent.current!, config: lab.config, clip: null, guard: null, view: { ...sent.current!.view, lab: lab.id, panel: "labs" } });
  };

  const onAddPoint = (x1: number, x2: number, alternate: boolean) => {
    const run = store.info;
    if (!run || (!run.regression && run.classes > 2 && alternate)) return;
    const target = run.regression ? (alternate ? -1 : 1) : alternate ? 0 : 1;
    const { data, trainRows } = pointsDataset(run, { x1, x2, target });
    client.pause();
    setConfig(inlineConfig(sent.current!.config, data, trainRows));
  };

  const onExportData = (format: "csv" | "json") => {
    const run = store.info;
    if (!run) return;
    const { data } = pointsDataset(run);
    if (format === "csv") download(datasetToCSV(data), "backprop-lab-data.csv", "text/csv");
    else download(datasetToJSON(data), "backprop-lab-data.json", "application/json");
  };

  const onImportData = (text: string, fileName: string) => {
    try {
      const json = fileName.toLowerCase().endsWith(".json") || text.trim().startsWith("{");
      const data = json ? parseDatasetJSON(text).data : parseDatasetCSV(text).data;
      if (data.nIn !== 2) throw new BackpropError("invalid-data", `the playground plots 2 inputs (x1, x2); this data has ${data.nIn}`, { field: "x" });
      setIoError(null);
      client.pause();
      const base = { ...sent.current!.config, features: sent.current!.config.features };
      setConfig(inlineConfig(base, data, null));
    } catch (e) {
      setIoError(e instanceof Error ? e.message : String(e));
    }
  };

  const onExportModel = () => {
    pendingModel.current = (json) => {
      pendingModel.current = null;
      download(json, "backprop-lab-model.json", "application/json");
    };
    client.exportModel();
  };

  const onImportModel = (text: string) => {
    setIoError(null);
    client.pause();
    client.importModel(text);
  };

  const curveSets = useMemo(() => {
    // every chart carries the learning rate (its own scale from 0) so a schedule's decay lines up with its effect
    const lr: CurveSpec = { metric: "learningRate", label: t("lrMarker"), color: "#2ca02c", dash: [4, 3], scale: "lr" };
    const loss: CurveSpec[] = [
      { metric: "testLoss", label: t("testLoss"), color: "#000000" },
      { metric: "trainLoss", label: t("trainLoss"), color: "#999999" },
      lr,
    ];
    const accuracy: CurveSpec[] = [
      { metric: "testAccuracy", label: t("testAccuracy"), color: "#000000" },
      { metric: "trainAccuracy", label: t("trainAccuracy"), color: "#999999" },
      lr,
    ];
    const penalty: CurveSpec[] = [
      { metric: "trainLoss", label: t("dataLoss"), color: "#0877bd" },
      { metric: "regLoss", label: t("penalty"), color: "#f59322" },
      { metric: "totalLoss", label: t("totalLoss"), color: "#555555", dash: [2, 2] },
      lr,
    ];
    return { loss, accuracy, penalty };
  }, [t]);

  // the explainer's stop, lit up in the diagram when it explains this network
  const highlight = useMemo(() => {
    if (panel !== "explainer" || !explained || explained.source !== "current" || explainSource !== "current") return null;
    const L = explained.explanation.layers.length;
    const stages = explainerStages(L);
    return stageHighlight(stages[Math.min(explainStage, stages.length - 1)]!, L);
  }, [panel, explained, explainSource, explainStage]);

  const panelLabels: Record<Panel, string> = { diagnostics: t("diagnostics"), labs: t("labs"), explainer: t("explainer"), data: t("dataModel") };
  const view = state.view;
  const shown = (h: Hideable) => !view.hide.includes(h);
  const copyLink = async () => {
    try {
      await navigator.clipboard.writeText(window.location.href);
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      setCopied(false);
    }
  };

  return (
    <div className="app">
      <header className="top">
        <div className="brand">
          <h1>backprop-lab</h1>
          <p>{t("tagline")}</p>
        </div>
        <div className="transport">
          <button type="button" className="round" onClick={reset} title={`${t("resetHint")} (R)`} aria-label={t("reset")} data-testid="reset">
            <Icon name="reset" />
          </button>
          <button type="button" className="round big" onClick={togglePlay} title={`${playing ? t("pause") : t("play")} (${t("keySpace")})`} aria-label={playing ? t("pause") : t("play")} data-testid="play" data-playing={String(playing)}>
            <Icon name={playing ? "pause" : "play"} size={26} />
          </button>
          <button type="button" className="round" onClick={() => client.step()} title={`${t("step")} (S)`} aria-label={t("step")} data-testid="step">
            <Icon name="step" />
          </button>
          <Counters store={store} t={t} locale={locale} />
          <SpeedControls client={client} t={t} locale={locale} />
        </div>
        <div className="seed">
          <span>
            {t("seed")}: <b data-testid="seed">{state.config.seed}</b>
          </span>
          {shown("newSeed") ? (
            <button type="button" onClick={newSeed} title={`${t("newSeedHint")} (N)`} data-testid="new-seed">
              {t("newSeed")}
            </button>
          ) : null}
          {shown("copyLink") ? (
            <button type="button" onClick={copyLink} data-testid="copy-link">
              {copied ? t("linkCopied") : t("copyLink")}
            </button>
          ) : null}
          {shown("classroom") ? (
            <button type="button" onClick={() => setClassroom(true)} title={t("classroomHint")} data-testid="classroom-open">
              {t("classroom")}
            </button>
          ) : null}
          {shown("language") ? (
            <div className="lang" role="group" aria-label={t("language")}>
              {(["en", "es"] as const).map((l) => (
                <button key={l} type="button" aria-pressed={locale === l} onClick={() => dispatch({ type: "view", view: { locale: l } })} data-testid={`lang-${l}`}>
                  {l.toUpperCase()}
                </button>
              ))}
            </div>
          ) : null}
          <button type="button" className="round small" onClick={() => setHelp(true)} aria-label={t("shortcuts")} title={`${t("shortcuts")} (?)`}>
            ?
          </button>
        </div>
        <TrainingControls
          state={state}
          t={t}
          locale={locale}
          onConfig={setConfig}
          onClip={(clip) => dispatch({ type: "clip", clip })}
          onGuard={(on) => dispatch({ type: "guard", guard: on ? { ...DEFAULT_GUARD } : null })}
          hide={view.hide}
        />
      </header>
      {view.hide.length > 0 ? (
        <p className="hint hidden-note" data-testid="hidden-note">
          {t("hiddenByLink")}
        </p>
      ) : null}
      {urlErrors.length > 0 ? (
        <p className="error banner" role="alert" data-testid="url-errors">
          {t("urlProblems")} {urlErrors.map((e) => problemText(locale, e)).join("; ")}
          <button type="button" onClick={() => setUrlErrors([])}>
            {t("close")}
          </button>
        </p>
      ) : null}
      {error ? (
        <p className="error banner" role="alert" data-testid="error">
          {t("error")}: {problemText(locale, error)}
          <button type="button" onClick={() => setError(null)}>
            {t("close")}
          </button>
        </p>
      ) : null}
      <main className="playground">
        {shown("data") ? (
          <aside className="column data-column">
            <DataControls
              config={state.config}
              t={t}
              locale={locale}
              hide={view.hide}
              onDataset={(name) => setConfig(withDataset(state.config, name))}
              onConfig={setConfig}
              onRegenerate={() => {
                const c = state.config;
                if (c.data.source === "generated") setConfig({ ...c, data: { ...c.data, seed: freshSeed() } });
              }}
            >
              {shown("preset") ? <PresetPicker t={t} locale={locale} onPreset={(id) => setConfig(presetConfig(id))} /> : null}
            </DataControls>
          </aside>
        ) : null}
        <section className="column network-column">
          {/* the diagram stays; a classroom link switches its editing off (no +/− buttons, features and weights not clickable) */}
          <NetworkDiagram
            store={store}
            info={info}
            config={state.config}
            locale={locale}
            t={t}
            discretize={view.discretize}
            locked={{ features: !shown("features"), layers: !shown("layers"), weights: !shown("weights") }}
            onToggleFeature={(f, on) => shown("features") && setConfig(withFeature(state.config, f, on))}
            onLayerCount={(d) => shown("layers") && setConfig(withLayerCount(state.config, d))}
            onLayerWidth={(l, w) => shown("layers") && setConfig(withLayerWidth(state.config, l, w))}
            onEdit={(l, r, c, v) => shown("weights") && client.edit(l, r, c, v)}
            onFocus={(n) => client.setFocus(n)}
            highlight={highlight}
          />
          {shown("networkOptions") ? <NetworkOptions config={state.config} t={t} locale={locale} onConfig={setConfig} /> : null}
          {state.edits.length > 0 ? (
            <p className="hint" data-testid="edit-count">
              {state.edits.length} {t("edited")}
            </p>
          ) : null}
          <div className="charts-row">
            {info && !info.regression ? <Curves store={store} title={t("accuracyCurves")} curves={curveSets.accuracy} locale={locale} t={t} markClipping={state.clip !== null} testId="accuracy-chart" percent /> : null}
            <Curves store={store} title={t("penaltyCurves")} curves={curveSets.penalty} locale={locale} t={t} markClipping={state.clip !== null} testId="penalty-chart" />
          </div>
        </section>
        <section className="column output-column">
          <h2>{t("outputTitle")}</h2>
          <Losses store={store} t={t} locale={locale} info={info} />
          <Heatmap
            store={store}
            info={info}
            showTest={view.showTest}
            discretize={view.discretize}
            showBoundary={view.showBoundary}
            addPoints={shown("addPoints") && shown("data")}
            t={t}
            locale={locale}
            onAddPoint={onAddPoint}
          />
          <div className="view-options">
            {shown("showTest") ? (
              <label className="control check">
                <input type="checkbox" checked={view.showTest} onChange={(e) => dispatch({ type: "view", view: { showTest: e.target.checked } })} data-testid="show-test" />
                <span>{t("showTest")}</span>
              </label>
            ) : null}
            {shown("discretize") ? (
              <label className="control check">
                <input type="checkbox" checked={view.discretize} onChange={(e) => dispatch({ type: "view", view: { discretize: e.target.checked } })} data-testid="discretize" />
                <span>{t("discretize")}</span>
              </label>
            ) : null}
            {shown("showBoundary") ? (
              <label className="control check">
                <input type="checkbox" checked={view.showBoundary} onChange={(e) => dispatch({ type: "view", view: { showBoundary: e.target.checked } })} data-testid="show-boundary" />
                <span>{t("showBoundary")}</span>
              </label>
            ) : null}
          </div>
          <Curves store={store} title={t("lossCurves")} curves={curveSets.loss} locale={locale} t={t} markClipping={state.clip !== null} testId="loss-chart" />
        </section>
      </main>
      {panel !== null ? (
        <section className="panels">
          <nav className="tabs" role="tablist">
            {panels.map((p) => (
              <button key={p} type="button" role="tab" aria-selected={panel === p} onClick={() => setPanel(p)} data-testid={`tab-${p}`} title={`${panelLabels[p]} (${PANELS.indexOf(p) + 1})`}>
                {panelLabels[p]}
              </button>
            ))}
          </nav>
          <div className="panel" role="tabpanel">
            {panel === "diagnostics" ? (
              <DiagnosticsPanel store={store} locale={locale} t={t} onFix={onFix} onGradientCheck={() => client.gradientCheck()} gradientCheck={gradCheck} layers={info?.sizes.length} clipping={state.clip !== null} />
            ) : panel === "labs" ? (
              <LabsPanel store={store} state={state} locale={locale} t={t} onLoad={onLab} onFix={restartWith} />
            ) : panel === "explainer" ? (
              <div>
                <p className="hint">{t("explainerIntro")}</p>
                <div className="explain-source">
                  <label>
                    <input type="radio" checked={explainSource === "course"} onChange={() => setExplainSource("course")} data-testid="explain-course" />{" "}
                    {t("explainerCourse")}
                  </label>
                  <label>
                    <input type="radio" checked={explainSource === "current"} onChange={() => setExplainSource("current")} data-testid="explain-current" />{" "}
                    {t("explainerCurrent")}
                  </label>
                </div>
                {explainSource === "current" ? <p className="hint">{t("explainerRealStep")}</p> : null}
                {explained && explained.source === explainSource ? (
                  <Explainer
                    explanation={explained.explanation}
                    course={explained.source === "course"}
                    locale={locale}
                    t={t}
                    stage={explainStage}
                    onStage={(s) => setExplainStage(Math.max(0, Math.min(explainerStages(explained.explanation.layers.length).length - 1, s)))}
                  />
                ) : null}
              </div>
            ) : panel === "data" ? (
              <DataModelPanel t={t} onExportData={onExportData} onImportData={onImportData} onExportModel={onExportModel} onImportModel={onImportModel} error={ioError} />
            ) : null}
          </div>
        </section>
      ) : null}
      {help ? <ShortcutHelp t={t} onClose={() => setHelp(false)} /> : null}
      {classroom ? <ClassroomDialog state={state} t={t} onClose={() => setClassroom(false)} /> : null}
    </div>
  );
}
