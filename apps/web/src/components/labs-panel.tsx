import type { ReactElement } from "react";
import type { FrameStore } from "../client/frame-store.js";
import { useStoreValue } from "../client/use-store.js";
import { applyFixToState, LABS, type Lab } from "../diagnostics-bridge.js";
import type { Translate } from "../i18n.js";
import { findingTitle, localizeText } from "../labels.js";
import type { AppState, Locale } from "../state/app-state.js";

interface Props {
  store: FrameStore;
  state: AppState;
  locale: Locale;
  t: Translate;
  onLoad(lab: Lab): void;
  onFix(state: AppState): void;
}

/**
 * packages/diagnostics' failure labs: load one, press play, watch its
 * findings appear (ticked off below it), then apply its fix.
 */
export function LabsPanel({ store, state, locale, t, onLoad, onFix }: Props): ReactElement {
  const active = LABS.find((l) => l.id === state.view.lab) ?? null;
  // a finding counts once it has been raised in this run, even if it does not hold on the latest step
  const seen = useStoreValue(store, (s) => (s.frame?.findings ?? []).map((f) => f.code).sort());
  const step = useStoreValue(store, (s) => Math.min(s.frame?.step ?? 0, active?.steps ?? 0));
  return (
    <div className="labs" data-testid="labs">
      <p className="hint">{t("labsIntro")}</p>
      <ul>
        {LABS.map((lab) => (
          <li key={lab.id} className={lab === active ? "active" : ""} data-testid={`lab-${lab.id}`} data-steps={lab.steps} data-expected={lab.expected.join(" ")}>
            <div>
              <b>{localizeText(locale, lab.title[locale])}</b>
              <p>{localizeText(locale, lab.description[locale])}</p>
              {lab === active ? (
                <>
                  <p>
                    <b>{t("expected")}</b> ({t("stepCount")} {step} / {lab.steps}):
                  </p>
                  <ul className="expected">
                    {lab.expected.map((code) => (
                      <li key={code} data-testid={`lab-expect-${code}`} data-seen={String(seen.includes(code))}>
                        {seen.includes(code) ? "✓" : "○"} {findingTitle(locale, code)}
                      </li>
                    ))}
                  </ul>
                  <button type="button" className="fix" onClick={() => onFix({ ...applyFixToState(state, lab.fix), view: { ...state.view } })} data-testid={`lab-fix-${lab.id}`}>
                    {t("fixLab")}: {localizeText(locale, lab.fix.label[locale])}
                  </button>
                </>
              ) : null}
            </div>
            <button type="button" onClick={() => onLoad(lab)} data-testid={`lab-load-${lab.id}`}>
              {t("loadLab")}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
