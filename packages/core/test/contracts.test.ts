import { getHeapSpaceStatistics } from "node:v8";
import { describe, expect, it } from "vitest";
import { typedArraysMade } from "./helpers.js";
import { createBatcher, createMlp, createTrainingRun, createTrainer, evaluate, FEATURE_NAMES, makeDataset, predict, type Batch } from "../src/index.js";
import { createWorkspace, featurizeInto, forward } from "../src/internal.js";
import { backpropErrorOf as errorOf } from "./helpers.js";

function newSpaceUsed(): number {
  return getHeapSpaceStatistics().find((s) => s.space_name === "new_space")!.space_used_size;
}

/**
 * Bytes the young generation grows by over `reps` calls, less the cost of
 * measuring. The warm-up lets V8 optimize the code first: unoptimized code
 * boxes doubles, which is not what runs in a long training loop. On a busy
 * machine the optimizing compiler can lag, so this takes the least of several
 * rounds (each warming up again, up to `maxRounds` while a round still exceeds
 * `limit`) and retries a round a GC interfered with: a real allocation shows
 * up in every round, a late optimization in few. `rounds` lists what each
 * round measured, for the failure message.
 */
function bytesAllocated(fn: () => void, reps: number, warmUp = 20_000, limit = 0, maxRounds = 16): { best: number; rounds: number[] } {
  const noop = () => {};
  let best = Infinity;
  const rounds: number[] = [];
  for (let round = 0; round < maxRounds && best > limit; round++) {
    for (let i = 0; i < warmUp; i++) fn();
    for (let attempt = 0; attempt < 20; attempt++) {
      const b0 = newSpaceUsed();
      for (let i = 0; i < reps; i++) noop();
      const b1 = newSpaceUsed();
      for (let i = 0; i < reps; i++) fn();
      const b2 = newSpaceUsed();
      if (b1 >= b0 && b2 >= b1) {
        const bytes = Math.max(0, b2 - b1 - (b1 - b0));
        rounds.push(bytes);
        best = Math.min(best, bytes);
        break;
      }
    }
  }
  if (best === Infinity) throw new Error("a garbage collection interfered with every measurement");
  return { best, rounds };
}

