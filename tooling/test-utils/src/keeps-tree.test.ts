import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

const script = fileURLToPath(new URL("../../scripts/keeps-tree.mjs", import.meta.url));
const dirs: string[] = [];

/** A scratch git repository with one committed file, a .gitignore for out/, and one uncommitted change. */
function scratchRepo(): string {
  const dir = mkdtempSync(join(tmpdir(), "keeps-tree-"));
  dirs.push(dir);
  const git = (...args: string[]) => expect(spawnSync("git", args, { cwd: dir }).status).toBe(0);
  git("init", "-q");
  writeFileSync(join(dir, "tracked.txt"), "one\n");
  writeFileSync(join(dir, ".gitignore"), "out/\n");
  git("add", ".");
  git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "start");
  writeFileSync(join(dir, "tracked.txt"), "one\ntwo, not committed\n");
  return dir;
}

function keepsTree(dir: string, js: string) {
  return spawnSync(process.execPath, [script, process.execPath, "-e", js], { cwd: dir, encoding: "utf8" });
}

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("keeps-tree (the root `pnpm test` wrapper)", () => {
  it("passes the command's exit code through when the tree is left as it was, ignored files aside", () => {
    const dir = scratchRepo();
    const ok = keepsTree(dir, "require('fs').mkdirSync('out'); require('fs').writeFileSync('out/a.png', 'x')");
    expect(ok.status).toBe(0);
    expect(keepsTree(dir, "process.exit(3)").status).toBe(3);
  });

  it("fails, naming the file, when the command rewrites a tracked file or leaves a new one", () => {
    const dir = scratchRepo();
    const rewrite = keepsTree(dir, "require('fs').writeFileSync('tracked.txt', 'rewritten\\n')");
    expect(rewrite.status).toBe(1);
    expect(rewrite.stderr).toContain("tracked.txt");
    const leftover = keepsTree(dir, "require('fs').writeFileSync('stray.log', 'x')");
    expect(leftover.status).toBe(1);
    expect(leftover.stderr).toContain("stray.log");
  });
});
