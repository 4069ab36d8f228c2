import { BackpropError, createTrainingRun, evaluate } from "@backprop-lab/core";
import { describe, expect, it } from "vitest";
import { attachDiagnostics } from "./attach.js";
import { applyFix } from "./fixes.js";
import { FAILURE_LABS, labDocument, type FailureLab } from "./labs.js";

function runLab(lab: FailureLab, config = lab.config) {
  const run = createTrainingRun(config);
  const diagnostics = attachDiagnostics(run, lab.fix.clip ? { clip: lab.fix.clip } : {});
  const losses: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < lab.steps; i++) {
    losses.push(run.step().loss);
    const h = diagnostics.health();
    ratios.push(h[0]!.gradRms / h[h.length - 1]!.gradRms);
  }
  ratios.sort((a, b) => a - b);
  const medianRatio = ratios[ratios.length >> 1]!;
  const findings = diagnostics.findings();
  return { run, losses, medianRatio, findings, codes: findings.map((f) => f.code), byCode: new Map(findings.map((f) => [f.code, f])) };
}

const fast = FAILURE_LABS.filter((lab) => lab.id !== "course-l2-bug");

describe("failure labs", () => {
  it("has six labs with bilingual text (a one-line summary too) and a config that validates", () => {
    expect(FAILURE_LABS.map((l) => l.id)).toEqual(["exploding-learning-rate", "vanishing-sigmoid", "dying-relu", "l1-collapse", "no-biases", "course-l2-bug"]);
    for (const lab of FAILURE_LABS) {
      expect(lab.title.en).not.toBe(lab.title.es);
      expect(lab.description.en).not.toBe(lab.description.es);
      expect(lab.summary.en).not.toBe(lab.summary.es);
      for (const line of [lab.summary.en, lab.summary.es]) {
        expect(line).not.toContain("\n");
        expect(line).toMatch(/; (cure|cura): /);
      }
      expect(labDocument(lab.id)).toEqual(lab.config);
      expect(labDocument(lab.id)).not.toBe(lab.config);
      expect(lab.expected.length).toBeGreaterThan(0);
    }
    expect(() => labDocument("nope")).toThrow(BackpropError);
  });

  for (const lab of fast) {
    it(`${lab.id}: produces ${lab.expected.join(", ")}, and its fix (${lab.fix.id}) clears them`, () => {
      const broken = runLab(lab);
      for (const code of lab.expected) expect(broken.codes, `${lab.id} should find ${code}`).toContain(code);
      const fixed = runLab(lab, applyFix(lab.config, lab.fix));
      for (const code of lab.expected) expect(fixed.codes, `${lab.id} fixed should not find ${code}`).not.toContain(code);
      expect(fixed.findings.filter((f) => f.severity === "error")).toEqual([]);
    });
  }

  it("the labs' descriptions tell the truth", () => {
    const lab = (id: string) => FAILURE_LABS.find((l) => l.id === id)!;
    // exploding: 0.57 → 3.9 in 4 updates, 3.6e15 in 25, 8.8e304 in 291 (orders of magnitude) and an overflow on the next,
    // and × 0.01 falls steadily
    const exploding = runLab(lab("exploding-learning-rate"));
    expect(exploding.losses[0]).toBeCloseTo(0.573, 3);
    expect(exploding.losses[4]).toBeCloseTo(3.93, 2);
    expect(exploding.losses[25]! / 3.64e15).toBeCloseTo(1, 1);
    expect(exploding.losses[291]! / 8.8e304).toBeCloseTo(1, 1);
    expect(Number.isFinite(exploding.losses[292])).toBe(false);
    const calm = runLab(lab("exploding-learning-rate"), applyFix(lab("exploding-learning-rate").config, lab("exploding-learning-rate").fix));
    expect(calm.losses.every((l, i) => i === 0 || l <= calm.losses[i - 1]!)).toBe(true);
    // vanishing: about a millionth (the median over the run: the finding quotes its latest step's ratio, which wanders
    // between 3e-6 and 5e-4), the loss stays near 0.25, and tanh learns XOR
    const vanishing = runLab(lab("vanishing-sigmoid"));
    expect(vanishing.byCode.get("vanishing-gradients")!.numbers.ratio).toBeLessThan(1e-3);
    expect(vanishing.medianRatio).toBeLessThan(1e-5);
    expect(Math.min(...vanishing.losses.slice(100))).toBeGreaterThan(0.2);
    const tanh = runLab(lab("vanishing-sigmoid"), applyFix(lab("vanishing-sigmoid").config, lab("vanishing-sigmoid").fix));
    expect(evaluate(tanh.run.net, tanh.run.train).accuracy).toBeGreaterThanOrEqual(0.95);
    // dying relu: most of a hidden layer (5 of the second layer's 8 units) is silent for good
    const dead = runLab(lab("dying-relu")).byCode.get("dead-units")!;
    expect(dead.numbers.layer).toBe(1);
    expect(dead.numbers.deadFraction).toBeGreaterThan(0.5);
    // L1: weights down to a few hundredths within 25 steps
    const l1 = runLab(lab("l1-collapse")).byCode.get("regularization-too-strong")!;
    expect(l1.firstStep).toBeLessThanOrEqual(25);
    expect(l1.numbers.weightRms).toBeLessThan(0.05);
    // no biases: the course's plateau near 0.246 with 62 % of its 50 points right
    const noBias = runLab(lab("no-biases"));
    expect(noBias.losses.at(-1)).toBeCloseTo(0.246, 3);
    expect(evaluate(noBias.run.net, noBias.run.train).accuracy).toBe(0.62);
  });
});
