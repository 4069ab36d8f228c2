import { createTrainingRun } from "@backprop-lab/core";
import { FAILURE_LABS } from "@backprop-lab/diagnostics";
import { describe, expect, it } from "vitest";
import { expectClose } from "@backprop-lab/test-utils";
import { runHeadless, type ReportRecord, type SummaryRecord } from "./headless.js";
import { allPresets, DEFAULT_PRESET, findPreset } from "./presets.js";
import { createSession } from "./session.js";

async function collect(presetId: string, steps: number, every: number, lang: "en" | "es" = "en") {
  const preset = findPreset(presetId)!;
  const session = createSession({ document: preset.document, presetId, totalSteps: steps });
  const lines: string[] = [];
  const summary = await runHeadless({ session, totalSteps: steps, every, format: "json", lang, write: (l) => lines.push(l) });
  return { lines: lines.map((l) => JSON.parse(l) as ReportRecord | SummaryRecord), summary, session };
}

describe("headless output", () => {
  it("reports at every interval and at the last step: the run's own reports, unchanged", async () => {
    const { lines } = await collect(DEFAULT_PRESET, 25, 10);
    expect(lines.map((r) => (r.type === "report" ? r.step : r.type))).toEqual([10, 20, 25, "summary"]);
    const run = createTrainingRun(findPreset(DEFAULT_PRESET)!.document);
    const reports = Array.from({ length: 25 }, () => JSON.parse(JSON.stringify(run.step())) as Record<string, unknown>);
    for (const r of lines.slice(0, 3) as ReportRecord[]) {
      const { type, findings, ...report } = r;
      expect(report).toEqual(reports[r.step - 1]);
      expect([type, report.clipCount, findings]).toEqual(["report", 0, []]);
      expectClose(r.loss, r.dataLoss + r.regLoss, 0);
    }
    // the evaluation is the run's, on the steps of the document's cadence (every 10 here)
    expect((lines[0] as ReportRecord).evaluation?.step).toBe(10);
    expect((lines[2] as ReportRecord).evaluation).toBeNull();
  });

  it("lists every failure lab as a preset, and each one's run reports the findings it is built to produce", async () => {
    const ids = allPresets().map((p) => p.id);
    for (const lab of FAILURE_LABS) {
      expect(ids).toContain(lab.id);
      expect(findPreset(lab.id)).toMatchObject({ group: "lab", steps: lab.steps });
      // the course's L2-bug lab is 102,700 steps of a 2-50-2 net: diagnostics' course-bug test runs it once;
      // here every other lab goes through the headless face
      if (lab.id === "course-l2-bug") continue;
      const { summary, session } = await collect(lab.id, lab.steps, lab.steps, "es");
      const codes = summary.findings.map((f) => f.code);
      for (const code of lab.expected) expect(codes, lab.id).toContain(code);
      // messages and fix labels come in the chosen language
      const findings = session.findings();
      summary.findings.forEach((f, i) => {
        expect(f.message).toBe(findings[i]!.message.es);
        expect(f.fix?.label ?? null).toBe(findings[i]!.fix?.label.es ?? null);
      });
    }
  }, 300_000);
});
