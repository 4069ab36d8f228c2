import { createTrainingRun, parseRunDocument, type RunDocumentInput } from "@backprop-lab/core";
import { describe, expect, it } from "vitest";
import { workerReports } from "../test-support/worker-reports.js";
import { useApp } from "./harness.js";

const app = useApp();

/** Bits of a double as hex, so a comparison shows the last bit. */
const bits = (x: number) => {
  const v = new DataView(new ArrayBuffer(8));
  v.setFloat64(0, x);
  return v.getBigUint64(0).toString(16);
};

const base: RunDocumentInput = {
  seed: 11,
  data: { name: "spiral", n: 300, noise: 0.1, testRatio: 0.3 },
  features: ["x1", "x2", "sinx1", "sinx2"],
  network: { hidden: [6, 4], activation: "tanh", output: "tanh", bias: true },
  training: {
    learningRate: 0.05,
    schedule: { kind: "cosine", totalSteps: 2000, minLearningRate: 0.001 },
    regularization: { kind: "l2", lambda: 0.003 },
    batchSize: 16,
    clipping: { maxNorm: 0.2 },
  },
  evaluation: { every: 10 },
};

describe("the reports hook (for the cross-face test)", () => {
  it.each([
    ["sgd", { kind: "sgd" }],
    ["momentum", { kind: "momentum", momentum: 0.9, nesterov: false }],
    ["adam", { kind: "adam", beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }],
  ] as const)("%s with a schedule, L2 and clipping: Chromium's worker gives core's reports in Node bit for bit, and one explanation", async (_name, optimizer) => {
    const o = await app.open();
    const document = parseRunDocument({ ...base, training: { ...base.training, optimizer } });
    const steps = [1, 10, 100, 1000];
    const answer = await workerReports(o.page, document, steps);
    expect(answer.reports.map((r) => r.at)).toEqual(steps);
    // the same document in Node (V8 here, V8 in Chromium's worker: core computes every function itself)
    const run = createTrainingRun(document);
    let clips = 0;
    for (let k = 1; k <= 1000; k++) {
      const r = run.step();
      if (r.clipped) clips++;
      const row = answer.reports.find((x) => x.at === k);
      if (!row) continue;
      const scores = run.evaluate();
      const mine = [r.loss, r.dataLoss, r.regLoss, r.gradNorm, r.clippedNorm, r.learningRate, scores.train.loss, scores.train.accuracy ?? NaN, scores.test!.loss, scores.test!.accuracy ?? NaN].map(bits);
      const theirs = [row.report.loss, row.report.dataLoss, row.report.regLoss, row.report.gradNorm, row.report.clippedNorm, row.report.learningRate, row.scores.train.loss, row.scores.train.accuracy ?? NaN, row.scores.test!.loss, row.scores.test!.accuracy ?? NaN].map(bits);
      expect(theirs, `step ${k}`).toEqual(mine);
      expect(row.clipCount, `clip count at step ${k}`).toBe(clips);
      expect(row.report.clipped).toBe(r.clipped);
    }
    expect(clips).toBeGreaterThan(0);
    const e = run.explain();
    expect(answer.explainedAt).toBe(1000);
    expect(answer.explanation.optimizer).toBe(optimizer.kind);
    expect(answer.explanation.layers.flatMap((l) => l.W_next.flat()).map(bits)).toEqual(e.layers.flatMap((l) => l.W_next.flat()).map(bits));
    expect([answer.explanation.gradNorm, answer.explanation.clippedNorm, answer.explanation.learningRate].map(bits)).toEqual([e.gradNorm, e.clippedNorm, e.learningRate].map(bits));
    // the explanation's "after" is the run's next weights
    run.step();
    expect(answer.explanation.layers.flatMap((l) => [...l.W_next.flat(), ...(l.b_next ?? [])]).map(bits)).toEqual(Array.from(run.net.layers.flatMap((l) => [...l.W, ...(l.b ?? [])])).map(bits));
  });

  it("a document core rejects comes back with core's message naming the field", async () => {
    const o = await app.open();
    await expect(workerReports(o.page, { training: { optimizer: { kind: "adam", epsilon: 0 } } }, [1])).rejects.toThrow(/training\.optimizer\.epsilon/);
  });
});
