// The frame-time benchmark of the playground (`pnpm --filter @backprop-lab/web bench`, run by the root
// `pnpm bench`): a 6×8 tanh network with 7 input features trains for 5 s in Debian's Chromium while the
// page counts animation frames and frames drawn. Reported (stdout and artifacts/frame-times.json), never
// asserted: speed is a benchmark, not a test.
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { ARTIFACTS, openApp } from "../e2e/harness.js";

const app = await openApp();
try {
  const p = await app.page("#seed=1&data=spiral&noise=0&ratio=0.5&features=x1,x2,x1sq,x2sq,x1x2,sinx1,sinx2&hidden=8,8,8,8,8,8&act=tanh&out=tanh&encoding=signed&lr=0.03&batch=10");
  await p.getByTestId("thumb-49").waitFor();
  const result = await p.evaluate(async () => {
    const lab = (window as unknown as { __backpropLab: { framesDrawn: number; drawMs: number; workMs: number; timing: Record<"trainMs" | "evaluateMs" | "sampleMs", number> } }).__backpropLab;
    const stamps: number[] = [];
    const btn = document.querySelector('[data-testid="play"]') as HTMLButtonElement;
    btn.click();
    await new Promise((r) => setTimeout(r, 500));
    const frames0 = lab.framesDrawn;
    const draw0 = lab.drawMs;
    const work0 = lab.workMs;
    const timing0 = { ...lab.timing };
    const step0 = Number(document.querySelector('[data-testid="step-count"]')!.textContent);
    const t0 = performance.now();
    // frames drawn in each whole second of the run, to tell the workers' warm-up from the steady state
    const bySecond: number[] = [];
    let second = t0;
    let framesAtSecond = frames0;
    await new Promise<void>((done) => {
      const tick = (t: number) => {
        stamps.push(t);
        if (t - second >= 1000) {
          bySecond.push(((lab.framesDrawn - framesAtSecond) * 1000) / (t - second));
          second = t;
          framesAtSecond = lab.framesDrawn;
        }
        if (t - t0 < 5000) requestAnimationFrame(tick);
        else done();
      };
      requestAnimationFrame(tick);
    });
    const seconds = (performance.now() - t0) / 1000;
    const frames = lab.framesDrawn - frames0;
    const drawMs = lab.drawMs - draw0;
    const workMs = lab.workMs - work0;
    const parts = { trainMs: lab.timing.trainMs - timing0.trainMs, evaluateMs: lab.timing.evaluateMs - timing0.evaluateMs, sampleMs: lab.timing.sampleMs - timing0.sampleMs };
    const steps = Number(document.querySelector('[data-testid="step-count"]')!.textContent) - step0;
    btn.click();
    return { stamps, seconds, frames, steps, drawMs, workMs, parts, bySecond };
  });
  const intervals = result.stamps.slice(1).map((t, i) => t - result.stamps[i]!);
  const sorted = [...intervals].sort((x, y) => x - y);
  const q = (f: number) => sorted[Math.min(sorted.length - 1, Math.floor(f * sorted.length))]!;
  const report = {
    network: "6 hidden layers × 8 tanh, 7 input features, 1 tanh output (56 unit thumbnails)",
    heatmap: "100×100, all thumbnails 10×10, redrawn on every worker frame",
    seconds: result.seconds,
    animationFrames: result.stamps.length,
    animationFps: result.stamps.length / result.seconds,
    frameIntervalMs: { median: q(0.5), p90: q(0.9), p99: q(0.99), max: sorted[sorted.length - 1] },
    workerFramesDrawn: result.frames,
    drawnFps: result.frames / result.seconds,
    drawnFpsBySecond: result.bySecond.map((x) => Math.round(x * 10) / 10),
    trainingStepsPerSecond: result.steps / result.seconds,
    pageDrawMsPerFrame: result.drawMs / Math.max(1, result.frames),
    workerMsPerFrame: result.workMs / Math.max(1, result.frames),
    workerMsPerFrameByPart: {
      train25Steps: result.parts.trainMs / Math.max(1, result.frames),
      evaluateTrainAndTest: result.parts.evaluateMs / Math.max(1, result.frames),
      sampleGridAndUnitMaps: result.parts.sampleMs / Math.max(1, result.frames),
    },
    loadAverage: loadavg(),
    cores: cpus().length,
    intervalsMs: intervals.map((x) => Math.round(x * 100) / 100),
  };
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(join(ARTIFACTS, "frame-times.json"), JSON.stringify(report, null, 2) + "\n");
  const { intervalsMs: _omit, ...summary } = report;
  process.stdout.write(`frame times: ${JSON.stringify(summary)}\n`);
  if (result.frames === 0) throw new Error("frame times: no frame was drawn while training");
} finally {
  await app.close();
}
