import type { GradientCheckResult } from "@backprop-lab/core";
import type { ReactElement } from "react";
import type { FrameStore } from "../client/frame-store.js";
import { useStoreValue } from "../client/use-store.js";
import { formatNumber, type Translate } from "../i18n.js";
import type { Locale } from "../state/app-state.js";
import type { FindingView } from "../worker/protocol.js";

interface Props {
  store: FrameStore;
  locale: Locale;
  t: Translate;
  onFix(finding: FindingView): void;
  onGradientCheck(): void;
  gradientCheck: { result: GradientCheckResult; step: number } | null;
}

const SEVERITY_ICON: Record<string, string> = { error: "⛔", warning: "⚠", info: "ℹ" };

/** Findings of packages/diagnostics, each with its one-click fix; gradient health; the gradient check. */
export function DiagnosticsPanel({ store, locale, t, onFix, onGradientCheck, gradientCheck }: Props): ReactElement {
  const findings = useStoreValue(store, (s) => s.frame?.findings ?? [], (f) => f.map((x) => `${x.code}:${x.step}:${x.active}`).join("|") + locale);
  const health = useStoreValue(
    store,
    (s) => {
      const m = s.frame?.metrics;
      return m ? { step: m.step, gradNorm: m.gradNorm, lr: m.learningRate, finite: m.finite } : null;
    },
    (h) => (h ? `${Math.floor(h.step / 25)}:${h.finite}:${h.lr}` : ""),
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
                {SEVERITY_ICON[f.severity] ?? "•"}
              </span>
              <div>
                <p>
                  <b>{f.code}</b> · {t("stepCount")} {f.step}
                </p>
                <p>{f.message[locale]}</p>
                {f.fix ? (
                  <button type="button" className="fix" onClick={() => onFix(f)} data-testid={`fix-${f.code}`}>
                    {t("applyFix")}: {f.fix.label[locale]}
                  </button>
                ) : null}
              </div>
            </li>
          ))}
        </ul>
      )}
      {health ? (
        <p className="hint">
          {t("gradNorm")}: <b>{formatNumber(locale, health.gradNorm, 4)}</b> · {t("learningRate")}: <b>{formatNumber(locale, health.lr, 4)}</b>
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
