import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { formatCheckResult } from "./report.js";
import { setPython } from "./peers/numpy.js";
import { checkWorkload } from "./runner.js";
import { workloadA } from "./workloads/a-xor-2-3-2.js";

it("README.md shows exactly what its example prints", async () => {
  const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
  const block = /prints\n\n```text\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(block).toBeDefined();
  expect(readme).toContain("node dist/cli.js --check --only A --python none\n");
  setPython("none"); // as the example's --python none does
  const agreements = await checkWorkload(workloadA);
  expect(block).toBe(formatCheckResult(workloadA, agreements, agreements.skipped));
});
