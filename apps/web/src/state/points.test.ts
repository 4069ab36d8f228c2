import { createTrainingRun, type Dataset } from "@backprop-lab/core";
import { runStateOf, stateOfDocument } from "./document.js";
import { describe, expect, it } from "vitest";
import { createWorkerHandler } from "../worker/handler.js";
import type { PointSet, RunInfo } from "../worker/protocol.js";
import { defaultAppState, withDataset } from "./app-state.js";
import { inlineConfig, pointsDataset } from "./points.js";

function runInfo(config = defaultAppState().config): RunInfo {
  let info: RunInfo | null = null;
  const handler = createWorkerHandler((m) => {
    if (m.type === "run") info = m.info;
  });
  handler.handle({ type: "init", state: runStateOf({ ...defaultAppState(), config }) });
  return info!;
}

const same = (d: Dataset, p: PointSet) => {
  expect(Array.from(d.x)).toEqual(Array.from(p.x));
  expect(d.labels ? Array.from(d.labels) : Array.from(d.y)).toEqual(Array.from(p.target));
};

describe("clicked and imported points", () => {
  it("turning the shown points into inline data keeps every point and the train/test split exactly", () => {
    const info = runInfo();
    const { data, trainRows } = pointsDataset(info);
    expect(trainRows).toBe(info.train.n);
    const run = createTrainingRun(inlineConfig(stateOfDocument(info.document).config, data, trainRows));
    same(run.points.train, info.train);
    same(run.points.test, info.test);
    expect(run.document.data.encoding).toBe("signed");
  });

  it("a clicked point joins the training rows, last, with its class", () => {
    const info = runInfo();
    const { data, trainRows } = pointsDataset(info, { x1: 1.5, x2: -2, target: 0 });
    const run = createTrainingRun(inlineConfig(stateOfDocument(info.document).config, data, trainRows));
    expect(run.points.train.n).toBe(info.train.n + 1);
    const last = run.points.train.n - 1;
    expect([run.points.train.x[2 * last], run.points.train.x[2 * last + 1], run.points.train.labels![last]]).toEqual([1.5, -2, 0]);
    same(run.points.test, info.test);
  });

  it("regression targets stay targets (not class labels), even when they are whole numbers", () => {
    const info = runInfo(withDataset(defaultAppState().config, "reg-gauss"));
    const { data, trainRows } = pointsDataset(info, { x1: 0, x2: 0, target: 1 });
    const config = inlineConfig(stateOfDocument(info.document).config, data, trainRows);
    const run = createTrainingRun(config);
    expect(run.train.labels).toBeNull();
    expect(config.network.output).toBe("linear");
    expect(run.points.train.y[run.points.train.n - 1]).toBe(1);
  });

  it("imported data (no split of its own) is split by the configured ratio", () => {
    const info = runInfo();
    const { data } = pointsDataset(info);
    const run = createTrainingRun(inlineConfig(stateOfDocument(info.document).config, data, null));
    expect(run.points.train.n + run.points.test.n).toBe(500);
    expect(run.points.test.n).toBe(250);
  });
});
