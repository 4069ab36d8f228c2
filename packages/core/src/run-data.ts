import { selectRows, type Dataset } from "./data.js";
import { applyFeatures, makeDataset, parseDatasetJSON, splitDataset } from "./datasets/index.js";
import { BackpropError } from "./errors.js";
import type { RunDocument } from "./run-document.js";

function loadData(doc: RunDocument, seeds: { data: number }): Dataset {
  const d = doc.data;
  if (d.source === "inline") {
    try {
      return parseDatasetJSON({ x: d.x, y: d.y }, d.encoding === undefined ? {} : { encoding: d.encoding }).data;
    } catch (error) {
      // name the field from the document's root: x[1][1] → data.x[1][1]
      if (!(error instanceof BackpropError)) throw error;
      const field = error.field === undefined || error.field === "$" ? "data" : `data.${error.field}`;
      throw new BackpropError(error.code, error.message, { field, ...(error.line === undefined ? {} : { line: error.line }), ...(error.column === undefined ? {} : { column: error.column }), cause: error });
    }
  }
  return makeDataset(d.name, { n: d.n, noise: d.noise, seed: seeds.data, ...(d.encoding === undefined ? {} : { encoding: d.encoding }) });
}

/**
 * The points (before features) and what the network sees (after), split into
 * train and test: `seeds.data` draws generated points, `seeds.split` the
 * test rows (`trainRows` takes the first rows in order instead).
 */
export function runData(doc: RunDocument, seeds: { data: number; split: number }): { points: { train: Dataset; test: Dataset }; train: Dataset; test: Dataset } {
  const all = loadData(doc, seeds);
  let points: { train: Dataset; test: Dataset };
  const trainRows = doc.data.trainRows;
  if (trainRows !== undefined) {
    if (trainRows > all.n) throw new BackpropError("invalid-config", `data.trainRows is ${trainRows} but the data has ${all.n} rows`, { field: "data.trainRows" });
    const idx = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
    points = { train: selectRows(all, idx(0, trainRows)), test: selectRows(all, idx(trainRows, all.n)) };
  } else {
    points = splitDataset(all, { testRatio: doc.data.testRatio ?? 0, seed: seeds.split });
  }
  // user data may have other than 2 inputs; it is then used as it is
  const usesRaw = doc.features.join() === "x1,x2";
  if (!usesRaw && all.nIn !== 2) {
    throw new BackpropError("invalid-config", `input features are computed from 2-D points, the data has ${all.nIn} inputs`, { field: "features" });
  }
  const train = usesRaw ? points.train : applyFeatures(points.train, doc.features);
  const test = usesRaw ? points.test : applyFeatures(points.test, doc.features);
  return { points, train, test };
}
