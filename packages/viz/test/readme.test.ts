import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { readmeExample } from "../examples/readme-example.js";

it("README.md shows exactly what its example prints", () => {
  const lines: string[] = [];
  readmeExample((line) => lines.push(line));
  const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
  const block = /```text\n([\s\S]*?)```/.exec(readme);
  expect(block, "README.md needs a ```text block with the example's output").not.toBeNull();
  expect(lines.join("\n")).toBe(block![1]!.trimEnd());
});

it("the example's grid agrees with predict at the top-left cell", () => {
  const lines: string[] = [];
  readmeExample((line) => lines.push(line));
  const m = /p\(class 1\) = ([\d.]+) \(predict: ([\d.]+)\)/.exec(lines.join("\n"));
  expect(m).not.toBeNull();
  expect(m![1]).toBe(m![2]);
});
