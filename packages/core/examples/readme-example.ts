import { createMlp, createTrainingRun, evaluate, explainStep, makeDataset, presetDocument } from "../src/index.js";

/** The example in README.md; `log` receives each printed line. */
export function readmeExample(log: (line: string) => void = console.log): void {
  // The course's 2-3-2 sigmoid network, no biases, its initial weights (numpy seed 2017)
  const net = createMlp({ sizes: [2, 3, 2], hidden: "sigmoid", output: "sigmoid", bias: false }, { seed: 2017, init: "course" });
  const data = makeDataset("course-xor");
  const x = [Array.from(data.x.subarray(0, 2))];
  const y = [Array.from(data.y.subarray(0, 2))];
  const step = explainStep(net, x, y, { learningRate: 0.001, loss: "mse" });
  log(`h2 = [${step.output[0]!.map((v) => v.toFixed(8)).join(", ")}]`);
  log(`loss = ${step.dataLoss.toFixed(8)}`);
  log(`dL/dW2[0] = [${step.layers[1]!.dL_dW[0]!.map((v) => v.toFixed(8)).join(", ")}]`);

  // The same network with biases, trained on all 300 course points
  const run = createTrainingRun(presetDocument("course-2-3-2-bias"));
  for (let i = 0; i < 5000; i++) run.step();
  const { accuracy, loss } = evaluate(run.net, run.train);
  log(`after 5000 steps: loss ${loss.toFixed(4)}, accuracy ${(accuracy! * 100).toFixed(1)} %`);
}
