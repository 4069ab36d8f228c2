import { PRESETS } from "@backprop-lab/core";
import { describe, expect, it } from "vitest";
import { LANGS, PRESET_TEXT, presetText } from "./index.js";

describe("preset text", () => {
  it("every preset of core has a title and a description in every language, and nothing else has", () => {
    expect(Object.keys(PRESET_TEXT).sort()).toEqual(PRESETS.map((p) => p.id).sort());
    for (const p of PRESETS) {
      const text = presetText(p.id);
      for (const lang of LANGS) {
        expect(text.title[lang].length, `${p.id} title ${lang}`).toBeGreaterThan(0);
        expect(text.description[lang].length, `${p.id} description ${lang}`).toBeGreaterThan(20);
      }
      // the course's presets are translated, not copied (the Playground's titles are a proper name and a data set's)
      if (p.id.startsWith("course-")) expect(text.title.es).not.toBe(text.title.en);
      expect(text.description.es).not.toBe(text.description.en);
    }
  });

  it("an id without text is its own title", () => {
    expect(presetText("new-preset")).toEqual({ title: { en: "new-preset", es: "new-preset" }, description: { en: "", es: "" } });
  });
});
