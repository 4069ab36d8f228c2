import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { configA } from "./workloads/a-xor-2-3-2.js";
import { describeBlas, fromLayerLists, layerLists, NumpyPeer, NumpyPeerError, numbersField, parseReply, setPython, setupNumpyProblem } from "./peers/numpy.js";
import { formatCheckResult } from "./report.js";
import { checkWorkload } from "./runner.js";
import { FLOAT64_TOLERANCE, numpyAgreement, trainingProblem, trainingWorkload } from "./training.js";

const FAKE_PEER = fileURLToPath(new URL("./fixtures/fake-numpy-peer.mjs", import.meta.url));
const hasPython = spawnSync("python3", ["-c", "pass"]).status === 0;
const hasNumpy = hasPython && spawnSync("python3", ["-c", "import numpy"]).status === 0;

afterEach(() => setPython("none"));

describe("the numpy peer's protocol", () => {
  it("takes a reply line with a boolean ok, and turns anything else into an error naming what is wrong", () => {
    expect(parseReply('{"ok": true, "ms": 1.5}')).toEqual({ ok: true, ms: 1.5 });
    expect(() => parseReply('{"ok": false, "error": "numpy missing: No module named \'numpy\'"}')).toThrow("numpy missing: No module named 'numpy'");
    expect(() => parseReply('{"ok": false}')).toThrow("failed without saying why");
    expect(() => parseReply("Traceback (most recent call last):")).toThrow(/not JSON: "Traceback/);
    expect(() => parseReply('{"ms": 1}')).toThrow('no boolean "ok"');
    expect(() => parseReply("[true]")).toThrow(NumpyPeerError);
    expect(() => numbersField({ ok: true, out: [1, "2"] }, "out")).toThrow('no list of numbers "out"');
  });

  it("sends core's parameters as per-layer row-major lists and reads them back in core's layout", () => {
    const problem = trainingProblem(configA);
    const { W, b } = layerLists(problem.spec, problem.initial);
    expect(W.map((w) => w.length)).toEqual([6, 6]);
    expect(b.map((v) => v.length)).toEqual([3, 2]);
    expect(fromLayerLists(problem.spec, W, b)).toEqual(problem.initial);
    expect(() => fromLayerLists(problem.spec, [W[0]!.slice(1), W[1]!], b)).toThrow("layer 0 with the wrong shape");
  });

  it("describes the BLAS that threadpoolctl found, or says it is unknown", () => {
    expect(describeBlas({ python: "3", numpy: "2", blas: [{ internal_api: "openblas", version: "0.3.31", num_threads: 2, architecture: "SkylakeX" }] })).toBe(
      "OpenBLAS 0.3.31 (SkylakeX kernels, 2 threads)",
    );
    expect(describeBlas({ python: "3", numpy: "2", blas: null })).toBe("BLAS kernel unknown (no threadpoolctl)");
  });

  it("talks to a running peer: replies in order, refusals and broken lines as errors, a crash ends every request", async () => {
    const started = await NumpyPeer.start({ command: process.execPath, args: [FAKE_PEER] });
    if (!("peer" in started)) throw new Error(started.skipped);
    const { peer, info } = started;
    try {
      expect(info).toEqual({ python: "fake", numpy: "0.0.0", blas: null });
      expect(await peer.request({ cmd: "ping" })).toEqual({ ok: true });
      await expect(peer.request({ cmd: "run" })).rejects.toThrow("unknown command 'run'");
      await expect(peer.request({ cmd: "broken" })).rejects.toThrow("not JSON");
      await expect(peer.request({ cmd: "crash" })).rejects.toThrow("python exited (3): MemoryError: boom");
      await expect(peer.request({ cmd: "ping" })).rejects.toThrow("python exited (3)");
    } finally {
      peer.close();
    }
  });
});

describe("without Python, the numpy peer is skipped with one line", () => {
  it("says python3 is not found when the command does not exist", async () => {
    const started = await NumpyPeer.start({ command: "/nonexistent/python3", args: [] });
    expect(started).toEqual({ skipped: expect.stringMatching(/^numpy peer skipped: \/nonexistent\/python3 not found \(.*ENOENT/) });
  });

  it("says so when turned off", async () => {
    expect(await NumpyPeer.start({ command: "none", args: [] })).toEqual({ skipped: "numpy peer skipped: turned off (--python none)" });
  });

  it("lets a workload go on with the other peers, and --check prints the skip line", async () => {
    setPython("/nonexistent/python3");
    const workload = trainingWorkload({ ...configA, id: "tiny", steps: 2 });
    const agreements = await checkWorkload(workload);
    expect(agreements.map((a) => a.subject)).not.toContain("numpy");
    expect(agreements.length).toBe(6);
    const printed = formatCheckResult(workload, agreements, agreements.skipped).split("\n");
    expect(printed.filter((l) => l.includes("numpy peer skipped: /nonexistent/python3 not found"))).toHaveLength(1);
    const prepared = await workload.setup();
    try {
      expect(prepared.subjects.map((s) => s.name)).toEqual(["backprop-lab", "tfjs-wasm", "tfjs-cpu", "brain.js"]);
    } finally {
      prepared.dispose?.();
    }
  });

  it.skipIf(!hasPython)("says numpy is missing when Python runs without its site-packages", async () => {
    const started = await NumpyPeer.start({ command: "python3", args: ["-I", "-S"] });
    expect(started).toEqual({ skipped: expect.stringMatching(/^numpy peer skipped: numpy missing: No module named 'numpy'/) });
  });
});

// runs only where numpy is installed (CI need not have it): the real peer against our engine
describe.skipIf(!hasNumpy)("with numpy installed", () => {
  it("runs the same full-batch steps in float64: losses and weights as ours within 1e-12", async () => {
    const started = await NumpyPeer.start({ command: "python3", args: [] });
    if (!("peer" in started)) throw new Error(started.skipped);
    try {
      const problem = trainingProblem(configA);
      await setupNumpyProblem(started.peer, problem, configA.learningRate);
      const agreements = await numpyAgreement(started.peer, problem, configA.learningRate);
      expect(agreements).toHaveLength(2);
      for (const a of agreements) {
        expect(a.tolerance).toBe(FLOAT64_TOLERANCE);
        expect(a.relativeError, a.quantity).toBeLessThanOrEqual(FLOAT64_TOLERANCE);
      }
      // and a 1 % different learning rate is told apart
      await setupNumpyProblem(started.peer, problem, configA.learningRate * 1.01);
      const off = await numpyAgreement(started.peer, problem, configA.learningRate);
      expect(off[0]!.relativeError).toBeGreaterThan(1e6 * FLOAT64_TOLERANCE);
    } finally {
      started.peer.close();
    }
  });
});
