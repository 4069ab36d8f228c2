import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const readme = readFileSync(join(root, "README.md"), "utf8");

/** The lines printed under `$ pnpm start -- <args>` in a README code block. */
function example(args: string): string[] {
  const start = readme.indexOf(`$ pnpm start -- ${args}\n`);
  expect(start, `README has no example for ${args}`).toBeGreaterThanOrEqual(0);
  const body = readme.slice(start).split("\n").slice(1);
  return body.slice(0, body.findIndex((l) => l.startsWith("```") || l.startsWith("$ ")));
}

const cli = (args: string[]) => spawnSync(process.execPath, [join(root, "dist", "cli.js"), ...args], { encoding: "utf8", cwd: root });

describe("README", () => {
  it("prints the plain example's numbers (all but the time)", () => {
    const r = cli(["--plain", "--steps", "1500", "--every", "500"]);
    expect(r.status).toBe(0);
    const time = (l: string) => l.replace(/in [0-9.]+ s/, "in … s");
    expect(r.stdout.trimEnd().split("\n").map(time)).toEqual(example("--plain --steps 1500 --every 500").map(time));
  });

  it("shows the real error messages", () => {
    expect(cli(["--lr", "fast"]).stderr.trimEnd().split("\n")).toEqual(example("--lr fast"));
  });
});
