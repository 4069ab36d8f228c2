import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { readReference } from "@backprop-lab/test-utils/reference";
import { describe, expect, it } from "vitest";
import { datasetInfo, makeDataset } from "./generators.js";

const reference = readReference("scratch-mlp-xor-run.json") as {
  dataset: { X: number[][]; label: number[]; bounding_box: { x0: number[]; x1: number[] } };
};

function counts(labels: ArrayLike<number>): number[] {
  const c = [0, 0];
  for (let i = 0; i < labels.length; i++) c[labels[i]!]!++;
  return c;
}

describe("course-xor", () => {
  it("holds the reference's 300 points bit for bit, in order", () => {
    const data = makeDataset("course-xor");
    expect(data.n).toBe(300);
    expect(data.nIn).toBe(2);
    expect(Array.from(data.x)).toEqual(reference.dataset.X.flat());
  });

  it("labels XOR(x1 > 0, x2 > 0): class 0 when both coordinates sit on the same side of 0", () => {
    const data = makeDataset("course-xor");
    expect(Array.from(data.labels!)).toEqual(reference.dataset.label);
    for (let i = 0; i < data.n; i++) {
      const same = data.x[2 * i]! > 0 === data.x[2 * i + 1]! > 0;
      expect(data.labels![i]).toBe(same ? 0 : 1);
    }
    expect(counts(data.labels!)).toEqual([158, 142]);
    expect(counts(data.labels!.subarray(0, 50))).toEqual([25, 25]);
  });

  it("encodes one-hot as the reference does: class 0 → [1, 0], class 1 → [0, 1]", () => {
    const data = makeDataset("course-xor");
    expect(data.nOut).toBe(2);
    for (let i = 0; i < data.n; i++) {
      const c = reference.dataset.label[i]!;
      expect([data.y[2 * i], data.y[2 * i + 1]]).toEqual(c === 0 ? [1, 0] : [0, 1]);
    }
    expect(Array.from(makeDataset("course-xor", { encoding: "signed" }).y.subarray(0, 4))).toEqual([-1, -1, 1, 1]);
  });

  it("takes the first n rows, caps n at 300 and ignores noise and seed", () => {
    const all = makeDataset("course-xor");
    const first = makeDataset("course-xor", { n: 50 });
    expect(first.n).toBe(50);
    expect(Array.from(first.x)).toEqual(Array.from(all.x.subarray(0, 100)));
    expect(makeDataset("course-xor", { n: 1000 }).n).toBe(300);
    expect(makeDataset("course-xor", { noise: 0.5, seed: 9 })).toEqual(all);
  });

  it("gives each caller its own copy", () => {
    const a = makeDataset("course-xor");
    a.x[0] = 99;
    a.labels![0] = 1;
    const b = makeDataset("course-xor");
    expect(b.x[0]).toBe(reference.dataset.X[0]![0]);
    expect(b.labels![0]).toBe(0);
  });

  it("reports the reference's bounding box as its domain", () => {
    const { domain, defaultN, classes, kind } = datasetInfo("course-xor");
    expect(domain).toEqual({ x1: reference.dataset.bounding_box.x0, x2: reference.dataset.bounding_box.x1 });
    expect({ defaultN, classes, kind }).toEqual({ defaultN: 300, classes: 2, kind: "classification" });
  });

  it("is what scripts/gen-course-xor.mjs makes from the reference (the committed file is fresh)", () => {
    const script = fileURLToPath(new URL("../../scripts/gen-course-xor.mjs", import.meta.url));
    const out = execFileSync(process.execPath, [script, "--check"], { encoding: "utf8" });
    expect(out).toContain("up to date");
  });
});
