// The two measuring commands the README prints, run exactly as printed from
// the repository root. Only what does not depend on the machine's speed is
// asserted: the table's rows and the verdicts on statuses and memory (CPU
// ratios and the probe's latency are printed, never asserted: see README).
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const ROUTES = ["/v1/train", "/v1/train/stream", "/v1/predict", "/v1/boundary", "/v1/gradient-check", "/v1/explain", "/v1/evaluate"];

function run(command: string) {
  expect(readme).toContain(`\`${command}\``);
  const [bin, ...args] = command.split(" ");
  return spawnSync(bin!, args, { cwd: root, encoding: "utf8", timeout: 600_000 });
}

it("`pnpm --filter @backprop-lab/api calibrate` prints every route's heaviest request with its estimate and measurement, on Node and in workerd", () => {
  const r = run("pnpm --filter @backprop-lab/api calibrate");
  expect(r.status, r.stderr).toBe(0);
  const [node, workerd] = r.stdout.split(/^workerd /m);
  expect(workerd, "the workerd table").toBeDefined();
  // every request answered 200 (the script prints the status and the problem of any other answer)
  expect(r.stdout).not.toMatch(/ answered \d+: /);
  const rows = node!.split("\n").filter((l) => l.startsWith("/v1/"));
  const inWorkerd = workerd!.split("\n").filter((l) => l.startsWith("/v1/"));
  expect([...new Set(rows.map((l) => l.split(/\s+/)[0]))].sort()).toEqual(ROUTES.filter((x) => x !== "/v1/evaluate").sort());
  expect(inWorkerd.map((l) => l.split(/\s+/)[0])).toEqual(rows.map((l) => l.split(/\s+/)[0]));
  for (const row of inWorkerd) expect(row).toMatch(/ (yes|NO)$/);
  for (const row of rows) {
    // est CPU s, meas CPU s, ratio, est resp MB, meas resp MB, heap MB: six numbers at the end of the row
    const numbers = row.trim().split(/\s+/).slice(-6).map(Number);
    expect(numbers.every((x) => Number.isFinite(x) && x >= 0), row).toBe(true);
    // the estimate is within the budget (1 s) and the answer within maxResponseBytes (8 MB): the heaviest *allowed* request
    expect(numbers[0]!, row).toBeLessThanOrEqual(1);
    expect(numbers[3]!, row).toBeLessThanOrEqual(8.4);
  }
}, 600_000);

it("`pnpm --filter @backprop-lab/api load` answers every request 200/429/503/504 within the memory ceiling", () => {
  const r = run("pnpm --filter @backprop-lab/api load");
  // exit 1 only for a missed latency target, which depends on the machine's load; the other verdicts must pass
  expect([0, 1], r.stderr).toContain(r.status);
  const out = r.stdout;
  for (const route of ROUTES) expect(out).toMatch(new RegExp(`^${route.replace(/\//g, "\\/")}\\s`, "m"));
  expect(out).toMatch(/^PASS every answer 200\/429\/503\/504 and every probe answered$/m);
  expect(out).toMatch(/^PASS peak memory \d+ MB under the ceiling \d+ MB/m);
  expect(out).toMatch(/^(PASS|FAIL) probe p99 [\d.]+ ms under the 100 ms target$/m);
  if (r.status === 1) expect(out).toMatch(/^FAIL probe p99/m);
}, 600_000);

