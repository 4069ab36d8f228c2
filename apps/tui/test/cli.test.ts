import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createTrainingRun, mlpFromJSON, normalizeRunDocument, PRESETS, type RunDocument, type RunDocumentInput } from "@backprop-lab/core";
import { describe, expect, it } from "vitest";
import { formatNumber, formatPercent } from "../src/format.js";
import type { ReportRecord, SummaryRecord } from "../src/headless.js";
import { expectClose } from "@backprop-lab/test-utils";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const cli = join(root, "dist", "cli.js");
const dir = mkdtempSync(join(tmpdir(), "bp-cli-"));
/** The default preset's run document, straight from core's preset (not through the app). */
const defaultDocument = (): RunDocument => structuredClone(PRESETS.find((p) => p.id === "course-2-3-2-bias")!.document);

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
        ["type", "step", "loss", "dataLoss", "regLoss", "gradNorm", "clippedNorm", "learningRate", "batchSize", "clipped", "finite", "nonFinite", "skipped", "epoch", "rollback", "evaluation", "clipCount", "findings"].sort(),
      );
      expect(Array.isArray(r.findings)).toBe(true);
    }
    // the same steps straight from the library
    const ref = createTrainingRun(defaultDocument());
    const byStep = new Map<number, string>();
    for (let s = 1; s <= 120; s++) {
      const r = ref.step();
      if (s % 50 === 0 || s === 120) byStep.set(s, JSON.stringify(r));
    }
    for (const r of reports) {
      const { type: _t, findings: _f, ...report } = r;
      expect(JSON.stringify(report)).toBe(byStep.get(r.step));
    }
    expect(reports[0]!.evaluation!.train.accuracy).toBe(JSON.parse(byStep.get(50)!).evaluation.train.accuracy);
    const summary = records[3] as SummaryRecord;
    expect(summary).toMatchObject({ type: "summary", steps: 120, diverged: false, preset: "course-2-3-2-bias" });
    expect(summary.train.accuracy).toBe(ref.evaluate().train.accuracy);
    expect(summary.document).toEqual(defaultDocument());
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
    const ref = createTrainingRun(defaultDocument());
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
    const d = defaultDocument();
    const ref = createTrainingRun({ ...d, network: { hidden: [3], activation: "relu", output: "linear", bias: true }, training: { ...d.training, loss: "mse", learningRate: 50 } });
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
    const ref = createTrainingRun(defaultDocument());
    for (let s = 0; s < 30; s++) ref.step();
    expect(Array.from(net.params)).toEqual(Array.from(ref.net.params));
    const loaded = run(["--json", "--steps", "1", "--load", "model.json"]);
    const first = JSON.parse(loaded.out.split("\n")[0]!) as ReportRecord;
    expectClose(first.loss, ref.step().loss, 0);
  });
});

