import type { Explanation, Matrix } from "@backprop-lab/core";
import { useEffect, useRef, type ReactElement, type ReactNode } from "react";
import { layerName } from "../labels.js";
import { formatNumber, formatValue, optionLabel, type Translate } from "../i18n.js";
import type { Locale } from "../state/app-state.js";

/**
 * The course's two misprints in its worked example, as it printed them
 * (8 decimals); the explainer shows the engine's value beside them.
 */
export const COURSE_MISPRINTS: Record<string, { printed: Matrix; note: "misprintDh2" | "misprintDz2" }> = {
  dh2_dz2: { printed: [[-0.23353037, 0.2478971]], note: "misprintDh2" },
  dL_dz2: { printed: [[0.23353037, 0.2478971]], note: "misprintDz2" },
};

/** One stop of the stepped explainer: the inputs, each layer forward, the loss, each layer backward, the update. */
export type Stage = { kind: "inputs" } | { kind: "forward"; layer: number } | { kind: "loss" } | { kind: "backward"; layer: number } | { kind: "update" };

/** The stops for a network of `L` weight layers (layer 1 … L, inputs first): 2L + 3 of them. */
export function explainerStages(L: number): Stage[] {
  const stages: Stage[] = [{ kind: "inputs" }];
  for (let l = 1; l <= L; l++) stages.push({ kind: "forward", layer: l });
  stages.push({ kind: "loss" });
  for (let l = L; l >= 1; l--) stages.push({ kind: "backward", layer: l });
  stages.push({ kind: "update" });
  return stages;
}

/**
 * What a stop lights up in the network diagram: unit columns (0 = inputs …
 * L = outputs) and link layers (link layer l − 1 feeds column l), and in what colour.
 */
export interface Highlight {
  columns: number[];
  linkLayers: number[];
  kind: Stage["kind"];
}

export function stageHighlight(stage: Stage, L: number): Highlight {
  const all = Array.from({ length: L }, (_, i) => i);
  switch (stage.kind) {
    case "inputs":
      return { columns: [0], linkLayers: [], kind: "inputs" };
    case "forward":
      return { columns: [stage.layer - 1, stage.layer], linkLayers: [stage.layer - 1], kind: "forward" };
    case "loss":
      return { columns: [L], linkLayers: [], kind: "loss" };
    case "backward":
      return { columns: [stage.layer, stage.layer - 1], linkLayers: [stage.layer - 1], kind: "backward" };
    case "update":
      return { columns: [], linkLayers: all, kind: "update" };
  }
}

interface Props {
  explanation: Explanation;
  /** The stop shown (an index into explainerStages), and how to move to another. */
  stage?: number;
  onStage?(stage: number): void;
  /** The course's example: its names (h for activations) and its misprints flagged. */
  course: boolean;
  locale: Locale;
  t: Translate;
}

const DIGITS = 8;

function Num({ k, i, j, v, locale }: { k: string; i: number; j: number; v: number; locale: Locale }): ReactElement {
  return (
    <td data-key={k} data-i={i} data-j={j} data-value={String(v)} title={formatValue(locale, v)}>
      {formatNumber(locale, v, DIGITS)}
    </td>
  );
}

