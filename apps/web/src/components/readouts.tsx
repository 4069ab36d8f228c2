import type { ReactElement } from "react";
import type { FrameStore } from "../client/frame-store.js";
import { useStoreValue } from "../client/use-store.js";
import { formatNumber, formatPercent, type MessageKey, type Translate } from "../i18n.js";
import type { RunInfo } from "../worker/protocol.js";
import type { Locale } from "../state/app-state.js";

/** Epoch and step of the frame on screen. */
export function Counters({ store, t, locale }: { store: FrameStore; t: Translate; locale: Locale }): ReactElement {
  const c = useStoreValue(store, (s) => ({ step: s.frame?.step ?? 0, epoch: s.frame?.epoch ?? 0 }));
  return (
    <div className="counters">
      <span>
        {t("epoch")} <b data-testid="epoch">{formatNumber(locale, c.epoch, 0)}</b>
      </span>
      <span>
        {t("stepCount")} <b data-testid="step-count">{c.step}</b>
      </span>
    </div>
  );
}

/**
 * Why a run has no test metrics, or null when it has a test set: the ratio
 * slider at 100 %, or data that keeps every point for training (a preset's
 * course data, imported points).
 */
export function noTestReason(info: RunInfo | null): MessageKey | null {
  if (!info || info.test.n > 0) return null;
  const d = info.document.data;
  return (d.testRatio ?? 0) === 0 && d.source === "generated" ? "noTestRatio" : "noTestPreset";
}

/** Train and test loss and accuracy, and the penalty, of the frame on screen; test numbers are "—" with the reason when there is no test set. */
export function Losses({ store, t, locale, info }: { store: FrameStore; t: Translate; locale: Locale; info: RunInfo | null }): ReactElement {
  const m = useStoreValue(store, (s) => s.frame?.metrics ?? null, (m) => (m ? `${m.step}:${m.trainLoss}:${m.testLoss}` : "") + locale);
  const num = (x: number | undefined) => (x === undefined ? "—" : formatNumber(locale, x, 3));
  const noTest = noTestReason(info);
  return (
    <>
    <dl className="losses">
      <div>
        <dt>{t("testLoss")}</dt>
        {noTest ? (
          <dd data-testid="test-loss" data-value="" className="no-test" title={t(noTest)}>
            —
          </dd>
        ) : (
          <dd data-testid="test-loss" data-value={String(m?.testLoss ?? "")}>{num(m?.testLoss)}</dd>
        )}
      </div>
      <div>
        <dt>{t("trainLoss")}</dt>
        <dd data-testid="train-loss" data-value={String(m?.trainLoss ?? "")}>{num(m?.trainLoss)}</dd>
      </div>
      {m && m.trainAccuracy !== null ? (
        <div>
          <dt>{t("trainAccuracy")}</dt>
          <dd data-testid="train-accuracy">{formatPercent(locale, m.trainAccuracy)}</dd>
        </div>
      ) : null}
      {noTest && m && m.trainAccuracy !== null ? (
        <div>
          <dt>{t("testAccuracy")}</dt>
          <dd data-testid="test-accuracy" className="no-test" title={t(noTest)}>
            —
          </dd>
        </div>
      ) : null}
      {!noTest && m && m.testAccuracy !== null ? (
        <div>
          <dt>{t("testAccuracy")}</dt>
          <dd data-testid="test-accuracy">{formatPercent(locale, m.testAccuracy)}</dd>
        </div>
      ) : null}
      {m && m.regLoss > 0 ? (
        <div>
          <dt>{t("penalty")}</dt>
          <dd data-testid="penalty">{num(m.regLoss)}</dd>
        </div>
      ) : null}
    </dl>
      {noTest ? (
        <p className="hint no-test-reason" data-testid="no-test-reason">
          {t(noTest)}
        </p>
      ) : null}
    </>
  );
}
