// How long the course's L2-bug lab takes from its lab to its blow-up (step 102,695) with "run to step N"
// in Debian's Chromium (`pnpm --filter @backprop-lab/web bench` runs it after the frame times). Reported on
// stdout and in artifacts/l2-lab-speed.json with the machine's load, never asserted.
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { ARTIFACTS, openApp } from "../e2e/harness.js";

const app = await openApp();
try {
  const runs: { seconds: number; step: number; frames: number; trainMs: number; evaluateMs: number; sampleMs: number; loadBefore: number[] }[] = [];
  for (let i = 0; i < 3; i++) {
    const p = await app.page("#lang=en&panel=labs");
    await p.getByTestId("lab-load-course-l2-bug").click();
    await p.waitForFunction(() => document.querySelector('[data-testid="step-count"]')?.textContent === "0");
    await p.waitForTimeout(500);
    const loadBefore = loadavg();
    const before = await p.evaluate(() => {
      const lab = (window as unknown as { __backpropLab: { framesDrawn: number; timing: Record<string, number> } }).__backpropLab;
      return { frames: lab.framesDrawn, timing: { ...lab.timing } };
    });
    await p.getByTestId("run-to").fill("102700");
    const t0 = Date.now();
    await p.getByTestId("run-to-go").click();
    await p.waitForFunction(
      () => document.querySelector('[data-testid="play"]')?.getAttribute("data-playing") === "false" && Number(document.querySelector('[data-testid="step-count"]')?.textContent) > 0,
      undefined,
      { timeout: 300_000, polling: 50 },
    );
    const seconds = (Date.now() - t0) / 1000;
    const after = await p.evaluate(() => {
      const lab = (window as unknown as { __backpropLab: { framesDrawn: number; timing: Record<string, number> } }).__backpropLab;
      return { frames: lab.framesDrawn, timing: { ...lab.timing }, step: Number(document.querySelector('[data-testid="step-count"]')?.textContent) };
    });
    runs.push({
      seconds,
      step: after.step,
      frames: after.frames - before.frames,
      trainMs: after.timing.trainMs! - before.timing.trainMs!,
      evaluateMs: after.timing.evaluateMs! - before.timing.evaluateMs!,
      sampleMs: after.timing.sampleMs! - before.timing.sampleMs!,
      loadBefore,
    });
    process.stdout.write(`L2-bug lab, run ${i + 1}: step ${after.step} after ${seconds.toFixed(2)} s, ${after.frames - before.frames} frames, load ${loadBefore.map((x) => x.toFixed(2)).join(" ")}\n`);
    await p.close();
  }
  const report = { what: "course-l2-bug lab: run to step 102,700 from step 0 (the run stops at its overflow, 102,695)", runs, loadAverageAfter: loadavg(), cores: cpus().length };
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(join(ARTIFACTS, "l2-lab-speed.json"), JSON.stringify(report, null, 2) + "\n");
} finally {
  await app.close();
}
