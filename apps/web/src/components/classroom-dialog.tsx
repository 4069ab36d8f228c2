import { useEffect, useRef, useState, type ReactElement } from "react";
import { Modal } from "./modal.js";
import type { Translate } from "../i18n.js";
import { canonicalHide, HIDEABLE_GROUPS, type AppState, type Hideable, type HideableGroup } from "../state/app-state.js";
import { encodeState } from "../state/url.js";

interface Props {
  state: AppState;
  t: Translate;
  onClose(): void;
}

/** The link that opens `state` with `hide` hidden: this page's address with a new hash. */
export function classroomLink(state: AppState, hide: readonly Hideable[], base: string): string {
  return `${base}#${encodeState({ ...state, view: { ...state.view, hide: canonicalHide(hide) } })}`;
}

/**
 * The teacher's dialog: tick the controls to hide, copy the link or open it
 * in a new tab. The link carries the current run (seed, settings, edits,
 * history) with `hide=…` added; the page itself is left as it is.
 */
export function ClassroomDialog({ state, t, onClose }: Props): ReactElement {
  const [hide, setHide] = useState<Hideable[]>(state.view.hide);
  const [copied, setCopied] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);
  const base = window.location.href.split("#")[0]!;
  const link = classroomLink(state, hide, base);
  const toggle = (h: Hideable, on: boolean) => setHide((old) => canonicalHide(on ? [...old, h] : old.filter((x) => x !== h)));
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(link);
      setCopied(true);
      timer.current = setTimeout(() => setCopied(false), 1500);
    } catch {
      setCopied(false);
    }
  };
  return (
    <Modal label={t("classroom")} testId="classroom-dialog" className="classroom" onClose={onClose}>
        <h2>{t("classroom")}</h2>
        <p className="hint">{t("classroomIntro")}</p>
        <div className="hide-groups">
          {(Object.keys(HIDEABLE_GROUPS) as HideableGroup[]).map((g) => (
            <fieldset key={g} className="hide-group">
              <legend>{t(`group_${g}`)}</legend>
              {HIDEABLE_GROUPS[g].map((h) => (
                <label key={h} className="control check">
                  <input type="checkbox" checked={hide.includes(h)} onChange={(e) => toggle(h, e.target.checked)} data-testid={`hide-${h}`} />
                  <span>{t(`hide_${h}`)}</span>
                </label>
              ))}
            </fieldset>
          ))}
        </div>
        <div className="classroom-footer">
          <label className="classroom-link">
            <span>{t("classroomLink")}</span>
            <input readOnly value={link} onFocus={(e) => e.target.select()} data-testid="classroom-link" />
          </label>
          <div className="classroom-actions">
            <button type="button" onClick={copy} data-testid="classroom-copy">
              {copied ? t("classroomCopied") : t("classroomCopy")}
            </button>
            <a href={link} target="_blank" rel="noopener" data-testid="classroom-preview">
              {t("classroomPreview")}
            </a>
            <button type="button" onClick={() => setHide([])} disabled={hide.length === 0}>
              {t("classroomClear")}
            </button>
            <button type="button" onClick={onClose} autoFocus>
              {t("close")}
            </button>
          </div>
        </div>
    </Modal>
  );
}
