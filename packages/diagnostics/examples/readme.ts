import { createTrainingRun } from "@backprop-lab/core";
import { applyFix, attachDiagnostics, FAILURE_LABS } from "@backprop-lab/diagnostics";

const lab = FAILURE_LABS.find((l) => l.id === "no-biases");
if (lab === undefined) throw new Error("no lab named no-biases");
const run = createTrainingRun(lab.config);
const diagnostics = attachDiagnostics(run);
for (let i = 0; i < lab.steps; i++) run.step();

for (const f of diagnostics.findings()) {
  console.log(`${f.code} (${f.severity}) since step ${f.firstStep}: loss ${f.numbers.loss.toFixed(4)}`);
  console.log(`fix: ${f.fix === null ? "none" : f.fix.label.en}`);
}
for (const h of diagnostics.health()) {
  console.log(`layer ${h.layer}: gradient ${h.gradNorm.toExponential(2)}, update/weight ${h.updateRatio.toExponential(1)}`);
}

const fixed = createTrainingRun(applyFix(lab.config, lab.fix));
const after = attachDiagnostics(fixed);
for (let i = 0; i < lab.steps; i++) fixed.step();
console.log(`after the fix: ${after.findings().length} findings, loss ${fixed.trainer.report.loss.toFixed(4)}`);
