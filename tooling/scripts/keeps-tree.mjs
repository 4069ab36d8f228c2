#!/usr/bin/env node
// Runs a command and fails if it changed the git working tree: `pnpm test` is
// `node tooling/scripts/keeps-tree.mjs turbo run typecheck test`, so a test that rewrites a tracked
// file (a screenshot, a golden file) or leaves an untracked one behind fails the run by name.
// Ignored files (dist/, artifacts/, .turbo/) may change. Compares the tree before and after, so it
// also works on a tree that already has uncommitted changes. Outside a git checkout it only runs the command.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error("usage: keeps-tree.mjs <command> [args…]");
  process.exit(2);
}

function git(...gitArgs) {
  const r = spawnSync("git", gitArgs, { encoding: "utf8", maxBuffer: 64 << 20 });
  return r.status === 0 ? r.stdout : null;
}

const top = git("rev-parse", "--show-toplevel")?.trim() ?? null;

/** path → status and a hash of the file's bytes, for every changed or untracked (not ignored) path. */
function snapshot() {
  const out = git("-C", top, "status", "--porcelain=v1", "-z", "--untracked-files=all");
  if (out === null) throw new Error("keeps-tree: git status failed");
  const entries = new Map();
  const fields = out.split("\0").filter(Boolean);
  for (let i = 0; i < fields.length; i++) {
    const status = fields[i].slice(0, 2);
    const path = fields[i].slice(3);
    if (status[0] === "R" || status[0] === "C") i++; // the rename's source follows
    const file = join(top, path);
    let hash = "absent";
    if (existsSync(file) && statSync(file).isFile()) hash = createHash("sha256").update(readFileSync(file)).digest("hex");
    entries.set(path, `${status} ${hash}`);
  }
  return entries;
}

const before = top ? snapshot() : null;
const run = spawnSync(command, args, { stdio: "inherit", shell: process.platform === "win32" });
const status = run.status ?? 1;
if (before) {
  const after = snapshot();
  const changed = [...new Set([...before.keys(), ...after.keys()])].filter((p) => before.get(p) !== after.get(p)).sort();
  if (changed.length > 0) {
    console.error(`\nkeeps-tree: the run changed ${changed.length} file(s) git tracks or would add; a test run must leave the tree as it found it:`);
    const state = (entry) => (entry ? `git status ${entry.slice(0, 2).trim()}` : "unchanged from HEAD");
    for (const p of changed) console.error(`  ${p}: before the run ${state(before.get(p))}, after it ${state(after.get(p))}`);
    process.exit(status === 0 ? 1 : status);
  }
}
process.exit(status);