function MatrixView({ name, m, locale }: { name: string; m: Matrix; locale: Locale }): ReactElement {
  return (
    <table className="matrix" data-matrix={name}>
      <tbody>
        {m.map((row, i) => (
          <tr key={i}>
            {row.map((v, j) => (
              <Num key={j} k={name} i={i} j={j} v={v} locale={locale} />
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Scalar({ name, v, locale }: { name: string; v: number; locale: Locale }): ReactElement {
  return (
    <table className="matrix scalar" data-matrix={name}>
      <tbody>
        <tr>
          <Num k={name} i={0} j={0} v={v} locale={locale} />
        </tr>
      </tbody>
    </table>
  );
}

function Row({ symbol, formula, children, flag }: { symbol: string; formula: string; children: ReactNode; flag?: ReactNode }): ReactElement {
  return (
    <div className="explain-row">
      <div className="symbol">
        <b>{symbol}</b> = <span className="formula">{formula}</span>
      </div>
      <div className="value">{children}</div>
      {flag}
    </div>
  );
}

const sub = (n: number) => String(n).replace(/\d/g, (d) => "₀₁₂₃₄₅₆₇₈₉"[Number(d)]!);

/**
 * One training step, every intermediate with its formula, in the course's
 * row-vector notation. Each number carries its exact value in data-value, so
 * the end-to-end test compares it with the golden vectors.
 */
export function Explainer({ explanation: e, course, locale, t, stage = 0, onStage }: Props): ReactElement {
  const L = e.layers.length;
  const stages = explainerStages(L);
  const at = Math.max(0, Math.min(stages.length - 1, stage));
  const current = stages[at]!;
  const is = (kind: Stage["kind"], layer?: number) => current.kind === kind && (layer === undefined || ("layer" in current && current.layer === layer));
  const cls = (on: boolean) => (on ? "stage current" : "stage");
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    box.current?.querySelector(".stage.current")?.scrollIntoView?.({ block: "nearest" });
  }, [at]);
  const stageLabel = (s: Stage) =>
    s.kind === "inputs"
      ? t("inputs")
      : s.kind === "forward"
        ? `${t("forward")}: ${layerName(locale, s.layer, L + 1)}`
        : s.kind === "loss"
          ? t("lossStep")
          : s.kind === "backward"
            ? `${t("backward")}: ${layerName(locale, s.layer, L + 1)}`
            : t("update");
  const h = (l: number) => (l === 0 ? "x" : `h${sub(l)}`);
  const key = (base: string, l: number) => `${base}${l}`;
  const misprint = (k: string) => {
    const m = course ? COURSE_MISPRINTS[k] : undefined;
    if (!m) return undefined;
    return (
      <aside className="misprint" data-misprint={k}>
        <b>⚠ {t("misprint")}</b> — {t("misprintPrinted")}: <code>[{m.printed[0]!.map((v) => formatNumber(locale, v, DIGITS)).join("  ")}]</code>. {t(m.note)}
      </aside>
    );
  };
  const act = (name: string) => (name === "sigmoid" ? "σ" : name);
  const slope = (name: string, l: number) =>
    name === "sigmoid" ? `${h(l)} ⊙ (1 − ${h(l)})` : name === "tanh" ? `1 − ${h(l)}²` : name === "relu" ? `[z${sub(l)} > 0]` : `${act(name)}′(z${sub(l)})`;
  const lossFormula = e.loss === "mse" ? `½·Σ(y − ${h(L)})² / n` : e.loss === "cross-entropy" ? `−Σ y·log ${h(L)} / n` : `−Σ[y·log ${h(L)} + (1 − y)·log(1 − ${h(L)})] / n`;
  return (
    <div className="explainer" data-testid="explainer" ref={box}>
      {onStage ? (
        <nav className="stepper" aria-label={t("explainer")}>
          <button type="button" onClick={() => onStage(at - 1)} disabled={at === 0} data-testid="explain-prev">
            ← {t("explainerPrev")}
          </button>
          <span data-testid="explain-stage" data-stage={current.kind} data-layer={"layer" in current ? current.layer : ""} aria-live="polite">
            {t("explainerStepOf")} {at + 1} {t("explainerOf")} {stages.length}: <b>{stageLabel(current)}</b>
          </span>
          <button type="button" onClick={() => onStage(at + 1)} disabled={at === stages.length - 1} data-testid="explain-next">
            {t("explainerNext")} →
          </button>
        </nav>
      ) : null}
      {course ? null : (
        <p className="hint" data-testid="explain-summary" data-optimizer={e.optimizer} data-clipped={String(e.clipped)} data-grad-norm={String(e.gradNorm)} data-clipped-norm={String(e.clippedNorm)}>
          {t("explainerAtStep")} {formatValue(locale, e.step)} · {t("explainerBatch")}: {formatValue(locale, e.n)} · {t("explainerOptimizer")}: {optionLabel(locale, e.optimizer)} · η ={" "}
          {formatNumber(locale, e.learningRate, 4)} · {t("explainerGradNorm")} {formatNumber(locale, e.gradNorm, 4)}
          {e.clipped ? ` (${t("explainerClipped")}; ${t("explainerClippedNorm")} ${formatNumber(locale, e.clippedNorm, 4)})` : ` (${t("explainerNotClipped")})`}
        </p>
      )}
      <section className={cls(is("inputs"))}>
        <h3>{t("inputs")}</h3>
        <Row symbol="x" formula={t("inputs")}>
          <MatrixView name="X" m={e.x} locale={locale} />
        </Row>
        <Row symbol="y" formula={t("target")}>
          <MatrixView name="y" m={e.y} locale={locale} />
        </Row>
        {e.layers.map((layer) => (
          <Row key={layer.index} symbol={`W${sub(layer.index + 1)}`} formula={`(${layer.nIn} × ${layer.nOut})`}>
            <MatrixView name={key("W", layer.index + 1)} m={layer.W} locale={locale} />
            {layer.b ? <MatrixView name={key("b", layer.index + 1)} m={[layer.b]} locale={locale} /> : null}
          </Row>
        ))}
      </section>
      <section>
        <h3>{t("forward")}</h3>
        {e.layers.map((layer) => {
          const l = layer.index + 1;
          return (
            <div key={l} className={cls(is("forward", l))}>
              <Row symbol={`z${sub(l)}`} formula={`${h(l - 1)} · W${sub(l)}${layer.b ? ` + b${sub(l)}` : ""}`}>
                <MatrixView name={key("z", l)} m={layer.z} locale={locale} />
              </Row>
              <Row symbol={h(l)} formula={`${act(layer.activation)}(z${sub(l)})`}>
                <MatrixView name={key("h", l)} m={layer.a} locale={locale} />
              </Row>
            </div>
          );
        })}
      </section>
      <section className={cls(is("loss"))}>
        <h3>{t("lossStep")}</h3>
        <Row symbol="L" formula={lossFormula}>
          <Scalar name="loss" v={e.dataLoss} locale={locale} />
        </Row>
        {e.regLoss !== 0 ? (
          <Row symbol={t("penalty")} formula="λ·ΣW² / 2n">
            <Scalar name="reg_loss" v={e.regLoss} locale={locale} />
          </Row>
        ) : null}
      </section>
      <section>
        <h3>{t("backward")}</h3>
        {[...e.layers].reverse().map((layer) => {
          const l = layer.index + 1;
          const last = l === L;
          return (
            <div key={l} className={cls(is("backward", l))}>
              {last ? (
                <Row symbol={`∂L/∂${h(l)}`} formula={e.loss === "mse" ? `−(y − ${h(l)}) / n` : `∂L/∂${h(l)}`}>
                  <MatrixView name={key("dL_dh", l)} m={layer.dL_da} locale={locale} />
                </Row>
              ) : null}
              <Row symbol={`∂${h(l)}/∂z${sub(l)}`} formula={slope(layer.activation, l)} flag={misprint(key("dh", l) + `_dz${l}`)}>
                <MatrixView name={`dh${l}_dz${l}`} m={layer.da_dz} locale={locale} />
              </Row>
              <Row symbol={`∂L/∂z${sub(l)}`} formula={`∂L/∂${h(l)} ⊙ ∂${h(l)}/∂z${sub(l)}`} flag={misprint(key("dL_dz", l))}>
                <MatrixView name={key("dL_dz", l)} m={layer.dL_dz} locale={locale} />
              </Row>
              <Row symbol={`∂L/∂W${sub(l)}`} formula={`${h(l - 1)}ᵀ · ∂L/∂z${sub(l)}`}>
                <MatrixView name={key("dL_dW", l)} m={layer.dL_dW} locale={locale} />
              </Row>
              {layer.dL_db ? (
                <Row symbol={`∂L/∂b${sub(l)}`} formula={`Σ ∂L/∂z${sub(l)}`}>
                  <MatrixView name={key("dL_db", l)} m={[layer.dL_db]} locale={locale} />
                </Row>
              ) : null}
              {layer.dL_dinput ? (
                <Row symbol={`∂L/∂${h(l - 1)}`} formula={`∂L/∂z${sub(l)} · W${sub(l)}ᵀ`}>
                  <MatrixView name={key("dL_dh", l - 1)} m={layer.dL_dinput} locale={locale} />
                </Row>
              ) : null}
            </div>
          );
        })}
      </section>
      <section className={cls(is("update"))}>
        <h3>{t("update")}</h3>
        <p className="hint">
          {t("learningRateSymbol")} = <span data-key="learning_rate" data-value={String(e.learningRate)}>{formatNumber(locale, e.learningRate, 3)}</span>
        </p>
        {e.layers.map((layer) => {
          const l = layer.index + 1;
          return (
            <div key={l}>
              <Row symbol={`W${sub(l)}′`} formula={e.optimizer === "sgd" ? `W${sub(l)} − η · ∂L/∂W${sub(l)}` : t("explainerUpdateRule")}>
                <MatrixView name={`W${l}_next`} m={layer.W_next} locale={locale} />
              </Row>
              {layer.b_next ? (
                <Row symbol={`b${sub(l)}′`} formula={e.optimizer === "sgd" ? `b${sub(l)} − η · ∂L/∂b${sub(l)}` : t("explainerUpdateRule")}>
                  <MatrixView name={`b${l}_next`} m={[layer.b_next]} locale={locale} />
                </Row>
              ) : null}
            </div>
          );
        })}
        <Row symbol={`L′`} formula={t("lossAfter")}>
          <Scalar name="loss_after_update" v={e.lossAfterUpdate} locale={locale} />
        </Row>
      </section>
    </div>
  );
}
