import { describe, expect, it } from "vitest";
import { parseDatasetCSV } from "./parse-csv.js";
import { parseDatasetJSON } from "./parse.js";
import { backpropErrorOf as thrown } from "../../test/helpers.js";

describe("parseDatasetJSON", () => {
  it("reads one-hot rows as classes", () => {
    const { data, columns } = parseDatasetJSON('{"x": [[0.5, -1], [2, 3], [1, 1]], "y": [[1, 0, 0], [0, 0, 1], [0, 1, 0]]}');
    expect([data.n, data.nIn, data.nOut, data.classes, data.encoding]).toEqual([3, 2, 3, 3, "one-hot"]);
    expect(Array.from(data.labels!)).toEqual([0, 2, 1]);
    expect(Array.from(data.x)).toEqual([0.5, -1, 2, 3, 1, 1]);
    expect(columns).toEqual(["x1", "x2", "label"]);
  });

  it("reads a flat array of integer labels, in any encoding", () => {
    const input = { x: [[0, 1], [1, 1], [2, 0]], y: [1, 0, 1] };
    const oneHot = parseDatasetJSON(input).data;
    expect([oneHot.classes, Array.from(oneHot.y)]).toEqual([2, [0, 1, 1, 0, 0, 1]]);
    expect(Array.from(parseDatasetJSON(input, { encoding: "signed" }).data.y)).toEqual([1, -1, 1]);
    expect(parseDatasetJSON(input, { classes: 4 }).data.nOut).toBe(4);
  });

  it("reads targets as regression: non-integer labels, one-column rows, or kind regression", () => {
    const flat = parseDatasetJSON({ x: [[0], [1]], y: [0.5, 2] }).data;
    expect([flat.encoding, flat.nIn, flat.nOut, Array.from(flat.y)]).toEqual(["regression", 1, 1, [0.5, 2]]);
    const rows = parseDatasetJSON({ x: [[0, 0], [1, 1]], y: [[1, 2], [3, 4]] });
    expect([rows.data.encoding, rows.data.nOut, rows.columns]).toEqual(["regression", 2, ["x1", "x2", "y1", "y2"]]);
    expect(parseDatasetJSON({ x: [[0, 0], [1, 1]], y: [[0], [1]] }).data.encoding).toBe("regression");
    expect(parseDatasetJSON({ x: [[0, 0], [1, 1]], y: [1, 0] }, { kind: "regression" }).data.encoding).toBe("regression");
    const column = parseDatasetJSON({ x: [[0, 0], [1, 1]], y: [[0], [1]] }, { kind: "classification" }).data;
    expect([column.classes, Array.from(column.labels!)]).toEqual([2, [0, 1]]);
  });

  it("reports every bad value by its JSON path, the first as the error's field", () => {
    const text = `{
  "x": [[0, 1], [1, 2, 3], ["a", 1], [2, 1e999], [1, 1], [0, 0]],
  "y": [[1, 0], [0, 1], [1, 0], [0, 1], [1, 1], [0.5, 0.5]]
}`;
    const e = thrown(() => parseDatasetJSON(text));
    expect([e.code, e.field]).toEqual(["invalid-data", "x[1]"]);
    expect(e.message).toContain("5 problems");
    expect(e.message).toContain("x[1]: has 3 values, expected 2");
    expect(e.message).toContain('x[2][0]: must be a finite number, got "a"');
    expect(e.message).toContain("x[3][1]: must be a finite number, got Infinity");
    expect(e.message).toContain("y[4]: must be one-hot (one 1, the rest 0), got [1, 1]");
    expect(e.message).toContain("y[5]: must be one-hot (one 1, the rest 0), got [0.5, 0.5]");
  });

  it("rejects negative or fractional class labels and labels beyond classes", () => {
    const e = thrown(() => parseDatasetJSON({ x: [[0, 0], [1, 1], [2, 2]], y: [1, -1, 1] }));
    expect(e.field).toBe("y[1]");
    expect(e.message).toContain("±1");
    expect(thrown(() => parseDatasetJSON({ x: [[0, 0]], y: [0.5] }, { kind: "classification" })).field).toBe("y[0]");
    expect(thrown(() => parseDatasetJSON({ x: [[0, 0], [1, 1]], y: [0, 3] }, { classes: 3 })).field).toBe("y[1]");
    expect(thrown(() => parseDatasetJSON({ x: [[0, 0]], y: [[0, 1]] }, { classes: 3 })).field).toBe("y");
  });

  it("rejects a wrong shape: no object, no rows, rows that do not pair up", () => {
    expect(thrown(() => parseDatasetJSON("[1, 2]")).field).toBe("$");
    expect(thrown(() => parseDatasetJSON({ y: [1] })).field).toBe("x");
    expect(thrown(() => parseDatasetJSON({ x: [], y: [] })).field).toBe("x");
    expect(thrown(() => parseDatasetJSON({ x: [[1, 2]], y: "0" })).field).toBe("y");
    expect(thrown(() => parseDatasetJSON({ x: [[1, 2], [3, 4]], y: [0] })).field).toBe("y");
    expect(thrown(() => parseDatasetJSON({ x: [1, 2], y: [0, 1] })).field).toBe("x[0]");
    expect(thrown(() => parseDatasetJSON({ x: [[1, 2], [3, 4]], y: [0, [1]] })).field).toBe("y[1]");
    expect(thrown(() => parseDatasetJSON({ x: [[1, NaN]], y: [0] })).field).toBe("x[0][1]");
  });

  it("locates a syntax error by line and column on every engine", () => {
    const e = thrown(() => parseDatasetJSON('{\n  "x": [[1, 2],, [3, 4]],\n  "y": [0, 1]\n}'));
    expect([e.code, e.line, e.column]).toEqual(["invalid-data", 2, 16]);
    expect(e.message).toContain("line 2, column 16");
    expect([thrown(() => parseDatasetJSON('{"x": [[1, 2]], "y": [0]} x')).column]).toEqual([27]);
    expect(thrown(() => parseDatasetJSON('{"x": [[1, 2]],\n"y": [tru]}')).line).toBe(2);
    expect(thrown(() => parseDatasetJSON("")).line).toBe(1);
    expect(thrown(() => parseDatasetJSON("[".repeat(1_000_000))).code).toBe("invalid-data");
  });

  it("lists at most ten problems and counts the rest", () => {
    const x = Array.from({ length: 25 }, () => [0, "?"]);
    const e = thrown(() => parseDatasetJSON({ x, y: new Array(25).fill(0) }));
    expect(e.message).toContain("25 problems");
    expect(e.message).toContain("… and 15 more");
    expect(e.message.split("\n")).toHaveLength(12);
  });

  it("checks its options", () => {
    expect(thrown(() => parseDatasetJSON({ x: [[0]], y: [0] }, { kind: "ordinal" as "regression" })).field).toBe("kind");
    expect(thrown(() => parseDatasetJSON({ x: [[0]], y: [0] }, { classes: 1 })).field).toBe("classes");
    expect(thrown(() => parseDatasetJSON({ x: [[0]], y: [0] }, { encoding: "hot" as "one-hot" })).field).toBe("encoding");
  });
});

