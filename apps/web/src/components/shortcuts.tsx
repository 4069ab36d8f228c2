import { useEffect, useRef, type ReactElement } from "react";
import { Modal } from "./modal.js";
import type { MessageKey, Translate } from "../i18n.js";

export interface ShortcutActions {
  togglePlay(): void;
  step(): void;
  reset(): void;
  newSeed(): void;
  toggleTest(): void;
  toggleDiscretize(): void;
  toggleBoundary(): void;
  toggleLocale(): void;
  /** Panel by index: keys 1–4. */
  panel(index: number): void;
  help(): void;
}

/** The keys, as the help lists them. */
export const SHORTCUTS: readonly { keys: string; label: MessageKey }[] = [
  { keys: "Space", label: "shortcutPlay" },
  { keys: "S  →", label: "shortcutStep" },
  { keys: "R", label: "shortcutReset" },
  { keys: "N", label: "shortcutSeed" },
  { keys: "T", label: "shortcutTest" },
  { keys: "D", label: "shortcutDiscretize" },
  { keys: "B", label: "shortcutBoundary" },
  { keys: "L", label: "shortcutLanguage" },
  { keys: "1 2 3 4", label: "shortcutPanels" },
  { keys: "?", label: "shortcutHelp" },
];

/** Whether keyboard focus is on something Space or Enter would press (not the page itself). */
function isControl(target: HTMLElement | SVGElement | null): boolean {
  if (!target || target === document.body || target === document.documentElement) return false;
  if (target instanceof HTMLElement && ["BUTTON", "A", "SUMMARY"].includes(target.tagName)) return true;
  return target.hasAttribute("tabindex") || target.hasAttribute("role");
}

/** Global keys, ignored while typing in a field or with a modifier held. */
export function useShortcuts(actions: ShortcutActions): void {
  const ref = useRef(actions);
  ref.current = actions;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (target && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName))) return;
      const a = ref.current;
      const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
      // Space and Enter press the focused control (a button, a tab, a diagram link); Space toggles training only when no control has focus
      if ((key === " " || key === "Enter") && isControl(target)) return;
      const run: Record<string, () => void> = {
        " ": a.togglePlay,
        s: a.step,
        ArrowRight: a.step,
        r: a.reset,
        n: a.newSeed,
        t: a.toggleTest,
        d: a.toggleDiscretize,
        b: a.toggleBoundary,
        l: a.toggleLocale,
        "?": a.help,
        "1": () => a.panel(0),
        "2": () => a.panel(1),
        "3": () => a.panel(2),
        "4": () => a.panel(3),
      };
      const action = run[key];
      if (!action) return;
      // a focused button would otherwise also "click" on Space
      e.preventDefault();
      action();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
}

export function ShortcutHelp({ t, onClose }: { t: Translate; onClose(): void }): ReactElement {
  return (
    <Modal label={t("shortcuts")} testId="shortcut-help" onClose={onClose}>
        <h2>{t("shortcuts")}</h2>
        <table>
          <tbody>
            {SHORTCUTS.map((s) => (
              <tr key={s.keys}>
                <td>
                  <kbd>{s.keys === "Space" ? t("keySpace") : s.keys}</kbd>
                </td>
                <td>{t(s.label)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <button type="button" onClick={onClose} autoFocus>
          {t("close")}
        </button>
    </Modal>
  );
}
