import { describe, expect, it } from "vitest";
import { createTrainingRun, evaluate, makeDataset, presetDocument, type RunDocument } from "../src/index.js";
import { expectClose, readReference } from "./helpers.js";

const ref = readReference("scratch-mlp-xor-run.json");
const LOSS_REL: number = ref.tolerance.loss_rel;
const ACC_ABS: number = ref.tolerance.accuracy_abs;
const MAX_UPDATES = 10_000;

/** The reference's settings as our run document: learning rate × N, the L2 gradient as recorded. */
function configFor(run: any): RunDocument {
  const config = presetDocument(run.hidden === 3 ? "course-2-3-2" : "course-2-50-2");
  config.training.learningRate = run.learning_rate * 50;
  config.training.regularization =
    run.reg_coeff > 0
      ? { kind: "l2", lambda: run.reg_coeff, gradient: String(run.l2_gradient).includes("bug") ? "course-bug" : "correct" }
      : { kind: "none", lambda: 0, gradient: "correct" };
  return config;
}

describe("the course's training runs (scratch-mlp-xor-run.json)", () => {
  it("uses the course's 300 points and initial weights", () => {
    const all = makeDataset("course-xor");
    expect(Array.from(all.x)).toEqual(ref.dataset.X.flat());
    for (const h of [3, 50]) {
      const run = createTrainingRun(configFor({ hidden: h, learning_rate: 0.003, reg_coeff: 0, l2_gradient: "" }));
      const init = ref.init[`hidden_${h}`];
      expect(Array.from(run.net.layers[0]!.W)).toEqual(init.W1.flat());
      expect(Array.from(run.net.layers[1]!.W)).toEqual(init.W2.flat());
    }
  });

  for (const recorded of ref.runs) {
    it(`${recorded.id}: loss at every recorded count up to ${MAX_UPDATES} updates, and accuracy`, () => {
      const run = createTrainingRun(configFor(recorded));
      const all = makeDataset("course-xor");
      const losses: Record<string, number> = { ...recorded.loss_after_updates };
      (recorded.loss_curve_every_1000_to_120000 ?? []).forEach((v: number, i: number) => (losses[String(i * 1000)] = v));
      (recorded.loss_curve_every_10000 ?? []).forEach((v: number, i: number) => (losses[String(i * 10000)] = v));
      let checked = 0;
      for (let k = 0; k <= MAX_UPDATES; k++) {
        // the loss measured in update k+1's forward pass is the loss after k updates
        const report = run.step();
        const expected = losses[String(k)];
        if (expected !== undefined && expected !== null) {
          expect(Math.abs(report.loss - expected) / expected, `loss after ${k} updates: ${report.loss} vs ${expected}`).toBeLessThanOrEqual(LOSS_REL);
          checked++;
        }
        if (k === 0 && recorded.weights_after_1_update) {
          expectClose(Array.from(run.net.layers[0]!.W), recorded.weights_after_1_update.W1.flat(), ref.tolerance.weights_abs, "W1 after 1");
          expectClose(Array.from(run.net.layers[1]!.W), recorded.weights_after_1_update.W2.flat(), ref.tolerance.weights_abs, "W2 after 1");
        }
        const acc = recorded.accuracy_after_updates[String(k + 1)];
        if (acc && k + 1 <= MAX_UPDATES) {
          expect(Math.abs(evaluate(run.net, run.train).accuracy! - acc.train50), `train50 accuracy after ${k + 1}`).toBeLessThanOrEqual(ACC_ABS);
          expect(Math.abs(evaluate(run.net, all).accuracy! - acc.all300), `all300 accuracy after ${k + 1}`).toBeLessThanOrEqual(ACC_ABS);
        }
      }
      expect(checked).toBeGreaterThanOrEqual(6);
    });
  }
});
