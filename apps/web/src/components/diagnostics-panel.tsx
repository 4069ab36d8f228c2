import type { GradientCheckResult } from "@backprop-lab/core";
import type { ReactElement } from "react";
import type { FrameStore } from "../client/frame-store.js";
import { useStoreValue } from "../client/use-store.js";
import { formatNumber, type Translate } from "../i18n.js";
import { findingTitle, localizeText } from "../labels.js";
import type { Locale } from "../state/app-state.js";
import type { FindingView } from "../worker/protocol.js";

interface Props {
  store: FrameStore;
  locale: Locale;
  t: Translate;
  onFix(finding: FindingView): void;
  onGradientCheck(): void;
  gradientCheck: { result: GradientCheckResult; step: number } | null;
  /** The network's layer count, inputs first (findings name layers input, hidden 1…n, output). */
  layers?: number;
  /** Whether gradient clipping is on: the clip count shows beside the pre-clip norm. */
  clipping?: boolean;
}

/** Severity icons as inline SVG (the bundled fonts have no glyph for ⛔ or ℹ: they rendered as empty boxes). */
function SeverityIcon({ severity }: { severity: string }): ReactElement {
  const color = severity === "error" ? "#c62828" : severity === "warning" ? "#b26a00" : "#1f6feb";
  return (
    <svg viewBox="0 0 20 20" width="18" height="18" aria-hidden="true" data-severity={severity}>
      {severity === "warning" ? <path d="M10 2 19 18H1z" fill={color} /> : <circle cx="10" cy="10" r="9" fill={color} />}
      {severity === "info" ? (
        <path d="M9 8h2v7H9zM9 5h2v2H9z" fill="#fff" />
      ) : severity === "error" ? (
        <path d="M5 9h10v2H5z" fill="#fff" />
      ) : (
        <path d="M9 7h2v6H9zM9 14h2v2H9z" fill="#fff" />
      )}
    </svg>
  );
}

/** Findings of packages/diagnostics, each with its one-click fix; gradient health; the gradient check. */
export function DiagnosticsPanel({ store, locale, t, onFix, onGradientCheck, gradientCheck, layers, clipping }: Props): ReactElement {
  const findings = useStoreValue(store, (s) => s.frame?.findings ?? [], (f) => f.map((x) => `${x.code}:${x.step}:${x.active}`).join("|") + locale);
  const health = useStoreValue(
    store,
    (s) => {
      const m = s.frame?.metrics;
      return m ? { step: m.step, gradNorm: m.gradNorm, lr: m.learningRate, finite: m.finite, clipped: m.clipCount } : null;
    },
    (h) => (h ? `${Math.floor(h.step / 25)}:${h.finite}:${h.lr}:${h.clipped}` : "") + locale,
  );
  return (
    <div className="diagnostics" data-testid="diagnostics">
      {health && !health.finite ? (
        <p className="error" role="alert" data-testid="diverged">
          {t("diverged")}
        </p>
      ) : null}
      {findings.length === 0 ? (
        <p className="ok" data-testid="no-findings">
          {t("noFindings")}
        </p>
      ) : (
        <ul className="findings">
          {findings.map((f) => (
            <li key={f.code} className={`finding ${f.severity}${f.active ? "" : " past"}`} data-testid={`finding-${f.code}`}>
              <span className="icon" aria-hidden="true">
                <SeverityIcon severity={f.severity} />
              </span>
              <div>
                <p>
                  <b>{findingTitle(locale, f.code)}</b> · {t("stepCount")} {f.step}
                </p>
                <p>{localizeText(locale, f.message[locale], layers)}</p>
                {f.fix ? (
                  <button type="button" className="fix" onClick={() => onFix(f)} data-testid={`fix-${f.code}`}>
                    {t("applyFix")}: {localizeText(locale, f.fix.label[locale], layers)}
                  </button>
                ) : null}
              </div>
            </li>
          ))}
        </ul>
      )}
      {health ? (
        <p className="hint">
          {t("gradNorm")}: <b>{formatNumber(locale, health.gradNorm, 4)}</b>
          {clipping ? (
            <>
              {" "}
              (<span data-testid="clip-count">{t("clipCount")}: {health.clipped}</span>)
            </>
          ) : null}{" "}
          · {t("learningRate")}: <b>{formatNumber(locale, health.lr, 4)}</b>
        </p>
      ) : null}
      <section className="gradient-check">
        <h3>{t("gradientCheck")}</h3>
        <button type="button" onClick={onGradientCheck} data-testid="gradient-check">
          {t("gradientCheckRun")}
        </button>
        {gradientCheck ? (
          <div data-testid="gradient-check-result" data-ok={String(gradientCheck.result.ok)} data-max-error={String(gradientCheck.result.maxRelativeError)}>
            <p className={gradientCheck.result.ok ? "ok" : "error"}>
              {gradientCheck.result.ok ? "✓ " + t("gradientCheckOk") : "✗ " + t("gradientCheckBad")} ({t("stepCount")} {gradientCheck.step})
            </p>
            <p className="hint">
              {gradientCheck.result.parameters.length} · {t("relativeError")} ≤ <b>{formatNumber(locale, gradientCheck.result.maxRelativeError, 3)}</b>
              {gradientCheck.result.worst ? (
                <>
                  {" "}
                  · {t("worstParameter")}: {gradientCheck.result.worst.kind}
                  {gradientCheck.result.worst.layer + 1}[{gradientCheck.result.worst.row < 0 ? "" : `${gradientCheck.result.worst.row},`}
                  {gradientCheck.result.worst.col}] {t("analytic")} {formatNumber(locale, gradientCheck.result.worst.analytic, 6)}, {t("numeric")}{" "}
                  {formatNumber(locale, gradientCheck.result.worst.numeric, 6)}
                </>
              ) : null}
            </p>
          </div>
        ) : null}
      </section>
    </div>
  );
}