describe("a run document file (--config) is exactly the library's run", () => {
  // the cross-face check of the run document: SGD, momentum and Adam, each with a schedule, L2 and clipping on
  const documents: Record<string, RunDocumentInput> = {
    sgd: { training: { optimizer: "sgd", learningRate: 0.3, schedule: { kind: "step", every: 100, factor: 0.5 } } },
    momentum: { training: { optimizer: { kind: "momentum", momentum: 0.9, nesterov: true }, learningRate: 0.1, schedule: { kind: "exponential", decayRate: 0.5, decaySteps: 300 } } },
    adam: { training: { optimizer: { kind: "adam", beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }, learningRate: 0.02, schedule: { kind: "cosine", totalSteps: 1000, minLearningRate: 0.001 } } },
  };
  for (const [name, part] of Object.entries(documents)) {
    it(`${name}: the NDJSON reports at steps 1, 10, 100 and 1000 are the library's, bit for bit`, () => {
      const input: RunDocumentInput = {
        seed: 11,
        data: { source: "generated", name: "spiral", n: 300, noise: 0.1, testRatio: 0.2 },
        features: ["x1", "x2", "sinx1", "sinx2"],
        network: { hidden: [6, 6], activation: "tanh", output: "sigmoid", bias: true },
        training: { ...part.training, loss: "mse", regularization: { kind: "l2", lambda: 0.01 }, batchSize: 16, clipping: { maxNorm: 0.1 } },
        evaluation: { every: 10 },
      };
      writeFileSync(join(dir, `${name}.json`), JSON.stringify(input));
      const { code, out } = run(["--config", `${name}.json`, "--json", "--steps", "1000", "--every", "1"]);
      expect(code).toBe(0);
      const lines = out.trimEnd().split("\n").map((l) => JSON.parse(l) as ReportRecord | SummaryRecord);
      const reports = new Map(lines.filter((r): r is ReportRecord => r.type === "report").map((r) => [r.step, r]));
      const lib = createTrainingRun(input);
      let clips = 0;
      for (let s = 1; s <= 1000; s++) {
        const r = lib.step();
        if (r.clipped) clips++;
        if (![1, 10, 100, 1000].includes(s)) continue;
        const { type, findings: _f, ...report } = reports.get(s)!;
        expect(type).toBe("report");
        // losses, accuracies (the evaluation), penalty, gradient norm before and after clipping, learning rate: every bit
        expect(JSON.stringify(report), `${name} step ${s}`).toBe(JSON.stringify(r));
        // the run's own count, checked against one made here from its clipped flags
        expect(report.clipCount).toBe(clips);
      }
      expect(clips).toBeGreaterThan(0);
      expect(reports.get(10)!.evaluation).not.toBeNull();
      const summary = lines.at(-1) as SummaryRecord;
      expect(summary.document).toEqual(normalizeRunDocument(input));
    });
  }

  it("rejects an unknown key with the nearest known one, and a value out of range with its range, at its line and column", () => {
    writeFileSync(join(dir, "typo.json"), '{\n  "seed": 1,\n  "training": { "learningrate": 2 }\n}\n');
    const typo = run(["--config", "typo.json", "--json"]);
    expect(typo.code).toBe(2);
    expect(typo.err).toBe(
      'error: typo.json:3:33: unknown key "learningrate" in training; did you mean "learningRate"? (known keys: loss, optimizer, learningRate, schedule, regularization, batchSize, shuffle, clipping, guard)\n',
    );
    writeFileSync(join(dir, "range.json"), '{ "training": { "optimizer": { "kind": "adam", "epsilon": 0 } } }');
    expect(run(["--config", "range.json", "--json"]).err).toBe("error: range.json:1:59: training.optimizer.epsilon must be a number in (0, 1], got 0\n");
    expect(run(["--config", "range.json", "--preset", "course-2-50-2"]).code).toBe(2);
    // inline rows the run refuses: the message names the file, not a flag
    writeFileSync(join(dir, "rows.json"), JSON.stringify({ data: { source: "inline", x: [[0, 1], [1, "a"]], y: [0, 1] } }));
    expect(run(["--config", "rows.json", "--json"]).err).toBe('error: rows.json: data set JSON has 1 problem:\n  x[1][1]: must be a finite number, got "a"\n');
  });

  it("inline rows in the document (which no flag can hold) run exactly as in the library", () => {
    const x = Array.from({ length: 40 }, (_, i) => [Math.cos(i), Math.sin(1.7 * i)]);
    const input: RunDocumentInput = {
      data: { source: "inline", x, y: x.map(([a, b]) => (a! * b! > 0 ? 1 : 0)), trainRows: 30 },
      network: { hidden: [4], activation: "tanh", output: "sigmoid", bias: true },
      training: { optimizer: "momentum", learningRate: 0.5, batchSize: 8 },
      evaluation: { every: 5 },
    };
    writeFileSync(join(dir, "inline.json"), JSON.stringify(input));
    const { code, out } = run(["--config", "inline.json", "--json", "--steps", "20", "--every", "20"]);
    expect(code).toBe(0);
    const { type: _t, findings: _f, ...report } = JSON.parse(out.split("\n")[0]!) as ReportRecord;
    const lib = createTrainingRun(input);
    for (let s = 1; s < 20; s++) lib.step();
    expect(JSON.stringify(report)).toBe(JSON.stringify(lib.step()));
    expect(report.evaluation!.test!.n).toBe(10);
  });
});
