// One run document, every face, the same bits (issue #12's proof).
//
// The same document goes through the library (core's createTrainingRun in
// this Node process), the terminal face's NDJSON mode (the README's command,
// `pnpm -s start -- --config <file> --json --every 1 --steps 1000`, from the
// repository root), the API as a real Node server (a child process) and as
// the deployed Worker bundle in workerd (wrangler's dry-run bundle run by
// Miniflare), and the web face's training worker in Chromium (its reports
// hook). At steps 1, 10, 100 and 1,000 every face must give the same losses,
// penalty, accuracies, gradient norm before and after clipping, learning rate
// and clip count, bit for bit; and the explanation of the next step after
// 1,000 (the library, both API runtimes and the web worker; the terminal shows
// it on screen only) must be the same to the last bit. The oracle for "the same
// bits" is the library in Node; the faces are independent code paths around
// it (flag and file parsing, HTTP bodies and JSON, structured clone, another
// JavaScript engine).
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createTrainingRun, parseRunDocument, type Explanation, type RunDocument, type RunDocumentInput } from "@backprop-lab/core";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startChildServer, type ChildServer } from "../../api/src/test/child-server.js";
import { startWorkerd, type WorkerdServer } from "../../api/src/test/workerd.js";
import { workerReports } from "../test-support/worker-reports.js";
import { launch, openPage, serveDist } from "./harness.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const STEPS = [1, 10, 100, 1000] as const;
const LAST = STEPS[STEPS.length - 1]!;

/** What every face reports of one step, as numbers (and the step). */
interface Row {
  step: number;
  loss: number;
  dataLoss: number;
  regLoss: number;
  gradNorm: number;
  clippedNorm: number;
  learningRate: number;
  clipped: boolean;
  clips: number;
  trainLoss: number;
  trainAccuracy: number | null;
  testLoss: number;
  testAccuracy: number | null;
}

const base: RunDocumentInput = {
  seed: 23,
  data: { source: "generated", name: "spiral", n: 160, noise: 0.1, testRatio: 0.25 },
  features: ["x1", "x2", "sinx1", "sinx2"],
  network: { hidden: [6, 4], activation: "tanh", output: "sigmoid", bias: true },
  training: {
    loss: "mse",
    learningRate: 0.05,
    schedule: { kind: "exponential", decayRate: 0.5, decaySteps: 400 },
    regularization: { kind: "l2", lambda: 0.003 },
    batchSize: 12,
    clipping: { maxNorm: 0.3 },
  },
  // an evaluation on every step: each face reports train and test scores at each asked step
  evaluation: { every: 1 },
};

const OPTIMIZERS = [
  ["sgd", { kind: "sgd" }],
  ["momentum", { kind: "momentum", momentum: 0.9, nesterov: true }],
  ["adam", { kind: "adam", beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }],
] as const;

const documents = OPTIMIZERS.map(([name, optimizer]) => [name, parseRunDocument({ ...base, training: { ...base.training, optimizer } })] as const);

/** The library: core's run in this process, the oracle. */
function library(doc: RunDocument): { rows: Row[]; explanation: Explanation } {
  const run = createTrainingRun(doc);
  const rows: Row[] = [];
  let clips = 0;
  for (let step = 1; step <= LAST; step++) {
    const r = run.step();
    if (r.clipped) clips++;
    if (!(STEPS as readonly number[]).includes(step)) continue;
    const e = r.evaluation!;
    rows.push({
      step: r.step,
      loss: r.loss,
      dataLoss: r.dataLoss,
      regLoss: r.regLoss,
      gradNorm: r.gradNorm,
      clippedNorm: r.clippedNorm,
      learningRate: r.learningRate,
      clipped: r.clipped,
      clips,
      trainLoss: e.train.loss,
      trainAccuracy: e.train.accuracy,
      testLoss: e.test!.loss,
      testAccuracy: e.test!.accuracy,
    });
  }
  return { rows, explanation: JSON.parse(JSON.stringify(run.explain())) as Explanation };
}

type Scores = { loss: number; accuracy: number | null };
type Flat = Omit<Row, "clips" | "trainLoss" | "trainAccuracy" | "testLoss" | "testAccuracy">;
const flat = (r: Flat) => ({
  step: r.step,
  loss: r.loss,
  dataLoss: r.dataLoss,
  regLoss: r.regLoss,
  gradNorm: r.gradNorm,
  clippedNorm: r.clippedNorm,
  learningRate: r.learningRate,
  clipped: r.clipped,
});

/** Hex of a double's bits, so a mismatch shows the last bit. */
function bits(x: unknown): unknown {
  if (typeof x === "number") {
    const v = new DataView(new ArrayBuffer(8));
    v.setFloat64(0, x);
    return v.getBigUint64(0).toString(16);
  }
  if (Array.isArray(x)) return x.map(bits);
  if (x && typeof x === "object") return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, bits(v)]));
  return x;
}

