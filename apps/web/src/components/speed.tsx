import { useState, type ReactElement } from "react";
import type { RunClient, Speed } from "../client/run-client.js";
import { formatValue, type Translate } from "../i18n.js";
import type { Locale } from "../state/app-state.js";

/** The speed menu's choices: one epoch per frame (the Playground's pace), fixed counts, or as many as the frame budget allows. */
export const SPEEDS: readonly Speed[] = ["epoch", 1, 10, 100, 1000, 10000, "auto"];

/**
 * Steps per frame, and "run to step N": trains without stopping (at the
 * frame budget's rate) until the run reaches N, then pauses there.
 */
export function SpeedControls({ client, t, locale }: { client: RunClient; t: Translate; locale: Locale }): ReactElement {
  const [speed, setSpeed] = useState<Speed>(client.speed);
  const [to, setTo] = useState("");
  const label = (s: Speed) => (s === "epoch" ? `1 ${t("epoch").toLowerCase()}` : s === "auto" ? t("stepsPerFrameAuto") : formatValue(locale, s));
  const go = () => {
    const n = Number(to.replace(/[.\s]/g, "").replace(",", "."));
    if (Number.isFinite(n) && n > 0) client.runTo(n);
  };
  return (
    <div className="speed">
      <label className="control">
        <span>{t("stepsPerFrame")}</span>
        <select
          data-testid="speed"
          value={String(SPEEDS.indexOf(speed))}
          onChange={(e) => {
            const s = SPEEDS[Number(e.target.value)]!;
            client.speed = s;
            setSpeed(s);
          }}
        >
          {SPEEDS.map((s, i) => (
            <option key={String(s)} value={String(i)}>
              {label(s)}
            </option>
          ))}
        </select>
      </label>
      <form
        className="control run-to"
        title={t("runToHint")}
        onSubmit={(e) => {
          e.preventDefault();
          go();
        }}
      >
        <label>
          <span>{t("runTo")}</span>
          <input className="number" type="text" inputMode="numeric" value={to} onChange={(e) => setTo(e.target.value)} data-testid="run-to" placeholder="100000" />
        </label>
        <button type="submit" data-testid="run-to-go">
          {t("runToGo")}
        </button>
      </form>
    </div>
  );
}
