import { classificationDataset, regressionDataset, type Dataset } from "@backprop-lab/core";
import type { RunConfig } from "./document.js";
import type { PointSet, RunInfo } from "../worker/protocol.js";
import { fitHeadToData } from "./app-state.js";

/** Train and test points back into one data set, train rows first (for export and for adding points). */
export function pointsDataset(info: RunInfo, extra: { x1: number; x2: number; target: number } | null = null): { data: Dataset; trainRows: number } {
  const sets: PointSet[] = [info.train, info.test];
  const n = info.train.n + info.test.n + (extra ? 1 : 0);
  const x = new Float64Array(n * 2);
  const target = new Float64Array(n);
  let k = 0;
  const push = (x1: number, x2: number, t: number) => {
    x[2 * k] = x1;
    x[2 * k + 1] = x2;
    target[k++] = t;
  };
  for (let i = 0; i < info.train.n; i++) push(info.train.x[2 * i]!, info.train.x[2 * i + 1]!, info.train.target[i]!);
  if (extra) push(extra.x1, extra.x2, extra.target);
  for (let i = 0; i < sets[1]!.n; i++) push(info.test.x[2 * i]!, info.test.x[2 * i + 1]!, info.test.target[i]!);
  const data = info.regression
    ? regressionDataset(x, 2, target, 1)
    : classificationDataset(x, 2, Int32Array.from(target), Math.max(info.classes, 2));
  return { data, trainRows: info.train.n + (extra ? 1 : 0) };
}

/** A config on inline data: these rows, the first `trainRows` for training (so the split stays as shown). */
export function inlineConfig(config: RunConfig, data: Dataset, trainRows: number | null): RunConfig {
  const x: number[][] = [];
  for (let i = 0; i < data.n; i++) x.push([data.x[2 * i]!, data.x[2 * i + 1]!]);
  const y: number[] | number[][] = data.labels ? Array.from(data.labels, (c) => c) : Array.from(data.y, (v): number[] => [v]);
  const encoding = config.data.encoding;
  const next: RunConfig = {
    ...config,
    data: {
      source: "inline",
      x,
      y,
      ...(trainRows !== null && trainRows < data.n ? { trainRows } : { testRatio: trainRows === null ? (config.data.testRatio ?? 0.5) : 0 }),
      ...(data.labels && encoding ? { encoding } : {}),
    },
  };
  return fitHeadToData(next);
}