/** The terminal face: the README's NDJSON command with the document as a --config file. */
async function terminal(doc: RunDocument, dir: string): Promise<Row[]> {
  const file = join(dir, "run.json");
  writeFileSync(file, JSON.stringify(doc));
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn("pnpm", ["-s", "start", "--", "--config", file, "--json", "--every", "1", "--steps", String(LAST)], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("exit", (code) => (code === 0 ? resolve(stdout) : reject(new Error(`tui exited ${code}: ${stderr}`))));
  });
  const reports = out
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { type: string; step: number; clipCount: number; evaluation: { train: Scores; test: Scores | null } | null } & Flat)
    .filter((l) => l.type === "report" && (STEPS as readonly number[]).includes(l.step));
  return reports.map((r) => ({
    ...flat(r),
    clips: r.clipCount,
    trainLoss: r.evaluation!.train.loss,
    trainAccuracy: r.evaluation!.train.accuracy,
    testLoss: r.evaluation!.test!.loss,
    testAccuracy: r.evaluation!.test!.accuracy,
  }));
}

/** The API (any runtime): POST /v1/train with the document as its config, and /v1/explain after LAST steps. */
async function api(url: string, doc: RunDocument): Promise<{ rows: Row[]; explanation: Explanation }> {
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${text}`);
    return JSON.parse(text) as unknown;
  };
  const trained = (await post("/v1/train", { config: doc, steps: LAST, diagnostics: { gradientCheck: false } })) as {
    reports: ({ clips: number; train: Scores; test: Scores | null } & Flat)[];
  };
  const rows = trained.reports
    .filter((r) => (STEPS as readonly number[]).includes(r.step))
    .map((r) => ({ ...flat(r), clips: r.clips, trainLoss: r.train.loss, trainAccuracy: r.train.accuracy, testLoss: r.test!.loss, testAccuracy: r.test!.accuracy }));
  const explanation = (await post("/v1/explain", { config: doc, steps: LAST })) as Explanation;
  return { rows, explanation };
}

describe("one run document on every face", () => {
  const dir = mkdtempSync(join(tmpdir(), "backprop-cross-face-"));
  let node: ChildServer;
  let workerd: WorkerdServer;
  let web: Awaited<ReturnType<typeof serveDist>>;
  let browser: Awaited<ReturnType<typeof launch>>;
  let context: BrowserContext;

  beforeAll(async () => {
    node = await startChildServer(["--log", "off"]);
    workerd = await startWorkerd();
    web = await serveDist();
    browser = await launch();
    context = browser.context;
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await web?.close();
    await workerd?.stop();
    await node?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(documents)(
    "%s with an exponential schedule, L2 and clipping: library, terminal, API on Node and in workerd, web worker in Chromium give the same bits",
    async (_name, doc) => {
      const lib = library(doc);
      // the document does what it says: clipping acts, the penalty and the schedule are on
      expect(lib.rows.map((r) => r.step)).toEqual([...STEPS]);
      expect(lib.rows.some((r) => r.clipped)).toBe(true);
      expect(lib.rows.every((r) => r.regLoss > 0)).toBe(true);
      expect(lib.rows[3]!.learningRate).toBeLessThan(lib.rows[0]!.learningRate);

      const tui = await terminal(doc, dir);
      const onNode = await api(node.url, doc);
      const inWorkerd = await api(workerd.url, doc);
      const { page } = await openPage(context, web.url);
      const w = await workerReports(page, doc, [...STEPS], LAST);
      await page.close();
      const inChromium = w.reports.map((r) => ({
        ...flat(r.report),
        clips: r.clipCount,
        trainLoss: r.scores.train.loss,
        trainAccuracy: r.scores.train.accuracy,
        testLoss: r.scores.test!.loss,
        testAccuracy: r.scores.test!.accuracy,
      }));

      const expected = bits(lib.rows);
      expect(bits(tui), "terminal (--config --json)").toEqual(expected);
      expect(bits(onNode.rows), "API on Node").toEqual(expected);
      expect(bits(inWorkerd.rows), "API in workerd").toEqual(expected);
      expect(bits(inChromium), "web worker in Chromium").toEqual(expected);

      const explained = bits(lib.explanation);
      expect(bits(onNode.explanation), "explanation, API on Node").toEqual(explained);
      expect(bits(inWorkerd.explanation), "explanation, API in workerd").toEqual(explained);
      expect(w.explainedAt).toBe(LAST);
      expect(bits(JSON.parse(JSON.stringify(w.explanation))), "explanation, web worker in Chromium").toEqual(explained);
    },
    600_000,
  );
});