describe("allocation contracts", () => {
  it("a training step (forward, loss, backward, hooks, update) allocates nothing", () => {
    for (const optimizer of [{ kind: "sgd" }, { kind: "momentum", nesterov: true }, { kind: "adam" }] as const) {
      const run = createTrainingRun({
        seed: 3,
        data: { name: "spiral", n: 200 },
        network: { hidden: [8, 8], activation: "tanh", output: "softmax", bias: true },
        training: { loss: "cross-entropy", optimizer, learningRate: 0.01, batchSize: 16, regularization: { kind: "l2", lambda: 1e-3 } },
        // no evaluation at a cadence within the measured steps: an evaluation's results are new objects
        evaluation: { every: 1_000_000 },
      });
      let seen = 0;
      run.trainer.addHook(() => {
        seen++;
      });
      const { best, rounds } = bytesAllocated(() => run.step(), 3000, 20_000, 3000);
      expect(best, `${optimizer.kind}: bytes over 3000 steps in each round: ${rounds.join(", ")}`).toBeLessThan(3000);
      expect(seen).toBeGreaterThan(6000);
    }
  });

  it("the control: a step that allocates is caught", () => {
    const sink: number[][] = [];
    const { best, rounds } = bytesAllocated(
      () => {
        sink.push([1, 2]);
        if (sink.length > 100) sink.length = 0;
      },
      3000,
      20_000,
      3000,
    );
    expect(best).toBeGreaterThan(3000);
    expect(rounds.length, "every round is measured while the allocation persists").toBe(16);
  });

  it("forward returns the same buffer on every call and allocates nothing", () => {
    const net = createMlp({ sizes: [2, 16, 16, 3], hidden: "relu", output: "softmax", bias: true }, { seed: 1 });
    const ws = createWorkspace(net, 64);
    const x = new Float64Array(64 * 2).map((_, i) => Math.sin(i));
    const first = forward(ws, net, x, 64);
    expect(forward(ws, net, x, 10)).toBe(first);
    expect(first).toBe(ws.a[2]);
    const { best, rounds } = bytesAllocated(() => forward(ws, net, x, 64), 3000, 20_000, 3000);
    expect(best, `bytes over 3000 calls in each round: ${rounds.join(", ")}`).toBeLessThan(3000);
  });

  it("a run's evaluate streams through one workspace it keeps, with evaluate's very numbers", () => {
    const run = createTrainingRun({
      seed: 5,
      data: { name: "spiral", n: 500, testRatio: 0.5 },
      network: { hidden: [8, 8, 8, 8, 8, 8], activation: "tanh", output: "tanh", bias: true },
      training: { loss: "mse", optimizer: { kind: "sgd" }, learningRate: 0.03, batchSize: 10 },
    });
    for (let i = 0; i < 50; i++) run.step();
    const fresh = { train: evaluate(run.net, run.train, { loss: "mse" }), test: evaluate(run.net, run.test, { loss: "mse" }) };
    expect(run.test.n).toBe(250);
    expect(run.evaluate()).toEqual(fresh);
    // a fresh workspace for 250 rows of this network is 28 Float64Arrays, about 450 KB
    const once = typedArraysMade("Float64Array", () => evaluate(run.net, run.train, { loss: "mse" }));
    expect(once).toBeGreaterThan(0);
    expect(typedArraysMade("Float64Array", () => {
      for (let i = 0; i < 20; i++) run.evaluate();
    }), `evaluate without a workspace makes ${once}`).toBe(0);
  });

  it("featurizeInto allocates nothing per point", () => {
    const n = 4096;
    const x = new Float64Array(2 * n).map((_, i) => Math.cos(i));
    const out = new Float64Array(n * FEATURE_NAMES.length);
    expect(featurizeInto(out, x, n, FEATURE_NAMES)).toBe(out);
    // one boxed number per value would be 16 bytes × 28,672 values per call
    const { best, rounds } = bytesAllocated(() => featurizeInto(out, x, n, FEATURE_NAMES), 200, 2000, 200 * 512);
    expect(best, `bytes over 200 calls in each round: ${rounds.join(", ")}`).toBeLessThan(200 * 512);
  });
});

