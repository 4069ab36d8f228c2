import { createTrainingRun, predict, presetDocument } from "@backprop-lab/core";
import {
  createGridSampler,
  createMetricSeries,
  decisionBoundary,
  domainForDataset,
  toRGBA,
  toTerminalCells,
} from "@backprop-lab/viz";

// Train the course's 2-3-2 network with biases, keeping its loss curve
const run = createTrainingRun(presetDocument("course-2-3-2-bias"));
const loss = createMetricSeries();
for (let i = 0; i < 3000; i++) {
  const report = run.step();
  loss.append(report.step, report.loss);
}

// Sample it over the course data's view: row 0 is the top, column 0 the left
const domain = domainForDataset("course-xor");
const sampler = createGridSampler(run.net, { resolution: 60, domain });
const grid = sampler.sample(); // call again after more training: same arrays, refilled
const ones = grid.classIndex.reduce((s, c) => s + c, 0);
console.log(`grid ${grid.width}×${grid.height}: class 1 on ${((100 * ones) / grid.classIndex.length).toFixed(1)} % of cells`);
const corner = predict(run.net, Float64Array.of(domain.xMin + 0.5 * (domain.xMax - domain.xMin) / 60, domain.yMax - 0.5 * (domain.yMax - domain.yMin) / 60), 1);
console.log(`top-left cell: p(class 1) = ${grid.value[0]!.toFixed(6)} (predict: ${corner[1]!.toFixed(6)})`);

// The boundary as polylines in data coordinates, and pixels for a canvas
const lines = decisionBoundary(grid);
console.log(`boundary: ${lines.length} polylines, ${lines.reduce((s, l) => s + l.length / 2, 0)} points`);
const rgba = toRGBA(new Uint8ClampedArray(60 * 60 * 4), grid);
console.log(`top-left pixel: rgba(${Array.from(rgba.subarray(0, 4)).join(", ")})`);

// The same map for a terminal: two pixels per character cell, data points on top
const points = Array.from({ length: run.points.train.n }, (_, i) => ({
  x: run.points.train.x[2 * i]!,
  y: run.points.train.x[2 * i + 1]!,
  cls: run.points.train.labels![i]!,
}));
const cells = toTerminalCells(grid, { colorMode: "256", points });
console.log(`terminal: ${cells.length} rows of ${cells[0]!.length} cells, ${cells.flat().filter((c) => c.char !== "▀").length} showing points`);

// The loss curve, drawn from a few hundred points
const curve = loss.view(300);
console.log(`loss: ${loss.length} steps drawn from ${curve.x.length} points, ${curve.y[0]!.toFixed(4)} → ${curve.y.at(-1)!.toFixed(4)}`);
