import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { classificationDataset, regressionDataset, type Dataset } from "../data.js";
import { BackpropError } from "../errors.js";
import { datasetToCSV, datasetToJSON } from "./export.js";
import { DATASET_NAMES, makeDataset } from "./generators.js";
import { parseDatasetCSV } from "./parse-csv.js";
import { parseDatasetJSON } from "./parse.js";
import type { ParseDatasetOptions } from "./problems.js";

// What a parser needs to be told to rebuild `data` exactly.
function optionsFor(data: Dataset): ParseDatasetOptions {
  return data.labels
    ? { kind: "classification", encoding: data.encoding as "one-hot", classes: data.classes }
    : { kind: "regression" };
}

// Every float64 except NaN and ±Infinity, -0 and subnormals included.
const finite = fc.double({ noNaN: true, noDefaultInfinity: true });

describe("datasetToCSV / datasetToJSON", () => {
  it.each(DATASET_NAMES)("%s round-trips exactly through CSV and JSON with no options", (name) => {
    const data = makeDataset(name, { n: 120, noise: 0.2, seed: 3 });
    expect(parseDatasetJSON(datasetToJSON(data)).data).toEqual(data);
    expect(parseDatasetCSV(datasetToCSV(data)).data).toEqual(data);
  });

  it("writes the documented formats", () => {
    const data = makeDataset("course-xor", { n: 2 });
    expect(datasetToCSV(data)).toBe("x1,x2,label\n1.764052345967664,0.4001572083672233,0\n0.9787379841057392,2.240893199201458,0\n");
    expect(JSON.parse(datasetToJSON(data))).toEqual({
      x: [[1.764052345967664, 0.4001572083672233], [0.9787379841057392, 2.240893199201458]],
      y: [[1, 0], [1, 0]],
    });
    expect(datasetToCSV(makeDataset("reg-plane", { n: 1 })).split("\n")[0]).toBe("x1,x2,y");
  });

  it("round-trips any finite float64, -0 included, and any labels", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(finite, finite, fc.integer({ min: 0, max: 3 })), { minLength: 1, maxLength: 30 }), (rows) => {
        const x = Float64Array.from(rows.flatMap(([a, b]) => [a, b]));
        const data = classificationDataset(x, 2, Int32Array.from(rows, (r) => r[2]), 4);
        expect(parseDatasetCSV(datasetToCSV(data), optionsFor(data)).data).toEqual(data);
        expect(parseDatasetJSON(datasetToJSON(data), optionsFor(data)).data).toEqual(data);
        const reg = regressionDataset(x, 1, Float64Array.from(x, (v) => -v), 1);
        expect(parseDatasetCSV(datasetToCSV(reg), optionsFor(reg)).data).toEqual(reg);
        expect(parseDatasetJSON(datasetToJSON(reg), optionsFor(reg)).data).toEqual(reg);
      }),
      { numRuns: 200 },
    );
    const zero = regressionDataset(Float64Array.of(-0, 5e-324), 2, Float64Array.of(-0), 1);
    expect(Object.is(parseDatasetCSV(datasetToCSV(zero)).data.x[0], -0)).toBe(true);
    expect(Object.is(parseDatasetJSON(datasetToJSON(zero)).data.y[0], -0)).toBe(true);
  });

  it("restores binary and signed encodings, absent classes and several outputs when told", () => {
    for (const encoding of ["binary", "signed"] as const) {
      const data = makeDataset("xor", { n: 30, seed: 1, encoding });
      expect(parseDatasetCSV(datasetToCSV(data), { encoding }).data).toEqual(data);
      expect(parseDatasetJSON(datasetToJSON(data), { encoding }).data).toEqual(data);
    }
    const twoOfThree = makeDataset("spiral3", { n: 60 });
    const firstTwo = classificationDataset(twoOfThree.x.slice(0, 80), 2, twoOfThree.labels!.slice(0, 40), 3);
    expect(parseDatasetJSON(datasetToJSON(firstTwo)).data).toEqual(firstTwo);
    expect(parseDatasetCSV(datasetToCSV(firstTwo), { classes: 3 }).data).toEqual(firstTwo);
    const wide = regressionDataset(Float64Array.of(1, 2, 3), 1, Float64Array.of(0.5, 1, 1.5, 2, 2.5, 3), 2);
    expect(parseDatasetJSON(datasetToJSON(wide)).data).toEqual(wide);
  });

  it("writes the caller's header names, quoted where needed, and reads them back", () => {
    const data = makeDataset("gauss", { n: 4 });
    const columns = ["width, cm", 'the "height"', "kind"];
    const { data: back, columns: names } = parseDatasetCSV(datasetToCSV(data, { columns }));
    expect(names).toEqual(columns);
    expect(back).toEqual(data);
  });

  it("refuses what CSV or JSON cannot hold", () => {
    const wide = regressionDataset(Float64Array.of(1), 1, Float64Array.of(1, 2), 2);
    expect(() => datasetToCSV(wide)).toThrowError(BackpropError);
    expect(() => datasetToCSV(makeDataset("xor", { n: 2 }), { columns: ["a", "b"] })).toThrowError(/columns/);
    const bad = regressionDataset(Float64Array.of(1, NaN), 2, Float64Array.of(0), 1);
    for (const write of [datasetToCSV, datasetToJSON]) {
      try {
        write(bad);
        expect.unreachable();
      } catch (err) {
        expect([(err as BackpropError).code, (err as BackpropError).field]).toEqual(["invalid-data", "x[0][1]"]);
      }
    }
  });
});
