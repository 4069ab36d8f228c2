import { formatValue, type Translate } from "./i18n.js";
import { LEARNING_RATES, REGULARIZATION_RATES, type Locale } from "./state/app-state.js";

/** An entry of a drop-down menu: the value it sets and its label. */
export interface MenuOption<T> {
  value: T;
  label: string;
}

/** Gradient clipping's max norms; 0 switches clipping off. */
export const CLIP_NORMS = [0, 0.1, 0.5, 1, 5, 10] as const;

/** The learning-rate menu: each label is its value in full (10 is "10", never "1"). */
export function learningRateOptions(locale: Locale): MenuOption<number>[] {
  return LEARNING_RATES.map((v) => ({ value: v, label: formatValue(locale, v) }));
}

export function regularizationRateOptions(locale: Locale): MenuOption<number>[] {
  return REGULARIZATION_RATES.map((v) => ({ value: v, label: formatValue(locale, v) }));
}

/** The clipping menu: "Off", then "‖g‖ ≤ value". */
export function clipOptions(locale: Locale, t: Translate): MenuOption<number>[] {
  return CLIP_NORMS.map((v) => ({ value: v, label: v === 0 ? t("clipOff") : `‖g‖ ≤ ${formatValue(locale, v)}` }));
}