describe("parseDatasetCSV", () => {
  it("reads x1,x2,label under a header, keeping the header names", () => {
    const { data, columns } = parseDatasetCSV("x1,x2,label\n0.5,-1,1\n2,3e-2,0\n-.5,+4,2\n");
    expect([data.n, data.nIn, data.classes, data.nOut]).toEqual([3, 2, 3, 3]);
    expect(Array.from(data.x)).toEqual([0.5, -1, 2, 0.03, -0.5, 4]);
    expect(Array.from(data.labels!)).toEqual([1, 0, 2]);
    expect(columns).toEqual(["x1", "x2", "label"]);
  });

  it("takes every column but the last as an input", () => {
    const { data, columns } = parseDatasetCSV("age, height ,weight,class\n30,1.8,80,1\n40,1.6,60,0");
    expect([data.nIn, columns]).toEqual([3, ["age", "height", "weight", "class"]]);
    expect(Array.from(data.x)).toEqual([30, 1.8, 80, 40, 1.6, 60]);
  });

  it("reads regression targets when a label is fractional or kind says so", () => {
    const frac = parseDatasetCSV("a,b,t\n1,2,0.25\n3,4,1\n").data;
    expect([frac.encoding, Array.from(frac.y)]).toEqual(["regression", [0.25, 1]]);
    expect(parseDatasetCSV("a,b,t\n1,2,3\n", { kind: "regression" }).data.encoding).toBe("regression");
  });

  it("accepts CRLF, a BOM, blank lines, quoted names, ; or tab separators with decimal commas, and no header", () => {
    const crlf = parseDatasetCSV('\uFEFF"x, one","say ""x2""",label\r\n1,2,0\r\n\r\n3,4,1\r\n\r\n');
    expect(crlf.columns).toEqual(["x, one", 'say "x2"', "label"]);
    expect(crlf.data.n).toBe(2);
    const semi = parseDatasetCSV("x1;x2;label\n1,5;-2,25;1\n3;4;0\n");
    expect(Array.from(semi.data.x)).toEqual([1.5, -2.25, 3, 4]);
    const tab = parseDatasetCSV("x1\tx2\tlabel\n1.5\t2\t1\n");
    expect(Array.from(tab.data.x)).toEqual([1.5, 2]);
    const bare = parseDatasetCSV("1,2,0\n3,4,1\n");
    expect([bare.data.n, bare.columns]).toEqual([2, ["x1", "x2", "label"]]);
  });

  it("reports every bad cell with its line and column, the first as the error's location", () => {
    const text = ["x1,x2,label", "0,0,0", "1,2", "1,abc,1", "NaN,1,0", "", "2,2,-1", "1,1,1,1", "3,,0", "1e999,0,1", "4,4,1.5"].join("\n");
    const e = thrown(() => parseDatasetCSV(text, { kind: "classification" }));
    expect([e.code, e.line, e.column]).toEqual(["invalid-data", 3, 3]);
    expect(e.field).toBe("label");
    for (const where of [
      "line 3, column 3 (label): has 2 columns, the header has 3",
      'line 4, column 2 (x2): "abc" is not a number',
      "line 5, column 1 (x1): NaN is not a finite number",
      "line 7, column 3 (label): class label must be an integer >= 0, got -1",
      "line 8, column 4: has 4 columns, the header has 3",
      "line 9, column 2 (x2): is empty",
      "line 10, column 1 (x1): 1e999 is too large for a float64",
      "line 11, column 3 (label): class label must be an integer >= 0, got 1.5",
    ]) {
      expect(e.message).toContain(where);
    }
    expect(e.message).toContain("8 problems");
  });

  it("rejects empty input, a lone header, one column, bad header names and broken quotes", () => {
    expect(thrown(() => parseDatasetCSV("")).line).toBe(1);
    expect(thrown(() => parseDatasetCSV("\n\n  \n")).code).toBe("invalid-data");
    const lone = thrown(() => parseDatasetCSV("x1,x2,label\n"));
    expect([lone.line, lone.message]).toEqual([2, expect.stringContaining("no data rows")]);
    expect(thrown(() => parseDatasetCSV("label\n1\n2\n")).message).toContain("at least one input column");
    const dup = thrown(() => parseDatasetCSV("x,x,label\n1,2,0\n"));
    expect([dup.line, dup.column, dup.message]).toEqual([1, 2, expect.stringContaining("repeats column 1")]);
    expect(thrown(() => parseDatasetCSV("x1,,label\n1,2,0\n")).column).toBe(2);
    const quote = thrown(() => parseDatasetCSV('x1,x2,label\n"1,2,0\n'));
    expect([quote.line, quote.message]).toEqual([2, expect.stringContaining("unclosed quote")]);
    expect(thrown(() => parseDatasetCSV(42 as unknown as string)).code).toBe("invalid-argument");
  });
});
