import type { ReactElement } from "react";
import type { FrameStore } from "../client/frame-store.js";
import { useStoreValue } from "../client/use-store.js";
import { formatNumber, formatPercent, type Translate } from "../i18n.js";
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

/** Train and test loss and accuracy, and the penalty, of the frame on screen. */
export function Losses({ store, t, locale }: { store: FrameStore; t: Translate; locale: Locale }): ReactElement {
  const m = useStoreValue(store, (s) => s.frame?.metrics ?? null, (m) => (m ? `${m.step}:${m.trainLoss}:${m.testLoss}` : "") + locale);
  const num = (x: number | undefined) => (x === undefined ? "—" : formatNumber(locale, x, 3));
  return (
    <dl className="losses">
      <div>
        <dt>{t("testLoss")}</dt>
        <dd data-testid="test-loss" data-value={String(m?.testLoss ?? "")}>{num(m?.testLoss)}</dd>
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
      {m && m.testAccuracy !== null ? (
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
  );
}
