import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// The commands tooling/reference/README.md prints, run from the repository root exactly as printed.
const root = fileURLToPath(new URL("../../../", import.meta.url));
const readme = readFileSync(new URL("../../reference/README.md", import.meta.url), "utf8");
const commands = [...readme.matchAll(/```sh\n([^`]*)```/g)].flatMap((m) => m[1]!.trim().split("\n"));
const numpy = spawnSync("python3", ["-c", "import numpy"], { encoding: "utf8" }).status === 0;
if (!numpy) process.stdout.write("reference programs skipped: python3 with numpy is not on this machine (the tests never need it)\n");

describe("tooling/reference's programs", () => {
  it("the README shows the two checks", () => {
    expect(commands).toEqual(["python3 tooling/reference/regen/worked_example.py", "python3 tooling/reference/regen/scratch_run.py --updates 2000"]);
  });

  for (const command of commands) {
    it.skipIf(!numpy)(`${command} agrees with the committed file`, () => {
      const [exe, ...args] = command.split(" ");
      const r = spawnSync(exe!, args, { cwd: root, encoding: "utf8" });
      expect(r.stderr + r.stdout).toMatch(/agree with numpy|within .* of numpy/);
      expect(r.status).toBe(0);
    }, 120_000); // python3 and numpy start slowly on a loaded machine
  }
});
