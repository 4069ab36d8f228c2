import { getHeapSpaceStatistics, setFlagsFromString } from "node:v8";
import { describe, expect, it } from "vitest";
import { createTrainingRun } from "../src/index.js";

// This file runs in its own worker: V8 compiles everything here without inlining, the JIT
// decision that, taken on a busy machine, once made the batcher's shuffle box every random
// draw (a double returned from a call that is not inlined lives on the heap).
setFlagsFromString("--no-turbo-inlining");

const newSpaceUsed = () => getHeapSpaceStatistics().find((s) => s.space_name === "new_space")!.space_used_size;

describe("allocation contracts without inlining", () => {
  it("a training step still allocates nothing, epoch reshuffles included", () => {
    for (const optimizer of [{ kind: "sgd" }, { kind: "adam" }] as const) {
      const run = createTrainingRun({
        seed: 3,
        data: { name: "spiral", n: 200 },
        network: { hidden: [8, 8], activation: "tanh", output: "softmax", bias: true },
        training: { loss: "cross-entropy", optimizer, learningRate: 0.01, batchSize: 16 },
        // no evaluation at a cadence within the measured steps: an evaluation's results are new objects
        evaluation: { every: 1_000_000 },
      });
      for (let i = 0; i < 20_000; i++) run.step();
      // 3,000 steps cross 230 epochs; a boxed draw per shuffle swap would be 16 bytes × 199 each
      const rounds: number[] = [];
      while (rounds.filter((b) => b >= 0 && b < 4096).length < 2 && rounds.length < 12) {
        const before = newSpaceUsed();
        for (let i = 0; i < 3000; i++) run.step();
        rounds.push(newSpaceUsed() - before);
      }
      expect(rounds.filter((b) => b >= 0 && b < 4096).length, `${optimizer.kind}: bytes per round ${rounds.join(", ")}`).toBeGreaterThanOrEqual(2);
    }
  });
});
