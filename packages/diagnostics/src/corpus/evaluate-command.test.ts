import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
const section = readme.slice(readme.indexOf("## Measured on a labelled corpus"));

describe("the README's evaluation", () => {
  // all 240 runs and every fix replay: about 15 s of one core, longer on a busy machine
  it("runs the command as printed, and prints the README's table", { timeout: 900_000 }, () => {
    const command = section.match(/`(pnpm --filter @backprop-lab\/diagnostics evaluate)`/)![1]!;
    const [bin, ...args] = command.split(" ");
    const result = spawnSync(bin!, args, { encoding: "utf8", cwd: new URL("../..", import.meta.url).pathname });
    expect(result.status, result.stderr).toBe(0);
    const printed = result.stdout.slice(result.stdout.indexOf("240 runs")).trimEnd();
    const table = section.match(/```text\n([\s\S]*?)\n```/)![1]!;
    expect(printed).toBe(table);
    // the targets the README claims
    expect(printed).toMatch(/healthy runs: \d+; with an error: 0; /);
    expect(printed).toMatch(/non-finite runs: (\d+); caught at the step it happened: \1\n/);
  });
});
