import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { formatNumber, formatPercent } from "./i18n.js";
import { runStateOf } from "./state/document.js";
import { decodeState } from "./state/url.js";
import { createWorkerHandler } from "./worker/handler.js";
import type { Frame } from "./worker/protocol.js";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");

describe("README", () => {
  it("its example link gives the numbers it prints", () => {
    const blocks = [...readme.matchAll(/```text\n([^`]*)```/g)].map((m) => m[1]!.trim());
    const link = blocks.find((b) => b.startsWith("#seed="))!;
    const printed = blocks.find((b) => b.startsWith("step "))!;
    expect(link, "the README shows a link").toBeDefined();
    const { state, errors } = decodeState(link);
    expect(errors).toEqual([]);
    let frame: Frame | null = null;
    const handler = createWorkerHandler((m) => {
      if (m.type === "frame") frame = m.frame;
    });
    handler.handle({ type: "init", state: runStateOf(state) });
    const steps = Number(/^step (\d+)/.exec(printed)![1]);
    handler.handle({ type: "tick", steps, focus: null, recycle: [] });
    const f = frame! as Frame;
    const m = f.metrics;
    const line = `step ${f.step}  epoch ${f.epoch}  training loss ${formatNumber("en", m.trainLoss, 3)}  test loss ${formatNumber("en", m.testLoss, 3)}  test accuracy ${formatPercent("en", m.testAccuracy).replace("%", " %")}`;
    expect(line).toBe(printed);
  });

  it("lists every keyboard shortcut the app has", async () => {
    const { SHORTCUTS } = await import("./components/shortcuts.js");
    for (const s of SHORTCUTS) {
      const first = s.keys.split(/\s+/)[0]!;
      expect(readme, `shortcut ${s.keys}`).toContain(`| ${first}`);
    }
  });
});
