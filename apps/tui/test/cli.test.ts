import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRun, mlpFromJSON, presetConfig } from "@backprop-lab/core";
import { describe, expect, it } from "vitest";
import { formatNumber, formatPercent } from "../src/format.js";
import type { ReportRecord, SummaryRecord } from "../src/headless.js";
import { expectClose } from "@backprop-lab/test-utils";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const cli = join(root, "dist", "cli.js");
const dir = mkdtempSync(join(tmpdir(), "bp-cli-"));

function run(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: dir, encoding: "utf8", env: { ...process.env, INIT_CWD: dir, ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe("NDJSON contract", () => {
  it("prints one JSON object per report interval and a summary, with core's numbers", () => {
    const { code, out } = run(["--json", "--steps", "120", "--every", "50"]);
    expect(code).toBe(0);
    const lines = out.trimEnd().split("\n");
    const records = lines.map((l) => JSON.parse(l) as ReportRecord | SummaryRecord);
    expect(records.map((r) => r.type)).toEqual(["report", "report", "report", "summary"]);
    const reports = records.slice(0, 3) as ReportRecord[];
    expect(reports.map((r) => r.step)).toEqual([50, 100, 120]);
    for (const r of reports) {
      expect(Object.keys(r).sort()).toEqual(
        ["type", "step", "loss", "dataLoss", "regLoss", "gradNorm", "learningRate", "clipped", "finite", "trainLoss", "trainAccuracy", "testLoss", "testAccuracy", "findings"].sort(),
      );
      expect(Array.isArray(r.findings)).toBe(true);
    }
    // the same steps straight from core
    const ref = createRun(presetConfig("course-2-3-2-bias"));
    const byStep = new Map<number, { loss: number; dataLoss: number; gradNorm: number; acc: number }>();
    for (let s = 1; s <= 120; s++) {
      const r = ref.step();
      if (s % 50 === 0 || s === 120) byStep.set(s, { loss: r.loss, dataLoss: r.dataLoss, gradNorm: r.gradNorm, acc: ref.evaluate().train.accuracy! });
    }
    for (const r of reports) {
      const e = byStep.get(r.step)!;
      expectClose(r.loss, e.loss, 0);
      expectClose(r.dataLoss, e.dataLoss, 0);
      expectClose(r.gradNorm, e.gradNorm, 0);
      expectClose(r.trainAccuracy!, e.acc, 0);
      expect(r.testAccuracy).toBeNull();
    }
    const summary = records[3] as SummaryRecord;
    expect(summary).toMatchObject({ type: "summary", steps: 120, diverged: false, preset: "course-2-3-2-bias", trainAccuracy: reports[2]!.trainAccuracy });
    expect(summary.config).toEqual(presetConfig("course-2-3-2-bias"));
  });

  it("writes NDJSON by default when stdout is a pipe, and stops quietly when the reader goes away", async () => {
    const child = spawn(process.execPath, [cli, "--steps", "1000000", "--every", "1"], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    const first = await new Promise<string>((resolve) => child.stdout.once("data", (d: Buffer) => resolve(d.toString())));
    expect(JSON.parse(first.split("\n")[0]!)).toMatchObject({ type: "report", step: 1 });
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
    expect(code).toBe(0);
  });

  it("prints readable lines with --plain, in Spanish with --lang es", () => {
    const ref = createRun(presetConfig("course-2-3-2-bias"));
    let last = ref.step();
    for (let s = 2; s <= 100; s++) last = ref.step();
    const acc = formatPercent(ref.evaluate().train.accuracy!);
    const en = run(["--plain", "--steps", "100", "--every", "100"]).out.split("\n");
    expect(en[0]).toBe(`step 100  loss ${formatNumber(last.loss)} (data ${formatNumber(last.dataLoss)} + penalty 0)  accuracy ${acc}  |grad| ${formatNumber(last.gradNorm)}`);
    expect(en[1]).toMatch(new RegExp(`^done: 100 steps in [0-9.]+ s, train accuracy ${acc.replace(".", "\\.")}$`));
    const es = run(["--plain", "--steps", "100", "--every", "100", "--lang", "es"]).out.split("\n");
    expect(es[0]).toBe(`paso 100  pérdida ${formatNumber(last.loss)} (datos ${formatNumber(last.dataLoss)} + penalización 0)  exactitud ${acc}  |grad| ${formatNumber(last.gradNorm)}`);
  });

  it("exits with code 2 and names the flag, or the file's line and column", () => {
    const bad = run(["--lr", "fast"]);
    expect(bad.code).toBe(2);
    expect(bad.err).toBe("error: --lr must be a number, got fast\n");
    expect(run(["--nope"]).code).toBe(2);
    writeFileSync(join(dir, "points.csv"), "x1,x2,label\n1,2,0\n3,4,1\n5,,0\n");
    const file = run(["--dataset", "points.csv", "--json"]);
    expect(file.code).toBe(2);
    expect(file.err).toMatch(/^error: points\.csv:4:2: /);
    const help = run(["--help"], { LANG: "es_ES.UTF-8" });
    expect(help.code).toBe(0);
    expect(help.out).toContain("Opciones:");
  });

  it("exits non-zero and says so when the run diverges, in plain lines and in JSON", () => {
    const args = ["--steps", "300", "--every", "100", "--activation", "relu", "--output", "linear", "--loss", "mse", "--lr", "50"];
    // the same run straight from core: the step at which the loss first turns non-finite
    const ref = createRun({ ...presetConfig("course-2-3-2-bias"), network: { hidden: [3], activation: "relu", output: "linear", bias: true }, training: { ...presetConfig("course-2-3-2-bias").training, loss: "mse", learningRate: 50 } });
    let at = 0;
    for (let s = 1; s <= 300 && at === 0; s++) if (!ref.step().finite) at = s;
    expect(at).toBeGreaterThan(0);
    const plain = run(["--plain", ...args]);
    expect(plain.code).toBe(1);
    expect(plain.out).toContain(`diverged: the loss turned non-finite at step ${at}`);
    expect(plain.out).not.toMatch(/^done:/m);
    const json = run(["--json", ...args]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.out.trimEnd().split("\n").at(-1)!)).toMatchObject({ type: "summary", diverged: true, steps: at });
    expect(json.err).toContain(`diverged: the loss turned non-finite at step ${at}`);
    expect(run(["--plain", "--lang", "es", ...args]).out).toContain(`divergió: la pérdida dejó de ser finita en el paso ${at}`);
  });

  it("saves the trained model, which --load starts from", () => {
    const saved = run(["--json", "--steps", "30", "--save", "model.json"]);
    expect(saved.code).toBe(0);
    const net = mlpFromJSON(readFileSync(join(dir, "model.json"), "utf8"));
    const ref = createRun(presetConfig("course-2-3-2-bias"));
    for (let s = 0; s < 30; s++) ref.step();
    expect(Array.from(net.params)).toEqual(Array.from(ref.net.params));
    const loaded = run(["--json", "--steps", "1", "--load", "model.json"]);
    const first = JSON.parse(loaded.out.split("\n")[0]!) as ReportRecord;
    expectClose(first.loss, ref.step().loss, 0);
  });
});
