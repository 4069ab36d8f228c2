import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTrainingRun, mlpToJSON, normalizeRunDocument, type RunDocument } from "@backprop-lab/core";
import { describe, expect, it } from "vitest";
import { UsageError } from "./files.js";
import { DEFAULT_HEADLESS_STEPS, parseCli, type CliContext, type CliOptions } from "./flags.js";
import { DEFAULT_PRESET, findPreset } from "./presets.js";

const presetDocument = (id: string): RunDocument => structuredClone(findPreset(id)!.document);

const dir = mkdtempSync(join(tmpdir(), "bp-flags-"));
const ctx = (over: Partial<CliContext> = {}): CliContext => ({ env: {}, cwd: dir, isTTY: true, version: "0.1.0", ...over });

function parse(args: string[], over: Partial<CliContext> = {}): CliOptions {
  const r = parseCli(args, ctx(over));
  if (r.kind !== "run") throw new Error("expected a run");
  return r.options;
}

function usage(args: string[], over: Partial<CliContext> = {}): UsageError {
  try {
    parseCli(args, ctx(over));
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error(`no error for ${args.join(" ")}`);
}

describe("flags → run document", () => {
  it("opens the course's 2-3-2 network with biases by default, as a dashboard in a terminal and NDJSON without one", () => {
    const o = parse([]);
    expect(o.presetId).toBe(DEFAULT_PRESET);
    expect(o.document).toEqual(presetDocument(DEFAULT_PRESET));
    expect(o.document.network).toEqual({ hidden: [3], activation: "sigmoid", output: "sigmoid", bias: true });
    expect(o.mode).toBe("tui");
    expect(o.totalSteps).toBeNull();
    const piped = parse([], { isTTY: false });
    expect(piped.mode).toBe("json");
    expect(piped.totalSteps).toBe(DEFAULT_HEADLESS_STEPS);
    expect(parse(["--plain", "--steps", "500"]).mode).toBe("plain");
  });

  it("maps every setting onto the run document, so the same settings give the same run as the library and the API", () => {
    const o = parse([
      ...["--dataset", "spiral", "--points", "200", "--noise", "0.1", "--test-ratio", "0.3", "--features", "x1,x2,x1x2"],
      ...["--hidden", "8,8", "--activation", "tanh", "--output", "tanh", "--init", "he", "--loss", "mse", "--optimizer", "adam"],
      ...["--lr", "0.01", "--schedule", "exponential:decayRate=0.5,decaySteps=100", "--batch", "10", "--reg", "l1", "--lambda", "0.002"],
      ...["--seed", "7", "--clip", "2", "--steps", "40", "--every", "8"],
    ]);
    const expected = normalizeRunDocument({
      seed: 7,
      data: { source: "generated", name: "spiral", n: 200, noise: 0.1, testRatio: 0.3 },
      features: ["x1", "x2", "x1x2"],
      network: { hidden: [8, 8], activation: "tanh", output: "tanh", bias: true },
      init: { scheme: "he" },
      training: {
        loss: "mse",
        optimizer: { kind: "adam" },
        learningRate: 0.01,
        schedule: { kind: "exponential", decayRate: 0.5, decaySteps: 100 },
        regularization: { kind: "l1", lambda: 0.002 },
        batchSize: 10,
        clipping: { maxNorm: 2 },
      },
    });
    expect(o.document).toEqual(expected);
    expect(o).toMatchObject({ totalSteps: 40, every: 8, presetId: null });
    // the same document gives bit-identical runs
    const a = createTrainingRun(o.document);
    const b = createTrainingRun(expected);
    for (let i = 0; i < 5; i++) expect(a.step().loss).toBe(b.step().loss);
    expect(Array.from(a.net.params)).toEqual(Array.from(b.net.params));
  });

  it("takes presets, --no-bias and --batch full", () => {
    expect(parse(["--preset", "course-2-50-2", "--batch", "full"]).presetId).toBe("course-2-50-2");
    const o = parse(["--preset", "course-2-50-2", "--bias", "--batch", "full"]);
    expect(o.presetId).toBeNull();
    expect(o.document.network.hidden).toEqual([50]);
    expect(o.document.network.bias).toBe(true);
    expect(parse(["--preset", "course-2-4-2-bias", "--no-bias"]).document.network.bias).toBe(false);
    expect(o.document.training.batchSize).toBe("full");
    expect(parse(["--preset", "playground-xor"]).document.data).toEqual({ source: "generated", name: "xor", n: 500, noise: 0, testRatio: 0.5, encoding: "signed" });
  });

  it("names the flag in every mistake", () => {
    expect(usage(["--lr", "abc"]).message).toBe("--lr must be a number, got abc");
    expect(usage(["--lr", "abc"]).flag).toBe("--lr");
    expect(usage(["--lr", "-1"]).flag).toBe("--lr");
    expect(usage(["--hidden", "8,x"]).message).toContain("--hidden");
    expect(usage(["--activation", "swish"]).message).toBe('--activation: network.activation must be one of sigmoid, tanh, relu, leaky-relu, linear, got "swish"');
    expect(usage(["--frobnicate"]).message).toBe("unknown option --frobnicate");
    expect(usage(["--lrr", "1"]).message).toContain("(did you mean --lr?)");
    expect(usage(["--seed"]).message).toBe("option --seed needs a value");
    expect(usage(["--preset", "nope"]).flag).toBe("--preset");
    expect(usage(["--dataset", "nope"]).flag).toBe("--dataset");
    expect(usage(["--lambda", "0.1"]).message).toBe("--lambda needs --reg l1 or --reg l2");
    expect(usage(["--noise", "0.9"]).message).toBe("--noise: data.noise must be a number in [0, 0.5], got 0.9");
    expect(usage(["--loss", "binary-cross-entropy", "--output", "tanh"]).flag).toBe("--loss");
    expect(usage(["--json", "--plain"]).flag).toBe("--plain");
  });

  it("takes the `--` pnpm 10 passes through (`pnpm start -- --preset course-2-50-2`)", () => {
    expect(parse(["--", "--preset", "course-2-50-2"]).presetId).toBe("course-2-50-2");
    expect(parse(["--", "--preset", "course-2-50-2"]).document).toEqual(parse(["--preset", "course-2-50-2"]).document);
    expect(parseCli(["--", "--help"], ctx()).kind).toBe("print");
    expect(usage(["--", "--lr", "abc", "--lang", "es"]).message).toBe("--lr debe ser un número, no abc");
  });

  it("says the range a value is out of, and checks every flag before reading any file", () => {
    expect(usage(["--clip", "-1"]).message).toBe("--clip: training.clipping.maxNorm must be a number in (0, 1000000], got -1");
    expect(usage(["--clip", "x", "--lang", "es"]).message).toBe("--clip debe ser un número, no x");
    expect(usage(["--clip", "x"]).message).toBe("--clip must be a number, got x");
    expect(usage(["--lr", "-1"]).message).toBe("--lr: training.learningRate must be a number in (0, 1000], got -1");
    expect(usage(["--steps", "0"]).message).toBe("--steps must be an integer ≥ 1, got 0");
    // the data file does not exist, but the bad --steps is what is reported: nothing was read
    expect(usage(["--dataset", "missing.csv", "--steps", "-5"]).flag).toBe("--steps");
  });

  it("checks the --save path before any training", () => {
    expect(usage(["--save", "no-such-folder/model.json"]).message).toBe(
      `--save no-such-folder/model.json: the folder ${join(dir, "no-such-folder")} does not exist`,
    );
    expect(usage(["--save", "."]).message).toBe("--save .: cannot write there (EISDIR)");
    expect(usage(["--save", "no-such-folder/m.json", "--lang", "es"]).message).toContain("no existe");
    expect(parse(["--save", "fine.json"]).save).toEqual({ path: join(dir, "fine.json"), display: "fine.json" });
  });

  it("reports flags that --load overrides instead of ignoring them", () => {
    const run = createTrainingRun(presetDocument(DEFAULT_PRESET));
    writeFileSync(join(dir, "shape.json"), JSON.stringify(mlpToJSON(run.net)));
    expect(usage(["--load", "shape.json", "--hidden", "8"]).message).toBe(
      "--load fixes the network (its layers, activations and biases come from the file), so --hidden cannot be used with it",
    );
    expect(usage(["--load", "shape.json", "--activation", "tanh", "--no-bias"]).message).toContain("so --activation, --no-bias cannot");
    expect(usage(["--load", "shape.json", "--hidden", "8"]).flag).toBe("--load");
    expect(parse(["--load", "shape.json", "--lr", "0.5"]).document.training.learningRate).toBe(0.5);
  });

  it("speaks Spanish with --lang es or LANG=es_*", () => {
    expect(usage(["--lr", "abc", "--lang", "es"]).message).toBe("--lr debe ser un número, no abc");
    expect(usage(["--frobnicate"], { env: { LANG: "es_ES.UTF-8" } }).message).toBe("opción desconocida --frobnicate");
    const help = parseCli(["--help", "--lang", "es"], ctx());
    expect(help.kind).toBe("print");
    const text = help.kind === "print" ? help.text : "";
    expect(text).toContain("Uso: backprop-lab [opciones]");
    expect(text).toContain("Opciones:");
    expect(text).toContain("tasa de aprendizaje");
    expect(text).toContain("course-2-3-2-bias");
    const en = parseCli(["--help"], ctx({ env: { LANG: "en_US.UTF-8" } }));
    expect(en.kind === "print" && en.text).toContain("Usage: backprop-lab [options]");
  });
});

describe("files", () => {
  it("reads a CSV data set and reports a bad cell with its line and column", () => {
    writeFileSync(join(dir, "good.csv"), "x1,x2,label\n0.5,-1,1\n2,3,0\n-1,-2,1\n1,1,0\n");
    const o = parse(["--dataset", "good.csv"]);
    expect(o.document.data).toMatchObject({ source: "inline", x: [[0.5, -1], [2, 3], [-1, -2], [1, 1]], y: [1, 0, 1, 0] });
    writeFileSync(join(dir, "bad.csv"), "x1,x2,label\n0.5,-1,1\n2,oops,0\n");
    const e = usage(["--dataset", "bad.csv"]);
    expect(e).toMatchObject({ file: "bad.csv", line: 3, column: 2 });
    expect(e.message).toMatch(/^bad\.csv:3:2: /);
  });

  it("locates JSON syntax errors and bad values in data sets and models", () => {
    writeFileSync(join(dir, "broken.json"), '{\n  "x": [[0, 1],\n         [1 1]],\n  "y": [0, 1]\n}\n');
    expect(usage(["--dataset", "broken.json"])).toMatchObject({ file: "broken.json", line: 3, column: 13 });
    writeFileSync(join(dir, "nan.json"), '{\n  "x": [[0, 1], [1, "a"]],\n  "y": [0, 1]\n}\n');
    expect(usage(["--dataset", "nan.json"])).toMatchObject({ line: 2, column: 21 });

    const run = createTrainingRun(presetDocument(DEFAULT_PRESET));
    const model = mlpToJSON(run.net);
    const text = JSON.stringify(model, null, 2).replace(String(model.weights[1]![2]![1]), '"x"');
    writeFileSync(join(dir, "model.json"), text);
    const e = usage(["--load", "model.json"]);
    const line = text.split("\n").findIndex((l) => l.includes('"x"')) + 1;
    expect(e).toMatchObject({ file: "model.json", line, column: text.split("\n")[line - 1]!.indexOf('"x"') + 1 });
    expect(e.message).toContain("weights[1][2][1]");
  });

  it("loads a model: the network takes its shape and weights", () => {
    const run = createTrainingRun(presetDocument("course-2-50-2"));
    for (let i = 0; i < 3; i++) run.step();
    writeFileSync(join(dir, "trained.json"), JSON.stringify(mlpToJSON(run.net)));
    const o = parse(["--load", "trained.json"]);
    expect(o.document.network.hidden).toEqual([50]);
    expect(Array.from(o.model!.params)).toEqual(Array.from(run.net.params));
    expect(usage(["--load", "trained.json", "--features", "x1,x2,x1x2"]).message).toBe(
      "trained.json: the model has 2 inputs and 2 outputs, the data needs 3 and 2",
    );
    expect(usage(["--load", "missing.json"]).message).toBe("cannot read missing.json: ENOENT");
  });
});
