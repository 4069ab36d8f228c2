import { describe, expect, it } from "vitest";
import { formatNumber, formatPercent, formatValue, translator } from "./i18n.js";
import { clipOptions, learningRateOptions, regularizationRateOptions } from "./menus.js";
import { LEARNING_RATES, REGULARIZATION_RATES, LOCALES, type Locale } from "./state/app-state.js";

// the oracle: a label read back by hand, the way a reader would (Spanish: "," is the decimal mark)
function read(locale: Locale, label: string): number {
  const text = label.replace(/^‖g‖ ≤ /, "").replace(/−/g, "-");
  const normal = locale === "es" ? text.replace(",", ".") : text;
  expect(normal, `label ${JSON.stringify(label)}`).toMatch(/^-?\d+(\.\d+)?$/);
  return Number(normal);
}

describe("menus label every option with the value it sets", () => {
  for (const locale of LOCALES) {
    const t = translator(locale);
    const menus = {
      "learning rate": learningRateOptions(locale),
      "regularization rate": regularizationRateOptions(locale),
      clipping: clipOptions(locale, t).filter((o) => o.value !== 0),
    };
    for (const [name, options] of Object.entries(menus)) {
      it(`${name} (${locale})`, () => {
        expect(options.length).toBeGreaterThan(0);
        for (const o of options) expect(read(locale, o.label), `${name}: ${o.label}`).toBe(o.value);
        // no two options share a label
        expect(new Set(options.map((o) => o.label)).size).toBe(options.length);
      });
    }
    it(`clipping's first option switches it off (${locale})`, () => {
      expect(clipOptions(locale, t)[0]).toEqual({ value: 0, label: t("clipOff") });
    });
  }

  it("the ladders end in 10, labelled 10 (the old label was 1)", () => {
    expect(LEARNING_RATES.at(-1)).toBe(10);
    expect(REGULARIZATION_RATES.at(-1)).toBe(10);
    expect(learningRateOptions("en").at(-1)!.label).toBe("10");
    expect(regularizationRateOptions("es").at(-1)!.label).toBe("10");
    expect(learningRateOptions("es")[0]!.label).toBe("0,00001");
  });
});

describe("numbers in the active locale", () => {
  it("Spanish uses the decimal comma, also in percents and exponents", () => {
    expect(formatValue("es", 0.9)).toBe("0,9");
    expect(formatPercent("es", 0.625)).toBe("62,5\u00a0%");
    expect(formatNumber("es", 4.81e153, 3)).toBe("4,81E153");
    expect(formatNumber("en", 4.81e153, 3)).toBe("4.81E153");
    expect(formatNumber("es", -0.5, 2)).toBe("−0,50");
  });
});
