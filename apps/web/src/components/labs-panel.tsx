import type { ReactElement } from "react";
import { applyFixToState, LABS, type Lab } from "../diagnostics-bridge.js";
import type { Translate } from "../i18n.js";
import type { AppState, Locale } from "../state/app-state.js";

interface Props {
  state: AppState;
  locale: Locale;
  t: Translate;
  onLoad(lab: Lab): void;
  onFix(state: AppState): void;
}

/** packages/diagnostics' failure labs: load one, watch it fail, apply its fix. */
export function LabsPanel({ state, locale, t, onLoad, onFix }: Props): ReactElement {
  const active = LABS.find((l) => l.id === state.view.lab) ?? null;
  return (
    <div className="labs" data-testid="labs">
      <p className="hint">{t("labsIntro")}</p>
      <ul>
        {LABS.map((lab) => (
          <li key={lab.id} className={lab === active ? "active" : ""} data-testid={`lab-${lab.id}`}>
            <div>
              <b>{lab.title[locale]}</b>
              <p>{lab.description[locale]}</p>
              {lab === active ? (
                <>
                  <p>
                    <b>{t("expected")}:</b> {lab.expected[locale]}
                  </p>
                  <button type="button" className="fix" onClick={() => onFix({ ...applyFixToState(state, lab.fix), view: { ...state.view } })} data-testid={`lab-fix-${lab.id}`}>
                    {t("fixLab")}: {lab.fix.label[locale]}
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
