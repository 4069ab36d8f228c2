import { existsSync } from "node:fs";
import { sep } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { maxRelativeError, normwiseRelativeError } from "./agreement.js";
import { oursFullBatchTrace } from "./peers/ours.js";
import { tf, tfjsFullBatchTrace, tfjsWasmDist, tfjsWasmFeatures, tfjsWasmLibrary, useTfjs } from "./peers/tfjs.js";
import { CHECK_STEPS, FLOAT32_WEIGHT_TOLERANCE, float32SummedLossTolerance, trainingProblem } from "./training.js";
import { configA } from "./workloads/a-xor-2-3-2.js";

describe("the tfjs-wasm peer", () => {
  // any attempt to fetch the .wasm files (from the network or anywhere) fails the test
  const fetchSpy = vi.fn(() => Promise.reject(new Error("the tfjs-wasm peer tried to fetch")));
  const realFetch = globalThis.fetch;
  beforeAll(() => {
    globalThis.fetch = fetchSpy as unknown as typeof fetch;
  });
  afterAll(() => {
    globalThis.fetch = realFetch;
  });

  it("loads the backend's own .wasm files from node_modules, without fetching", async () => {
    const dist = tfjsWasmDist();
    expect(dist.split(sep)).toContain("node_modules");
    expect(dist).toMatch(/@tensorflow[/\\]tfjs-backend-wasm[/\\]dist[/\\]$/);
    for (const file of ["tfjs-backend-wasm.wasm", "tfjs-backend-wasm-simd.wasm"]) expect(existsSync(dist + file), file).toBe(true);
    await useTfjs("wasm");
    expect(tf.getBackend()).toBe("wasm");
    expect(fetchSpy).not.toHaveBeenCalled();
    // the same version as @tensorflow/tfjs, and it says what it runs on
    const { simd } = await tfjsWasmFeatures();
    expect(await tfjsWasmLibrary()).toMatch(new RegExp(`^@tensorflow/tfjs-backend-wasm ${tf.version.tfjs.replaceAll(".", "\\.")}, wasm backend \\(float32\\), ${simd ? "SIMD" : "no SIMD"}, `));
  });

  it("agrees with our engine's losses and weights on workload A's first steps, within float32 rounding", async () => {
    const problem = trainingProblem(configA);
    const ours = oursFullBatchTrace(problem, configA.learningRate, CHECK_STEPS);
    const wasm = await tfjsFullBatchTrace(problem, configA.learningRate, CHECK_STEPS, "wasm");
    expect(tf.getBackend()).toBe("wasm");
    expect(maxRelativeError(ours.losses, wasm.losses)).toBeLessThanOrEqual(float32SummedLossTolerance(problem.data.n * problem.data.nOut));
    expect(normwiseRelativeError(ours.params, wasm.params)).toBeLessThanOrEqual(FLOAT32_WEIGHT_TOLERANCE);
    // the losses fall: real training happened, not a copy of the start
    expect(wasm.losses[CHECK_STEPS - 1]!).toBeLessThan(wasm.losses[0]!);
    expect(fetchSpy).not.toHaveBeenCalled();
  });
});