describe("capacity and shape errors", () => {
  const net = createMlp({ sizes: [2, 3, 2], hidden: "sigmoid", output: "sigmoid", bias: false }, { seed: 2017, init: "course" });

  it("a batch larger than the workspace is rejected, not reallocated", () => {
    const ws = createWorkspace(net, 4);
    const e = errorOf(() => forward(ws, net, new Float64Array(10), 5));
    expect(e.code).toBe("capacity-exceeded");
    expect(e.field).toBe("n");
    const trainer = createTrainer(net, { learningRate: 0.1, capacity: 4 });
    const big: Batch = { x: new Float64Array(10), y: new Float64Array(10), n: 5 };
    expect(errorOf(() => trainer.step(big)).code).toBe("capacity-exceeded");
  });

  it("short inputs or targets name x or y; bad n names n", () => {
    const ws = createWorkspace(net, 8);
    expect(errorOf(() => forward(ws, net, new Float64Array(3), 2)).field).toBe("x");
    expect(errorOf(() => forward(ws, net, new Float64Array(4), 0)).field).toBe("n");
    expect(errorOf(() => forward(ws, net, new Float64Array(4), 1.5)).field).toBe("n");
    const trainer = createTrainer(net, { learningRate: 0.1 });
    expect(errorOf(() => trainer.step({ x: new Float64Array(4), y: new Float64Array(3), n: 2 })).field).toBe("y");
    expect(errorOf(() => predict(net, new Float64Array(3), 2)).field).toBe("x");
  });

  it("a workspace made for another network is rejected", () => {
    const other = createMlp({ sizes: [2, 4, 2], hidden: "tanh", output: "linear", bias: true }, { seed: 1 });
    expect(errorOf(() => forward(createWorkspace(other, 2), net, new Float64Array(4), 2)).field).toBe("workspace");
  });

  it("bad trainer settings name the setting", () => {
    expect(errorOf(() => createTrainer(net, { learningRate: -1 })).field).toBe("learningRate");
    expect(errorOf(() => createTrainer(net, { learningRate: Number.NaN })).field).toBe("learningRate");
    expect(errorOf(() => createTrainer(net, { learningRate: 0.1, loss: "cross-entropy" })).field).toBe("loss");
    expect(errorOf(() => createTrainer(net, { learningRate: 0.1, optimizer: { kind: "rmsprop" } as never })).field).toBe("optimizer.kind");
    expect(errorOf(() => createTrainer(net, { learningRate: 0.1, regularization: { kind: "l2", lambda: -1 } })).field).toBe("regularization.lambda");
    expect(errorOf(() => createTrainer(net, { learningRate: 0.1, schedule: { kind: "step", every: 0, factor: 0.5 } })).field).toBe("schedule.every");
  });

  it("bad specs name the field", () => {
    expect(errorOf(() => createMlp({ sizes: [2], hidden: "tanh", output: "linear", bias: true })).field).toBe("spec.sizes");
    expect(errorOf(() => createMlp({ sizes: [2, 0, 1], hidden: "tanh", output: "linear", bias: true })).field).toBe("spec.sizes[1]");
    expect(errorOf(() => createMlp({ sizes: [2, 3, 1], hidden: "gelu" as never, output: "linear", bias: true })).field).toBe("spec.hidden");
    expect(errorOf(() => createMlp({ sizes: [2, 3, 1], hidden: "tanh", output: "softmax", bias: true })).field).toBe("spec.output");
    expect(errorOf(() => createMlp({ sizes: [2, 3, 1], hidden: "tanh", output: "linear", bias: true }, { seed: -1 })).field).toBe("seed");
  });
});

describe("batches", () => {
  const data = makeDataset("gauss", { n: 10, seed: 4 });

  it("mini-batches cover every row once per epoch; a partial last batch is its own step", () => {
    const batcher = createBatcher(data, { batchSize: 4, seed: 9 });
    expect(batcher.batchesPerEpoch).toBe(3);
    for (let epoch = 1; epoch <= 3; epoch++) {
      const rows: string[] = [];
      const sizes: number[] = [];
      for (let b = 0; b < 3; b++) {
        const batch = batcher.next();
        expect(batcher.epoch).toBe(epoch);
        sizes.push(batch.n);
        for (let r = 0; r < batch.n; r++) rows.push(`${batch.x[2 * r]},${batch.x[2 * r + 1]}`);
      }
      expect(sizes).toEqual([4, 4, 2]);
      const all = Array.from({ length: 10 }, (_, i) => `${data.x[2 * i]},${data.x[2 * i + 1]}`);
      expect([...rows].sort()).toEqual([...all].sort());
    }
  });

  it("reshuffles every epoch, reproducibly from the seed", () => {
    const order = (seed: number) => {
      const batcher = createBatcher(data, { batchSize: 10, shuffle: true, seed });
      return [0, 1, 2].map(() => Array.from(batcher.next().x));
    };
    const a = order(5);
    expect(order(5)).toEqual(a);
    expect(a[0]).not.toEqual(a[1]);
    expect(a[1]).not.toEqual(a[2]);
  });

  it("full batch without shuffling hands out the data itself", () => {
    const batcher = createBatcher(data, { batchSize: "full" });
    expect(batcher.next().x).toBe(data.x);
  });
});
