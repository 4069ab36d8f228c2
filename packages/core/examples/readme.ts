import { createMlp, createTrainingRun, evaluate, explainStep, makeDataset, presetDocument } from "@backprop-lab/core";

const fixed = (values: number[]) => `[${values.map((v) => v.toFixed(8)).join(", ")}]`;

// The course's 2-3-2 sigmoid network, no biases, its initial weights (numpy seed 2017)
const net = createMlp({ sizes: [2, 3, 2], hidden: "sigmoid", output: "sigmoid", bias: false }, { seed: 2017, init: "course" });
const data = makeDataset("course-xor");
const x = [Array.from(data.x.subarray(0, 2))];
const y = [Array.from(data.y.subarray(0, 2))];
const step = explainStep(net, x, y, { learningRate: 0.001, loss: "mse" });
console.log(`h2 = ${fixed(step.output[0]!)}`);
console.log(`loss = ${step.dataLoss.toFixed(8)}`);
console.log(`dL/dW2[0] = ${fixed(step.layers[1]!.dL_dW[0]!)}`);

// The same network with biases, trained on all 300 course points
const run = createTrainingRun(presetDocument("course-2-3-2-bias"));
for (let i = 0; i < 5000; i++) run.step();
const { accuracy, loss } = evaluate(run.net, run.train);
console.log(`after 5000 steps: loss ${loss.toFixed(4)}, accuracy ${accuracy === null ? "-" : (accuracy * 100).toFixed(1)} %`);
